// SQLAlchemy 2.0-style queries on the real World and TPC-H data: joins with GROUP BY / HAVING,
// EXISTS and IN subqueries, correlated scalar subqueries, self-joins through aliases, unions,
// projections, NULLS LAST ordering and a TPC-H Q1-style aggregate, on every backend. Each result
// is compared, values and order, with hand-written SQL run through the backend's own client.
// Where the backends differ, the test says how: MariaDB compares text case-insensitively
// (utf8mb4_general_ci), PostgreSQL in byte order (its C collation, docs/backends.md).
#define BOOST_TEST_MODULE engine_queries_data
#include <boost/test/unit_test.hpp>

#include "world_tpch_fixture.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

using engine_test::backend;
using engine_test::data;
using engine_test::has_data;
using reflorm::alias;
using reflorm::c;
using reflorm::count;
using reflorm::exists;
using reflorm::select;
using world::City;
using world::Country;

namespace {

// Rows as text lines, "a|b|NULL", so that reflorm's rows and the raw client's compare as strings.
std::string cell(const std::string& v) { return v; }
template <class T>
    requires std::is_integral_v<T>
std::string cell(T v) {
    return std::to_string(v);
}
template <class T>
std::string cell(const std::optional<T>& v) {
    return v ? cell(*v) : "NULL";
}

template <class... T>
std::string line(const std::tuple<T...>& row) {
    std::string out;
    std::apply([&](const auto&... value) { ((out += (out.empty() ? "" : "|") + cell(value)), ...); }, row);
    return out;
}
std::string line(const std::vector<std::optional<std::string>>& row) {
    std::string out;
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "|" : "") + (row[i] ? *row[i] : std::string("NULL"));
    return out;
}
template <class Row>
std::vector<std::string> lines(const std::vector<Row>& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(line(row));
    return out;
}
std::vector<std::string> raw_lines(const std::string& sql) { return lines(data().raw().rows(sql)); }
long long raw_integer(const std::string& sql) { return data().raw().integer(sql); }

bool close(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)); }

