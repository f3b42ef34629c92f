// SQLite's catalog: sqlite_master and the table-valued PRAGMA functions (pragma_table_info,
// pragma_index_list, pragma_index_info, pragma_foreign_key_list), each given the table by a
// bound parameter. Constraint names, DEFERRABLE, AUTOINCREMENT and CHECK constraints exist only
// inside the CREATE TABLE text of sqlite_master: its constraint clauses are parsed
// (constraints_of), as SQLAlchemy's SQLite dialect reflects them. Views, triggers and the text
// of partial and expression indexes are kept as sqlite_master has them, for batch mode.
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

// The CREATE INDEX text of an index its columns do not describe (partial, or on an expression).
std::string index_sql(connection& c, const std::string& name) {
    const auto sql = c.execute(text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :i").bind("i", name).columns<std::string>())
                         .scalars()
                         .all();
    return sql.empty() ? std::string() : sql.front();
}

void read_indexes(connection& c, table_model& table) {
    const auto indexes = c.execute(text("SELECT name, \"unique\", origin, partial FROM pragma_index_list(:t) ORDER BY name")
                                       .bind("t", table.name)
                                       .columns<std::string, std::int64_t, std::string, std::int64_t>())
                             .all();
    for (const auto& [name, unique, origin, partial] : indexes) {
        if (origin == "pk") continue;
        // An expression's place has no name (cid -2).
        const auto names = c.execute(text("SELECT name FROM pragma_index_info(:i) ORDER BY seqno").bind("i", name).columns<std::optional<std::string>>())
                               .scalars()
                               .all();
        std::vector<std::string> columns;
        for (const auto& n : names)
            if (n) columns.push_back(*n);
        if (origin == "u") {
            table.unique_constraints.push_back({name, std::move(columns)});
            continue;
        }
        std::string sql = partial != 0 || columns.size() != names.size() ? index_sql(c, name) : "";
        table.indexes.push_back({name, std::move(columns), unique != 0, std::move(sql)});
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

// One token of a CREATE TABLE text: a bare word, a quoted identifier ("x", `x`, [x], unquoted
// in `text`), a string literal, or one punctuation character; `begin`/`end`: its offsets.
struct token {
    enum kind_t : std::uint8_t { word, identifier, string, open, close, comma, other } kind;
    std::string text;
    std::size_t begin, end;
    bool is(std::string_view keyword) const {
        if (kind != word || text.size() != keyword.size()) return false;
        for (std::size_t i = 0; i < text.size(); ++i)
            if ((text[i] >= 'a' && text[i] <= 'z' ? text[i] - 'a' + 'A' : text[i]) != keyword[i]) return false;
        return true;
    }
    bool is_name() const { return kind == word || kind == identifier; }
};

bool is_word_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '$' ||
           static_cast<unsigned char>(ch) >= 0x80;
}

// SQLite's lexical rules: a doubled quote inside quotes is the quote; -- and /* */ are comments.
std::vector<token> tokens_of(std::string_view sql) {
    std::vector<token> out;
    for (std::size_t i = 0; i < sql.size();) {
        const char ch = sql[i];
        const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            ++i;
        } else if (ch == '-' && next == '-') {
            i = std::min(sql.find('\n', i), sql.size());
        } else if (ch == '/' && next == '*') {
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
            const char close = ch == '[' ? ']' : ch;
            std::string text;
            std::size_t j = i + 1;
            for (; j < sql.size(); ++j) {
                if (sql[j] != close) {
                    text += sql[j];
                } else if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
                    text += close;
                    ++j;
                } else {
                    break;
                }
            }
            const auto end = std::min(j + 1, sql.size());
            out.push_back({ch == '\'' ? token::string : token::identifier, std::move(text), i, end});
            i = end;
        } else if (is_word_char(ch)) {
            std::size_t j = i;
            while (j < sql.size() && is_word_char(sql[j])) ++j;
            out.push_back({token::word, std::string(sql.substr(i, j - i)), i, j});
            i = j;
        } else {
            const auto kind = ch == '(' ? token::open : ch == ')' ? token::close : ch == ',' ? token::comma : token::other;
            out.push_back({kind, std::string(1, ch), i, i + 1});
            ++i;
        }
    }
    return out;
}

