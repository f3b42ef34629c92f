#include <reflorm/migrate/apply_operation.hpp>
#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/op.hpp>
#include <reflorm/migrate/render.hpp>

#include <algorithm>

namespace reflorm::migrate {

operations::operations(connection& c, schema_model current, naming_convention naming)
    : conn_(&c), dialect_(&c.dialect()), current_(std::move(current)), naming_(std::move(naming)) {}

operations::operations(const sql::compiler& dialect, std::ostream& out, schema_model current, naming_convention naming)
    : dialect_(&dialect), out_(&out), current_(std::move(current)), naming_(std::move(naming)) {}

const table_model& operations::table(const std::string& name) const {
    const auto* t = current_.table(name);
    if (!t) throw invalid_request_error("reflorm: there is no table '" + name + "'");
    return *t;
}

void operations::run(const operation& op) {
    // Batch mode recreates views, triggers and partial indexes from their SQL as it is now.
    if (conn_ && needs_batch(op, current_.table(table_of(op)), dialect_->id())) detail::refresh_sqlite_objects(*conn_, current_);
    // MySQL's MODIFY COLUMN restates the column's comment, collation and ON UPDATE as they are now.
    const auto d = dialect_->id();
    if (const auto* alter = std::get_if<migrate::alter_column>(&op); conn_ && alter && (d == sql::dialect_id::mysql || d == sql::dialect_id::mariadb))
        for (auto& t : current_.tables)
            if (t.name == alter->table) detail::refresh_mysql_column(*conn_, t, alter->existing.name);
    for (const auto& statement : render(op, *dialect_, current_)) execute(statement);
    apply_operation(current_, op);
}

void operations::execute(const std::string& sql) {
    if (conn_) conn_->exec_driver_sql(sql);
    else *out_ << sql << ";\n\n";
}

void operations::bulk_insert(const std::string& table_name, const std::vector<bulk_row>& rows) {
    const auto laid_out = bulk_rows_for(table(table_name), rows);
    if (!conn_) {
        for (const auto& statement : bulk_insert_literal_sql(table_name, laid_out, *dialect_)) execute(statement);
        return;
    }
    for (const auto& statement : bulk_insert_statements(table_name, laid_out, *dialect_)) conn_->execute(statement);
}

connection& operations::bind() {
    if (!conn_) throw invalid_request_error("reflorm: this revision uses the connection, which an offline (--sql) run has not; use op.execute(sql)");
    return *conn_;
}

void operations::create_table(const std::string& name, const std::vector<column_def>& columns,
                              const std::vector<foreign_key_def>& foreign_keys, const std::vector<std::vector<std::string>>& unique) {
    table_model t;
    t.name = name;
    for (const auto& def : columns) {
        t.columns.push_back(to_column_model(def, *dialect_));
        if (def.primary_key) t.primary_key.push_back(def.name);
    }
    if (!t.primary_key.empty()) t.primary_key_name = apply_naming_convention(naming_.pk, name, t.primary_key);
    for (const auto& columns_of : unique) t.unique_constraints.push_back({apply_naming_convention(naming_.uq, name, columns_of), columns_of});
    for (const auto& def : foreign_keys) {
        foreign_key_model key{def.name, def.columns, def.referred_table, def.referred_columns, def.on_delete, def.on_update,
                              def.deferrable && dialect_->supports_deferrable()};
        if (key.name.empty()) key.name = apply_naming_convention(naming_.fk, name, key.columns, key.referred_table);
        t.foreign_keys.push_back(std::move(key));
    }
    run(migrate::create_table{std::move(t)});
}

void operations::drop_table(const std::string& name) { run(migrate::drop_table{table(name)}); }

void operations::rename_table(const std::string& old_name, const std::string& new_name) {
    table(old_name);
    if (current_.table(new_name)) throw invalid_request_error("reflorm: table '" + new_name + "' exists already");
    run(migrate::rename_table{old_name, new_name});
}

void operations::add_column(const std::string& table_name, const column_def& column) {
    run(migrate::add_column{table_name, to_column_model(column, *dialect_)});
}

void operations::drop_column(const std::string& table_name, const std::string& column) {
    const auto* c = table(table_name).column(column);
    if (!c) throw invalid_request_error("reflorm: table '" + table_name + "' has no column '" + column + "'");
    run(migrate::drop_column{table_name, *c});
}

void operations::alter_column(const std::string& table_name, const std::string& column, const column_changes& changes) {
    const auto* c = table(table_name).column(column);
    if (!c) throw invalid_request_error("reflorm: table '" + table_name + "' has no column '" + column + "'");
    migrate::alter_column op{table_name, *c, *c};
    if (changes.type) {
        auto type = *changes.type;
        // A keyed column keeps a key-able type (MySQL's VARCHAR(255) for an unbounded string).
        const auto& t = table(table_name);
        const auto keyed = [&](const std::vector<std::string>& cols) { return std::find(cols.begin(), cols.end(), column) != cols.end(); };
        type.in_key = type.in_key || keyed(t.primary_key) ||
                      std::any_of(t.indexes.begin(), t.indexes.end(), [&](const auto& i) { return keyed(i.columns); }) ||
                      std::any_of(t.unique_constraints.begin(), t.unique_constraints.end(), [&](const auto& u) { return keyed(u.columns); }) ||
                      std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const auto& k) { return keyed(k.columns); });
        op.target.type = to_column_model(migrate::column(column, type), *dialect_).type;
        op.type_changed = true;
    }
    if (changes.nullable) {
        op.target.nullable = *changes.nullable;
        op.nullable_changed = op.target.nullable != c->nullable;
    }
    if (changes.server_default) {
        op.target.server_default = *changes.server_default;
        op.server_default_changed = op.target.server_default != c->server_default;
    }
    if (op.type_changed || op.nullable_changed || op.server_default_changed) run(op);
    if (changes.new_column_name && *changes.new_column_name != column) {
        if (table(table_name).column(*changes.new_column_name))
            throw invalid_request_error("reflorm: table '" + table_name + "' has a column '" + *changes.new_column_name + "' already");
        run(rename_column{table_name, column, *changes.new_column_name});
    }
}

