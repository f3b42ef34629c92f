#include <reflorm/migrate/type_compare.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace reflorm::migrate {

namespace {

using sql::dialect_id;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
    return std::string(s);
}

// "numeric(10, 2) unsigned" -> base words "numeric unsigned", arguments {10, 2}.
struct split_type {
    std::string words;
    std::vector<std::uint32_t> arguments;
};

split_type split(std::string_view declared) {
    split_type out;
    std::string text;
    for (char c : declared) text += lower(c);
    const auto open = text.find('(');
    const auto close = text.find(')', open == std::string::npos ? 0 : open);
    std::string words = text;
    if (open != std::string::npos && close != std::string::npos) {
        std::string_view inside = std::string_view(text).substr(open + 1, close - open - 1);
        while (!inside.empty()) {
            const auto comma = inside.find(',');
            const std::string argument = trim(inside.substr(0, comma));
            std::uint32_t n = 0;
            std::from_chars(argument.data(), argument.data() + argument.size(), n);
            out.arguments.push_back(n);
            if (comma == std::string_view::npos) break;
            inside.remove_prefix(comma + 1);
        }
        words = text.substr(0, open) + " " + text.substr(close + 1);
    }
    // Collapse runs of spaces so that "double  precision" and "double precision" agree.
    for (char c : words) {
        if (c == ' ' && (out.words.empty() || out.words.back() == ' ')) continue;
        out.words += c;
    }
    if (!out.words.empty() && out.words.back() == ' ') out.words.pop_back();
    return out;
}

// Removes `word` (a whole word or phrase) from `words`; returns whether it was there.
bool take(std::string& words, std::string_view word) {
    const auto at = words.find(word);
    if (at == std::string::npos) return false;
    const bool starts = at == 0 || words[at - 1] == ' ';
    const bool ends = at + word.size() == words.size() || words[at + word.size()] == ' ';
    if (!starts || !ends) return false;
    words.erase(at, word.size());
    words = split(words).words;  // re-collapse the spaces
    return true;
}

template <std::size_t N>
bool one_of(const std::string& word, const std::array<std::string_view, N>& names) {
    return std::find(names.begin(), names.end(), word) != names.end();
}

std::uint8_t byte(std::uint32_t n) { return static_cast<std::uint8_t>(std::min<std::uint32_t>(n, 255)); }

}  // namespace

sql_type parse_type(dialect_id dialect, std::string_view declared) {
    sql_type type;
    type.name = trim(declared);
    auto [words, arguments] = split(declared);
    const auto argument = [&](std::size_t i, std::uint32_t otherwise) { return i < arguments.size() ? arguments[i] : otherwise; };
    const bool mysql = dialect == dialect_id::mysql || dialect == dialect_id::mariadb;
    type.is_unsigned = take(words, "unsigned");
    take(words, "zerofill");
    take(words, "signed");
    type.with_time_zone = take(words, "with time zone");
    take(words, "without time zone");

    using F = type_family;
    if (one_of(words, std::array<std::string_view, 2>{"bool", "boolean"}) || (mysql && words == "tinyint" && argument(0, 0) == 1)) {
        type.family = F::boolean;
    } else if (one_of(words, std::array<std::string_view, 1>{"tinyint"})) {
        type.family = F::integer, type.size = 1;
    } else if (one_of(words, std::array<std::string_view, 3>{"smallint", "int2", "smallserial"})) {
        type.family = F::integer, type.size = 2;
    } else if (words == "mediumint") {
        type.family = F::integer, type.size = 3;
    } else if (one_of(words, std::array<std::string_view, 4>{"int", "integer", "int4", "serial"})) {
        type.family = F::integer, type.size = 4;
    } else if (one_of(words, std::array<std::string_view, 3>{"bigint", "int8", "bigserial"})) {
        type.family = F::integer, type.size = 8;
    } else if (one_of(words, std::array<std::string_view, 3>{"numeric", "decimal", "dec"})) {
        type.family = F::numeric, type.precision = byte(argument(0, 0)), type.scale = byte(argument(1, 0));
    } else if (one_of(words, std::array<std::string_view, 2>{"real", "float4"})) {
        type.family = F::floating, type.size = 4;
    } else if (words == "float") {
        // PostgreSQL's FLOAT is DOUBLE PRECISION; MySQL's is 4 bytes (FLOAT(p) above 24: 8).
        type.family = F::floating, type.size = mysql && argument(0, 0) <= 24 ? 4 : 8;
    } else if (one_of(words, std::array<std::string_view, 3>{"double", "double precision", "float8"})) {
        type.family = F::floating, type.size = 8;
    } else if (one_of(words, std::array<std::string_view, 4>{"varchar", "character varying", "nvarchar", "varchar2"})) {
        type.family = F::string, type.length = argument(0, 0);
    } else if (one_of(words, std::array<std::string_view, 4>{"char", "character", "bpchar", "nchar"})) {
        type.family = F::string, type.fixed = true, type.length = argument(0, 1);
    } else if (one_of(words, std::array<std::string_view, 5>{"text", "tinytext", "mediumtext", "longtext", "clob"})) {
        type.family = F::string;
        type.size = words == "tinytext" ? 1 : words == "mediumtext" ? 3 : words == "longtext" ? 4 : 2;
    } else if (words == "date") {
        type.family = F::date;
    } else if (one_of(words, std::array<std::string_view, 3>{"timestamp", "datetime", "timestamptz"})) {
        type.family = F::timestamp;
        type.with_time_zone = type.with_time_zone || words == "timestamptz";
        type.precision = byte(argument(0, dialect == dialect_id::postgresql ? 6 : 0));
    } else if (one_of(words, std::array<std::string_view, 2>{"time", "timetz"})) {
        type.family = F::time;
        type.with_time_zone = type.with_time_zone || words == "timetz";
        type.precision = byte(argument(0, dialect == dialect_id::postgresql ? 6 : 0));
    } else if (one_of(words, std::array<std::string_view, 7>{"blob", "bytea", "binary", "varbinary", "tinyblob", "mediumblob", "longblob"})) {
        type.family = F::blob;
        type.size = words == "tinyblob" ? 1 : words == "mediumblob" ? 3 : words == "longblob" ? 4 : 2;
    } else if (words == "uuid") {
        type.family = F::uuid;
    } else if (words == "json" || words == "jsonb") {
        type.family = F::json, type.binary_json = words == "jsonb";
    } else if (dialect == dialect_id::sqlite && words.find("int") != std::string::npos) {
        type.family = F::integer, type.size = 8;  // SQLite's first affinity rule: any name containing INT
    } else {
        type.family = F::other;
    }
    if (type.family == F::other) type.other_words = split(declared).words;  // `name` stays as declared, for DDL
    return type;
}