// The index of the ')' closing the '(' at `open` (or the end).
std::size_t closing(const std::vector<token>& tokens, std::size_t open, std::size_t end) {
    int depth = 0;
    for (std::size_t i = open; i < end; ++i) {
        depth += tokens[i].kind == token::open ? 1 : tokens[i].kind == token::close ? -1 : 0;
        if (depth == 0) return i;
    }
    return end;
}

// The names listed in the group (a, b COLLATE x, c DESC): the first name of each item.
std::vector<std::string> names_in(const std::vector<token>& tokens, std::size_t open, std::size_t close) {
    std::vector<std::string> out;
    bool item_start = true;
    for (std::size_t i = open + 1; i < close; ++i) {
        if (tokens[i].kind == token::comma) item_start = true;
        else if (item_start && tokens[i].is_name()) {
            out.push_back(tokens[i].text);
            item_start = false;
        }
    }
    return out;
}

// The constraints written in a CREATE TABLE text, with their names: what SQLite's PRAGMAs do not
// report (constraint names, DEFERRABLE INITIALLY DEFERRED, CHECK). Foreign keys carry their
// columns, referred table and columns as written, to be matched with pragma_foreign_key_list.
struct written_constraints {
    std::string primary_key_name;
    std::vector<unique_constraint_model> unique_constraints;
    std::vector<foreign_key_model> foreign_keys;
    std::vector<check_constraint_model> check_constraints;
};

// One column definition or table constraint: tokens [begin, end) of the table's list.
void read_definition(std::string_view sql, const std::vector<token>& t, std::size_t begin, std::size_t end, written_constraints& out) {
    if (begin >= end) return;
    const bool table_constraint =
        t[begin].is("CONSTRAINT") || t[begin].is("PRIMARY") || t[begin].is("UNIQUE") || t[begin].is("CHECK") || t[begin].is("FOREIGN");
    const std::string column = table_constraint ? std::string() : t[begin].text;
    std::string name;                       // of CONSTRAINT <name>, for the constraint that follows
    std::vector<std::string> fk_columns;    // of FOREIGN KEY (...), for the REFERENCES that follows
    foreign_key_model* key = nullptr;       // the foreign key whose clauses are being read
    bool deferrable = false;
    const auto close_key = [&] {
        if (key) key->deferrable = deferrable && key->deferrable;  // DEFERRABLE ... INITIALLY DEFERRED
        key = nullptr;
        deferrable = false;
    };
    const auto group_after = [&](std::size_t i) { return i + 1 < end && t[i + 1].kind == token::open ? i + 1 : end; };
    for (std::size_t i = table_constraint ? begin : begin + 1; i < end; ++i) {
        if (t[i].kind == token::open) {
            i = closing(t, i, end);
        } else if (t[i].is("CONSTRAINT") && i + 1 < end) {
            close_key();
            name = t[++i].text;
        } else if (t[i].is("PRIMARY")) {
            close_key();
            out.primary_key_name = std::exchange(name, {});
        } else if (t[i].is("UNIQUE")) {
            close_key();
            const auto open = group_after(i);
            if (open == end) {
                out.unique_constraints.push_back({std::exchange(name, {}), {column}});
                continue;
            }
            const auto close = closing(t, open, end);
            out.unique_constraints.push_back({std::exchange(name, {}), names_in(t, open, close)});
            i = close;
        } else if (t[i].is("CHECK")) {
            close_key();
            const auto open = group_after(i);
            if (open == end) continue;
            const auto close = closing(t, open, end);
            const auto to = close < end ? t[close].begin : sql.size();
            out.check_constraints.push_back({std::exchange(name, {}), std::string(sql.substr(t[open].end, to - t[open].end))});
            i = close;
        } else if (t[i].is("FOREIGN")) {
            close_key();
            const auto open = group_after(i + 1 < end && t[i + 1].is("KEY") ? ++i : i);
            if (open == end) continue;
            const auto close = closing(t, open, end);
            fk_columns = names_in(t, open, close);
            i = close;
        } else if (t[i].is("REFERENCES") && i + 1 < end) {
            close_key();
            auto& fk = out.foreign_keys.emplace_back();
            fk.name = std::exchange(name, {});
            fk.columns = fk_columns.empty() ? std::vector<std::string>{column} : std::exchange(fk_columns, {});
            fk.referred_table = t[++i].text;
            if (const auto open = group_after(i); open != end) {
                const auto close = closing(t, open, end);
                fk.referred_columns = names_in(t, open, close);
                i = close;
            }
            key = &fk;
        } else if (t[i].is("NULL") || t[i].is("DEFAULT") || t[i].is("COLLATE") || t[i].is("GENERATED")) {
            name.clear();  // CONSTRAINT <name> NOT NULL and the like: no constraint kept here
        } else if (key && t[i].is("DEFERRABLE")) {
            deferrable = !(i > begin && t[i - 1].is("NOT"));
        } else if (key && t[i].is("INITIALLY") && i + 1 < end) {
            key->deferrable = t[++i].is("DEFERRED");
        }
    }
    close_key();
}

