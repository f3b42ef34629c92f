#include <reflorm/engine/value_codec.hpp>

namespace reflorm::codec {

std::string quote_for_message(std::string_view text) {
    std::string out = "'";
    const std::size_t shown = std::min<std::size_t>(text.size(), 200);
    for (std::size_t i = 0; i < shown; ++i) {
        if (text[i] == '\'') out += '\'';
        out += text[i];
    }
    out += text.size() > shown ? "'..." : "'";
    return out;
}

std::string parameter_name(int index) { return "parameter " + std::to_string(index); }

void throw_out_of_range(std::string_view column, std::string_view value, std::string_view type) {
    throw data_error("reflorm: value " + std::string(value) + " of " + std::string(column) + " does not fit " + std::string(type));
}

void throw_null_in_non_optional(std::string_view column) {
    throw data_error("reflorm: column " + std::string(column) +
                     " is NULL but its member is not std::optional; make the member std::optional<T>");
}

void throw_unreadable(driver::cursor& cursor, int column, std::string_view column_name, std::string_view expected) {
    throw data_error("reflorm: column " + std::string(column_name) + " holds " + cursor.describe_cell(column) + ", which is not " +
                     std::string(expected) + "; reading it would lose data");
}

void throw_unstorable(std::string_view column, std::string_view value, std::string_view why) {
    throw data_error("reflorm: " + std::string(column) + " is " + std::string(value) + ", which cannot be written: " + std::string(why));
}

std::string describe_invalid_date(const date& value) {
    const auto field = [](long long v, int width) {
        std::string digits = std::to_string(v < 0 ? -v : v);
        if (digits.size() < static_cast<std::size_t>(width)) digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
        return (v < 0 ? "-" : "") + digits;
    };
    return field(static_cast<int>(value.year()), 4) + "-" + field(static_cast<unsigned>(value.month()), 2) + "-" +
           field(static_cast<unsigned>(value.day()), 2);
}

void check_date(const date& value, std::string_view column) {
    const int year = static_cast<int>(value.year());
    if (!value.ok())
        throw_unstorable(column, describe_invalid_date(value), "it is not a calendar date");
    if (year < 1 || year > 9999)
        throw_unstorable(column, describe_invalid_date(value), "reflorm stores years 1 to 9999, as every backend reads them");
}

void check_timestamp(const driver::micro_time& value, std::string_view column) {
    const date day{std::chrono::floor<std::chrono::days>(value)};
    const int year = static_cast<int>(day.year());
    if (year < 1 || year > 9999)
        throw_unstorable(column, "a timestamp in year " + std::to_string(year),
                         "reflorm stores years 1 to 9999, as every backend reads them");
}

}  // namespace reflorm::codec
