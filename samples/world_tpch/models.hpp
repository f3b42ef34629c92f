// The flagship sample's models: MariaDB's World database and TPC-H (DBT-3) at scale 0.01.
// Plain aggregates, configured through reflorm::model<T> specialisations: no macros.
// Relationship members (reflorm::one, reflorm::many) are not columns; they come last, after the
// columns, which keep the order of the dump's values.
#pragma once

#include <reflorm/orm/relationship.hpp>
#include <reflorm/orm/relationship_options.hpp>
#include <reflorm/reflorm.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace world {

struct City;

struct Country {
    std::string code{};                   // ISO 3166-1 alpha-3, the primary key
    std::string name{};
    double surface_area = 0;              // km²
    std::int64_t population = 0;
    std::optional<std::int32_t> capital{}; // City::id; NULL for uninhabited territories
    reflorm::many<City> cities{};         // one-to-many through City::country_code
};

struct City {
    std::int32_t id = 0;
    std::string name{};
    std::string country_code{};
    std::int64_t population = 0;
    reflorm::one<Country> country{};      // many-to-one, the other side of Country::cities
};

struct CountryLanguage {
    std::string country_code{};
    std::string language{};
    double percentage = 0;
};

}  // namespace world

namespace tpch {

struct Region {
    std::int32_t r_regionkey = 0;
    std::string r_name{};
    std::string r_comment{};
};

struct Nation {
    std::int32_t n_nationkey = 0;
    std::string n_name{};
    std::int32_t n_regionkey = 0;
    std::string n_comment{};
};

struct Supplier {
    std::int32_t s_suppkey = 0;
    std::string s_name{};
    std::string s_address{};
    std::int32_t s_nationkey = 0;
    std::string s_phone{};
    double s_acctbal = 0;
    std::string s_comment{};
};

struct Customer {
    std::int32_t c_custkey = 0;
    std::string c_name{};
    std::string c_address{};
    std::int32_t c_nationkey = 0;
    std::string c_phone{};
    double c_acctbal = 0;
    std::string c_mktsegment{};
    std::string c_comment{};
};

struct Part {
    std::int32_t p_partkey = 0;
    std::string p_name{};
    std::string p_mfgr{};
    std::string p_brand{};
    std::string p_type{};
    std::int32_t p_size = 0;
    std::string p_container{};
    double p_retailprice = 0;
    std::string p_comment{};
};

struct PartSupp {
    std::int32_t ps_partkey = 0;
    std::int32_t ps_suppkey = 0;
    std::int32_t ps_availqty = 0;
    double ps_supplycost = 0;
    std::string ps_comment{};
};

struct Order {
    std::int32_t o_orderkey = 0;
    std::int32_t o_custkey = 0;
    std::string o_orderstatus{};
    double o_totalprice = 0;
    reflorm::date o_orderdate{};
    std::string o_orderpriority{};
    std::string o_clerk{};
    std::int32_t o_shippriority = 0;
    std::string o_comment{};
};

struct LineItem {
    std::int32_t l_orderkey = 0;
    std::int32_t l_partkey = 0;
    std::int32_t l_suppkey = 0;
    std::int32_t l_linenumber = 0;
    double l_quantity = 0;
    double l_extendedprice = 0;
    double l_discount = 0;
    double l_tax = 0;
    std::string l_returnflag{};
    std::string l_linestatus{};
    reflorm::date l_shipdate{};
    reflorm::date l_commitdate{};
    reflorm::date l_receiptdate{};
    std::string l_shipinstruct{};
    std::string l_shipmode{};
    std::string l_comment{};
};

}  // namespace tpch

template <>
struct reflorm::model<world::Country> {
    static constexpr std::string_view table = "country";
    static constexpr auto primary_key = reflorm::primary_key<&world::Country::code>;
    static constexpr auto columns = reflorm::columns(
        reflorm::max_length<&world::Country::code, 3>,
        reflorm::max_length<&world::Country::name, 52>,
        // Countries and their capitals reference each other: checked at COMMIT.
        reflorm::foreign_key<&world::Country::capital, &world::City::id>.deferrable());
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&world::Country::cities>{}.back_populates<&world::City::country>().order_by(
            reflorm::c<&world::City::id>));
};

