#pragma once
// Which C++ member types map to columns, and as what kind of column.
#include <reflorm/schema/numeric.hpp>

#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/uuid/uuid.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace reflorm {

/// A timestamp with whole seconds, stored as UTC.
using timestamp = std::chrono::sys_seconds;
/// A timestamp with microseconds, stored as UTC.
using timestamp_us = std::chrono::sys_time<std::chrono::microseconds>;
/// A calendar date.
using date = std::chrono::year_month_day;
/// Binary data.
using blob = std::vector<std::byte>;
/// A UUID: a UUID column on PostgreSQL, its 36-character text elsewhere.
using uuid = boost::uuids::uuid;

}  // namespace reflorm

// A JSON document: JSONB on PostgreSQL, JSON on MySQL/MariaDB, TEXT on SQLite. Declared here
// so that models without JSON members do not pay for Boost.JSON's headers; a model with one
// includes <boost/json/value.hpp>.
namespace boost::json {
class value;
}  // namespace boost::json

namespace reflorm::schema {

/// The storage class of a column; each dialect maps it to a type name.
enum class column_kind : std::uint8_t {
    boolean,
    int8, int16, int32, int64,
    uint8, uint16, uint32, uint64,
    float32, float64,
    text,
    date,
    timestamp,        // seconds
    timestamp_micro,  // microseconds
    blob,
    enum_name,        // Boost.Describe'd enum, stored as its enumerator's name
    enum_integer,     // other enums, stored as the underlying integer
    decimal,          // reflorm::numeric<P, S>: NUMERIC(P, S)
    uuid,             // reflorm::uuid (boost::uuids::uuid)
    json,             // boost::json::value
};

/// Members that are not columns (relationship descriptors) carry this tag type.
template <class C>
concept non_column_member = requires { typename C::reflorm_non_column_tag; };

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

namespace detail {

template <class C>
consteval int kind_of() {  // -1: no mapping
    using std::is_same_v;
    if constexpr (is_same_v<C, bool>) return int(column_kind::boolean);
    else if constexpr (is_same_v<C, char> || is_same_v<C, wchar_t> || is_same_v<C, char8_t> ||
                       is_same_v<C, char16_t> || is_same_v<C, char32_t>) return -1;
    else if constexpr (std::is_integral_v<C> && std::is_signed_v<C>)
        return int(sizeof(C) == 1 ? column_kind::int8 : sizeof(C) == 2 ? column_kind::int16
                   : sizeof(C) == 4 ? column_kind::int32 : column_kind::int64);
    else if constexpr (std::is_integral_v<C>)
        return int(sizeof(C) == 1 ? column_kind::uint8 : sizeof(C) == 2 ? column_kind::uint16
                   : sizeof(C) == 4 ? column_kind::uint32 : column_kind::uint64);
    else if constexpr (is_same_v<C, float>) return int(column_kind::float32);
    else if constexpr (is_same_v<C, double>) return int(column_kind::float64);
    else if constexpr (is_same_v<C, std::string>) return int(column_kind::text);
    else if constexpr (is_same_v<C, reflorm::date>) return int(column_kind::date);
    else if constexpr (is_same_v<C, reflorm::timestamp>) return int(column_kind::timestamp);
    else if constexpr (is_same_v<C, reflorm::timestamp_us>) return int(column_kind::timestamp_micro);
    else if constexpr (is_same_v<C, reflorm::blob>) return int(column_kind::blob);
    else if constexpr (reflorm::is_numeric<C>::value) return int(column_kind::decimal);
    else if constexpr (is_same_v<C, reflorm::uuid>) return int(column_kind::uuid);
    else if constexpr (is_same_v<C, boost::json::value>) return int(column_kind::json);
    else if constexpr (std::is_enum_v<C>)
        return int(boost::describe::has_describe_enumerators<C>::value ? column_kind::enum_name : column_kind::enum_integer);
    else return -1;
}

}  // namespace detail

/// How member type C maps to a column: `supported`, `kind`, `nullable`, and `value_type`
/// (C without std::optional).
template <class C>
struct column_traits {
    using value_type = C;
    static constexpr bool nullable = false;
    static constexpr bool supported = detail::kind_of<C>() >= 0;
    static constexpr column_kind kind = supported ? column_kind(detail::kind_of<C>()) : column_kind::text;
};
template <class C>
struct column_traits<std::optional<C>> : column_traits<C> {
    static constexpr bool nullable = true;
    static constexpr bool supported = column_traits<C>::supported && !is_optional<C>::value;
};

/// Longest enumerator name of a described enum, for VARCHAR(n); 0 for other types.
template <class E>
consteval std::size_t longest_enumerator_name() {
    if constexpr (std::is_enum_v<E> && boost::describe::has_describe_enumerators<E>::value) {
        std::size_t longest = 0;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
            const std::size_t n = std::string_view{d.name}.size();
            if (n > longest) longest = n;
        });
        return longest;
    } else {
        return 0;
    }
}

}  // namespace reflorm::schema
