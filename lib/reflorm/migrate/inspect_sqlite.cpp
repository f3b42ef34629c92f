// SQLite's catalog: sqlite_master and the table-valued PRAGMA functions (pragma_table_info,
// pragma_index_list, pragma_index_info, pragma_foreign_key_list), each given the table by a
// bound parameter. Check constraints exist only inside the CREATE TABLE text of sqlite_master:
// they are cut out of it (check_constraints_of).
#include <reflorm/migrate/detail/catalog_rows.hpp>
#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/type_compare.hpp>
#include <reflorm/sql/text.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace reflorm::migrate::detail {

namespace {

using sql::dialect_id;

bool is_integer_name(std::string type) {
    std::transform(type.begin(), type.end(), type.begin(), [](char ch) { return ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch; });
    return type == "INTEGER";
}

void read_columns(connection& c, table_model& table) {
    const auto rows = c.execute(text("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(:t) ORDER BY cid")
                                    .bind("t", table.name)
                                    .columns<std::string, std::string, std::int64_t, std::optional<std::string>, std::int64_t>())
                          .all();
    std::map<std::int64_t, std::string> key;  // position in the primary key -> column
    for (const auto& [name, type, not_null, default_sql, pk] : rows) {
        column_model column;
        column.name = name;
        column.type = parse_type(dialect_id::sqlite, type);
        column.nullable = not_null == 0;
        column.server_default = default_sql.value_or("");
        if (pk > 0) key[pk] = name;
        table.columns.push_back(std::move(column));
    }
    for (const auto& [position, name] : key) table.primary_key.push_back(name);
    // A single-column INTEGER PRIMARY KEY is the rowid, which generates keys.
    if (table.primary_key.size() == 1)
        for (auto& column : table.columns)
            if (column.name == table.primary_key[0] && is_integer_name(column.type.name)) column.autoincrement = true;
}

void read_indexes(connection& c, table_model& table) {
    const auto indexes = c.execute(text("SELECT name, \"unique\", origin FROM pragma_index_list(:t) ORDER BY name")
                                       .bind("t", table.name)
                                       .columns<std::string, std::int64_t, std::string>())
                             .all();
    for (const auto& [name, unique, origin] : indexes) {
        if (origin == "pk") continue;
        std::vector<std::string> columns =
            c.execute(text("SELECT name FROM pragma_index_info(:i) ORDER BY seqno").bind("i", name).columns<std::string>()).scalars().all();
        if (origin == "u")
            table.unique_constraints.push_back({name, std::move(columns)});
        else
            table.indexes.push_back({name, std::move(columns), unique != 0});
    }
}

void read_foreign_keys(connection& c, table_model& table) {
    const auto rows =
        c.execute(text("SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(:t) ORDER BY id, seq")
                      .bind("t", table.name)
                      .columns<std::int64_t, std::string, std::string, std::optional<std::string>, std::string, std::string>())
            .all();
    for (const auto& [id, referred, from, to, on_update, on_delete] : rows) {
        auto& fk = named(table.foreign_keys, std::to_string(id));  // SQLite keeps no names: grouped by id
        fk.referred_table = referred;
        fk.columns.push_back(from);
        fk.referred_columns.push_back(to.value_or(""));  // NULL: the referred primary key, filled below
        fk.on_delete = action_from_name(on_delete);
        fk.on_update = action_from_name(on_update);
    }
    for (auto& fk : table.foreign_keys) fk.name.clear();
}

// The CHECK (...) clauses of a CREATE TABLE text, each with the name of a CONSTRAINT <name>
// just before it (empty when unnamed). Quoted text ('...', "...", `...`, [...]) is skipped.
std::vector<check_constraint_model> check_constraints_of(std::string_view sql) {
    std::vector<check_constraint_model> out;
    std::vector<std::string> words;  // the bare words read so far, for CONSTRAINT <name>
    std::string word;
    const auto upper = [](std::string w) {
        for (char& ch : w) ch = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
        return w;
    };
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char ch = sql[i];
        if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
            const char close = ch == '[' ? ']' : ch;
            const auto end = sql.find(close, i + 1);
            if (ch != '\'') words.emplace_back(sql.substr(i + 1, end == std::string_view::npos ? 0 : end - i - 1));
            i = end == std::string_view::npos ? sql.size() : end;
            continue;
        }
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_') {
            word += ch;
            continue;
        }
        if (!word.empty()) words.push_back(std::exchange(word, {}));
        if (ch == '(' && !words.empty() && upper(words.back()) == "CHECK") {
            int depth = 0;
            std::size_t end = i;
            for (; end < sql.size(); ++end) {
                depth += sql[end] == '(' ? 1 : sql[end] == ')' ? -1 : 0;
                if (depth == 0) break;
            }
            const bool named = words.size() >= 3 && upper(words[words.size() - 3]) == "CONSTRAINT";
            out.push_back({named ? words[words.size() - 2] : std::string(), std::string(sql.substr(i + 1, end - i - 1))});
            i = end;
            words.clear();
        }
    }
    return out;
}

}  // namespace

schema_model inspect_sqlite(connection& c) {
    const auto names = c.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' "
                                      "AND name <> 'reflorm_version' ORDER BY name")
                                     .columns<std::string>())
                           .scalars()
                           .all();
    auto schema = read_tables(names, [&](table_model& table) {
        read_columns(c, table);
        read_indexes(c, table);
        read_foreign_keys(c, table);
        const auto create_sql = c.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t")
                                              .bind("t", table.name)
                                              .columns<std::string>())
                                    .scalar_one();
        table.check_constraints = check_constraints_of(create_sql);
    });
    for (auto& table : schema.tables)
        for (auto& fk : table.foreign_keys)
            if (const auto* referred = schema.table(fk.referred_table))
                for (std::size_t i = 0; i < fk.referred_columns.size() && i < referred->primary_key.size(); ++i)
                    if (fk.referred_columns[i].empty()) fk.referred_columns[i] = referred->primary_key[i];
    return schema;
}

}  // namespace reflorm::migrate::detail
