#include <reflorm/sql/compiler.hpp>
#include <reflorm/sql/errors.hpp>
#include <reflorm/sql/render_context.hpp>

#include <algorithm>
#include <array>

namespace reflorm::sql {

namespace {

// Words reserved by at least one of SQLite, PostgreSQL and MySQL: quoting them everywhere
// keeps one model portable across the three. Sorted for binary search.
constexpr auto reserved_words = std::to_array<std::string_view>({
    "abort", "action", "add", "all", "alter", "analyze", "and", "any", "as", "asc", "between", "both",
    "by", "cascade", "case", "cast", "check", "collate", "column", "commit", "constraint", "create",
    "cross", "current", "current_date", "current_time", "current_timestamp", "current_user", "database",
    "default", "deferrable", "delete", "desc", "distinct", "div", "do", "drop", "else", "end", "escape",
    "except", "exists", "explain", "false", "fetch", "for", "foreign", "from", "full", "glob", "grant",
    "group", "having", "if", "ignore", "in", "index", "inner", "insert", "intersect", "interval", "into",
    "is", "isnull", "join", "key", "keys", "lateral", "leading", "left", "like", "limit", "localtime",
    "match", "mod", "natural", "no", "not", "notnull", "null", "of", "offset", "on", "only", "or",
    "order", "outer", "over", "partition", "plan", "pragma", "primary", "range", "read", "recursive",
    "references", "regexp", "release", "rename", "replace", "restrict", "returning", "right", "rollback",
    "row", "rows", "schema", "select", "set", "show", "some", "table", "then", "to", "trailing",
    "transaction", "trigger", "true", "union", "unique", "update", "user", "using", "values", "view",
    "when", "where", "window", "with"});
static_assert(std::is_sorted(reserved_words.begin(), reserved_words.end()));

bool plain_identifier(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

bool compiler::is_reserved(std::string_view word) const {
    return std::binary_search(reserved_words.begin(), reserved_words.end(), word);
}

void compiler::identifier(std::string& out, std::string_view name) const {
    if (plain_identifier(name) && !is_reserved(name)) {
        out += name;
        return;
    }
    const char quote = quote_character();
    out += quote;
    for (char c : name) {
        if (c == quote) out += quote;  // doubled, as every dialect escapes its quote character
        out += c;
    }
    out += quote;
}

void compiler::placeholder(std::string& out, std::size_t) const { out += '?'; }

void compiler::limit_offset(std::string& out, bool has_limit, bool has_offset, std::size_t& parameters) const {
    if (has_limit) {
        out += " LIMIT ";
        placeholder(out, ++parameters);
    } else if (has_offset) {
        out += no_limit_sql();
    }
    if (has_offset) {
        out += " OFFSET ";
        placeholder(out, ++parameters);
    }
}

std::string compiler::type_name(const schema::column_info& column, bool) const {
    using schema::column_kind;
    switch (column.kind) {
    case column_kind::boolean: return "BOOLEAN";
    case column_kind::int8:
    case column_kind::int16:
    case column_kind::uint8: return "SMALLINT";
    case column_kind::int32:
    case column_kind::uint16:
    case column_kind::enum_integer: return "INTEGER";
    case column_kind::int64:
    case column_kind::uint32: return "BIGINT";
    case column_kind::uint64: return "NUMERIC(20)";
    case column_kind::float32: return "REAL";
    case column_kind::float64: return "DOUBLE PRECISION";
    case column_kind::text:
    case column_kind::enum_name:
        return column.max_length ? "VARCHAR(" + std::to_string(column.max_length) + ")" : "TEXT";
    case column_kind::date: return "DATE";
    case column_kind::timestamp: return column.with_time_zone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
    case column_kind::timestamp_micro: return column.with_time_zone ? "TIMESTAMP(6) WITH TIME ZONE" : "TIMESTAMP(6)";
    case column_kind::blob: return "BLOB";
    case column_kind::decimal: return "NUMERIC(" + std::to_string(column.precision) + ", " + std::to_string(column.scale) + ")";
    case column_kind::uuid: return "CHAR(36)";  // the canonical text, lowercase
    case column_kind::json: return "TEXT";
    }
    return "TEXT";
}

void fragment::operand(render_context& ctx) const {
    if (compound_) ctx << "(";
    (*this)(ctx);
    if (compound_) ctx << ")";
}

void compiler::concat(render_context& ctx, fragment left, fragment right) const {
    left.operand(ctx);
    ctx << " || ";
    right.operand(ctx);
}

void compiler::ilike(render_context& ctx, fragment value, fragment pattern, bool negated) const {
    ctx << "lower(";
    value(ctx);
    ctx << ")" << (negated ? " NOT" : "") << " LIKE lower(";
    pattern(ctx);
    ctx << ")";
}

void compiler::round(render_context& ctx, fragment value, bool with_digits) const {
    ctx << "round(";
    value(ctx);
    if (with_digits) {
        ctx << ", ";
        ctx.parameter();
    }
    ctx << ")";
}

void compiler::order_nulls(render_context& ctx, fragment e, bool descending, bool nulls_first) const {
    e(ctx);
    ctx << (descending ? " DESC" : " ASC") << (nulls_first ? " NULLS FIRST" : " NULLS LAST");
}

void compiler::row_values(render_context& ctx, std::size_t rows, std::size_t width) {
    for (std::size_t r = 0; r < rows; ++r) {
        if (r) ctx << ", ";
        ctx.parameter_row(width);
    }
}

void compiler::tuple_in(render_context& ctx, std::size_t rows, std::size_t width) const {
    ctx << " IN (";
    row_values(ctx, rows, width);
    ctx << ")";
}

void compiler::unsupported(std::string_view construct, std::string_view remedy) const {
    std::string message = "reflorm: ";
    message += name();
    message += " has no ";
    message += construct;
    if (!remedy.empty()) (message += "; ") += remedy;
    throw unsupported_feature_error(message);
}

void compiler::insert_into(std::string& out, bool) const { out += "INSERT INTO "; }

void compiler::on_conflict(std::string& out, std::span<const std::string_view> target,
                           std::span<const std::string_view> update) const {
    out += " ON CONFLICT";
    if (!target.empty()) {
        out += " (";
        for (std::size_t i = 0; i < target.size(); ++i) {
            if (i) out += ", ";
            identifier(out, target[i]);
        }
        out += ')';
    }
    if (update.empty()) {
        out += " DO NOTHING";
        return;
    }
    out += " DO UPDATE SET ";
    for (std::size_t i = 0; i < update.size(); ++i) {
        if (i) out += ", ";
        identifier(out, update[i]);
        out += " = excluded.";
        identifier(out, update[i]);
    }
}

}  // namespace reflorm::sql
