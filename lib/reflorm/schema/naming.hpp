#pragma once
// Default table names: CamelCase type name -> snake_case -> plural of the last word.
#include <array>
#include <cstddef>
#include <string_view>

namespace reflorm::schema {

/// A string built at compile time, stored inline.
template <std::size_t Capacity>
struct fixed_name {
    std::array<char, Capacity + 1> chars{};
    std::size_t size = 0;
    constexpr void push_back(char c) { chars[size++] = c; }
    constexpr std::string_view view() const { return {chars.data(), size}; }
};

constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
constexpr char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/// "CountryLanguage" -> "country_language", "HTTPServer" -> "http_server", "UTF8Decoder" ->
/// "utf8_decoder", "user_2" stays.
template <std::size_t Capacity>
constexpr fixed_name<Capacity> snake_case(std::string_view name) {
    fixed_name<Capacity> out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (is_upper(c) && i > 0) {
            const bool after_lower = is_lower_or_digit(name[i - 1]);
            // "HTTPServer": the last capital of an acronym starts the next word when a lower-case
            // letter follows it (a digit does not: "UTF8Decoder" -> "utf8_decoder").
            const bool acronym_end = is_upper(name[i - 1]) && i + 1 < name.size() && is_lower(name[i + 1]);
            if ((after_lower || acronym_end) && out.view().back() != '_') out.push_back('_');
        }
        out.push_back(to_lower(c));
    }
    return out;
}

/// English plural of a snake_case name's last word, by the rules users of SQLAlchemy's
/// naming conventions expect: "city" -> "cities", "address" -> "addresses", "box" -> "boxes",
/// "match" -> "matches", "day" -> "days", "user" -> "users". Irregular words are not special-cased:
/// name such tables explicitly with `model<T>::table`.
template <std::size_t Capacity>
constexpr fixed_name<Capacity> pluralize(std::string_view word) {
    fixed_name<Capacity> out;
    const auto ends_with = [&](std::string_view tail) {
        return word.size() >= tail.size() && word.substr(word.size() - tail.size()) == tail;
    };
    if (word.size() >= 2 && word.back() == 'y' && !is_vowel(word[word.size() - 2])) {
        for (std::size_t i = 0; i + 1 < word.size(); ++i) out.push_back(word[i]);
        for (char c : std::string_view{"ies"}) out.push_back(c);
        return out;
    }
    for (char c : word) out.push_back(c);
    if (ends_with("s") || ends_with("x") || ends_with("z") || ends_with("ch") || ends_with("sh")) out.push_back('e');
    out.push_back('s');
    return out;
}

/// Default table name for a type name: "CountryLanguage" -> "country_languages".
template <std::size_t Capacity>
constexpr fixed_name<Capacity> default_table_name(std::string_view type_name) {
    const auto snake = snake_case<Capacity>(type_name);
    return pluralize<Capacity>(snake.view());
}

}  // namespace reflorm::schema