void operations::create_index(const std::string& name, const std::string& table_name, const std::vector<std::string>& columns, bool unique) {
    run(migrate::create_index{table_name, index_model{name, columns, unique}});
}

void operations::drop_index(const std::string& name, const std::string& table_name) {
    const auto& t = table(table_name);
    const auto it = std::find_if(t.indexes.begin(), t.indexes.end(), [&](const index_model& i) { return i.name == name; });
    if (it != t.indexes.end()) return run(migrate::drop_index{table_name, *it});
    // MySQL's catalog reports a unique index as a unique constraint (inspect_mysql), so an index
    // created with unique=true is one after the next inspect; both drop with DROP INDEX there.
    const auto d = dialect_->id();
    if (d == sql::dialect_id::mysql || d == sql::dialect_id::mariadb) {
        const auto u = std::find_if(t.unique_constraints.begin(), t.unique_constraints.end(),
                                    [&](const unique_constraint_model& c) { return c.name == name; });
        if (u != t.unique_constraints.end()) return run(drop_unique_constraint{table_name, *u});
    }
    throw invalid_request_error("reflorm: table '" + table_name + "' has no index '" + name + "'");
}

void operations::create_unique_constraint(const std::string& name, const std::string& table_name, const std::vector<std::string>& columns) {
    run(migrate::create_unique_constraint{table_name, unique_constraint_model{name, columns}});
}

void operations::create_foreign_key(const std::string& name, const std::string& table_name, const std::string& referred_table,
                                    const std::vector<std::string>& columns, const std::vector<std::string>& referred_columns,
                                    referential_action on_delete, referential_action on_update, bool deferrable) {
    run(migrate::create_foreign_key{table_name, foreign_key_model{name, columns, referred_table, referred_columns, on_delete, on_update,
                                                                  deferrable && dialect_->supports_deferrable()}});
}

void operations::create_primary_key(const std::string& name, const std::string& table_name, const std::vector<std::string>& columns) {
    if (!table(table_name).primary_key.empty())
        throw invalid_request_error("reflorm: table '" + table_name + "' has a primary key already");
    run(migrate::create_primary_key{table_name, name, columns});
}

void operations::drop_constraint(const std::string& name, const std::string& table_name, constraint_kind kind) {
    const auto& t = table(table_name);
    if (kind == constraint_kind::primary) {
        const bool named = !t.primary_key.empty() && (t.primary_key_name == name || apply_naming_convention(naming_.pk, table_name, t.primary_key) == name);
        if (!named) throw invalid_request_error("reflorm: table '" + table_name + "' has no primary key '" + name + "'");
        // The convention's name where the database has its own (MySQL's PRIMARY, SQLite's none).
        run(drop_primary_key{table_name, t.primary_key_name.empty() || t.primary_key_name == "PRIMARY" ? name : t.primary_key_name, t.primary_key});
        return;
    }
    if (kind == constraint_kind::unique) {
        const auto matches = [&](const unique_constraint_model& u) {
            return u.name == name || apply_naming_convention(naming_.uq, table_name, u.columns) == name;
        };
        const auto it = std::find_if(t.unique_constraints.begin(), t.unique_constraints.end(), matches);
        if (it == t.unique_constraints.end())
            throw invalid_request_error("reflorm: table '" + table_name + "' has no unique constraint '" + name + "'");
        run(drop_unique_constraint{table_name, *it});
        return;
    }
    const auto matches = [&](const foreign_key_model& k) {
        return k.name == name || apply_naming_convention(naming_.fk, table_name, k.columns, k.referred_table) == name;
    };
    const auto it = std::find_if(t.foreign_keys.begin(), t.foreign_keys.end(), matches);
    if (it == t.foreign_keys.end()) throw invalid_request_error("reflorm: table '" + table_name + "' has no foreign key '" + name + "'");
    run(drop_foreign_key{table_name, *it});
}

}  // namespace reflorm::migrate
