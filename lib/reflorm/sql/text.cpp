#include <reflorm/sql/text.hpp>

#include <algorithm>

namespace reflorm::sql {

namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }
// Characters that may end an identifier or a number: a colon after one is not a parameter.
bool word_char(char c) { return name_char(c) || static_cast<unsigned char>(c) >= 0x80; }

// The end of the quoted run starting at `begin` (on the opening quote): just past the closing
// quote, where a doubled quote continues the run; with `backslash_escapes`, `\x` is one unit.
std::size_t quoted_end(std::string_view sql, std::size_t begin, char quote, bool backslash_escapes) {
    std::size_t i = begin + 1;
    while (i < sql.size()) {
        const char c = sql[i];
        if (backslash_escapes && c == '\\') {
            i += 2;
        } else if (c == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) i += 2;
            else return i + 1;
        } else {
            ++i;
        }
    }
    return sql.size();  // unterminated: the database will say so
}

// At a '$': the end of a PostgreSQL dollar-quoted string ($$...$$ or $tag$...$tag$), or `begin`
// when this '$' opens none (`$1`, or a '$' inside an identifier).
std::size_t dollar_quoted_end(std::string_view sql, std::size_t begin) {
    if (begin > 0 && word_char(sql[begin - 1])) return begin;
    std::size_t i = begin + 1;
    if (i < sql.size() && name_start(sql[i]))
        while (i < sql.size() && name_char(sql[i])) ++i;
    if (i >= sql.size() || sql[i] != '$') return begin;
    const std::string_view tag = sql.substr(begin, i + 1 - begin);
    const std::size_t close = sql.find(tag, i + 1);
    return close == std::string_view::npos ? sql.size() : close + tag.size();
}

}  // namespace

parsed_text parse_text(std::string_view sql) {
    parsed_text out;
    out.sql = std::string(sql);
    std::string piece;
    std::size_t i = 0;
    const auto copy_to = [&](std::size_t end) {
        piece.append(sql.substr(i, end - i));
        i = end;
    };
    while (i < sql.size()) {
        const char c = sql[i];
        const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
        if (c == '\'') {
            const bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !word_char(sql[i - 2]));
            copy_to(quoted_end(sql, i, '\'', escapes));
        } else if (c == '"' || c == '`') {
            copy_to(quoted_end(sql, i, c, false));
        } else if (c == '-' && next == '-') {
            const std::size_t end = sql.find('\n', i);
            copy_to(end == std::string_view::npos ? sql.size() : end + 1);
        } else if (c == '/' && next == '*') {
            const std::size_t end = sql.find("*/", i + 2);
            copy_to(end == std::string_view::npos ? sql.size() : end + 2);
        } else if (c == '$') {
            const std::size_t end = dollar_quoted_end(sql, i);
            copy_to(end == i ? i + 1 : end);
        } else if (c == '\\' && next == ':') {
            piece += ':';
            i += 2;
        } else if (c == ':' && next == ':') {
            // A cast, `::`, and any further colons of the run: none starts a parameter.
            std::size_t end = i;
            while (end < sql.size() && sql[end] == ':') ++end;
            copy_to(end);
        } else if (c == ':' && name_start(next) && (i == 0 || !word_char(sql[i - 1]))) {
            std::size_t end = i + 1;
            while (end < sql.size() && name_char(sql[end])) ++end;
            const std::string name(sql.substr(i + 1, end - i - 1));
            const auto found = std::find(out.names.begin(), out.names.end(), name);
            out.occurrences.push_back(static_cast<std::size_t>(found - out.names.begin()));
            if (found == out.names.end()) out.names.push_back(name);
            out.pieces.push_back(std::move(piece));
            piece.clear();
            i = end;
        } else {
            piece += c;
            ++i;
        }
    }
    out.pieces.push_back(std::move(piece));
    return out;
}

std::string describe_text_parameters(const parsed_text& parsed) {
    if (parsed.names.empty()) return "it has no parameters";
    std::string out = "its parameters are ";
    for (std::size_t i = 0; i < parsed.names.size(); ++i) out += (i ? ", :" : ":") + parsed.names[i];
    return out;
}

namespace {

std::string quoted_sql_for_message(const parsed_text& parsed) {
    constexpr std::size_t shown = 200;
    return parsed.sql.size() > shown ? parsed.sql.substr(0, shown) + "..." : parsed.sql;
}

}  // namespace

void throw_unknown_text_parameter(const parsed_text& parsed, std::string_view name) {
    throw statement_error("reflorm: text() has no parameter :" + std::string(name) + "; " +
                          describe_text_parameters(parsed) + " [SQL: " + quoted_sql_for_message(parsed) + "]");
}

void throw_unbound_text_parameter(const parsed_text& parsed, std::size_t name) {
    throw statement_error("reflorm: text() parameter :" + parsed.names[name] + " has no value; call .bind(\"" +
                          parsed.names[name] + "\", value) [SQL: " + quoted_sql_for_message(parsed) + "]");
}

}  // namespace reflorm::sql
