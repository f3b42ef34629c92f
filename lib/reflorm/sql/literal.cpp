#include <reflorm/sql/literal.hpp>

#include <cstdio>

namespace reflorm::sql {

namespace {

void append_padded(std::string& out, long long value, int width) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%0*lld", width, value);
    out += buffer;
}

}  // namespace

std::string iso_date(const date& d) {
    std::string out;
    out.reserve(10);
    append_padded(out, static_cast<int>(d.year()), 4);
    out += '-';
    append_padded(out, static_cast<unsigned>(d.month()), 2);
    out += '-';
    append_padded(out, static_cast<unsigned>(d.day()), 2);
    return out;
}

std::string iso_timestamp(std::chrono::sys_time<std::chrono::microseconds> t, bool micro) {
    using namespace std::chrono;
    const auto day_point = floor<days>(t);
    const hh_mm_ss<microseconds> time{t - day_point};
    std::string out = iso_date(year_month_day{day_point});
    out += ' ';
    append_padded(out, time.hours().count(), 2);
    out += ':';
    append_padded(out, time.minutes().count(), 2);
    out += ':';
    append_padded(out, time.seconds().count(), 2);
    if (micro) {
        out += '.';
        append_padded(out, time.subseconds().count(), 6);
    }
    return out;
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

}  // namespace reflorm::sql
