#include <reflorm/engine/errors.hpp>
#include <reflorm/migrate/apply_operation.hpp>
#include <reflorm/migrate/detail/sql_names.hpp>
#include <reflorm/migrate/render.hpp>
#include <reflorm/migrate/sqlite_batch.hpp>
#include <reflorm/migrate/type_compare.hpp>

#include <algorithm>
#include <cctype>

namespace reflorm::migrate {

namespace {

using detail::is_mysql;
using detail::name_list;
using detail::quoted;
using sql::dialect_id;

std::string alter_table(const sql::compiler& dialect, const std::string& table) { return "ALTER TABLE " + quoted(dialect, table) + ' '; }

// SQLite's pragma_table_info gives `DEFAULT (datetime('now'))` as datetime('now'): an expression
// goes back in parentheses, as SQLAlchemy's SQLite DDL compiler does; a literal, a signed number,
// NULL, TRUE, FALSE and CURRENT_TIME/DATE/TIMESTAMP stay bare (their text is what the catalog reads back).
bool bare_sqlite_default(std::string_view d) {
    if (d.empty()) return true;
    const auto upper = [&] {
        std::string u(d);
        for (auto& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        return u;
    }();
    if (upper == "NULL" || upper == "TRUE" || upper == "FALSE" || upper == "CURRENT_TIME" || upper == "CURRENT_DATE" || upper == "CURRENT_TIMESTAMP") return true;
    if (d.front() == '\'') {  // one literal to the end ('' inside it is a quote)
        for (std::size_t i = 1; i < d.size(); ++i)
            if (d[i] == '\'') {
                if (i + 1 < d.size() && d[i + 1] == '\'') ++i;
                else return i + 1 == d.size();
            }
        return false;
    }
    if (d.front() == '(') {  // one parenthesised group to the end
        int depth = 0;
        for (std::size_t i = 0; i < d.size(); ++i) {
            depth += d[i] == '(' ? 1 : d[i] == ')' ? -1 : 0;
            if (depth == 0) return i + 1 == d.size();
        }
        return false;
    }
    std::size_t i = (d.front() == '-' || d.front() == '+') ? 1 : 0;
    bool digit = false;
    for (; i < d.size() && (std::isdigit(static_cast<unsigned char>(d[i])) || d[i] == '.'); ++i) digit = digit || d[i] != '.';
    return digit && i == d.size();
}

std::string default_sql(const std::string& server_default, dialect_id d) {
    if (d != dialect_id::sqlite || bare_sqlite_default(server_default)) return server_default;
    return '(' + server_default + ')';
}

// `name TYPE [NOT NULL] [generated] [DEFAULT x]`.
std::string column_sql(const column_model& c, const sql::compiler& dialect) {
    std::string out = quoted(dialect, c.name) + ' ' + c.type.name;
    if (!c.nullable) out += " NOT NULL";
    if (c.autoincrement && !dialect.autoincrement_clause().empty()) (out += ' ') += dialect.autoincrement_clause();
    // MariaDB's catalog reports a nullable column's missing default as NULL: no DEFAULT.
    if (!normalise_server_default(c.server_default).empty() && !c.autoincrement) out += " DEFAULT " + default_sql(c.server_default, dialect.id());
    return out;
}

// CONSTRAINT <name> where the name is one a statement may give (SQLite's own are not).
std::string constraint_name(const sql::compiler& dialect, const std::string& name) {
    if (name.empty() || name.starts_with("sqlite_")) return {};
    return "CONSTRAINT " + quoted(dialect, name) + ' ';
}

std::string foreign_key_sql(const foreign_key_model& key, const sql::compiler& dialect) {
    std::string out = constraint_name(dialect, key.name) + "FOREIGN KEY" + name_list(dialect, key.columns) + " REFERENCES " +
                      quoted(dialect, key.referred_table) + ' ' + name_list(dialect, key.referred_columns);
    if (key.on_delete != referential_action::no_action) (out += " ON DELETE ") += action_name(key.on_delete);
    if (key.on_update != referential_action::no_action) (out += " ON UPDATE ") += action_name(key.on_update);
    if (key.deferrable && dialect.supports_deferrable()) out += " DEFERRABLE INITIALLY DEFERRED";
    return out;
}

bool in_any(const table_model& t, const std::string& column) {
    const auto has = [&](const std::vector<std::string>& cols) { return std::find(cols.begin(), cols.end(), column) != cols.end(); };
    return has(t.primary_key) || std::any_of(t.indexes.begin(), t.indexes.end(), [&](const auto& i) { return has(i.columns); }) ||
           std::any_of(t.unique_constraints.begin(), t.unique_constraints.end(), [&](const auto& u) { return has(u.columns); }) ||
           std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const auto& k) { return has(k.columns); });
}

std::vector<std::string> alter_postgresql(const alter_column& o, const sql::compiler& dialect) {
    std::vector<std::string> out;
    const std::string head = alter_table(dialect, o.table) + "ALTER COLUMN " + quoted(dialect, o.target.name) + ' ';
    if (o.type_changed) {
        std::string sql = head + "TYPE " + o.target.type.name;
        // PostgreSQL converts across families (text to integer) only when told how.
        if (o.existing.type.family != o.target.type.family) sql += " USING " + quoted(dialect, o.target.name) + "::" + o.target.type.name;
        out.push_back(std::move(sql));
    }
    if (o.server_default_changed)
        out.push_back(head + (o.target.server_default.empty() ? "DROP DEFAULT" : "SET DEFAULT " + o.target.server_default));
    if (o.nullable_changed) out.push_back(head + (o.target.nullable ? "DROP NOT NULL" : "SET NOT NULL"));
    return out;
}

// A MySQL string literal for COMMENT, which takes no hex literal: quote and backslash escaped, as
// in the sql_mode reflorm's MySQL connections set (and MySQL's default): without NO_BACKSLASH_ESCAPES.
std::string mysql_string(const std::string& text) {
    std::string out = "'";
    for (const char ch : text) {
        if (ch == '\0') {
            out += "\\0";
            continue;
        }
        if (ch == '\'' || ch == '\\') out += ch == '\'' ? '\'' : '\\';
        out += ch;
    }
    return out + '\'';
}

// MODIFY COLUMN: the target column, with what MODIFY would drop unless restated, from `kept` (the
// column as the database has it): its character set and collation (a string staying a string),
// ON UPDATE (a timestamp staying one) and COMMENT, as Alembic's MySQL impl restates them from
// existing_* arguments.
std::string modify_sql(const column_model& target, const column_model& kept, const sql::compiler& dialect) {
    std::string out = quoted(dialect, target.name) + ' ' + target.type.name;
    const bool string = target.type.family == type_family::string && kept.type.family == type_family::string;
    if (string && !kept.charset.empty()) out += " CHARACTER SET " + kept.charset;
    if (string && !kept.collation.empty()) out += " COLLATE " + kept.collation;
    out += target.nullable ? " NULL" : " NOT NULL";
    if (target.autoincrement && !dialect.autoincrement_clause().empty()) (out += ' ') += dialect.autoincrement_clause();
    // MariaDB's catalog reports a nullable column's missing default as NULL: no DEFAULT.
    if (!normalise_server_default(target.server_default).empty() && !target.autoincrement) out += " DEFAULT " + target.server_default;
    if (!kept.on_update.empty() && target.type.family == type_family::timestamp) out += " ON UPDATE " + kept.on_update;
    if (!kept.comment.empty()) out += " COMMENT " + mysql_string(kept.comment);
    return out;
}

std::vector<std::string> alter_mysql(const alter_column& o, const sql::compiler& dialect, const schema_model& current) {
    // Only the default: ALTER COLUMN ... SET/DROP DEFAULT, as Alembic; else MODIFY restates all.
    if (!o.type_changed && !o.nullable_changed) {
        const std::string head = alter_table(dialect, o.table) + "ALTER COLUMN " + quoted(dialect, o.target.name) + ' ';
        return {head + (o.target.server_default.empty() ? "DROP DEFAULT" : "SET DEFAULT " + o.target.server_default)};
    }
    // The column as the tracked schema has it (online: read again just before), else as the op saw it.
    const auto* table = current.table(o.table);
    const auto* kept = table ? table->column(o.existing.name) : nullptr;
    return {alter_table(dialect, o.table) + "MODIFY COLUMN " + modify_sql(o.target, kept ? *kept : o.existing, dialect)};
}

}  // namespace

