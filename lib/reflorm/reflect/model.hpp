#pragma once
// The customisation point through which users configure a model without macros.

namespace reflorm {

/// Specialise for a model to configure it; every member is optional:
///
///     template <> struct reflorm::model<City> {
///         static constexpr std::string_view table = "city";                  // default: "cities"
///         static constexpr auto primary_key = reflorm::primary_key<&City::id>; // default: member `id`
///         static constexpr auto columns = reflorm::columns(
///             reflorm::max_length<&City::name, 35>,
///             reflorm::foreign_key<&City::country_code, &Country::code>);
///     };
///
/// The option templates live in <reflorm/schema/options.hpp>.
template <class T>
struct model {};

}  // namespace reflorm
