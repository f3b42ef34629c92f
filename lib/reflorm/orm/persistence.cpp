// What orm/detail/persistence.hpp and object_values.hpp need compiled once rather than per model.
#include <reflorm/orm/session.hpp>

#include <string>

namespace reflorm::orm_detail {

void throw_stale_row(const char* what, std::string_view table, const std::string& key, std::int64_t matched, const char* why) {
    throw stale_data_error("reflorm: " + std::string(what) + " of " + std::string(table) + " row " + key +
                           " expected to match 1 row, matched " + std::to_string(matched) + "; " + why);
}

std::string join_key_values(const std::vector<std::string>& values) {
    std::string out = "(";
    for (const auto& value : values) out += (out.size() > 1 ? ", " : "") + value;
    return out + ")";
}

void throw_invalid_request(std::initializer_list<std::string_view> parts) {
    std::string message;
    for (std::string_view part : parts) message += part;
    throw invalid_request_error(message);
}

}  // namespace reflorm::orm_detail
