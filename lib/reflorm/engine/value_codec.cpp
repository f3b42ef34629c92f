#include <reflorm/engine/value_codec.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <charconv>

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
    // Compared as time points: the calendar conversion is left to the failure (a bulk insert
    // checks every row).
    using namespace std::chrono;
    static constexpr sys_days first{year{1} / 1 / 1}, after_last{year{10000} / 1 / 1};
    if (value >= first && value < after_last) return;
    const int year = static_cast<int>(date{floor<days>(value)}.year());
    throw_unstorable(column, "a timestamp in year " + std::to_string(year), "reflorm stores years 1 to 9999, as every backend reads them");
}

void bind_decimal(driver::cursor& cursor, int index, const std::string& text, std::string_view column) {
    const int kept = cursor.support().decimal_digits;
    if (kept == 0) {
        cursor.bind_decimal(index, text);
        return;
    }
    // SQLite keeps an integer that fits int64 exactly, anything else as a double.
    const std::size_t point = text.find('.');
    const bool integral = point == std::string::npos || text.find_first_not_of('0', point + 1) == std::string::npos;
    if (integral) {
        std::int64_t value = 0;
        const char* end = text.data() + (point == std::string::npos ? text.size() : point);
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error == std::errc{} && stop == end && end != text.data()) {
            cursor.bind_int64(index, value);
            return;
        }
    }
    const std::size_t first = text.find_first_of("123456789");
    const std::size_t last = text.find_last_of("123456789");
    const std::size_t significant =
        first == std::string::npos ? 0 : last - first + 1 - (point != std::string::npos && first < point && point < last ? 1 : 0);
    if (significant > static_cast<std::size_t>(kept))
        throw_unstorable(column, text,
                         "it has " + std::to_string(significant) + " significant digits, and this backend keeps " +
                             std::to_string(kept) + " of a NUMERIC value that is not an integer of 64 bits (SQLite stores a double)");
    cursor.bind_decimal(index, text);
}

bool parse_uuid(std::string_view text, uuid& out) {
    const bool dashed = text.size() == 36;
    if (!dashed && text.size() != 32) return false;
    const auto nibble = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::size_t at = 0;
    for (std::size_t i = 0; i < 16; ++i) {
        if (dashed && (i == 4 || i == 6 || i == 8 || i == 10) && text[at++] != '-') return false;
        const int high = nibble(text[at]), low = nibble(text[at + 1]);
        if (high < 0 || low < 0) return false;
        out.data[i] = static_cast<std::uint8_t>(high << 4 | low);
        at += 2;
    }
    return true;
}

bool parse_json(std::string_view text, boost::json::value& out) {
    boost::system::error_code error;
    boost::json::parse_options options;
    options.max_depth = 1024;  // Boost.JSON's default of 32 would refuse what PostgreSQL stores
    auto parsed = boost::json::parse(text, error, {}, options);
    if (error) return false;
    out = std::move(parsed);
    return true;
}

namespace {
/// Rethrows the exception in flight, the sql layer's (which cannot see reflorm::error) as
/// reflorm's: unsupported_feature_error as unsupported_error, statement_error (an unbound text()
/// parameter, say) as invalid_request_error.
[[noreturn]] void rethrow_translated() {
    try {
        throw;
    } catch (const sql::unsupported_feature_error& e) {
        throw unsupported_error(e.what());
    } catch (const sql::statement_error& e) {
        throw invalid_request_error(e.what());
    }
}
}  // namespace

const std::string& statement_sql(const sql::detail::statement_kind& kind, const void* statement, const sql::compiler& dialect) {
    try {
        return sql::detail::cached_text(kind, statement, dialect);
    } catch (...) {
        rethrow_translated();
    }
}

void bind_statement(const statement_codec& codec, driver::cursor& cursor, const void* statement) {
    try {
        codec.bind(cursor, statement);
    } catch (...) {
        rethrow_translated();
    }
}

std::vector<std::string> describe_statement(const statement_codec& codec, const void* statement) {
    std::vector<std::string> out;
    try {
        codec.describe(statement, out);
    } catch (...) {
        rethrow_translated();
    }
    return out;
}

}  // namespace reflorm::codec
