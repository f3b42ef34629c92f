#include <reflorm/sql/literal.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <cstring>

namespace reflorm::sql {

namespace {

// Digits written by hand, two at a time from a table: this runs for every date and timestamp
// bound, and snprintf was most of a bulk insert's time.
constexpr char two_digits[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

void put_two(char* out, unsigned value) { std::memcpy(out, two_digits + 2 * value, 2); }

void append_padded(iso_text& out, long long value, int width) {
    static constexpr long long limits[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (width <= 6 && width % 2 == 0 && value >= 0 && value < limits[width]) {  // the usual case: exactly `width` digits
        unsigned v = static_cast<unsigned>(value);
        for (int i = width - 2; i >= 0; i -= 2, v /= 100) put_two(out.data + out.size + static_cast<std::size_t>(i), v % 100);
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
    const year_month_day ymd{day_point};
    iso_text out;
    if (const int y = static_cast<int>(ymd.year()); y >= 0 && y <= 9999) {
        // The usual case (a bulk insert writes one a row), straight through: every field has
        // its fixed place.
        const auto in_day = static_cast<std::uint64_t>((t - day_point).count());  // microseconds
        const auto second = static_cast<unsigned>(in_day / 1'000'000);
        char* p = out.data;
        put_two(p, static_cast<unsigned>(y) / 100);
        put_two(p + 2, static_cast<unsigned>(y) % 100);
        p[4] = '-';
        put_two(p + 5, static_cast<unsigned>(ymd.month()));
        p[7] = '-';
        put_two(p + 8, static_cast<unsigned>(ymd.day()));
        p[10] = ' ';
        put_two(p + 11, second / 3600);
        p[13] = ':';
        put_two(p + 14, second / 60 % 60);
        p[16] = ':';
        put_two(p + 17, second % 60);
        out.size = 19;
        if (micro) {
            const auto fraction = static_cast<unsigned>(in_day % 1'000'000);
            p[19] = '.';
            put_two(p + 20, fraction / 10'000);
            put_two(p + 22, fraction / 100 % 100);
            put_two(p + 24, fraction % 100);
            out.size = 26;
        }
        return out;
    }
    const hh_mm_ss<microseconds> time{t - day_point};
    append_date(out, ymd);
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