std::string create_table_statement(const table_model& table, const sql::compiler& dialect, const std::string& as_name) {
    std::string out = "CREATE TABLE " + quoted(dialect, as_name.empty() ? table.name : as_name) + " (";
    bool first = true;
    const auto item = [&](const std::string& sql) {
        out += first ? "\n\t" : ",\n\t";
        first = false;
        out += sql;
    };
    // SQLite's AUTOINCREMENT is written on the INTEGER PRIMARY KEY column itself, nowhere else.
    const bool autoincrement_key = dialect.id() == dialect_id::sqlite && table.sqlite_autoincrement && table.primary_key.size() == 1;
    for (const auto& column : table.columns) {
        if (autoincrement_key && column.name == table.primary_key[0])
            item(column_sql(column, dialect) + ' ' + constraint_name(dialect, table.primary_key_name) + "PRIMARY KEY AUTOINCREMENT");
        else
            item(column_sql(column, dialect));
    }
    if (!table.primary_key.empty() && !autoincrement_key) item(constraint_name(dialect, table.primary_key_name) + "PRIMARY KEY " + name_list(dialect, table.primary_key));
    for (const auto& unique : table.unique_constraints) item(constraint_name(dialect, unique.name) + "UNIQUE " + name_list(dialect, unique.columns));
    for (const auto& key : table.foreign_keys) item(foreign_key_sql(key, dialect));
    // MariaDB makes its own CHECKs (JSON columns' json_valid): only the others restate them.
    if (!is_mysql(dialect.id()))
        for (const auto& check : table.check_constraints) item(constraint_name(dialect, check.name) + "CHECK (" + check.sql + ")");
    return out + "\n)";
}

