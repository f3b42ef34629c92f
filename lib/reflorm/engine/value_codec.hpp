#pragma once
// Moving one C++ value to and from a driver cursor, and rendering it for error messages.
//
// Writing refuses what could not be read back the same: an invalid date, years outside 1 to
// 9999, NaN or an infinity where the backend cannot store it, an unsigned value the backend
// cannot hold. Reading refuses what does not fit the member: text 'abc' or 1.5 into an integer,
// 7 into a bool, 1e300 into a float, a negative into an unsigned, NULL into a member that is
// not std::optional. Each is a data_error naming the column and quoting the value.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/reflect/type_name.hpp>
#include <reflorm/schema/column_type.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/errors.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/literal.hpp>
#include <reflorm/sql/to_sql.hpp>

#include <boost/describe/enum_from_string.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace reflorm::codec {

/// `'text'` with quotes doubled, truncated after 200 bytes: for messages only, never for SQL.
std::string quote_for_message(std::string_view text);

/// "parameter N", for messages about a value bound at placeholder `index`.
std::string parameter_name(int index);
[[noreturn]] void throw_out_of_range(std::string_view column, std::string_view value, std::string_view type);
[[noreturn]] void throw_null_in_non_optional(std::string_view column);
[[noreturn]] void throw_unreadable(driver::cursor& cursor, int column, std::string_view column_name, std::string_view expected);
[[noreturn]] void throw_unstorable(std::string_view column, std::string_view value, std::string_view why);
/// An invalid date's fields as written: "2024-02-30", "0000-00-00".
std::string describe_invalid_date(const date& value);
/// Refuses a date that is not a calendar date of years 1 to 9999 (what every backend stores).
void check_date(const date& value, std::string_view column);
/// Refuses a timestamp outside years 1 to 9999.
void check_timestamp(const driver::micro_time& value, std::string_view column);
/// Binds a reflorm::numeric's canonical text: on a backend that keeps `decimal_digits`
/// (SQLite), an integral value that fits int64 goes as an integer, anything else with more
/// significant digits is refused.
void bind_decimal(driver::cursor& cursor, int index, const std::string& text, std::string_view column);
/// Reads 36-character UUID text (either case), or 32 hex digits; false for anything else.
bool parse_uuid(std::string_view text, uuid& out);
/// Parses JSON text; false when it is not a JSON document.
bool parse_json(std::string_view text, boost::json::value& out);

