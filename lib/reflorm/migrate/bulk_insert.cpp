#include <reflorm/engine/errors.hpp>
#include <reflorm/migrate/bulk_insert.hpp>
#include <reflorm/migrate/detail/sql_names.hpp>
#include <reflorm/sql/literal.hpp>

#include <algorithm>
#include <cmath>

namespace reflorm::migrate {

namespace {

using sql::dialect_id;

std::string string_literal(const std::string& s, dialect_id d) {
    const bool backslash = s.find('\\') != std::string::npos;
    const bool nul = s.find('\0') != std::string::npos;
    if (detail::is_mysql(d) && (backslash || nul))  // the same with or without NO_BACKSLASH_ESCAPES
        return "_utf8mb4 " + sql::hex_blob(blob(reinterpret_cast<const std::byte*>(s.data()), reinterpret_cast<const std::byte*>(s.data() + s.size())));
    if (d == dialect_id::postgresql) {
        if (nul) throw invalid_request_error("reflorm: bulk_insert: PostgreSQL cannot store a NUL byte in a string");
        if (backslash) {
            std::string out = "E'";
            for (const char c : s) {
                if (c == '\'' || c == '\\') out += c;
                out += c;
            }
            return out + '\'';
        }
    }
    return sql::quote_string(s);  // '' doubled; SQLite's NUL as char(0)
}

std::string double_literal(double v, dialect_id d) {
    if (std::isfinite(v)) return sql::format_literal(v);
    if (d == dialect_id::postgresql) return std::isnan(v) ? "'NaN'" : v > 0 ? "'Infinity'" : "'-Infinity'";
    if (detail::is_mysql(d)) throw invalid_request_error("reflorm: bulk_insert: MySQL/MariaDB cannot store a NaN or infinite double");
    return sql::format_literal(v);  // SQLite: NULL for NaN, 1e999 for infinity, as it stores them
}

std::string names_of(const bulk_row& row) {
    std::string out = "(";
    for (const auto& [name, value] : row) (out += out.size() > 1 ? ", " : "") += name;
    return out + ')';
}

}  // namespace

bulk_rows bulk_rows_for(const table_model& table, const std::vector<bulk_row>& rows) {
    bulk_rows out;
    if (rows.empty()) return out;
    for (const auto& [name, value] : rows.front())
        if (!table.column(name)) throw invalid_request_error("reflorm: bulk_insert: table '" + table.name + "' has no column '" + name + "'");
    for (const auto& column : table.columns)
        if (rows.front().contains(column.name)) out.columns.push_back(column.name);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        const bool same = row.size() == out.columns.size() &&
                          std::all_of(out.columns.begin(), out.columns.end(), [&](const std::string& c) { return row.contains(c); });
        if (!same)
            throw invalid_request_error("reflorm: bulk_insert into '" + table.name + "': row " + std::to_string(i + 1) + " names columns " +
                                        names_of(row) + ", the first row " + names_of(rows.front()) + "; every row must name the same columns");
        auto& values = out.rows.emplace_back();
        for (const auto& column : out.columns) values.push_back(row.at(column).value);
    }
    return out;
}

std::string sql_literal(const sql::text_value& value, const sql::compiler& dialect) {
    const auto d = dialect.id();
    return std::visit(
        [&](const auto& v) -> std::string {
            using V = std::remove_cvref_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::string>) return string_literal(v, d);
            else if constexpr (std::is_same_v<V, double>) return double_literal(v, d);
            else if constexpr (std::is_same_v<V, blob>) {
                if (d == dialect_id::postgresql) return "decode('" + sql::hex_blob(v).substr(2, v.size() * 2) + "', 'hex')";
                return sql::hex_blob(v);
            } else return sql::format_literal(v);
        },
        value);
}

std::vector<sql::text_statement<>> bulk_insert_statements(const std::string& table, const bulk_rows& rows, const sql::compiler& dialect) {
    std::vector<sql::text_statement<>> out;
    if (rows.rows.empty() || rows.columns.empty()) return out;
    const std::string head = "INSERT INTO " + detail::quoted(dialect, table) + ' ' + detail::name_list(dialect, rows.columns) + " VALUES ";
    const std::size_t per_statement = std::max<std::size_t>(1, 999 / rows.columns.size());  // SQLite's smallest parameter limit
    for (std::size_t first = 0; first < rows.rows.size(); first += per_statement) {
        const std::size_t last = std::min(rows.rows.size(), first + per_statement);
        std::string sql = head;
        for (std::size_t r = first; r < last; ++r) {
            sql += r > first ? ", (" : "(";
            for (std::size_t c = 0; c < rows.columns.size(); ++c) (sql += c ? ", :p" : ":p") += std::to_string((r - first) * rows.columns.size() + c);
            sql += ')';
        }
        sql::text_statement<> statement(sql);
        for (std::size_t r = first; r < last; ++r)
            for (std::size_t c = 0; c < rows.columns.size(); ++c)
                std::visit([&](const auto& v) { statement = std::move(statement).bind("p" + std::to_string((r - first) * rows.columns.size() + c), v); },
                           rows.rows[r][c]);
        out.push_back(std::move(statement));
    }
    return out;
}

std::vector<std::string> bulk_insert_literal_sql(const std::string& table, const bulk_rows& rows, const sql::compiler& dialect) {
    std::vector<std::string> out;
    if (rows.columns.empty()) return out;
    const std::string head = "INSERT INTO " + detail::quoted(dialect, table) + ' ' + detail::name_list(dialect, rows.columns) + " VALUES (";
    for (const auto& row : rows.rows) {
        std::string sql = head;
        for (std::size_t c = 0; c < row.size(); ++c) (sql += c ? ", " : "") += sql_literal(row[c], dialect);
        out.push_back(sql + ')');
    }
    return out;
}

}  // namespace reflorm::migrate