std::string create_index_statement(const std::string& table, const index_model& index, const sql::compiler& dialect) {
    if (!index.sql.empty()) return index.sql;  // SQLite's partial or expression index, as it was written
    return std::string(index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + quoted(dialect, index.name) + " ON " +
           quoted(dialect, table) + ' ' + name_list(dialect, index.columns);
}

bool needs_batch(const operation& op, const table_model* table, dialect_id dialect) {
    if (dialect != dialect_id::sqlite) return false;
    if (std::holds_alternative<alter_column>(op) || std::holds_alternative<create_unique_constraint>(op) ||
        std::holds_alternative<drop_unique_constraint>(op) || std::holds_alternative<create_foreign_key>(op) ||
        std::holds_alternative<drop_foreign_key>(op) || std::holds_alternative<create_primary_key>(op) ||
        std::holds_alternative<drop_primary_key>(op))
        return true;
    if (const auto* o = std::get_if<add_column>(&op))
        return (!o->column.nullable && o->column.server_default.empty()) || o->column.autoincrement;
    if (const auto* o = std::get_if<drop_column>(&op)) return table && in_any(*table, o->column.name);
    return false;
}

std::vector<std::string> render(const operation& op, const sql::compiler& dialect, const schema_model& current) {
    const auto d = dialect.id();
    const table_model* table = current.table(table_of(op));
    if (needs_batch(op, table, d)) {
        if (!table) throw invalid_request_error("reflorm: batch mode needs table '" + table_of(op) + "', which the database lacks");
        return sqlite_batch(op, *table, current, dialect);
    }
    struct visitor {
        const sql::compiler& dialect;
        dialect_id d;
        const schema_model& current;
        std::vector<std::string> operator()(const create_table& o) const {
            std::vector<std::string> out{create_table_statement(o.table, dialect)};
            for (const auto& index : o.table.indexes) out.push_back(create_index_statement(o.table.name, index, dialect));
            return out;
        }
        std::vector<std::string> operator()(const drop_table& o) const { return {"DROP TABLE " + quoted(dialect, o.table.name)}; }
        std::vector<std::string> operator()(const add_column& o) const {
            return {alter_table(dialect, o.table) + "ADD COLUMN " + column_sql(o.column, dialect)};
        }
        std::vector<std::string> operator()(const drop_column& o) const {
            return {alter_table(dialect, o.table) + "DROP COLUMN " + quoted(dialect, o.column.name)};
        }
        std::vector<std::string> operator()(const alter_column& o) const {
            return is_mysql(d) ? alter_mysql(o, dialect, current) : alter_postgresql(o, dialect);
        }
        std::vector<std::string> operator()(const create_index& o) const { return {create_index_statement(o.table, o.index, dialect)}; }
        std::vector<std::string> operator()(const drop_index& o) const {
            return {"DROP INDEX " + quoted(dialect, o.index.name) + (is_mysql(d) ? " ON " + quoted(dialect, o.table) : "")};
        }
        std::vector<std::string> operator()(const create_unique_constraint& o) const {
            return {alter_table(dialect, o.table) + "ADD " + constraint_name(dialect, o.constraint.name) + "UNIQUE " +
                    name_list(dialect, o.constraint.columns)};
        }
        std::vector<std::string> operator()(const drop_unique_constraint& o) const {
            // MySQL keeps a unique constraint as a unique index of the same name.
            return {alter_table(dialect, o.table) + (is_mysql(d) ? "DROP INDEX " : "DROP CONSTRAINT ") + quoted(dialect, o.constraint.name)};
        }
        std::vector<std::string> operator()(const create_foreign_key& o) const {
            return {alter_table(dialect, o.table) + "ADD " + foreign_key_sql(o.key, dialect)};
        }
        std::vector<std::string> operator()(const drop_foreign_key& o) const {
            return {alter_table(dialect, o.table) + "DROP " + std::string(dialect.drop_foreign_key_keyword()) + ' ' +
                    quoted(dialect, o.key.name)};
        }
        // RENAME TO and RENAME COLUMN: SQLite 3.25+, MariaDB 10.5+, PostgreSQL.
        std::vector<std::string> operator()(const rename_table& o) const {
            return {alter_table(dialect, o.table) + "RENAME TO " + quoted(dialect, o.new_name)};
        }
        std::vector<std::string> operator()(const rename_column& o) const {
            return {alter_table(dialect, o.table) + "RENAME COLUMN " + quoted(dialect, o.column) + " TO " + quoted(dialect, o.new_name)};
        }
        // MySQL names every primary key PRIMARY and ignores another name.
        std::vector<std::string> operator()(const create_primary_key& o) const {
            return {alter_table(dialect, o.table) + "ADD " + (is_mysql(d) ? "" : constraint_name(dialect, o.name)) + "PRIMARY KEY " +
                    name_list(dialect, o.columns)};
        }
        std::vector<std::string> operator()(const drop_primary_key& o) const {
            return {alter_table(dialect, o.table) + (is_mysql(d) ? "DROP PRIMARY KEY" : "DROP CONSTRAINT " + quoted(dialect, o.name))};
        }
    };
    return std::visit(visitor{dialect, d, current}, op);
}

}  // namespace reflorm::migrate
