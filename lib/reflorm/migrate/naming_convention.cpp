#include <reflorm/engine/errors.hpp>
#include <reflorm/migrate/naming_convention.hpp>
#include <reflorm/sql/bounded_identifier.hpp>

namespace reflorm::migrate {

namespace {

// The value of one token (the text between "%(" and ")s").
std::string token_value(std::string_view token, std::string_view table, std::span<const std::string> columns,
                        std::string_view referred_table) {
    if (token == "table_name") return std::string(table);
    if (token == "referred_table_name") return std::string(referred_table);
    const bool label = token.ends_with("_label");
    const bool all = token.starts_with("column_0_N_");
    if (!(token.starts_with("column_0_") && (label || token.ends_with("_name"))))
        throw invalid_request_error("reflorm: unknown naming convention token %(" + std::string(token) + ")s");
    if (columns.empty())
        throw invalid_request_error("reflorm: naming convention token %(" + std::string(token) + ")s needs at least one column");
    std::string out;
    for (std::size_t i = 0; i < (all ? columns.size() : 1); ++i) {
        if (i) out += '_';
        if (label) (out += table) += '_';
        out += columns[i];
    }
    return out;
}

}  // namespace

std::string apply_naming_convention(std::string_view pattern, std::string_view table, std::span<const std::string> columns,
                                    std::string_view referred_table) {
    std::string out;
    for (std::size_t at = 0; at < pattern.size();) {
        const auto open = pattern.find("%(", at);
        if (open == std::string_view::npos) {
            out += pattern.substr(at);
            break;
        }
        const auto close = pattern.find(")s", open);
        if (close == std::string_view::npos)
            throw invalid_request_error("reflorm: unterminated token in naming convention '" + std::string(pattern) + "'");
        out += pattern.substr(at, open - at);
        out += token_value(pattern.substr(open + 2, close - open - 2), table, columns, referred_table);
        at = close + 2;
    }
    return sql::bounded_identifier(std::move(out));  // as create_all shortens it
}

}  // namespace reflorm::migrate
