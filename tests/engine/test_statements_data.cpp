// INSERT, upsert, UPDATE, DELETE and text() on the real World and TPC-H data: each statement's
// effect and rows-changed count are compared with hand-written SQL run through sqlite3.
#define BOOST_TEST_MODULE engine_statements_data
#include <boost/test/unit_test.hpp>

#include "world_tpch_fixture.hpp"

using engine_test::has_data;
using engine_test::raw_sqlite;
using reflorm::c;
using world::City;
using world::Country;

BOOST_AUTO_TEST_CASE(update_with_an_expression_changes_exactly_the_matching_rows, *boost::unit_test::precondition(has_data)) {
    engine_test::imported_data data;
    raw_sqlite raw(data.file);
    const long long dutch = raw.integer("SELECT count(*) FROM city WHERE country_code = 'NLD'");
    const long long before = raw.integer("SELECT sum(population) FROM city WHERE country_code = 'NLD'");
    const long long others = raw.integer("SELECT sum(population) FROM city WHERE country_code != 'NLD'");

    auto conn = data.engine.connect();
    const auto changed = conn.execute(reflorm::update<City>()
                                          .set(c<&City::population> = c<&City::population> + 1000)
                                          .where(c<&City::country_code> == "NLD"));
    BOOST_TEST(changed == dutch);
    BOOST_TEST(raw.integer("SELECT sum(population) FROM city WHERE country_code = 'NLD'") == before + 1000 * dutch);
    BOOST_TEST(raw.integer("SELECT sum(population) FROM city WHERE country_code != 'NLD'") == others);
}

BOOST_AUTO_TEST_CASE(delete_removes_exactly_the_matching_rows, *boost::unit_test::precondition(has_data)) {
    engine_test::imported_data data;
    raw_sqlite raw(data.file);
    const long long late = raw.integer("SELECT count(*) FROM lineitem WHERE l_shipdate > '1998-06-01'");
    BOOST_TEST(late > 0);
    auto conn = data.engine.connect();
    const reflorm::date cutoff = std::chrono::year{1998} / 6 / 1;
    BOOST_TEST(conn.execute(reflorm::delete_<tpch::LineItem>().where(c<&tpch::LineItem::l_shipdate> > cutoff)) == late);
    BOOST_TEST(raw.integer("SELECT count(*) FROM lineitem") == 6005 - late);
    BOOST_TEST(raw.integer("SELECT count(*) FROM lineitem WHERE l_shipdate > '1998-06-01'") == 0);
}

BOOST_AUTO_TEST_CASE(insert_select_copies_rows, *boost::unit_test::precondition(has_data)) {
    engine_test::imported_data data;
    raw_sqlite raw(data.file);
    auto conn = data.engine.connect();
    // New cities: every Swiss city again, with ids moved up by 100000 and a marked name.
    const auto copy = reflorm::select(c<&City::id> + 100000, c<&City::name> + " (copy)", c<&City::country_code>,
                                      c<&City::population>)
                          .where(c<&City::country_code> == "CHE");
    const long long swiss = raw.integer("SELECT count(*) FROM city WHERE country_code = 'CHE'");
    BOOST_TEST(conn.execute(reflorm::insert<City>().from_select(copy)) == swiss);
    BOOST_TEST(raw.integer("SELECT count(*) FROM city WHERE id > 100000") == swiss);
    BOOST_TEST(raw.integer("SELECT count(*) FROM city a JOIN city b ON b.id = a.id + 100000 "
                           "WHERE b.name = a.name || ' (copy)' AND b.population = a.population") == swiss);
}

BOOST_AUTO_TEST_CASE(upsert_updates_only_the_named_columns, *boost::unit_test::precondition(has_data)) {
    engine_test::imported_data data;
    raw_sqlite raw(data.file);
    auto conn = data.engine.connect();
    const auto name_before = *raw.value("SELECT name FROM country WHERE code = 'NLD'");
    Country changed{"NLD", "Renamed", 1.0, 17000000, std::nullopt, {}};
    Country added{"ZZZ", "Nowhere", 1.0, 0, std::nullopt, {}};
    const auto upsert = reflorm::insert<Country>()
                            .values(std::vector<Country>{changed, added})
                            .on_conflict_do_update(c<&Country::code>)
                            .set_excluded(c<&Country::population>);
    BOOST_TEST(conn.execute(upsert) == 2);
    BOOST_TEST(raw.integer("SELECT population FROM country WHERE code = 'NLD'") == 17000000);
    BOOST_TEST(*raw.value("SELECT name FROM country WHERE code = 'NLD'") == name_before);  // not in set_excluded
    BOOST_TEST(*raw.value("SELECT capital FROM country WHERE code = 'NLD'") != "");
    BOOST_TEST(*raw.value("SELECT name FROM country WHERE code = 'ZZZ'") == "Nowhere");
    BOOST_TEST(raw.integer("SELECT count(*) FROM country") == 240);

    // DO NOTHING leaves an existing row as it was.
    Country ignored{"NLD", "Ignored", 2.0, 1, std::nullopt, {}};
    BOOST_TEST(conn.execute(reflorm::insert<Country>().values(ignored).on_conflict_do_nothing(c<&Country::code>)) == 0);
    BOOST_TEST(raw.integer("SELECT population FROM country WHERE code = 'NLD'") == 17000000);
}

BOOST_AUTO_TEST_CASE(returning_and_text_read_rows, *boost::unit_test::precondition(has_data)) {
    engine_test::imported_data data;
    raw_sqlite raw(data.file);
    auto conn = data.engine.connect();
    const auto moved = conn.all(reflorm::update<City>()
                                    .set(c<&City::country_code> = "BEL")
                                    .where(c<&City::name> == "Utrecht")
                                    .returning(c<&City::id>, c<&City::name>));
    BOOST_TEST_REQUIRE(moved.size() == 1u);
    BOOST_TEST(std::get<1>(moved[0]) == "Utrecht");
    BOOST_TEST(raw.integer("SELECT id FROM city WHERE name = 'Utrecht' AND country_code = 'BEL'") == std::get<0>(moved[0]));

    const auto counted = conn.one(reflorm::text("SELECT count(*), sum(population) FROM city WHERE country_code = :code")
                                      .bind("code", "NLD")
                                      .columns<std::int64_t, std::int64_t>());
    BOOST_TEST(std::get<0>(counted) == raw.integer("SELECT count(*) FROM city WHERE country_code = 'NLD'"));
    BOOST_TEST(std::get<1>(counted) == raw.integer("SELECT sum(population) FROM city WHERE country_code = 'NLD'"));
}
