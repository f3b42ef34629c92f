#pragma once
// A bound value written as a SQL literal, for reading a statement (str()), never for running
// one: reflorm always binds values. Strings are quoted with '' doubled, NULL stands for an
// empty optional, dates and timestamps are ISO 8601 text, blobs X'..' hex, booleans TRUE/FALSE.
#include <reflorm/schema/column_type.hpp>

#include <boost/describe/enum_to_string.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace reflorm::sql {

/// ISO 8601 text in an inline buffer: no allocation, for binding dates and timestamps.
struct iso_text {
    char data[40];
    std::size_t size = 0;
    std::string_view view() const { return {data, size}; }
};
iso_text iso_date_text(const date& d);
iso_text iso_timestamp_text(std::chrono::sys_time<std::chrono::microseconds> t, bool micro);

/// "YYYY-MM-DD".
std::string iso_date(const date& d);
/// "YYYY-MM-DD HH:MM:SS", with ".ffffff" when `micro`. UTC.
std::string iso_timestamp(std::chrono::sys_time<std::chrono::microseconds> t, bool micro);
/// `'text'` with every quote doubled. A NUL byte, which SQL text cannot hold, is written as
/// `' || char(0) || '` (SQLite's and MySQL's function) so that the literal keeps every byte.
std::string quote_string(std::string_view text);
/// `X'00ff..'`, every byte.
std::string hex_blob(const blob& bytes);
/// "01234567-89ab-cdef-0123-456789abcdef": lowercase, as PostgreSQL prints a uuid.
std::string uuid_text(const uuid& value);
/// The document as compact JSON text (Boost.JSON's serializer).
std::string json_text(const boost::json::value& value);

/// The SQL literal for a bound value of any type a column can have (and std::string_view,
/// const char*, and the std::int64_t / std::uint64_t / double a text() parameter binds).
template <class V>
std::string format_literal(const V& value) {
    if constexpr (std::is_same_v<V, std::nullopt_t>) {
        return "NULL";
    } else if constexpr (schema::is_optional<V>::value) {
        return value ? format_literal(*value) : std::string("NULL");
    } else if constexpr (std::is_same_v<V, bool>) {
        return value ? "TRUE" : "FALSE";
    } else if constexpr (std::is_integral_v<V>) {
        return std::to_string(value);
    } else if constexpr (std::is_floating_point_v<V>) {
        if (std::isnan(value)) return "NULL";  // what SQLite stores for NaN
        if (std::isinf(value)) return value > 0 ? "1e999" : "-1e999";
        char buffer[40];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<double>(value));
        std::string text(buffer, result.ptr);
        if (text.find_first_of(".e") == std::string::npos) text += ".0";  // still reads as a real
        return text;
    } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
        return quote_string(std::string_view(value));
    } else if constexpr (std::is_same_v<V, blob>) {
        return hex_blob(value);
    } else if constexpr (std::is_enum_v<V>) {
        if constexpr (boost::describe::has_describe_enumerators<V>::value) {
            if (const char* name = boost::describe::enum_to_string(value, nullptr)) return quote_string(name);
        }
        return std::to_string(static_cast<std::int64_t>(value));
    } else if constexpr (std::is_same_v<V, date>) {
        return quote_string(iso_date(value));
    } else if constexpr (is_numeric<V>::value) {
        return value.text();
    } else if constexpr (std::is_same_v<V, uuid>) {
        return quote_string(uuid_text(value));
    } else if constexpr (std::is_same_v<V, boost::json::value>) {
        return quote_string(json_text(value));
    } else {
        static_assert(std::is_same_v<V, timestamp> || std::is_same_v<V, timestamp_us>,
                      "reflorm: format_literal has no literal form for this type");
        return quote_string(
            iso_timestamp(std::chrono::time_point_cast<std::chrono::microseconds>(value), std::is_same_v<V, timestamp_us>));
    }
}

}  // namespace reflorm::sql
