#include <reflorm/engine/errors.hpp>
#include <reflorm/migrate/apply_operation.hpp>

#include <algorithm>

namespace reflorm::migrate {

namespace {

[[noreturn]] void missing(const std::string& what, const std::string& name, const std::string& table) {
    throw invalid_request_error("reflorm: table '" + table + "' has no " + what + " '" + name + "'");
}

template <class Items, class Predicate>
void erase_one(Items& items, Predicate predicate, const std::string& what, const std::string& name, const std::string& table) {
    const auto it = std::find_if(items.begin(), items.end(), predicate);
    if (it == items.end()) missing(what, name, table);
    items.erase(it);
}

bool holds(const std::vector<std::string>& columns, const std::string& column) {
    return std::find(columns.begin(), columns.end(), column) != columns.end();
}

void rename_in(std::vector<std::string>& columns, const std::string& from, const std::string& to) {
    std::replace(columns.begin(), columns.end(), from, to);
}

}  // namespace

const std::string& table_of(const operation& op) {
    return std::visit(
        [](const auto& o) -> const std::string& {
            if constexpr (requires { o.table.name; }) return o.table.name;
            else return o.table;
        },
        op);
}

table_model apply_to_table(const table_model& table, const operation& op) {
    table_model t = table;
    const auto& name = t.name;
    if (const auto* o = std::get_if<add_column>(&op)) {
        t.columns.push_back(o->column);
    } else if (const auto* o = std::get_if<drop_column>(&op)) {
        const auto& c = o->column.name;
        erase_one(t.columns, [&](const column_model& m) { return m.name == c; }, "column", c, name);
        // The other key columns stay the key, as in Alembic's batch mode (SQLite's batch renders it).
        std::erase(t.primary_key, c);
        std::erase_if(t.indexes, [&](const index_model& i) { return holds(i.columns, c); });
        std::erase_if(t.unique_constraints, [&](const unique_constraint_model& u) { return holds(u.columns, c); });
        std::erase_if(t.foreign_keys, [&](const foreign_key_model& k) { return holds(k.columns, c); });
    } else if (const auto* o = std::get_if<alter_column>(&op)) {
        const auto it = std::find_if(t.columns.begin(), t.columns.end(), [&](const column_model& m) { return m.name == o->existing.name; });
        if (it == t.columns.end()) missing("column", o->existing.name, name);
        *it = o->target;
    } else if (const auto* o = std::get_if<create_index>(&op)) {
        t.indexes.push_back(o->index);
    } else if (const auto* o = std::get_if<drop_index>(&op)) {
        erase_one(t.indexes, [&](const index_model& i) { return i.name == o->index.name; }, "index", o->index.name, name);
    } else if (const auto* o = std::get_if<create_unique_constraint>(&op)) {
        t.unique_constraints.push_back(o->constraint);
    } else if (const auto* o = std::get_if<drop_unique_constraint>(&op)) {
        erase_one(
            t.unique_constraints, [&](const unique_constraint_model& u) { return u == o->constraint; }, "unique constraint",
            o->constraint.name, name);
    } else if (const auto* o = std::get_if<create_foreign_key>(&op)) {
        t.foreign_keys.push_back(o->key);
    } else if (const auto* o = std::get_if<drop_foreign_key>(&op)) {
        erase_one(t.foreign_keys, [&](const foreign_key_model& k) { return k == o->key; }, "foreign key", o->key.name, name);
    } else if (const auto* o = std::get_if<rename_column>(&op)) {
        const auto it = std::find_if(t.columns.begin(), t.columns.end(), [&](const column_model& m) { return m.name == o->column; });
        if (it == t.columns.end()) missing("column", o->column, name);
        it->name = o->new_name;
        // The database renames the column wherever the table's keys and indexes name it.
        rename_in(t.primary_key, o->column, o->new_name);
        for (auto& i : t.indexes) rename_in(i.columns, o->column, o->new_name);
        for (auto& u : t.unique_constraints) rename_in(u.columns, o->column, o->new_name);
        for (auto& k : t.foreign_keys) {
            rename_in(k.columns, o->column, o->new_name);
            if (k.referred_table == name) rename_in(k.referred_columns, o->column, o->new_name);
        }
    } else if (const auto* o = std::get_if<create_primary_key>(&op)) {
        if (!t.primary_key.empty()) throw invalid_request_error("reflorm: table '" + name + "' has a primary key already");
        t.primary_key = o->columns;
        t.primary_key_name = o->name;
    } else if (const auto* o = std::get_if<drop_primary_key>(&op)) {
        if (t.primary_key.empty()) missing("primary key", o->name, name);
        t.primary_key.clear();
        t.primary_key_name.clear();
    }
    return t;
}

void apply_operation(schema_model& schema, const operation& op) {
    const auto& name = table_of(op);
    const auto it = std::find_if(schema.tables.begin(), schema.tables.end(), [&](const table_model& t) { return t.name == name; });
    if (const auto* o = std::get_if<create_table>(&op)) {
        if (it != schema.tables.end()) throw invalid_request_error("reflorm: table '" + name + "' exists already");
        schema.tables.push_back(o->table);
        return;
    }
    if (it == schema.tables.end()) throw invalid_request_error("reflorm: there is no table '" + name + "'");
    if (std::holds_alternative<drop_table>(op)) {
        schema.tables.erase(it);
        return;
    }
    // Other tables' foreign keys follow a renamed table or referred column, as in the database.
    if (const auto* o = std::get_if<rename_table>(&op)) {
        if (schema.table(o->new_name)) throw invalid_request_error("reflorm: table '" + o->new_name + "' exists already");
        it->name = o->new_name;
        for (auto& t : schema.tables)
            for (auto& k : t.foreign_keys)
                if (k.referred_table == name) k.referred_table = o->new_name;
        return;
    }
    *it = apply_to_table(*it, op);
    if (const auto* o = std::get_if<rename_column>(&op))
        for (auto& t : schema.tables)
            if (t.name != o->table)
                for (auto& k : t.foreign_keys)
                    if (k.referred_table == o->table) rename_in(k.referred_columns, o->column, o->new_name);
}

}  // namespace reflorm::migrate
