// INSERT, upsert, UPDATE, DELETE and text() on the real World and TPC-H data, on every backend:
// each statement's effect and rows-changed count are compared with hand-written SQL run through
// the backend's own client. The data is imported once per process (world_tpch_fixture.hpp), so
// every case measures what it needs before it writes and touches rows no other case reads:
// Dutch city populations, late line items, Swiss cities' copies, the countries NLD and ZZZ,
// Utrecht's country.
#define BOOST_TEST_MODULE engine_statements_data
#include <boost/test/unit_test.hpp>

#include "world_tpch_fixture.hpp"

using engine_test::backend;
using engine_test::data;
using engine_test::has_data;
using reflorm::c;
using world::City;
using world::Country;

BOOST_AUTO_TEST_CASE(update_with_an_expression_changes_exactly_the_matching_rows, *boost::unit_test::precondition(has_data)) {
    auto raw = data().raw();
    const long long dutch = raw.integer("SELECT count(*) FROM city WHERE country_code = 'NLD'");
    const long long before = raw.integer("SELECT sum(population) FROM city WHERE country_code = 'NLD'");
    const long long others = raw.integer("SELECT sum(population) FROM city WHERE country_code != 'NLD'");
    BOOST_TEST(dutch == 28);

    auto conn = data().engine.connect();
    const auto changed = conn.execute(reflorm::update<City>()
                                          .set(c<&City::population> = c<&City::population> + 1000)
                                          .where(c<&City::country_code> == "NLD")).rowcount();
    BOOST_TEST(changed == dutch);
    BOOST_TEST(raw.integer("SELECT sum(population) FROM city WHERE country_code = 'NLD'") == before + 1000 * dutch);
    BOOST_TEST(raw.integer("SELECT sum(population) FROM city WHERE country_code != 'NLD'") == others);
}

BOOST_AUTO_TEST_CASE(delete_removes_exactly_the_matching_rows, *boost::unit_test::precondition(has_data)) {
    auto raw = data().raw();
    const long long all = raw.integer("SELECT count(*) FROM lineitem");
    const long long late = raw.integer("SELECT count(*) FROM lineitem WHERE l_shipdate > '1998-06-01'");
    BOOST_TEST(late > 0);
    auto conn = data().engine.connect();
    const reflorm::date cutoff = std::chrono::year{1998} / 6 / 1;
    BOOST_TEST(conn.execute(reflorm::delete_<tpch::LineItem>().where(c<&tpch::LineItem::l_shipdate> > cutoff)).rowcount() == late);
    BOOST_TEST(raw.integer("SELECT count(*) FROM lineitem") == all - late);
    BOOST_TEST(raw.integer("SELECT count(*) FROM lineitem WHERE l_shipdate > '1998-06-01'") == 0);
}

BOOST_AUTO_TEST_CASE(insert_select_copies_rows, *boost::unit_test::precondition(has_data)) {
    auto raw = data().raw();
    auto conn = data().engine.connect();
    // New cities: every Swiss city again, with ids moved up by 100000 and a marked name.
    const auto copy = reflorm::select(c<&City::id> + 100000, c<&City::name> + " (copy)", c<&City::country_code>,
                                      c<&City::population>)
                          .where(c<&City::country_code> == "CHE");
    const long long swiss = raw.integer("SELECT count(*) FROM city WHERE country_code = 'CHE'");
    BOOST_TEST(swiss == 5);
    BOOST_TEST(conn.execute(reflorm::insert<City>().from_select(copy)).rowcount() == swiss);
    BOOST_TEST(raw.integer("SELECT count(*) FROM city WHERE id > 100000") == swiss);
    // MySQL's || is OR: its concatenation is concat().
    const std::string copied_name = data().kind() == backend::mysql ? "concat(a.name, ' (copy)')" : "a.name || ' (copy)'";
    BOOST_TEST(raw.integer("SELECT count(*) FROM city a JOIN city b ON b.id = a.id + 100000 "
                           "WHERE b.name = " + copied_name + " AND b.population = a.population") == swiss);
}

