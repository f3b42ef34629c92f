// The World schema's versions, as the migrations sample takes it through them and as the
// comparison with Alembic (tests/migrate/alembic) checks them. Each version is a model_set;
// the models of v1 to v4 are templates on the version, so that each change is written once,
// at the version that makes it:
//
//   v0  world::Country, world::City, world::CountryLanguage (world_tpch/models.hpp), as they are
//   v1  country.gdp: a new NOT NULL column with a server default ('0')
//   v2  ix_city_name: a new index on city.name
//   v3  column types: country.surface_area DOUBLE -> NUMERIC(10, 2) (MariaDB's own World has
//       DECIMAL(10, 2) there), city.name VARCHAR(35) -> VARCHAR(50)
//   v4  a table split: language (id, name UNIQUE), and country_language refers to it by
//       language_id instead of holding the name (the sample moves the names with a data migration)
//
// Relationship members are left out of v1 to v4: they are not columns, and migrations see
// only tables.
#pragma once

#include "world_tpch/models.hpp"

#include <reflorm/reflorm.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace world_versions {

/// The models of one version, in create_all order: `[]<class... M>(model_set<M...>) {
/// reflorm::create_all<M...>(conn); }(v2{})`.
template <class... Models>
struct model_set {};

template <int V>
struct Country {
    static_assert(V >= 1 && V <= 4, "v0's Country is world::Country");
    std::string code{};
    std::string name{};
    std::conditional_t<(V >= 3), reflorm::numeric<10, 2>, double> surface_area{};  // km²; v3: NUMERIC(10, 2)
    std::int64_t population = 0;
    std::optional<std::int32_t> capital{};
    double gdp = 0;  // v1; millions of USD
};

template <int V>
struct City {
    static_assert(V >= 1 && V <= 4, "v0's City is world::City");
    std::int32_t id = 0;
    std::string name{};
    std::string country_code{};
    std::int64_t population = 0;
};

template <int V>
struct CountryLanguage {
    static_assert(V >= 1 && V <= 3, "v0's CountryLanguage is world::CountryLanguage; v4's refers to Language");
    std::string country_code{};
    std::string language{};
    double percentage = 0;
};

/// v4: the languages, each once.
struct Language {
    std::int32_t id = 0;
    std::string name{};
};

template <>
struct CountryLanguage<4> {
    std::string country_code{};
    std::int32_t language_id = 0;
    double percentage = 0;
};

using v0 = model_set<world::Country, world::City, world::CountryLanguage>;
using v1 = model_set<Country<1>, City<1>, CountryLanguage<1>>;
using v2 = model_set<Country<2>, City<2>, CountryLanguage<2>>;
using v3 = model_set<Country<3>, City<3>, CountryLanguage<3>>;
using v4 = model_set<Country<4>, City<4>, Language, CountryLanguage<4>>;

}  // namespace world_versions

template <int V>
struct reflorm::model<world_versions::Country<V>> {
    using C = world_versions::Country<V>;
    static constexpr std::string_view table = "country";
    static constexpr auto primary_key = reflorm::primary_key<&C::code>;
    static constexpr auto columns = reflorm::columns(
        reflorm::max_length<&C::code, 3>,
        reflorm::max_length<&C::name, 52>,
        reflorm::foreign_key<&C::capital, &world_versions::City<V>::id>.deferrable(),
        reflorm::server_default<&C::gdp>("0"));
};

template <int V>
struct reflorm::model<world_versions::City<V>> {
    using C = world_versions::City<V>;
    static constexpr std::string_view table = "city";
    static constexpr auto columns = [] {
        const auto always = reflorm::columns(
            reflorm::max_length<&C::name, (V >= 3 ? 50 : 35)>,
            reflorm::max_length<&C::country_code, 3>,
            reflorm::foreign_key<&C::country_code, &world_versions::Country<V>::code>,
            reflorm::index<&C::country_code>);
        if constexpr (V >= 2) return std::tuple_cat(always, reflorm::columns(reflorm::index<&C::name>));  // v2
        else return always;
    }();
};

template <int V>
struct reflorm::model<world_versions::CountryLanguage<V>> {
    using C = world_versions::CountryLanguage<V>;
    static constexpr std::string_view table = "country_language";
    static constexpr auto primary_key = reflorm::primary_key<&C::country_code, &C::language>;
    static constexpr auto columns = reflorm::columns(
        reflorm::max_length<&C::country_code, 3>,
        reflorm::max_length<&C::language, 30>,
        reflorm::foreign_key<&C::country_code, &world_versions::Country<V>::code>);
};

template <>
struct reflorm::model<world_versions::Language> {
    static constexpr std::string_view table = "language";
    static constexpr auto columns = reflorm::columns(
        reflorm::unique<&world_versions::Language::name>,
        reflorm::max_length<&world_versions::Language::name, 30>);
};

template <>
struct reflorm::model<world_versions::CountryLanguage<4>> {
    using C = world_versions::CountryLanguage<4>;
    static constexpr std::string_view table = "country_language";
    static constexpr auto primary_key = reflorm::primary_key<&C::country_code, &C::language_id>;
    static constexpr auto columns = reflorm::columns(
        reflorm::max_length<&C::country_code, 3>,
        reflorm::foreign_key<&C::country_code, &world_versions::Country<4>::code>,
        reflorm::foreign_key<&C::language_id, &world_versions::Language::id>);
};