/// Binds `value` at placeholder `index`. `column` names it in an error ("users.name"); empty,
/// the message says "parameter N".
template <class V>
void bind_value(driver::cursor& cursor, int index, const V& value, std::string_view column = {}) {
    const auto name = [&] { return column.empty() ? parameter_name(index) : std::string(column); };
    if constexpr (schema::is_optional<V>::value) {
        if (value) bind_value(cursor, index, *value, column);
        else cursor.bind_null(index);
    } else if constexpr (std::is_same_v<V, bool>) {
        cursor.bind_bool(index, value);
    } else if constexpr (std::is_integral_v<V>) {
        if constexpr (std::is_unsigned_v<V> && sizeof(V) == 8) {
            // Every value of a uint64 member travels as unsigned where the backend stores them,
            // so that a statement's parameter keeps one type whatever the value (PostgreSQL
            // types a prepared statement's parameters once).
            if (cursor.support().uint64) {
                cursor.bind_uint64(index, value);
                return;
            }
            if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                throw_out_of_range(name(), std::to_string(value), "this backend's signed 64-bit integers");
        }
        cursor.bind_int64(index, static_cast<std::int64_t>(value));
    } else if constexpr (std::is_floating_point_v<V>) {
        if (!std::isfinite(value)) [[unlikely]] {
            if (std::isnan(value) && !cursor.support().nan)
                throw_unstorable(name(), "NaN", "this backend cannot store NaN (SQLite would store NULL)");
            if (std::isinf(value) && !cursor.support().infinity)
                throw_unstorable(name(), value > 0 ? "infinity" : "-infinity", "this backend cannot store infinities");
        }
        cursor.bind_double(index, static_cast<double>(value));
    } else if constexpr (std::is_same_v<V, std::string>) {
        cursor.bind_text(index, value);
    } else if constexpr (std::is_same_v<V, blob>) {
        cursor.bind_blob(index, value);
    } else if constexpr (std::is_enum_v<V>) {
        if constexpr (boost::describe::has_describe_enumerators<V>::value) {
            const char* enumerator = boost::describe::enum_to_string(value, nullptr);
            if (!enumerator)
                throw data_error("reflorm: value " + std::to_string(static_cast<std::underlying_type_t<V>>(value)) + " of " +
                                 name() + " is not an enumerator of " + std::string(reflect::qualified_type_name_v<V>) +
                                 "; it cannot be stored by name");
            cursor.bind_text(index, enumerator);
        } else {
            cursor.bind_int64(index, static_cast<std::int64_t>(value));
        }
    } else if constexpr (std::is_same_v<V, date>) {
        check_date(value, name());
        cursor.bind_date(index, value);
    } else if constexpr (is_numeric<V>::value) {
        bind_decimal(cursor, index, value.text(), name());
    } else if constexpr (std::is_same_v<V, uuid>) {
        cursor.bind_uuid(index, sql::uuid_text(value));
    } else if constexpr (std::is_same_v<V, boost::json::value>) {
        cursor.bind_json(index, sql::json_text(value));
    } else {
        static_assert(std::is_same_v<V, timestamp> || std::is_same_v<V, timestamp_us>, "reflorm: no binding for this type");
        const auto micros = std::chrono::time_point_cast<std::chrono::microseconds>(value);
        check_timestamp(micros, name());
        cursor.bind_timestamp(index, micros, std::is_same_v<V, timestamp_us>);
    }
}

