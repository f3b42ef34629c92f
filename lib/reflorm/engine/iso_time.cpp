#include <reflorm/engine/iso_time.hpp>

namespace reflorm::driver {

namespace {

// Reads exactly `width` (at most 4) digits at `pos`, checked and summed in one pass.
bool read_digits(std::string_view text, std::size_t& pos, int width, int& value) {
    if (pos + static_cast<std::size_t>(width) > text.size()) return false;
    int v = 0;
    for (int i = 0; i < width; ++i) {
        const char c = text[pos + static_cast<std::size_t>(i)];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    value = v;
    pos += static_cast<std::size_t>(width);
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

bool read_date(std::string_view text, std::size_t& pos, date& out) {
    int y = 0, m = 0, d = 0;
    if (!read_digits(text, pos, 4, y) || !expect(text, pos, '-') || !read_digits(text, pos, 2, m) ||
        !expect(text, pos, '-') || !read_digits(text, pos, 2, d))
        return false;
    out = std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} / std::chrono::day{static_cast<unsigned>(d)};
    return out.ok();
}

// "YYYY-MM-DD HH:MM:SS" exactly (what reflorm and SQLAlchemy write): checked digit by digit in
// one pass, the day against its month's length, without year_month_day; it runs for every
// timestamp read. False sends the text on to the general parser.
bool parse_plain_timestamp(std::string_view t, std::chrono::sys_time<std::chrono::microseconds>& out) {
    using namespace std::chrono;
    if (t.size() != 19 || t[4] != '-' || t[7] != '-' || (t[10] != ' ' && t[10] != 'T') || t[13] != ':' || t[16] != ':')
        return false;
    const auto digit = [&](std::size_t i, unsigned& v) {
        const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(t[i])) - unsigned{'0'};
        v = v * 10 + d;
        return d <= 9;
    };
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!(digit(0, y) & digit(1, y) & digit(2, y) & digit(3, y) & digit(5, mo) & digit(6, mo) & digit(8, d) & digit(9, d) &
          digit(11, h) & digit(12, h) & digit(14, mi) & digit(15, mi) & digit(17, s) & digit(18, s)))
        return false;
    static constexpr unsigned char month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
    const bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    if (d > month_days[mo - 1] + (mo == 2 && leap ? 1u : 0u)) return false;
    out = sys_days{year{static_cast<int>(y)} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
    return true;
}

}  // namespace

bool parse_iso_date(std::string_view text, date& out) {
    std::size_t pos = 0;
    return read_date(text, pos, out) && pos == text.size();
}

bool parse_iso_timestamp(std::string_view text, std::chrono::sys_time<std::chrono::microseconds>& out) {
    using namespace std::chrono;
    if (parse_plain_timestamp(text, out)) return true;
    std::size_t pos = 0;
    date day;
    int h = 0, m = 0, s = 0;
    const bool ok = read_date(text, pos, day) && pos < text.size() && (text[pos] == ' ' || text[pos] == 'T') && ++pos &&
                    read_digits(text, pos, 2, h) && expect(text, pos, ':') && read_digits(text, pos, 2, m) &&
                    expect(text, pos, ':') && read_digits(text, pos, 2, s) && h < 24 && m < 60 && s < 60;
    if (!ok) return false;
    long long micros = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 6) micros = micros * 10 + (text[pos] - '0');
            else if (text[pos] != '0') return false;  // finer than microseconds: not without loss
            ++digits;
            ++pos;
        }
        if (digits == 0) return false;
        for (int i = digits; i < 6; ++i) micros *= 10;
    }
    if (pos != text.size()) return false;
    out = sys_days{day} + hours{h} + minutes{m} + seconds{s} + microseconds{micros};
    return true;
}

}  // namespace reflorm::driver
