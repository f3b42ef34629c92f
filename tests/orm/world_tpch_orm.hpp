// ORM models over the tables of the flagship sample's World and TPC-H data, with relationships:
// the tests import the data through the sample's Core models and read it back through these.
// (A model maps the columns it names; these leave some out.)
#pragma once

#include <reflorm/orm.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace orm_data {

struct City;
struct CountryLanguage;

struct Country {
    std::string code;
    std::string name;
    std::int64_t population = 0;
    std::optional<std::int32_t> capital;
    reflorm::many<City> cities;
    reflorm::one<City> capital_city;  // many-to-one over a nullable key: Country and City refer to each other
    reflorm::many<CountryLanguage> languages;
};

struct City {
    std::int32_t id = 0;
    std::string name;
    std::string country_code;
    std::int64_t population = 0;
    reflorm::one<Country> country;
};

struct CountryLanguage {  // composite primary key
    std::string country_code;
    std::string language;
    double percentage = 0;
    reflorm::one<Country> country;
};

struct Nation;
struct Customer;
struct Order;
struct LineItem;
struct Part;
struct Supplier;
struct PartSupp;

struct Region {
    std::int32_t r_regionkey = 0;
    std::string r_name;
    reflorm::many<Nation> nations;
};

struct Nation {
    std::int32_t n_nationkey = 0;
    std::string n_name;
    std::int32_t n_regionkey = 0;
    reflorm::one<Region> region;
    reflorm::many<Customer> customers;
};

struct Customer {
    std::int32_t c_custkey = 0;
    std::string c_name;
    std::int32_t c_nationkey = 0;
    reflorm::one<Nation> nation;
    reflorm::many<Order> orders;
};

struct Order {
    std::int32_t o_orderkey = 0;
    std::int32_t o_custkey = 0;
    double o_totalprice = 0;
    reflorm::one<Customer> customer;
    reflorm::many<LineItem> lineitems;
};

struct LineItem {
    std::int32_t l_orderkey = 0;
    std::int32_t l_partkey = 0;
    std::int32_t l_suppkey = 0;
    std::int32_t l_linenumber = 0;
    double l_quantity = 0;
    reflorm::one<Order> order;
    reflorm::one<PartSupp> partsupp;  // composite foreign key
};

struct Part {
    std::int32_t p_partkey = 0;
    std::string p_name;
    reflorm::many<PartSupp> partsupps;  // the association model, with its own columns
    reflorm::many<Supplier> suppliers;  // many-to-many through partsupp
};

struct Supplier {
    std::int32_t s_suppkey = 0;
    std::string s_name;
    reflorm::many<Part> parts;
};

struct PartSupp {
    std::int32_t ps_partkey = 0;
    std::int32_t ps_suppkey = 0;
    std::int32_t ps_availqty = 0;
    double ps_supplycost = 0;
    reflorm::one<Part> part;
    reflorm::one<Supplier> supplier;
};

}  // namespace orm_data

template <>
struct reflorm::model<orm_data::Country> {
    static constexpr std::string_view table = "country";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::Country::code>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_data::Country::capital, &orm_data::City::id>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_data::Country::cities>{}.back_populates<&orm_data::City::country>().order_by(reflorm::c<&orm_data::City::id>),
        reflorm::relationship<&orm_data::Country::languages>{}.order_by(reflorm::c<&orm_data::CountryLanguage::language>));
};
template <>
struct reflorm::model<orm_data::City> {
    static constexpr std::string_view table = "city";
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_data::City::country_code, &orm_data::Country::code>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&orm_data::City::country>{}.back_populates<&orm_data::Country::cities>());
};
template <>
struct reflorm::model<orm_data::CountryLanguage> {
    static constexpr std::string_view table = "country_language";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::CountryLanguage::country_code, &orm_data::CountryLanguage::language>;
    static constexpr auto columns =
        reflorm::columns(reflorm::foreign_key<&orm_data::CountryLanguage::country_code, &orm_data::Country::code>);
};
template <>
struct reflorm::model<orm_data::Region> {
    static constexpr std::string_view table = "region";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::Region::r_regionkey>;
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_data::Region::nations>{}.order_by(reflorm::c<&orm_data::Nation::n_nationkey>));
};
template <>
struct reflorm::model<orm_data::Nation> {
    static constexpr std::string_view table = "nation";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::Nation::n_nationkey>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_data::Nation::n_regionkey, &orm_data::Region::r_regionkey>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_data::Nation::customers>{}.order_by(reflorm::c<&orm_data::Customer::c_custkey>));
};
template <>
struct reflorm::model<orm_data::Customer> {
    static constexpr std::string_view table = "customer";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::Customer::c_custkey>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_data::Customer::c_nationkey, &orm_data::Nation::n_nationkey>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_data::Customer::orders>{}.order_by(reflorm::c<&orm_data::Order::o_orderkey>));
};
template <>
struct reflorm::model<orm_data::Order> {
    static constexpr std::string_view table = "orders";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::Order::o_orderkey>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_data::Order::o_custkey, &orm_data::Customer::c_custkey>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_data::Order::lineitems>{}.back_populates<&orm_data::LineItem::order>().order_by(
            reflorm::c<&orm_data::LineItem::l_linenumber>));
};
template <>
struct reflorm::model<orm_data::LineItem> {
    static constexpr std::string_view table = "lineitem";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::LineItem::l_orderkey, &orm_data::LineItem::l_linenumber>;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&orm_data::LineItem::l_orderkey, &orm_data::Order::o_orderkey>,
        reflorm::composite_foreign_key<reflorm::key<&orm_data::LineItem::l_partkey, &orm_data::LineItem::l_suppkey>,
                                       reflorm::key<&orm_data::PartSupp::ps_partkey, &orm_data::PartSupp::ps_suppkey>>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&orm_data::LineItem::order>{}.back_populates<&orm_data::Order::lineitems>());
};
template <>
struct reflorm::model<orm_data::Part> {
    static constexpr std::string_view table = "part";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::Part::p_partkey>;
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_data::Part::partsupps>{}.order_by(reflorm::c<&orm_data::PartSupp::ps_suppkey>),
        reflorm::relationship<&orm_data::Part::suppliers>{}.secondary<orm_data::PartSupp>().order_by(reflorm::c<&orm_data::Supplier::s_suppkey>));
};
template <>
struct reflorm::model<orm_data::Supplier> {
    static constexpr std::string_view table = "supplier";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::Supplier::s_suppkey>;
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_data::Supplier::parts>{}.secondary<orm_data::PartSupp>().order_by(reflorm::c<&orm_data::Part::p_partkey>));
};
template <>
struct reflorm::model<orm_data::PartSupp> {
    static constexpr std::string_view table = "partsupp";
    static constexpr auto primary_key = reflorm::primary_key<&orm_data::PartSupp::ps_partkey, &orm_data::PartSupp::ps_suppkey>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_data::PartSupp::ps_partkey, &orm_data::Part::p_partkey>,
                                                     reflorm::foreign_key<&orm_data::PartSupp::ps_suppkey, &orm_data::Supplier::s_suppkey>);
};