/// Reads a non-optional V: false for NULL, data_error for a value that does not fit V.
template <class V>
bool read_present(driver::cursor& cursor, int column, V& out, std::string_view column_name) {
    using driver::cell;
    const auto done = [&](cell c, std::string_view expected) {
        if (c == cell::mismatch) [[unlikely]]
            throw_unreadable(cursor, column, column_name, expected);
        return c == cell::value;
    };
    if constexpr (std::is_same_v<V, bool>) {
        return done(cursor.read_bool(column, out), "a boolean (0 or 1)");
    } else if constexpr (std::is_integral_v<V> && std::is_unsigned_v<V>) {
        std::uint64_t raw = 0;
        if (!done(cursor.read_uint64(column, raw), "a non-negative integer")) return false;
        if constexpr (sizeof(V) < 8)
            if (raw > std::numeric_limits<V>::max()) throw_out_of_range(column_name, std::to_string(raw), reflect::qualified_type_name_v<V>);
        out = static_cast<V>(raw);
        return true;
    } else if constexpr (std::is_integral_v<V>) {
        std::int64_t raw = 0;
        if (!done(cursor.read_int64(column, raw), "an integer")) return false;
        if constexpr (sizeof(V) < 8)
            if (raw < std::numeric_limits<V>::min() || raw > std::numeric_limits<V>::max())
                throw_out_of_range(column_name, std::to_string(raw), reflect::qualified_type_name_v<V>);
        out = static_cast<V>(raw);
        return true;
    } else if constexpr (std::is_floating_point_v<V>) {
        double raw = 0;
        if (!done(cursor.read_double(column, raw), "a number")) return false;
        if constexpr (sizeof(V) < sizeof(double))
            if (std::isfinite(raw) && std::fabs(raw) > static_cast<double>(std::numeric_limits<V>::max()))
                throw_out_of_range(column_name, sql::format_literal(raw), reflect::qualified_type_name_v<V>);
        out = static_cast<V>(raw);
        return true;
    } else if constexpr (std::is_same_v<V, std::string>) {
        std::string_view text;
        if (!done(cursor.read_text(column, text), "text")) return false;
        out.assign(text);
        return true;
    } else if constexpr (std::is_same_v<V, blob>) {
        std::span<const std::byte> bytes;
        if (!done(cursor.read_blob(column, bytes), "binary data")) return false;
        out.assign(bytes.begin(), bytes.end());
        return true;
    } else if constexpr (std::is_enum_v<V>) {
        if constexpr (boost::describe::has_describe_enumerators<V>::value) {
            std::string_view name;
            if (!done(cursor.read_text(column, name), "an enumerator's name")) return false;
            if (!boost::describe::enum_from_string(std::string(name).c_str(), out))
                throw data_error("reflorm: column " + std::string(column_name) + " holds " + quote_for_message(name) +
                                 ", which is not an enumerator of " + std::string(reflect::qualified_type_name_v<V>));
            return true;
        } else {
            std::int64_t raw = 0;
            if (!done(cursor.read_int64(column, raw), "an integer")) return false;
            out = static_cast<V>(raw);
            return true;
        }
    } else if constexpr (std::is_same_v<V, date>) {
        return done(cursor.read_date(column, out), "a date written YYYY-MM-DD");
    } else if constexpr (is_numeric<V>::value) {
        std::string_view text;
        if (!done(cursor.read_text(column, text), "a number")) return false;
        auto parsed = V::parse(text);
        if (!parsed)
            throw_unreadable(cursor, column, column_name,
                             "a number of at most " + std::to_string(V::precision - V::scale) + " integer and " +
                                 std::to_string(V::scale) + " fractional digits (" +
                                 std::string(reflect::qualified_type_name_v<V>) + ")");
        out = std::move(*parsed);
        return true;
    } else if constexpr (std::is_same_v<V, uuid>) {
        std::string_view text;
        if (!done(cursor.read_text(column, text), "a UUID")) return false;
        if (!parse_uuid(text, out)) throw_unreadable(cursor, column, column_name, "a UUID");
        return true;
    } else if constexpr (std::is_same_v<V, boost::json::value>) {
        std::string_view text;
        if (!done(cursor.read_text(column, text), "a JSON document")) return false;
        if (!parse_json(text, out)) throw_unreadable(cursor, column, column_name, "a JSON document");
        return true;
    } else {
        static_assert(std::is_same_v<V, timestamp> || std::is_same_v<V, timestamp_us>, "reflorm: no reading for this type");
        driver::micro_time raw;
        if (!done(cursor.read_timestamp(column, raw), "a timestamp written YYYY-MM-DD HH:MM:SS[.ffffff]")) return false;
        if constexpr (std::is_same_v<V, timestamp>) {
            const auto seconds = std::chrono::floor<std::chrono::seconds>(raw);
            if (seconds != raw) throw_unreadable(cursor, column, column_name, "a timestamp of whole seconds (use reflorm::timestamp_us)");
            out = seconds;
        } else {
            out = raw;
        }
        return true;
    }
}

/// Reads result column `column` into `out`; `column_name` names it in an error.
template <class V>
void read_value(driver::cursor& cursor, int column, V& out, std::string_view column_name) {
    using driver::cell;
    if constexpr (schema::is_optional<V>::value) {
        typename V::value_type value{};
        if (read_present(cursor, column, value, column_name)) out = std::move(value);
        else out.reset();
    } else {
        if (!read_present(cursor, column, out, column_name)) throw_null_in_non_optional(column_name);
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
    } else if constexpr (std::is_same_v<V, date>) {
        return value.ok() ? sql::format_literal(value) : describe_invalid_date(value);
    } else if constexpr (std::is_same_v<V, boost::json::value>) {
        return quote_for_message(sql::json_text(value));
    } else if constexpr (std::is_floating_point_v<V>) {
        if (std::isnan(value)) return "NaN";
        if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
        return sql::format_literal(value);
    } else {
        return sql::format_literal(value);
    }
}

/// How a secret value (reflorm::secret) reads in events, echo and error messages.
inline constexpr std::string_view masked_value = "'***'";

namespace detail {
inline thread_local std::vector<std::string>* secret_sink = nullptr;  // see secret_values_scope
}

