#pragma once
// Moving one C++ value to and from a driver cursor, and rendering it for error messages.
// Dates and timestamps travel as ISO 8601 text (sql/literal.hpp formats them) ("2024-05-01", "2024-05-01 12:30:00.000250"),
// the form SQLAlchemy uses for SQLite and that PostgreSQL and MySQL accept.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/reflect/type_name.hpp>
#include <reflorm/schema/column_type.hpp>
#include <reflorm/sql/literal.hpp>

#include <boost/describe/enum_from_string.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <charconv>
#include <cstdio>
#include <limits>
#include <string>

namespace reflorm::codec {

/// Parses "YYYY-MM-DD"; throws data_error naming `column` on malformed text.
date parse_date(std::string_view text, std::string_view column);
/// Parses "YYYY-MM-DD[ T]HH:MM:SS[.f{1,9}]" (UTC); throws data_error naming `column`.
std::chrono::sys_time<std::chrono::microseconds> parse_timestamp(std::string_view text, std::string_view column);
/// `'text'` with quotes doubled, truncated after 200 bytes: for messages only, never for SQL.
std::string quote_for_message(std::string_view text);

[[noreturn]] void throw_out_of_range(std::string_view column, std::string_view value, std::string_view type);
[[noreturn]] void throw_null_in_non_optional(std::string_view column);

template <class V>
void bind_value(driver::cursor& cursor, int index, const V& value) {
    if constexpr (schema::is_optional<V>::value) {
        if (value) bind_value(cursor, index, *value);
        else cursor.bind_null(index);
    } else if constexpr (std::is_same_v<V, bool>) {
        cursor.bind_int64(index, value ? 1 : 0);
    } else if constexpr (std::is_integral_v<V>) {
        if constexpr (std::is_unsigned_v<V> && sizeof(V) == 8) {
            if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                throw_out_of_range("parameter " + std::to_string(index), std::to_string(value), "a signed 64-bit integer");
        }
        cursor.bind_int64(index, static_cast<std::int64_t>(value));
    } else if constexpr (std::is_floating_point_v<V>) {
        cursor.bind_double(index, static_cast<double>(value));
    } else if constexpr (std::is_same_v<V, std::string>) {
        cursor.bind_text(index, value);
    } else if constexpr (std::is_same_v<V, blob>) {
        cursor.bind_blob(index, value);
    } else if constexpr (std::is_enum_v<V>) {
        if constexpr (boost::describe::has_describe_enumerators<V>::value) {
            const char* name = boost::describe::enum_to_string(value, nullptr);
            if (!name)
                throw data_error("reflorm: value " + std::to_string(static_cast<std::underlying_type_t<V>>(value)) +
                                 " is not an enumerator of " + std::string(reflect::qualified_type_name_v<V>) +
                                 "; it cannot be stored by name");
            cursor.bind_text(index, name);
        } else {
            cursor.bind_int64(index, static_cast<std::int64_t>(value));
        }
    } else {
        static_assert(std::is_same_v<V, date> || std::is_same_v<V, timestamp> || std::is_same_v<V, timestamp_us>,
                      "reflorm: no binding for this type");
        if constexpr (std::is_same_v<V, date>)
            cursor.bind_text_copy(index, sql::iso_date_text(value).view());
        else
            cursor.bind_text_copy(index, sql::iso_timestamp_text(std::chrono::time_point_cast<std::chrono::microseconds>(value),
                                                                 std::is_same_v<V, timestamp_us>)
                                             .view());
    }
}

template <class V>
void read_value(driver::cursor& cursor, int column, V& out, std::string_view column_name) {
    if constexpr (schema::is_optional<V>::value) {
        if (cursor.is_null(column)) {
            out.reset();
        } else {
            typename V::value_type value{};
            read_value(cursor, column, value, column_name);
            out = std::move(value);
        }
        return;
    } else {
        // NULL reads as 0 or as no text, so the NULL test (a call into the driver per column)
        // runs only when the value could be one.
        const auto integer = [&] {
            const std::int64_t raw = cursor.get_int64(column);
            if (raw == 0 && cursor.is_null(column)) throw_null_in_non_optional(column_name);
            return raw;
        };
        const auto text = [&] {
            std::string_view value;
            if (!cursor.get_text_if_not_null(column, value)) throw_null_in_non_optional(column_name);
            return value;
        };
        if constexpr (std::is_same_v<V, bool>) {
            out = integer() != 0;
        } else if constexpr (std::is_integral_v<V>) {
            const std::int64_t raw = integer();
            if constexpr (!(std::is_signed_v<V> && sizeof(V) == 8)) {
                const bool fits = std::is_signed_v<V>
                    ? raw >= std::numeric_limits<V>::min() && raw <= std::numeric_limits<V>::max()
                    : raw >= 0 && static_cast<std::uint64_t>(raw) <= std::numeric_limits<V>::max();
                if (!fits) throw_out_of_range(column_name, std::to_string(raw), reflect::qualified_type_name_v<V>);
            }
            out = static_cast<V>(raw);
        } else if constexpr (std::is_floating_point_v<V>) {
            const double value = cursor.get_double(column);
            if (value == 0 && cursor.is_null(column)) throw_null_in_non_optional(column_name);
            out = static_cast<V>(value);
        } else if constexpr (std::is_same_v<V, std::string>) {
            out.assign(text());
        } else if constexpr (std::is_same_v<V, blob>) {
            if (cursor.is_null(column)) throw_null_in_non_optional(column_name);  // an empty blob also reads as no data
            const auto bytes = cursor.get_blob(column);
            out.assign(bytes.begin(), bytes.end());
        } else if constexpr (std::is_enum_v<V>) {
            if constexpr (boost::describe::has_describe_enumerators<V>::value) {
                const std::string_view name = text();
                if (!boost::describe::enum_from_string(std::string(name).c_str(), out))
                    throw data_error("reflorm: column " + std::string(column_name) + " holds " + quote_for_message(name) +
                                     ", which is not an enumerator of " + std::string(reflect::qualified_type_name_v<V>));
            } else {
                out = static_cast<V>(integer());
            }
        } else if constexpr (std::is_same_v<V, date>) {
            out = parse_date(text(), column_name);
        } else {
            static_assert(std::is_same_v<V, timestamp> || std::is_same_v<V, timestamp_us>,
                          "reflorm: no reading for this type");
            out = std::chrono::time_point_cast<typename V::duration>(parse_timestamp(text(), column_name));
        }
    }
}

/// The value as a SQL literal for error messages: 42, 'text', NULL, X'0a0b'. Long strings and
/// blobs are cut short, so that a failing 1 MB value does not become a 1 MB message.
template <class V>
std::string format_for_message(const V& value) {
    if constexpr (schema::is_optional<V>::value) {
        return value ? format_for_message(*value) : std::string("NULL");
    } else if constexpr (std::is_same_v<V, std::string>) {
        return quote_for_message(value);
    } else if constexpr (std::is_same_v<V, blob>) {
        if (value.size() <= 64) return sql::hex_blob(value);
        std::string shown = sql::hex_blob(blob(value.begin(), value.begin() + 64));
        return shown.insert(shown.size() - 1, "...");
    } else {
        return sql::format_literal(value);
    }
}

}  // namespace reflorm::codec
