// The flagship sample's models on the real World and TPC-H data, on every backend: everything
// imported through reflorm's bulk insert must read back identical, and typed queries must agree
// with hand-written SQL run through the backend's own client (sqlite3, libpq, Connector/C).
#define BOOST_TEST_MODULE engine_world_data
#include <boost/test/unit_test.hpp>

#include "world_tpch_fixture.hpp"

using reflorm::c;
using engine_test::data;
using engine_test::has_data;

BOOST_AUTO_TEST_CASE(every_imported_row_reads_back_identical, *boost::unit_test::precondition(has_data)) {
    auto conn = data().engine.connect();
    auto cities = conn.execute(reflorm::select<world::City>().order_by(c<&world::City::id>)).all();
    auto expected = data().cities;
    std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    BOOST_TEST_REQUIRE(cities.size() == 4079u);
    for (std::size_t i = 0; i < cities.size(); ++i) {
        BOOST_TEST_REQUIRE(cities[i].id == expected[i].id);
        BOOST_TEST(cities[i].name == expected[i].name);
        BOOST_TEST(cities[i].country_code == expected[i].country_code);
        BOOST_TEST(cities[i].population == expected[i].population);
    }
    const auto items = conn.execute(reflorm::select<tpch::LineItem>()
                                    .order_by(c<&tpch::LineItem::l_orderkey>, c<&tpch::LineItem::l_linenumber>)).all();
    BOOST_TEST_REQUIRE(items.size() == 6005u);
    std::size_t same = 0;
    for (const auto& item : items) {
        const auto* source = &*std::find_if(data().lineitems.begin(), data().lineitems.end(), [&](const auto& l) {
            return l.l_orderkey == item.l_orderkey && l.l_linenumber == item.l_linenumber;
        });
        same += source->l_extendedprice == item.l_extendedprice && source->l_shipdate == item.l_shipdate &&
                source->l_comment == item.l_comment && source->l_returnflag == item.l_returnflag;
    }
    BOOST_TEST(same == 6005u);
}

BOOST_AUTO_TEST_CASE(every_table_holds_the_rows_of_the_dumps, *boost::unit_test::precondition(has_data)) {
    auto raw = data().raw();
    const std::pair<const char*, long long> tables[] = {
        {"country", 239}, {"city", 4079}, {"country_language", 984}, {"region", 5},    {"nation", 25},    {"supplier", 10},
        {"customer", 150}, {"part", 200}, {"partsupp", 700},         {"orders", 1500}, {"lineitem", 6005},
    };
    const std::map<std::string, std::string> dump_names = {{"country", "Country"}, {"city", "City"},
                                                           {"country_language", "CountryLanguage"}};
    auto conn = data().engine.connect();
    for (const auto& [table, expected] : tables) {
        const auto& dump = dump_names.contains(table) ? data().world : data().tpch;
        const std::string name = dump_names.contains(table) ? dump_names.at(table) : std::string(table);
        BOOST_TEST(static_cast<long long>(dump.at(name).size()) == expected, table);
        BOOST_TEST(raw.integer(std::string("SELECT count(*) FROM ") + table) == expected, table);
    }
    BOOST_TEST(raw.integer("SELECT count(*) FROM country WHERE capital IS NOT NULL") == 232);
}

BOOST_AUTO_TEST_CASE(typed_queries_agree_with_hand_written_sql, *boost::unit_test::precondition(has_data)) {
    auto conn = data().engine.connect();
    auto raw = data().raw();

    // Countries of more than 100 million people, largest first.
    const auto big = conn.execute(reflorm::select<world::Country>()
                                  .where(c<&world::Country::population> > 100000000)
                                  .order_by(c<&world::Country::population>.desc())).all();
    const auto truth = raw.rows("SELECT Code FROM country WHERE Population > 100000000 ORDER BY Population DESC");
    BOOST_TEST_REQUIRE(big.size() == truth.size());
    BOOST_TEST(big.size() == 10u);
    for (std::size_t i = 0; i < big.size(); ++i) BOOST_TEST(big[i].code == *truth[i][0]);

    // Cities of one country, and a count with two conditions.
    BOOST_TEST(conn.count(reflorm::select<world::City>().where(c<&world::City::country_code> == "NLD")) ==
               raw.integer("SELECT count(*) FROM city WHERE country_code = 'NLD'"));
    BOOST_TEST(conn.count(reflorm::select<world::City>().where(c<&world::City::country_code> == "USA" &&
                                                                (c<&world::City::population> < 100000 ||
                                                                 c<&world::City::population> > 1000000))) ==
               raw.integer("SELECT count(*) FROM city WHERE country_code = 'USA' AND "
                           "(population < 100000 OR population > 1000000)"));

    // Countries without a capital (NULL foreign key).
    BOOST_TEST(conn.count(reflorm::select<world::Country>().where(c<&world::Country::capital>.is_null())) ==
               raw.integer("SELECT count(*) FROM country WHERE capital IS NULL"));

    // Line items shipped in a date window, compared as dates.
    const reflorm::date from = std::chrono::year{1995} / 3 / 1;
    const reflorm::date to = std::chrono::year{1995} / 3 / 31;
    BOOST_TEST(conn.count(reflorm::select<tpch::LineItem>().where(c<&tpch::LineItem::l_shipdate> >= from &&
                                                                   c<&tpch::LineItem::l_shipdate> <= to)) ==
               raw.integer("SELECT count(*) FROM lineitem WHERE l_shipdate BETWEEN '1995-03-01' AND '1995-03-31'"));

    // Every capital reached by key is the city the hand-written join finds.
    std::map<std::string, std::string> capitals;
    for (const auto& row : raw.rows("SELECT country.code, city.name FROM country JOIN city ON city.id = country.capital"))
        capitals.emplace(*row[0], *row[1]);
    std::size_t matched = 0;
    for (const auto& country : conn.execute(reflorm::select<world::Country>().where(c<&world::Country::capital>.is_not_null())).all()) {
        const auto capital = conn.get<world::City>(*country.capital);
        matched += capital && capitals.at(country.code) == capital->name;
    }
    BOOST_TEST(matched == capitals.size());
    BOOST_TEST(capitals.size() > 200u);
}

BOOST_AUTO_TEST_CASE(the_composite_foreign_key_is_enforced, *boost::unit_test::precondition(has_data)) {
    auto conn = data().engine.connect();
    auto item = data().lineitems.front();
    item.l_linenumber = 99;
    item.l_suppkey = 1000;  // no partsupp row (l_partkey, 1000)
    BOOST_CHECK_THROW(conn.insert(item), reflorm::integrity_error);
    BOOST_TEST(conn.count(reflorm::select<tpch::LineItem>()) == 6005);
    BOOST_TEST(data().raw().integer("SELECT count(*) FROM lineitem") == 6005);
}
