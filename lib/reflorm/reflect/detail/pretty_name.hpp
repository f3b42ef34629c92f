#pragma once
// Compile-time names read from the compiler's pretty function signature.
// This is the one place that parses __PRETTY_FUNCTION__ (GCC and Clang spell it alike
// for the shapes used here). Boost 1.81's PFR has no get_name, so reflorm owns this.
#include <array>
#include <cstddef>
#include <string_view>

namespace reflorm::reflect::detail {

// Copies a compile-time string into static storage, so that names survive into the program
// without keeping whole function signatures alive.
template <std::size_t N>
struct static_string {
    std::array<char, N + 1> chars{};
    constexpr explicit static_string(std::string_view text) {
        for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
    }
    constexpr std::string_view view() const { return {chars.data(), N}; }
};

template <auto Pointer>
consteval std::string_view signature_of_pointer() {
    return __PRETTY_FUNCTION__;
}

template <class T>
consteval std::string_view signature_of_type() {
    return __PRETTY_FUNCTION__;
}

// The template argument's text: between "= " after the parameter name and the closing ']' or ';'.
consteval std::string_view template_argument_text(std::string_view signature, std::string_view parameter) {
    const auto start = signature.find(parameter);
    if (start == std::string_view::npos) return {};
    std::size_t begin = start + parameter.size();
    int depth = 0;
    std::size_t end = begin;
    for (; end < signature.size(); ++end) {
        const char ch = signature[end];
        if (ch == '<' || ch == '(' || ch == '[') ++depth;
        else if (ch == '>' || ch == ')') --depth;
        else if ((ch == ']' || ch == ';') && depth <= 0) break;
    }
    return signature.substr(begin, end - begin);
}

// "(& fake_object<ns::User>.ns::User::name_2)" -> "name_2"
consteval std::string_view member_name_from_pointer_text(std::string_view text) {
    while (!text.empty() && (text.back() == ')' || text.back() == ' ')) text.remove_suffix(1);
    const auto last = text.find_last_of(":.>");
    return last == std::string_view::npos ? text : text.substr(last + 1);
}

// "ns::inner::Box<int>" -> "Box"; "ns::User" -> "User"
consteval std::string_view unqualified_type_name(std::string_view text) {
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (!text.empty() && text.back() == '>') {
        int depth = 0;
        std::size_t i = text.size();
        while (i-- > 0) {
            if (text[i] == '>') ++depth;
            else if (text[i] == '<' && --depth == 0) break;
        }
        text = text.substr(0, i);
    }
    const auto last = text.find_last_of(": ");
    return last == std::string_view::npos ? text : text.substr(last + 1);
}

}  // namespace reflorm::reflect::detail
