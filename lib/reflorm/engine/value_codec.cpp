#include <reflorm/engine/value_codec.hpp>

namespace reflorm::codec {

namespace {

// Reads exactly `width` digits at `pos`.
bool read_digits(std::string_view text, std::size_t& pos, int width, int& value) {
    if (pos + static_cast<std::size_t>(width) > text.size()) return false;
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, value);
    if (ec != std::errc{} || end != text.data() + pos + width) return false;
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

[[noreturn]] void malformed(std::string_view text, std::string_view column, std::string_view expected) {
    throw data_error("reflorm: column " + std::string(column) + " holds " + quote_for_message(text) + ", which is not " +
                     std::string(expected));
}

}  // namespace

date parse_date(std::string_view text, std::string_view column) {
    std::size_t pos = 0;
    date out;
    if (!read_date(text, pos, out) || pos != text.size()) malformed(text, column, "a date written YYYY-MM-DD");
    return out;
}

std::chrono::sys_time<std::chrono::microseconds> parse_timestamp(std::string_view text, std::string_view column) {
    using namespace std::chrono;
    std::size_t pos = 0;
    date day;
    int h = 0, m = 0, s = 0;
    const bool ok = read_date(text, pos, day) && pos < text.size() && (text[pos] == ' ' || text[pos] == 'T') &&
                    ++pos && read_digits(text, pos, 2, h) && expect(text, pos, ':') && read_digits(text, pos, 2, m) &&
                    expect(text, pos, ':') && read_digits(text, pos, 2, s) && h < 24 && m < 60 && s < 61;
    if (!ok) malformed(text, column, "a timestamp written YYYY-MM-DD HH:MM:SS[.ffffff]");
    long long micros = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 6) micros = micros * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) malformed(text, column, "a timestamp written YYYY-MM-DD HH:MM:SS[.ffffff]");
        for (int i = digits; i < 6; ++i) micros *= 10;
    }
    if (pos != text.size()) malformed(text, column, "a timestamp written YYYY-MM-DD HH:MM:SS[.ffffff]");
    return sys_days{day} + hours{h} + minutes{m} + seconds{s} + microseconds{micros};
}

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

void throw_out_of_range(std::string_view column, std::string_view value, std::string_view type) {
    throw data_error("reflorm: value " + std::string(value) + " of " + std::string(column) + " does not fit " +
                     std::string(type));
}

void throw_null_in_non_optional(std::string_view column) {
    throw data_error("reflorm: column " + std::string(column) +
                     " is NULL but its member is not std::optional; make the member std::optional<T>");
}

}  // namespace reflorm::codec
