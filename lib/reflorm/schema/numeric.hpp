#pragma once
// reflorm::numeric<P, S>: an exact decimal for NUMERIC(P, S) / DECIMAL(P, S) columns, held as
// its canonical decimal text. reflorm does no decimal arithmetic: convert text() to the decimal
// type of your choice (Boost.Multiprecision's cpp_dec_float, a fixed-point type, a money type).
#include <algorithm>
#include <charconv>
#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace reflorm {

namespace detail {

/// Canonical text of `text` as a decimal of at most `precision` digits, `scale` of them after
/// the point: "-12.30" for ("-12.3", 5, 2). Accepts an optional sign, digits with at most one
/// point, and an exponent ("1.5e3", as SQLite prints large REAL values). nullopt when the text
/// is not a number or needs more digits than the column has (nothing is rounded).
inline std::optional<std::string> canonical_decimal(std::string_view text, int precision, int scale) {
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::string digits;  // every mantissa digit, the point removed
    long point = -1;     // digits before the point
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') digits += c;
        else if (c == '.' && point < 0) point = static_cast<long>(digits.size());
        else break;
    }
    if (digits.empty() || digits.size() > 2000) return std::nullopt;
    if (point < 0) point = static_cast<long>(digits.size());
    if (i < text.size()) {
        if (text[i] != 'e' && text[i] != 'E') return std::nullopt;
        ++i;
        bool exponent_negative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
        if (i == text.size() || text.size() - i > 4) return std::nullopt;
        long exponent = 0;
        for (; i < text.size(); ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            exponent = exponent * 10 + (text[i] - '0');
        }
        point += exponent_negative ? -exponent : exponent;
    }
    // Place the digits around the point: integer part, then fraction.
    std::string integer, fraction;
    for (long d = 0; d < static_cast<long>(digits.size()); ++d) (d < point ? integer : fraction) += digits[static_cast<std::size_t>(d)];
    if (point < 0) fraction.insert(0, static_cast<std::size_t>(-point), '0');
    else if (point > static_cast<long>(digits.size())) integer.append(static_cast<std::size_t>(point) - digits.size(), '0');
    integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size()));
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    if (fraction.size() > static_cast<std::size_t>(scale)) return std::nullopt;
    if (integer.size() > static_cast<std::size_t>(precision - scale)) return std::nullopt;
    const bool zero = integer.empty() && fraction.empty();
    fraction.resize(static_cast<std::size_t>(scale), '0');
    std::string out = negative && !zero ? "-" : "";
    out += integer.empty() ? "0" : integer;
    if (scale > 0) out += '.' + fraction;
    return out;
}

}  // namespace detail

/// An exact decimal of `Precision` digits, `Scale` of them after the point: a NUMERIC(P, S)
/// column on PostgreSQL and SQLite, DECIMAL(P, S) on MySQL/MariaDB. Holds its canonical text:
/// an optional '-', the integer digits without leading zeros (at least "0"), and exactly Scale
/// digits after a point ("-12.30" for numeric<5, 2>). Values are never rounded: text with more
/// digits than the column holds is refused. Equality and order are those of the numbers.
/// Precision 1 to 65 and Scale 0 to 30 with Scale <= Precision: what every backend accepts
/// (MySQL's DECIMAL is the narrowest). On SQLite, which keeps NUMERIC values as a 64-bit
/// integer or a double, a value of more than 15 significant digits is refused when written.
template <int Precision, int Scale>
class numeric {
    static_assert(Precision >= 1 && Precision <= 65, "reflorm: numeric<Precision, Scale> takes a Precision of 1 to 65 digits (MySQL's DECIMAL limit)");
    static_assert(Scale >= 0 && Scale <= 30 && Scale <= Precision,
                  "reflorm: numeric<Precision, Scale> takes a Scale of 0 to 30 digits, at most Precision");

public:
    static constexpr int precision = Precision;
    static constexpr int scale = Scale;

    /// Zero: "0" or "0.00" (Scale zeros).
    numeric() : text_(zero()) {}
    numeric(const numeric&) = default;
    numeric& operator=(const numeric&) = default;
    /// A moved-from numeric is zero, never empty text.
    numeric(numeric&& other) noexcept : text_(std::exchange(other.text_, zero())) {}
    numeric& operator=(numeric&& other) noexcept {
        text_ = std::exchange(other.text_, zero());
        return *this;
    }
    /// From decimal text such as "12.5", "-0.75" or "1e3". Throws std::invalid_argument naming
    /// the text when it is not a number or does not fit (P - S integer digits, S after the point).
    explicit numeric(std::string_view text) {
        auto canonical = detail::canonical_decimal(text, Precision, Scale);
        if (!canonical)
            throw std::invalid_argument("reflorm::numeric<" + std::to_string(Precision) + ", " + std::to_string(Scale) + ">: '" +
                                        std::string(text.substr(0, 100)) + "' is not a number of at most " +
                                        std::to_string(Precision - Scale) + " integer and " + std::to_string(Scale) +
                                        " fractional digits");
        text_ = std::move(*canonical);
    }
    /// The value of `text`, or nullopt where the constructor would throw.
    static std::optional<numeric> parse(std::string_view text) {
        auto canonical = detail::canonical_decimal(text, Precision, Scale);
        if (!canonical) return std::nullopt;
        numeric out;
        out.text_ = std::move(*canonical);
        return out;
    }

    /// The canonical text, "-12.30".
    const std::string& text() const noexcept { return text_; }
    /// The nearest double (inexact beyond 15 to 17 significant digits); independent of the locale.
    double to_double() const {
        double out = 0;
        std::from_chars(text_.data(), text_.data() + text_.size(), out);
        return out;
    }

    friend bool operator==(const numeric&, const numeric&) = default;  // canonical text: one per number
    friend std::strong_ordering operator<=>(const numeric& a, const numeric& b) {
        const bool an = a.text_.front() == '-', bn = b.text_.front() == '-';
        if (an != bn) return an ? std::strong_ordering::less : std::strong_ordering::greater;
        // Same sign: longer integer part is larger in magnitude; then the digits compare.
        const auto magnitude = [](const std::string& t, bool negative) {
            const std::string_view v = std::string_view(t).substr(negative ? 1 : 0);
            return std::pair{v.find('.') == std::string_view::npos ? v.size() : v.find('.'), v};
        };
        const auto [al, av] = magnitude(a.text_, an);
        const auto [bl, bv] = magnitude(b.text_, bn);
        const auto order = al != bl ? al <=> bl : av.compare(bv) <=> 0;
        return an ? 0 <=> order : order;
    }
    friend std::size_t hash_value(const numeric& n) { return std::hash<std::string>{}(n.text_); }

private:
    static std::string zero() { return Scale ? "0." + std::string(Scale, '0') : "0"; }
    std::string text_;
};

template <class T>
struct is_numeric : std::false_type {};
template <int P, int S>
struct is_numeric<numeric<P, S>> : std::true_type {};

}  // namespace reflorm