struct CityInCountry {
    std::string city;
    std::string country;
    std::int64_t population;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(queries_on_world_and_tpch, *boost::unit_test::precondition(has_data))

BOOST_AUTO_TEST_CASE(countries_with_more_than_five_cities) {
    auto conn = data().engine.connect();
    const auto q = select(c<&Country::code>, c<&Country::name>, count())
                       .join<City>(c<&City::country_code> == c<&Country::code>)
                       .group_by(c<&Country::code>, c<&Country::name>)
                       .having(count() > 5)
                       .order_by(c<&Country::code>);
    const std::string truth_sql =
        "SELECT country.code, country.name, count(*) FROM country JOIN city ON city.country_code = country.code "
        "GROUP BY country.code, country.name HAVING count(*) > 5 ORDER BY country.code";
    const auto rows = conn.execute(q).all();
    const auto truth = raw_lines(truth_sql);
    BOOST_TEST(rows.size() > 50u);
    BOOST_TEST(lines(rows) == truth, boost::test_tools::per_element());
    // count() over the grouped select counts groups, through a subquery.
    BOOST_TEST(conn.count(q) == static_cast<std::int64_t>(truth.size()));
}

// Issue 16, item 4: ORDER BY an aggregate, descending, against the same SQL by hand.
BOOST_AUTO_TEST_CASE(countries_by_number_of_cities_descending) {
    auto conn = data().engine.connect();
    const auto q = select(c<&City::country_code>, count())
                       .group_by(c<&City::country_code>)
                       .order_by(count().desc(), c<&City::country_code>)
                       .limit(10);
    const auto truth = raw_lines(
        "SELECT country_code, count(*) FROM city GROUP BY country_code ORDER BY count(*) DESC, country_code LIMIT 10");
    BOOST_TEST(lines(conn.execute(q).all()) == truth, boost::test_tools::per_element());
    BOOST_TEST(truth.at(0).starts_with("CHN|"));  // China has the most cities in World
}

BOOST_AUTO_TEST_CASE(customers_without_orders_three_ways) {
    using tpch::Customer;
    using tpch::Order;
    auto conn = data().engine.connect();
    const auto truth =
        raw_lines("SELECT c_custkey, c_name FROM customer WHERE c_custkey NOT IN (SELECT o_custkey FROM orders) ORDER BY c_custkey");
    BOOST_TEST_REQUIRE(truth.size() > 10u);

    // NOT EXISTS of a subquery correlated to the outer customer.
    const auto not_exists = select(c<&Customer::c_custkey>, c<&Customer::c_name>)
                                .where(!exists(select(c<&Order::o_orderkey>).where(c<&Order::o_custkey> == c<&Customer::c_custkey>)))
                                .order_by(c<&Customer::c_custkey>);
    BOOST_TEST(lines(conn.execute(not_exists).all()) == truth, boost::test_tools::per_element());
    BOOST_TEST(conn.count(not_exists) == static_cast<std::int64_t>(truth.size()));

    // LEFT OUTER JOIN and IS NULL on the joined key.
    const auto outer = select(c<&Customer::c_custkey>, c<&Customer::c_name>)
                           .outer_join<Order>(c<&Order::o_custkey> == c<&Customer::c_custkey>)
                           .where(c<&Order::o_orderkey>.is_null())
                           .order_by(c<&Customer::c_custkey>);
    BOOST_TEST(lines(conn.execute(outer).all()) == truth, boost::test_tools::per_element());

    // NOT IN a subquery.
    const auto not_in = select(c<&Customer::c_custkey>, c<&Customer::c_name>)
                            .where(c<&Customer::c_custkey>.not_in(select(c<&Order::o_custkey>)))
                            .order_by(c<&Customer::c_custkey>);
    BOOST_TEST(lines(conn.execute(not_in).all()) == truth, boost::test_tools::per_element());

    // And EXISTS: the others.
    const auto with_orders = select<Customer>().where(exists(select(c<&Order::o_orderkey>).where(c<&Order::o_custkey> == c<&Customer::c_custkey>)));
    BOOST_TEST(conn.count(with_orders) + static_cast<std::int64_t>(truth.size()) == raw_integer("SELECT count(*) FROM customer"));
}

BOOST_AUTO_TEST_CASE(self_joins_through_aliases) {
    using tpch::Nation;
    auto conn = data().engine.connect();
    // Pairs of nations in the same region.
    using other = alias<Nation, "other">;
    const auto pairs = select(c<&Nation::n_name>, other::c<&Nation::n_name>, c<&Nation::n_regionkey>)
                           .join<other>(other::c<&Nation::n_regionkey> == c<&Nation::n_regionkey> &&
                                        other::c<&Nation::n_nationkey> > c<&Nation::n_nationkey>)
                           .order_by(c<&Nation::n_nationkey>, other::c<&Nation::n_nationkey>);
    const auto truth = raw_lines(
        "SELECT a.n_name, b.n_name, a.n_regionkey FROM nation a JOIN nation b ON b.n_regionkey = a.n_regionkey AND "
        "b.n_nationkey > a.n_nationkey ORDER BY a.n_nationkey, b.n_nationkey");
    BOOST_TEST(truth.size() == 50u);  // 5 regions of 5 nations: 5 * C(5, 2)
    BOOST_TEST(lines(conn.execute(pairs).all()) == truth, boost::test_tools::per_element());

    // Cities of the same name in different countries.
    using twin = alias<City, "twin">;
    const auto twins = select(c<&City::name>, c<&City::country_code>, twin::c<&City::country_code>)
                           .join<twin>(twin::c<&City::name> == c<&City::name> && twin::c<&City::country_code> > c<&City::country_code>)
                           .order_by(c<&City::name>, c<&City::country_code>, twin::c<&City::country_code>);
    const auto twin_truth = raw_lines(
        "SELECT a.name, a.country_code, b.country_code FROM city a JOIN city b ON b.name = a.name AND b.country_code > "
        "a.country_code ORDER BY a.name, a.country_code, b.country_code");
    BOOST_TEST(twin_truth.size() > 10u);
    BOOST_TEST(lines(conn.execute(twins).all()) == twin_truth, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unions_of_two_selects) {
    auto conn = data().engine.connect();
    const auto dutch = select(c<&City::name>).where(c<&City::country_code> == "NLD" && c<&City::population> > 200000);
    const auto populous = select(c<&Country::name>).where(c<&Country::population> > 100000000);
    const auto u = reflorm::union_(dutch, populous).order_by(c<&City::name>);
    const auto truth = raw_lines(
        "SELECT name FROM city WHERE country_code = 'NLD' AND population > 200000 UNION SELECT name FROM country WHERE "
        "population > 100000000 ORDER BY name");
    BOOST_TEST(truth.size() > 10u);
    BOOST_TEST(lines(conn.execute(u).all()) == truth, boost::test_tools::per_element());
    BOOST_TEST(conn.count(u) == static_cast<std::int64_t>(truth.size()));

    // Limited and offset, descending.
    const auto page = reflorm::union_(dutch, populous).order_by(c<&City::name>.desc()).limit(3).offset(2);
    BOOST_TEST(lines(conn.execute(page).all()) ==
                   raw_lines("SELECT name FROM city WHERE country_code = 'NLD' AND population > 200000 UNION SELECT name "
                             "FROM country WHERE population > 100000000 ORDER BY name DESC LIMIT 3 OFFSET 2"),
               boost::test_tools::per_element());

    // UNION keeps duplicates apart from UNION ALL.
    const auto netherlands = select(c<&Country::name>).where(c<&Country::code> == "NLD");
    BOOST_TEST(std::get<0>(conn.execute(reflorm::union_(netherlands, netherlands)).one()) == "Netherlands");
    BOOST_CHECK_THROW(conn.execute(reflorm::union_all(netherlands, netherlands)).one(), reflorm::multiple_results_found);
    BOOST_TEST(conn.count(reflorm::union_all(dutch, populous, dutch)) ==
               raw_integer("SELECT count(*) FROM city WHERE country_code = 'NLD' AND population > 200000") * 2 +
                   raw_integer("SELECT count(*) FROM country WHERE population > 100000000"));

    // A union of whole models.
    const auto models = reflorm::union_(select<City>().where(c<&City::country_code> == "ISL"),
                                        select<City>().where(c<&City::country_code> == "LUX"))
                            .order_by(c<&City::id>);
    const auto cities = conn.execute(models).all();
    std::vector<std::string> got;
    for (const auto& city : cities) got.push_back(std::to_string(city.id) + "|" + city.name);
    BOOST_TEST(got == raw_lines("SELECT id, name FROM city WHERE country_code IN ('ISL', 'LUX') ORDER BY id"),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(projection_struct_through_a_join) {
    auto conn = data().engine.connect();
    const auto q = select<CityInCountry>(c<&City::name>, c<&Country::name>, c<&City::population>)
                       .join<Country>(c<&Country::code> == c<&City::country_code>)
                       .where(c<&City::population> > 5000000)
                       .order_by(c<&City::population>.desc(), c<&City::id>);
    const auto rows = conn.execute(q).all();
    std::vector<std::string> got;
    for (const auto& row : rows) got.push_back(row.city + "|" + row.country + "|" + std::to_string(row.population));
    const auto truth = raw_lines(
        "SELECT city.name, country.name, city.population FROM city JOIN country ON country.code = city.country_code "
        "WHERE city.population > 5000000 ORDER BY city.population DESC, city.id");
    BOOST_TEST(truth.size() > 10u);
    BOOST_TEST(got == truth, boost::test_tools::per_element());
    BOOST_TEST(conn.execute(q).first()->city == rows.front().city);
}

BOOST_AUTO_TEST_CASE(ordering_with_nulls_last_and_first) {
    auto conn = data().engine.connect();
    const auto last = select(c<&Country::code>, c<&Country::capital>)
                          .order_by(c<&Country::capital>.asc().nulls_last(), c<&Country::code>);
    const auto rows = conn.execute(last).all();
    BOOST_TEST(lines(rows) == raw_lines("SELECT code, capital FROM country ORDER BY capital IS NULL, capital, code"),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(rows.size() == 239u);
    BOOST_TEST(std::get<1>(rows.front()).has_value());
    BOOST_TEST(!std::get<1>(rows.back()).has_value());

    const auto first = select(c<&Country::code>, c<&Country::capital>)
                           .order_by(c<&Country::capital>.desc().nulls_first(), c<&Country::code>);
    const auto first_rows = conn.execute(first).all();
    BOOST_TEST(lines(first_rows) ==
                   raw_lines("SELECT code, capital FROM country ORDER BY capital IS NOT NULL, capital DESC, code"),
               boost::test_tools::per_element());
    BOOST_TEST(!std::get<1>(first_rows.front()).has_value());
}

BOOST_AUTO_TEST_CASE(correlated_scalar_subqueries_and_in) {
    auto conn = data().engine.connect();
    const auto city_count =
        select(count()).select_from<City>().where(c<&City::country_code> == c<&Country::code>).scalar_subquery();
    const auto q = select(c<&Country::code>, city_count).where(city_count > 10).order_by(c<&Country::code>);
    static_assert(std::is_same_v<decltype(q)::result_type, std::tuple<std::string, std::optional<std::int64_t>>>);
    const auto truth = raw_lines(
        "SELECT code, (SELECT count(*) FROM city WHERE city.country_code = country.code) FROM country WHERE "
        "(SELECT count(*) FROM city WHERE city.country_code = country.code) > 10 ORDER BY code");
    BOOST_TEST(truth.size() > 20u);
    BOOST_TEST(lines(conn.execute(q).all()) == truth, boost::test_tools::per_element());

    // Cities larger than their country's average city.
    using peer = alias<City, "peer">;
    const auto average = select(reflorm::avg(peer::c<&City::population>))
                             .where(peer::c<&City::country_code> == c<&City::country_code>)
                             .scalar_subquery();
    const auto above = select(c<&City::id>, c<&City::name>).where(c<&City::population> > average).order_by(c<&City::id>);
    const auto above_truth = raw_lines(
        "SELECT id, name FROM city WHERE population > (SELECT avg(peer.population) FROM city AS peer WHERE "
        "peer.country_code = city.country_code) ORDER BY id");
    BOOST_TEST(above_truth.size() > 100u);
    BOOST_TEST(lines(conn.execute(above).all()) == above_truth, boost::test_tools::per_element());

    // IN a subquery: countries with a city of more than five million people.
    const auto in_q = select(c<&Country::name>)
                          .where(c<&Country::code>.in_(select(c<&City::country_code>).where(c<&City::population> > 5000000)))
                          .order_by(c<&Country::name>);
    const auto in_truth = raw_lines(
        "SELECT name FROM country WHERE code IN (SELECT country_code FROM city WHERE population > 5000000) ORDER BY name");
    BOOST_TEST(in_truth.size() > 5u);
    BOOST_TEST(lines(conn.execute(in_q).all()) == in_truth, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(tpch_q1_style_aggregate) {
    using tpch::LineItem;
    auto conn = data().engine.connect();
    const reflorm::date cutoff = std::chrono::year{1998} / 9 / 2;
    const auto flag = c<&LineItem::l_returnflag>;
    const auto status = c<&LineItem::l_linestatus>;
    const auto q = select(flag, status, reflorm::sum(c<&LineItem::l_quantity>),
                          reflorm::sum(c<&LineItem::l_extendedprice> * (1.0 - c<&LineItem::l_discount>)),
                          reflorm::avg(c<&LineItem::l_extendedprice>), count())
                       .where(c<&LineItem::l_shipdate> <= cutoff)
                       .group_by(flag, status)
                       .order_by(flag, status);
    const auto rows = conn.execute(q).all();
    auto raw = data().raw();
    const auto truth = raw.rows(
        "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice * (1 - l_discount)), "
        "avg(l_extendedprice), count(*) FROM lineitem WHERE l_shipdate <= '1998-09-02' "
        "GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus");
    BOOST_TEST_REQUIRE(rows.size() == truth.size());
    BOOST_TEST(rows.size() == 4u);  // (A, F), (N, F), (N, O), (R, F)
    std::int64_t total = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [f, s, quantity, revenue, price, n] = rows[i];
        BOOST_TEST(f == *truth[i][0]);
        BOOST_TEST(s == *truth[i][1]);
        BOOST_TEST_REQUIRE(quantity.has_value());
        BOOST_TEST_REQUIRE(revenue.has_value());
        BOOST_TEST_REQUIRE(price.has_value());
        BOOST_TEST(close(*quantity, std::stod(*truth[i][2])), *quantity << " vs " << *truth[i][2]);
        BOOST_TEST(close(*revenue, std::stod(*truth[i][3])), *revenue << " vs " << *truth[i][3]);
        BOOST_TEST(close(*price, std::stod(*truth[i][4])), *price << " vs " << *truth[i][4]);
        BOOST_TEST(n == std::stoll(*truth[i][5]));
        total += n;
    }
    BOOST_TEST(total == raw.integer("SELECT count(*) FROM lineitem WHERE l_shipdate <= '1998-09-02'"));
    BOOST_TEST(conn.count(q) == 4);
}

// sum() and avg() of a BIGINT column: INTEGER and REAL on SQLite, NUMERIC on PostgreSQL, DECIMAL
// on MariaDB; the drivers read them as std::int64_t and double.
BOOST_AUTO_TEST_CASE(sum_and_avg_of_integers_per_group) {
    auto conn = data().engine.connect();
    const auto q = select(c<&City::country_code>, reflorm::sum(c<&City::population>), reflorm::avg(c<&City::population>), count())
                       .group_by(c<&City::country_code>)
                       .order_by(c<&City::country_code>);
    static_assert(std::is_same_v<decltype(q)::result_type, std::tuple<std::string, std::optional<std::int64_t>,
                                                                       std::optional<double>, std::int64_t>>);
    const auto rows = conn.execute(q).all();
    const auto truth = data().raw().rows(
        "SELECT country_code, sum(population), avg(population), count(*) FROM city GROUP BY country_code ORDER BY country_code");
    BOOST_TEST_REQUIRE(rows.size() == truth.size());
    BOOST_TEST(rows.size() == 232u);
    std::int64_t people = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [code, sum, average, n] = rows[i];
        BOOST_TEST(code == *truth[i][0]);
        BOOST_TEST_REQUIRE(sum.has_value());
        BOOST_TEST(std::to_string(*sum) == *truth[i][1]);
        BOOST_TEST_REQUIRE(average.has_value());
        // The servers print the exact quotient rounded to 4 (MariaDB) or 16+ (PostgreSQL) places.
        BOOST_TEST(std::fabs(*average - std::stod(*truth[i][2])) <= 1e-4 * std::max(1.0, *average), code);
        BOOST_TEST(close(*average, static_cast<double>(*sum) / static_cast<double>(n)), code);
        BOOST_TEST(n == std::stoll(*truth[i][3]));
        people += *sum;
    }
    BOOST_TEST(people == raw_integer("SELECT sum(population) FROM city"));
}

// What the backends do differently, each as documented (docs/backends.md), on the same data.
BOOST_AUTO_TEST_CASE(collation_and_null_ordering_per_backend) {
    auto conn = data().engine.connect();
    const backend kind = data().kind();
    // MariaDB's utf8mb4_general_ci compares text case-insensitively; SQLite's BINARY and
    // PostgreSQL's C collation compare bytes.
    const auto lower = conn.count(select<City>().where(c<&City::country_code> == "nld"));
    BOOST_TEST(lower == raw_integer("SELECT count(*) FROM city WHERE country_code = 'nld'"));
    BOOST_TEST(lower == (kind == backend::mysql ? 28 : 0));
    // ... and so orders it: Egypt's 'al-Mahallat al-Kubra' after 'Tanta' in byte order, next to
    // 'Alexandria' on MariaDB.
    const auto names = conn.execute(select(c<&City::name>)
                                    .where(c<&City::country_code> == "EGY" && c<&City::population> > 250000)
                                    .order_by(c<&City::name>)).all();
    BOOST_TEST(lines(names) == raw_lines("SELECT name FROM city WHERE country_code = 'EGY' AND population > 250000 "
                                         "ORDER BY name"),
               boost::test_tools::per_element());
    const auto byte_order = raw_lines("SELECT name FROM city WHERE country_code = 'EGY' AND population > 250000 ORDER BY " +
                                      std::string(kind == backend::mysql ? "CAST(name AS BINARY)" : "name"));
    BOOST_TEST(std::is_sorted(byte_order.begin(), byte_order.end()));
    if (kind == backend::mysql) BOOST_TEST(lines(names) != byte_order);
    else BOOST_TEST(lines(names) == byte_order, boost::test_tools::per_element());

    // Ascending order without NULLS FIRST/LAST: NULLs first on SQLite and MariaDB, last on
    // PostgreSQL. The explicit nulls_last()/nulls_first() above agree everywhere.
    const auto capitals = conn.execute(select(c<&Country::code>, c<&Country::capital>).order_by(c<&Country::capital>, c<&Country::code>)).all();
    BOOST_TEST(lines(capitals) == raw_lines("SELECT code, capital FROM country ORDER BY capital, code"),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(capitals.size() == 239u);
    BOOST_TEST(std::get<1>(capitals.front()).has_value() == (kind == backend::postgresql));
    BOOST_TEST(std::get<1>(capitals.back()).has_value() == (kind != backend::postgresql));
}

BOOST_AUTO_TEST_SUITE_END()
