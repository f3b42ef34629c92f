#include <reflorm/migrate/autogenerate.hpp>
#include <reflorm/migrate/compare.hpp>
#include <reflorm/migrate/type_compare.hpp>

#include <algorithm>

namespace reflorm::migrate {

namespace {

using sql::dialect_id;

bool is_mysql(dialect_id d) { return d == dialect_id::mysql || d == dialect_id::mariadb; }

referential_action effective(referential_action a, dialect_id d) {
    return is_mysql(d) && a == referential_action::restrict ? referential_action::no_action : a;
}

// On SQLite, constraints match by what they are: inspect reads names from the CREATE TABLE text,
// but a table made outside reflorm may have none (an unnamed UNIQUE is sqlite_autoindex_<table>_<n>,
// an unnamed foreign key has no name at all). Elsewhere they also match by name.
bool keeps_names(dialect_id d) { return d != dialect_id::sqlite; }

bool same_unique(const unique_constraint_model& a, const unique_constraint_model& b, dialect_id d) {
    return a.columns == b.columns && (!keeps_names(d) || a.name == b.name);
}

// DEFERRABLE INITIALLY DEFERRED counts where the backend has it (not MySQL/MariaDB): a change
// is a removed and an added key, as Alembic's autogenerate reports it (remove_fk, add_fk).
bool same_foreign_key(const foreign_key_model& a, const foreign_key_model& b, dialect_id d) {
    return (!keeps_names(d) || a.name == b.name) && a.columns == b.columns && a.referred_table == b.referred_table && a.referred_columns == b.referred_columns &&
           effective(a.on_delete, d) == effective(b.on_delete, d) && effective(a.on_update, d) == effective(b.on_update, d) &&
           (is_mysql(d) || a.deferrable == b.deferrable);
}

template <class Range, class Predicate>
bool any(const Range& range, Predicate predicate) {
    return std::any_of(range.begin(), range.end(), predicate);
}

// The operations by phase; concatenated in this order (see compare.hpp).
struct phases {
    std::vector<operation> drop_keys, drop_indexes, drop_tables, create_tables, add_columns, alter_columns, drop_columns,
        create_indexes, create_keys;
    std::vector<std::string> warnings;
};

// Tables in an order where each comes after those it references among them (cycles: as given).
std::vector<const table_model*> referenced_first(std::vector<const table_model*> pending) {
    std::vector<const table_model*> sorted;
    while (!pending.empty()) {
        auto next = std::find_if(pending.begin(), pending.end(), [&](const table_model* t) {
            return !any(t->foreign_keys, [&](const foreign_key_model& fk) {
                return fk.referred_table != t->name && any(pending, [&](const table_model* p) { return p->name == fk.referred_table; });
            });
        });
        if (next == pending.end()) next = pending.begin();
        sorted.push_back(*next);
        pending.erase(next);
    }
    return sorted;
}

void compare_columns(const table_model& model, const table_model& db, dialect_id d, phases& out) {
    for (const auto& column : model.columns) {
        const auto* existing = db.column(column.name);
        if (!existing) {
            out.add_columns.push_back(add_column{model.name, column});
            continue;
        }
        alter_column alter{model.name, *existing, column};
        alter.type_changed = !same_type(column.type, existing->type, d);
        alter.nullable_changed = column.nullable != existing->nullable;
        alter.server_default_changed = !column.autoincrement && !existing->autoincrement &&
                                       !same_server_default(column.server_default, existing->server_default);
        if (alter.type_changed || alter.nullable_changed || alter.server_default_changed) out.alter_columns.push_back(std::move(alter));
    }
    for (const auto& column : db.columns) {
        if (model.column(column.name)) continue;
        out.drop_columns.push_back(drop_column{model.name, column});
        for (const auto& added : model.columns)
            if (!db.column(added.name) && same_type(added.type, column.type, d))
                out.warnings.push_back("Column '" + model.name + "." + column.name + "' is dropped and '" + model.name + "." +
                                       added.name + "' added: if this is a rename, use " +
                                       operation_cpp(rename_column{model.name, column.name, added.name}) +
                                       " instead, which keeps the data (drop + add loses it)");
    }
}

void compare_constraints(const table_model& model, const table_model& db, dialect_id d, phases& out) {
    for (const auto& index : model.indexes) {
        const auto it = std::find_if(db.indexes.begin(), db.indexes.end(), [&](const index_model& i) { return i.name == index.name; });
        if (it != db.indexes.end() && it->columns == index.columns && it->unique == index.unique) continue;
        if (it != db.indexes.end()) out.drop_indexes.push_back(drop_index{model.name, *it});
        out.create_indexes.push_back(create_index{model.name, index});
    }
    for (const auto& index : db.indexes) {
        if (any(model.indexes, [&](const index_model& i) { return i.name == index.name; })) continue;
        // MySQL makes an index for a foreign key that has none; it comes and goes with the key.
        if (is_mysql(d) && !index.unique && any(db.foreign_keys, [&](const foreign_key_model& fk) { return fk.columns == index.columns; }))
            continue;
        out.drop_indexes.push_back(drop_index{model.name, index});
    }
    for (const auto& unique : model.unique_constraints)
        if (!any(db.unique_constraints, [&](const unique_constraint_model& u) { return same_unique(unique, u, d); }))
            out.create_indexes.push_back(create_unique_constraint{model.name, unique});
    for (const auto& unique : db.unique_constraints)
        if (!any(model.unique_constraints, [&](const unique_constraint_model& u) { return same_unique(u, unique, d); }))
            out.drop_indexes.push_back(drop_unique_constraint{model.name, unique});
    for (const auto& key : model.foreign_keys)
        if (!any(db.foreign_keys, [&](const foreign_key_model& k) { return same_foreign_key(key, k, d); }))
            out.create_keys.push_back(create_foreign_key{model.name, key});
    for (const auto& key : db.foreign_keys)
        if (!any(model.foreign_keys, [&](const foreign_key_model& k) { return same_foreign_key(k, key, d); }))
            out.drop_keys.push_back(drop_foreign_key{model.name, key});
}

std::vector<std::string> column_names(const table_model& table) {
    std::vector<std::string> names;
    for (const auto& c : table.columns) names.push_back(c.name);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

schema_diff compare(const schema_model& models, const schema_model& database, dialect_id dialect) {
    phases out;
    std::vector<const table_model*> created, dropped;
    for (const auto& table : models.tables) {
        if (const auto* db = database.table(table.name)) {
            compare_columns(table, *db, dialect, out);
            compare_constraints(table, *db, dialect, out);
        } else {
            created.push_back(&table);
        }
    }
    for (const auto& table : database.tables)
        if (!models.table(table.name)) dropped.push_back(&table);

    for (const auto* table : referenced_first(created)) {
        table_model without_indexes = *table;
        without_indexes.indexes.clear();
        out.create_tables.push_back(create_table{std::move(without_indexes)});
        for (const auto& index : table->indexes) out.create_tables.push_back(create_index{table->name, index});
    }
    auto drop_order = referenced_first(dropped);
    std::reverse(drop_order.begin(), drop_order.end());
    for (const auto* table : drop_order) {
        for (const auto& index : table->indexes) out.drop_tables.push_back(drop_index{table->name, index});
        table_model without_indexes = *table;
        without_indexes.indexes.clear();
        out.drop_tables.push_back(drop_table{std::move(without_indexes)});
        for (const auto* added : created)
            if (column_names(*added) == column_names(*table))
                out.warnings.push_back("Table '" + table->name + "' is dropped and '" + added->name +
                                       "' created with the same columns: if this is a rename, use " +
                                       operation_cpp(rename_table{table->name, added->name}) +
                                       " instead, which keeps the data (drop + create loses it)");
    }

    schema_diff diff;
    for (auto* phase : {&out.drop_keys, &out.drop_indexes, &out.drop_tables, &out.create_tables, &out.add_columns, &out.alter_columns,
                        &out.drop_columns, &out.create_indexes, &out.create_keys})
        for (auto& op : *phase) diff.operations.push_back(std::move(op));
    diff.warnings = std::move(out.warnings);
    return diff;
}

}  // namespace reflorm::migrate