bool same_type(const sql_type& model, const sql_type& database, dialect_id dialect) {
    using F = type_family;
    const bool mysql = dialect == dialect_id::mysql || dialect == dialect_id::mariadb;
    // MariaDB's JSON is LONGTEXT (with a json_valid CHECK): the catalog reports longtext.
    const auto json_alias = [](const sql_type& json, const sql_type& text) {
        return json.family == F::json && text.family == F::string && text.size == 4 && text.length == 0;
    };
    if (dialect == dialect_id::mariadb && (json_alias(model, database) || json_alias(database, model))) return true;
    if (model.family != database.family) return false;
    if (model.family == F::other) return model.other_words == database.other_words;
    if (dialect == dialect_id::sqlite) return true;  // SQLite enforces no length, size or precision
    switch (model.family) {
    case F::integer: return model.size == database.size && (!mysql || model.is_unsigned == database.is_unsigned);
    case F::numeric: return model.precision == database.precision && model.scale == database.scale;
    case F::floating: return model.size == database.size;
    case F::string:
        return model.length == database.length && model.fixed == database.fixed && (!mysql || model.size == database.size);
    case F::timestamp:
    case F::time: return model.precision == database.precision && (mysql || model.with_time_zone == database.with_time_zone);
    case F::blob: return !mysql || model.size == database.size;
    case F::json: return mysql || model.binary_json == database.binary_json;
    default: return true;
    }
}

std::string normalise_server_default(std::string_view sql) {
    std::string text = trim(sql);
    for (bool changed = true; changed && !text.empty();) {
        changed = false;
        // A trailing PostgreSQL cast: 'abc'::character varying, 0::bigint, '{}'::jsonb.
        if (const auto cast = text.rfind("::"); cast != std::string::npos && text.find('\'', cast) == std::string::npos) {
            text = trim(std::string_view(text).substr(0, cast));
            changed = true;
        }
        // Parentheses around the whole expression: (0), ('a'), but not (a) + (b).
        if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
            int depth = 0;
            bool whole = true;
            for (std::size_t i = 0; i + 1 < text.size() && whole; ++i) {
                depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
                whole = depth > 0;
            }
            if (whole) {
                text = trim(std::string_view(text).substr(1, text.size() - 2));
                changed = true;
            }
        }
    }
    bool quoted = false;
    for (char& c : text) {
        if (c == '\'') quoted = !quoted;
        if (!quoted) c = lower(c);
    }
    if (text == "null") return {};
    if (text == "now()" || text == "current_timestamp()")
        return "current_timestamp";
    return text;
}

bool same_server_default(std::string_view model, std::string_view database) {
    return normalise_server_default(model) == normalise_server_default(database);
}

}  // namespace reflorm::migrate
