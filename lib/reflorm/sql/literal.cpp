#include <reflorm/sql/literal.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace reflorm::sql {

namespace {

// Digits written by hand: this runs for every date and timestamp bound, and snprintf was most
// of a bulk insert's time.
void append_padded(iso_text& out, long long value, int width) {
    static constexpr long long limits[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (width <= 6 && value >= 0 && value < limits[width]) {  // the usual case: exactly `width` digits
        unsigned v = static_cast<unsigned>(value);
        for (int i = width - 1; i >= 0; --i, v /= 10) out.data[out.size + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
        out.size += static_cast<std::size_t>(width);
        return;
    }
    char digits[24];
    int n = 0;
    const bool negative = value < 0;
    unsigned long long v = negative ? 0ULL - static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value);
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n < width) digits[n++] = '0';
    if (negative) out.data[out.size++] = '-';
    while (n > 0) out.data[out.size++] = digits[--n];
}

void append_char(iso_text& out, char c) { out.data[out.size++] = c; }

void append_date(iso_text& out, const date& d) {
    append_padded(out, static_cast<int>(d.year()), 4);
    append_char(out, '-');
    append_padded(out, static_cast<unsigned>(d.month()), 2);
    append_char(out, '-');
    append_padded(out, static_cast<unsigned>(d.day()), 2);
}

}  // namespace

iso_text iso_date_text(const date& d) {
    iso_text out;
    append_date(out, d);
    return out;
}

iso_text iso_timestamp_text(std::chrono::sys_time<std::chrono::microseconds> t, bool micro) {
    using namespace std::chrono;
    const auto day_point = floor<days>(t);
    const hh_mm_ss<microseconds> time{t - day_point};
    iso_text out;
    append_date(out, year_month_day{day_point});
    append_char(out, ' ');
    append_padded(out, time.hours().count(), 2);
    append_char(out, ':');
    append_padded(out, time.minutes().count(), 2);
    append_char(out, ':');
    append_padded(out, time.seconds().count(), 2);
    if (micro) {
        append_char(out, '.');
        append_padded(out, time.subseconds().count(), 6);
    }
    return out;
}

std::string iso_date(const date& d) { return std::string(iso_date_text(d).view()); }

std::string iso_timestamp(std::chrono::sys_time<std::chrono::microseconds> t, bool micro) {
    return std::string(iso_timestamp_text(t, micro).view());
}

std::string quote_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    for (char c : text) {
        if (c == '\0') {
            out += "' || char(0) || '";
            continue;
        }
        if (c == '\'') out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

std::string hex_blob(const blob& bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2 + 3);
    out += "X'";
    for (std::byte b : bytes) {
        out += hex[std::to_integer<unsigned>(b) >> 4];
        out += hex[std::to_integer<unsigned>(b) & 15];
    }
    out += '\'';
    return out;
}

std::string uuid_text(const uuid& value) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[value.data[i] >> 4];
        out += hex[value.data[i] & 0xf];
    }
    return out;
}

std::string json_text(const boost::json::value& value) { return boost::json::serialize(value); }

}  // namespace reflorm::sql