written_constraints constraints_of(std::string_view sql) {
    written_constraints out;
    const auto t = tokens_of(sql);
    std::size_t open = 0;
    while (open < t.size() && t[open].kind != token::open) ++open;
    if (open == t.size()) return out;  // CREATE TABLE ... AS SELECT
    const auto close = closing(t, open, t.size());
    std::size_t begin = open + 1;
    for (std::size_t i = begin; i <= close && i < t.size(); ++i) {
        if (t[i].kind == token::open) {
            i = closing(t, i, close);
        } else if (t[i].kind == token::comma || i == close) {
            read_definition(sql, t, begin, i, out);
            begin = i + 1;
        }
    }
    return out;
}

// Names and DEFERRABLE from the CREATE TABLE text, given to the constraints the PRAGMAs read;
// a constraint written without a name keeps SQLite's (sqlite_autoindex_<table>_<n>) or none.
void read_written_constraints(std::string_view create_sql, table_model& table) {
    auto written = constraints_of(create_sql);
    const auto t = tokens_of(create_sql);
    table.sqlite_autoincrement = std::any_of(t.begin(), t.end(), [](const token& k) { return k.is("AUTOINCREMENT"); });
    table.primary_key_name = written.primary_key_name;
    for (auto& unique : table.unique_constraints) {
        const auto it = std::find_if(written.unique_constraints.begin(), written.unique_constraints.end(),
                                     [&](const unique_constraint_model& u) { return u.columns == unique.columns; });
        if (it == written.unique_constraints.end()) continue;
        if (!it->name.empty()) unique.name = it->name;
        written.unique_constraints.erase(it);
    }
    for (auto& key : table.foreign_keys) {
        const auto it = std::find_if(written.foreign_keys.begin(), written.foreign_keys.end(), [&](const foreign_key_model& k) {
            return k.columns == key.columns && k.referred_table == key.referred_table;
        });
        if (it == written.foreign_keys.end()) continue;
        key.name = it->name;
        key.deferrable = it->deferrable;
        written.foreign_keys.erase(it);
    }
    table.check_constraints = std::move(written.check_constraints);
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
        read_written_constraints(create_sql, table);
    });
    refresh_sqlite_objects(c, schema);
    for (auto& table : schema.tables)
        for (auto& fk : table.foreign_keys)
            if (const auto* referred = schema.table(fk.referred_table))
                for (std::size_t i = 0; i < fk.referred_columns.size() && i < referred->primary_key.size(); ++i)
                    if (fk.referred_columns[i].empty()) fk.referred_columns[i] = referred->primary_key[i];
    return schema;
}

void refresh_sqlite_objects(connection& c, schema_model& schema) {
    schema.sqlite_objects.clear();
    const auto rows = c.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY rowid")
                                    .columns<std::string, std::string, std::string, std::string>())
                          .all();
    for (const auto& [type, name, table, sql] : rows) schema.sqlite_objects.push_back({type, name, table, sql});
    for (auto& table : schema.tables)
        for (auto& index : table.indexes)
            if (!index.sql.empty())
                if (auto sql = index_sql(c, index.name); !sql.empty()) index.sql = std::move(sql);
}

}  // namespace reflorm::migrate::detail