BOOST_AUTO_TEST_CASE(upsert_updates_only_the_named_columns, *boost::unit_test::precondition(has_data)) {
    auto raw = data().raw();
    auto conn = data().engine.connect();
    const auto name_before = *raw.value("SELECT name FROM country WHERE code = 'NLD'");
    const long long countries = raw.integer("SELECT count(*) FROM country");
    Country changed{"NLD", "Renamed", 1.0, 17000000, std::nullopt, {}};
    Country added{"ZZZ", "Nowhere", 1.0, 0, std::nullopt, {}};
    const auto upsert = reflorm::insert<Country>()
                            .values(std::vector<Country>{changed, added})
                            .on_conflict_do_update(c<&Country::code>)
                            .set_excluded(c<&Country::population>);
    // One row updated, one inserted. MySQL's affected-rows count of INSERT ... ON DUPLICATE KEY
    // UPDATE is 1 per inserted row and 2 per updated row (MySQL manual, "INSERT ... ON DUPLICATE
    // KEY UPDATE"), which reflorm passes on as it is.
    BOOST_TEST(conn.execute(upsert).rowcount() == (data().kind() == backend::mysql ? 3 : 2));
    BOOST_TEST(raw.integer("SELECT population FROM country WHERE code = 'NLD'") == 17000000);
    BOOST_TEST(*raw.value("SELECT name FROM country WHERE code = 'NLD'") == name_before);  // not in set_excluded
    BOOST_TEST(raw.integer("SELECT capital FROM country WHERE code = 'NLD'") == 5);    // Amsterdam, kept
    BOOST_TEST(*raw.value("SELECT name FROM country WHERE code = 'ZZZ'") == "Nowhere");
    BOOST_TEST(raw.integer("SELECT count(*) FROM country") == countries + 1);

    // DO NOTHING (MySQL: INSERT IGNORE) leaves an existing row as it was.
    Country ignored{"NLD", "Ignored", 2.0, 1, std::nullopt, {}};
    BOOST_TEST(conn.execute(reflorm::insert<Country>().values(ignored).on_conflict_do_nothing(c<&Country::code>)).rowcount() == 0);
    BOOST_TEST(raw.integer("SELECT population FROM country WHERE code = 'NLD'") == 17000000);
    BOOST_TEST(raw.integer("SELECT count(*) FROM country") == countries + 1);
}

BOOST_AUTO_TEST_CASE(returning_and_text_read_rows, *boost::unit_test::precondition(has_data)) {
    auto raw = data().raw();
    auto conn = data().engine.connect();
    const auto move = reflorm::update<City>()
                          .set(c<&City::country_code> = "BEL")
                          .where(c<&City::name> == "Utrecht")
                          .returning(c<&City::id>, c<&City::name>);
    if (data().kind() == backend::mysql) {
        // MySQL has no RETURNING (docs/statements.md): refused before anything runs.
        BOOST_CHECK_THROW(conn.execute(move).all(), reflorm::unsupported_error);
        BOOST_TEST(raw.integer("SELECT count(*) FROM city WHERE name = 'Utrecht' AND country_code = 'NLD'") == 1);
    } else {
        const auto moved = conn.execute(move).all();
        BOOST_TEST_REQUIRE(moved.size() == 1u);
        BOOST_TEST(std::get<1>(moved[0]) == "Utrecht");
        BOOST_TEST(raw.integer("SELECT id FROM city WHERE name = 'Utrecht' AND country_code = 'BEL'") ==
                   std::get<0>(moved[0]));
    }

    const auto counted = conn.execute(reflorm::text("SELECT count(*), sum(population) FROM city WHERE country_code = :code")
                                      .bind("code", "CHN")
                                      .columns<std::int64_t, std::int64_t>()).one();
    BOOST_TEST(std::get<0>(counted) == raw.integer("SELECT count(*) FROM city WHERE country_code = 'CHN'"));
    BOOST_TEST(std::get<1>(counted) == raw.integer("SELECT sum(population) FROM city WHERE country_code = 'CHN'"));
}
