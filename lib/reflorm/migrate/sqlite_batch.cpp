#include <reflorm/migrate/apply_operation.hpp>
#include <reflorm/migrate/detail/sql_names.hpp>
#include <reflorm/migrate/render.hpp>
#include <reflorm/migrate/revision.hpp>
#include <reflorm/migrate/sqlite_batch.hpp>
#include <reflorm/sql/literal.hpp>

#include <algorithm>
#include <cctype>

namespace reflorm::migrate {

namespace {

using detail::quoted;

// The views and triggers to drop and create again around a move of `table`: its triggers, and
// every view or trigger naming it or a view so kept (SQLite's RENAME checks every view and
// trigger, and fails on one that names a table or view missing at that moment).
std::vector<const sqlite_object*> dependents(const schema_model& schema, const std::string& table) {
    std::vector<std::string> names{table};
    std::vector<const sqlite_object*> out;
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& object : schema.sqlite_objects) {
            if (std::find(out.begin(), out.end(), &object) != out.end()) continue;
            const bool on_table = object.type == "trigger" && object.table == table;
            if (!on_table && std::none_of(names.begin(), names.end(), [&](const std::string& n) { return sql_names(object.sql, n); })) continue;
            out.push_back(&object);
            if (object.type == "view") names.push_back(object.name);
            grew = true;
        }
    }
    // Created again in sqlite_master's order: a view comes after the views it reads.
    std::sort(out.begin(), out.end(), [&](const sqlite_object* a, const sqlite_object* b) { return a < b; });
    return out;
}

[[noreturn]] void refuse(const table_model& table, const std::string& column, const std::string& kind, const std::string& name) {
    throw migration_error("reflorm: batch mode cannot drop column " + table.name + "." + column + ": " + kind + " " + name +
                          " refers to it; drop the " + (kind == "check constraint" ? "constraint" : kind) + " first");
}

// A dropped column must not be named by what batch mode writes again as SQL text. An index
// over the column goes with it, as a plain index does; one naming it elsewhere (a WHERE, an
// expression) would break.
void check_dropped_column(const table_model& before, const std::vector<const sqlite_object*>& kept, const std::string& column) {
    for (const auto& check : before.check_constraints)
        if (sql_names(check.sql, column)) refuse(before, column, "check constraint", check.name.empty() ? "CHECK (" + check.sql + ")" : check.name);
    for (const auto& index : before.indexes)
        if (!index.sql.empty() && sql_names(index.sql, column) &&
            std::find(index.columns.begin(), index.columns.end(), column) == index.columns.end())
            refuse(before, column, "index", index.name);
    for (const auto* object : kept)
        if (sql_names(object->sql, column)) refuse(before, column, object->type, object->name);
}

}  // namespace

bool sql_names(std::string_view sql, std::string_view name) {
    const auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$'; };
    const auto same = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); };
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if (sql[i] == '\'') {
            i = sql.find('\'', i + 1);  // '' re-enters here and skips on: harmless
            if (i == std::string_view::npos) return false;
            continue;
        }
        if ((i > 0 && word(sql[i - 1])) || sql.size() - i < name.size()) continue;
        if (!std::equal(name.begin(), name.end(), sql.begin() + static_cast<std::ptrdiff_t>(i), same)) continue;
        if (i + name.size() == sql.size() || !word(sql[i + name.size()])) return true;
    }
    return false;
}

std::vector<std::string> sqlite_batch(const operation& op, const table_model& before, const schema_model& schema, const sql::compiler& dialect) {
    const auto kept = dependents(schema, before.name);
    if (const auto* dropped = std::get_if<drop_column>(&op)) check_dropped_column(before, kept, dropped->column.name);
    const table_model after = apply_to_table(before, op);
    const std::string temporary = "_reflorm_tmp_" + after.name;
    std::vector<std::string> out;
    for (const auto* object : kept) out.push_back((object->type == "view" ? "DROP VIEW " : "DROP TRIGGER ") + quoted(dialect, object->name));
    out.push_back(create_table_statement(after, dialect, temporary));
    const auto* altered = std::get_if<alter_column>(&op);
    std::string into, select;
    for (const auto& column : after.columns) {
        if (!before.column(column.name)) continue;  // a new column takes its default
        const std::string name = quoted(dialect, column.name);
        (into += into.empty() ? "" : ", ") += name;
        select += select.empty() ? "" : ", ";
        // As Alembic's batch mode: a changed type is converted while copied.
        if (altered && altered->type_changed && altered->target.name == column.name)
            select += "CAST(" + name + " AS " + column.type.name + ")";
        else
            select += name;
    }
    out.push_back("INSERT INTO " + quoted(dialect, temporary) + " (" + into + ") SELECT " + select + " FROM " + quoted(dialect, after.name));
    if (after.sqlite_autoincrement && before.sqlite_autoincrement && after.primary_key.size() == 1) {
        // The next key stays above every key ever given, not only those left in the table.
        const auto old_name = sql::quote_string(after.name), new_name = sql::quote_string(temporary);
        out.push_back("DELETE FROM sqlite_sequence WHERE name = " + new_name);
        out.push_back("INSERT INTO sqlite_sequence (name, seq) SELECT " + new_name + ", seq FROM sqlite_sequence WHERE name = " + old_name);
    }
    out.push_back("DROP TABLE " + quoted(dialect, after.name));
    out.push_back("ALTER TABLE " + quoted(dialect, temporary) + " RENAME TO " + quoted(dialect, after.name));
    for (const auto& index : after.indexes) out.push_back(create_index_statement(after.name, index, dialect));
    for (const auto* object : kept) out.push_back(object->sql);
    return out;
}

}  // namespace reflorm::migrate