/// While it lives, the secret values described on this thread (masked as '***') are also kept
/// as text, so that an error can redact them from the database's own message (attach_described).
class secret_values_scope {
public:
    secret_values_scope() noexcept : previous_(detail::secret_sink) { detail::secret_sink = &values_; }
    ~secret_values_scope() { detail::secret_sink = previous_; }
    secret_values_scope(const secret_values_scope&) = delete;
    secret_values_scope& operator=(const secret_values_scope&) = delete;
    const std::vector<std::string>& values() const noexcept { return values_; }

private:
    std::vector<std::string> values_;
    std::vector<std::string>* previous_;
};

/// '***', noting `value` as text (a string as it is) when a secret_values_scope listens.
template <class V>
std::string mask(const V& value) {
    if (detail::secret_sink) {
        if constexpr (schema::is_optional<V>::value) {
            if (value) return mask(*value);
        } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
            detail::secret_sink->emplace_back(std::string_view(value));
        } else {
            detail::secret_sink->push_back(format_for_message(value));
        }
    }
    return std::string(masked_value);
}

/// format_for_message of a value of column Column of model T, or '***' for a secret column.
template <class T, std::size_t Column, class V>
std::string format_column_for_message(const V& value) {
    if constexpr (schema::table_of<T>.columns[Column].secret) return mask(value);
    else return format_for_message(value);
}

/// A parameter visitor (for_each_parameter) collecting the values as format_for_message
/// literals, secret ones (sql::secret_tag) as '***'.
struct parameter_describer {
    std::vector<std::string>& out;
    template <class V>
    void operator()(const V& value) {
        out.push_back(format_for_message(value));
    }
    template <class V>
    void operator()(const V& value, sql::secret_tag) {
        out.push_back(mask(value));
    }
};

/// Attaches `sql` and the values `describe()` returns to `e`, and redacts the secret values among
/// them from the database's message (database_error::redact).
template <class Describe>
void attach_described(database_error& e, const std::string& sql, Describe&& describe, std::string note = {}) {
    secret_values_scope secrets;
    e.attach(sql, describe(), std::move(note));
    for (const std::string& secret : secrets.values()) e.redact(secret);
}

// The one pair that binds and describes a statement's values, for the connection and the ORM.

/// What the connection and the loaders need of one statement type, as data (a constant per
/// type): its text (sql::detail::statement_kind) and its values, bound or described. The
/// functions over it (value_codec.cpp) are compiled once, translating the sql layer's
/// exceptions there rather than in a try/catch per statement type (compile time, issue 13).
struct statement_codec {
    const sql::detail::statement_kind* text;
    void (*bind)(driver::cursor& cursor, const void* statement);
    void (*describe)(const void* statement, std::vector<std::string>& out);
};

template <class Statement>
void bind_erased(driver::cursor& cursor, const void* statement) {
    int index = 0;
    auto bind = [&](const auto& value) { bind_value(cursor, ++index, value); };
    static_cast<const Statement*>(statement)->for_each_parameter(bind);
}
template <class Statement>
void describe_erased(const void* statement, std::vector<std::string>& out) {
    parameter_describer describe{out};
    static_cast<const Statement*>(statement)->for_each_parameter(describe);
}
template <class Statement>
inline constexpr statement_codec codec_of{&sql::detail::kind_of<Statement>, &bind_erased<Statement>, &describe_erased<Statement>};

/// The cached SQL text of `statement` (sql::statement_text), the sql layer's errors translated.
const std::string& statement_sql(const sql::detail::statement_kind& kind, const void* statement, const sql::compiler& dialect);
/// Binds a statement's values to `cursor` as parameters 1, 2, ... in placeholder order, or
/// describes them as literals for events and error messages (secret ones as '***'), through its
/// codec. Throw data_error for a value the backend cannot store, invalid_request_error for a
/// statement mistake (the sql layer's statement_error, translated).
void bind_statement(const statement_codec& codec, driver::cursor& cursor, const void* statement);
std::vector<std::string> describe_statement(const statement_codec& codec, const void* statement);

}  // namespace reflorm::codec
