#pragma once
#include <reflorm/reflect/detail/pretty_name.hpp>

namespace reflorm::reflect {

/// The unqualified name of T without template arguments, at compile time:
/// `ns::CountryLanguage` -> "CountryLanguage", `ns::box<int>` -> "box".
namespace detail {
template <class T>
inline constexpr std::string_view raw_type_name = unqualified_type_name(template_argument_text(signature_of_type<T>(), "T = "));
template <class T>
inline constexpr static_string<raw_type_name<T>.size()> type_name_storage{raw_type_name<T>};
template <class T>
inline constexpr std::string_view raw_qualified_type_name = template_argument_text(signature_of_type<T>(), "T = ");
template <class T>
inline constexpr static_string<raw_qualified_type_name<T>.size()> qualified_type_name_storage{raw_qualified_type_name<T>};
}  // namespace detail

template <class T>
inline constexpr std::string_view type_name_v = detail::type_name_storage<T>.view();

/// The full spelling of T as the compiler prints it, for diagnostics: "ns::box<int>".
template <class T>
inline constexpr std::string_view qualified_type_name_v = detail::qualified_type_name_storage<T>.view();

}  // namespace reflorm::reflect