template <>
struct reflorm::model<world::City> {
    static constexpr std::string_view table = "city";
    static constexpr auto columns = reflorm::columns(
        reflorm::max_length<&world::City::name, 35>,
        reflorm::max_length<&world::City::country_code, 3>,
        reflorm::foreign_key<&world::City::country_code, &world::Country::code>,
        reflorm::index<&world::City::country_code>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&world::City::country>{}.back_populates<&world::Country::cities>());
};

template <>
struct reflorm::model<world::CountryLanguage> {
    static constexpr std::string_view table = "country_language";
    static constexpr auto primary_key =
        reflorm::primary_key<&world::CountryLanguage::country_code, &world::CountryLanguage::language>;
    static constexpr auto columns = reflorm::columns(
        reflorm::max_length<&world::CountryLanguage::country_code, 3>,
        reflorm::max_length<&world::CountryLanguage::language, 30>,
        reflorm::foreign_key<&world::CountryLanguage::country_code, &world::Country::code>);
};

// TPC-H keeps its own table names; its keys are given in the data, not generated.
template <>
struct reflorm::model<tpch::Region> {
    static constexpr std::string_view table = "region";
    static constexpr auto primary_key = reflorm::primary_key<&tpch::Region::r_regionkey>;
    static constexpr bool autoincrement = false;
};

template <>
struct reflorm::model<tpch::Nation> {
    static constexpr std::string_view table = "nation";
    static constexpr auto primary_key = reflorm::primary_key<&tpch::Nation::n_nationkey>;
    static constexpr bool autoincrement = false;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&tpch::Nation::n_regionkey, &tpch::Region::r_regionkey>,
        reflorm::index<&tpch::Nation::n_regionkey>);
};

template <>
struct reflorm::model<tpch::Supplier> {
    static constexpr std::string_view table = "supplier";
    static constexpr auto primary_key = reflorm::primary_key<&tpch::Supplier::s_suppkey>;
    static constexpr bool autoincrement = false;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&tpch::Supplier::s_nationkey, &tpch::Nation::n_nationkey>,
        reflorm::index<&tpch::Supplier::s_nationkey>);
};

template <>
struct reflorm::model<tpch::Customer> {
    static constexpr std::string_view table = "customer";
    static constexpr auto primary_key = reflorm::primary_key<&tpch::Customer::c_custkey>;
    static constexpr bool autoincrement = false;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&tpch::Customer::c_nationkey, &tpch::Nation::n_nationkey>,
        reflorm::index<&tpch::Customer::c_nationkey>);
};

template <>
struct reflorm::model<tpch::Part> {
    static constexpr std::string_view table = "part";
    static constexpr auto primary_key = reflorm::primary_key<&tpch::Part::p_partkey>;
    static constexpr bool autoincrement = false;
};

template <>
struct reflorm::model<tpch::PartSupp> {
    static constexpr std::string_view table = "partsupp";
    static constexpr auto primary_key = reflorm::primary_key<&tpch::PartSupp::ps_partkey, &tpch::PartSupp::ps_suppkey>;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&tpch::PartSupp::ps_partkey, &tpch::Part::p_partkey>,
        reflorm::foreign_key<&tpch::PartSupp::ps_suppkey, &tpch::Supplier::s_suppkey>,
        reflorm::index<&tpch::PartSupp::ps_suppkey>);
};

template <>
struct reflorm::model<tpch::Order> {
    static constexpr std::string_view table = "orders";
    static constexpr auto primary_key = reflorm::primary_key<&tpch::Order::o_orderkey>;
    static constexpr bool autoincrement = false;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&tpch::Order::o_custkey, &tpch::Customer::c_custkey>,
        reflorm::index<&tpch::Order::o_custkey>,
        reflorm::index<&tpch::Order::o_orderdate>);
};

template <>
struct reflorm::model<tpch::LineItem> {
    static constexpr std::string_view table = "lineitem";
    static constexpr auto primary_key = reflorm::primary_key<&tpch::LineItem::l_orderkey, &tpch::LineItem::l_linenumber>;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&tpch::LineItem::l_orderkey, &tpch::Order::o_orderkey>.on_delete(reflorm::referential_action::cascade),
        reflorm::composite_foreign_key<reflorm::key<&tpch::LineItem::l_partkey, &tpch::LineItem::l_suppkey>,
                                       reflorm::key<&tpch::PartSupp::ps_partkey, &tpch::PartSupp::ps_suppkey>>,
        reflorm::index<&tpch::LineItem::l_partkey, &tpch::LineItem::l_suppkey>,
        reflorm::index<&tpch::LineItem::l_shipdate>);
};
