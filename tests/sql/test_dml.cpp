// sql layer: the data-changing statements (insert, upsert, insert-select, returning, update,
// delete), text() with named parameters, and str(), rendered for every dialect without a
// database; bound parameters in placeholder order with their C++ types; the statement text
// cache for run-time shapes (rows of a multi-row VALUES, the SQL of text()).
#include <boost/test/unit_test.hpp>

#include "sql_test_support.hpp"

#include <reflorm/dialect/dialect.hpp>
#include <reflorm/reflorm.hpp>

#include <boost/describe/enum.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <typeindex>
#include <typeinfo>
#include <vector>

namespace dml_test {

enum class Kind { town, metropolis };
BOOST_DESCRIBE_ENUM(Kind, town, metropolis)

struct City {
    std::int64_t id;
    std::string name;
    std::int32_t population;
    std::optional<std::string> district;
    double area;
    Kind kind;
};

// As many columns as City, other names: for insert-from-select across models.
struct Town {
    std::int64_t id;
    std::string title;
    std::int32_t people;
    std::optional<std::string> region;
    double size;
    Kind kind;
};

// A string primary key: nothing is generated.
struct Tag {
    std::string code;
    std::string label;
};

// Reserved table and column names.
struct Order {
    std::int64_t id;
    std::string group;
    std::int32_t select;
};

// Used only by the statement_text tests, so that no other test renders their shapes first.
struct Memo {
    std::int64_t id;
    std::string note;
};

}  // namespace dml_test

using namespace dml_test;

template <>
struct reflorm::model<Tag> {
    static constexpr auto primary_key = reflorm::primary_key<&Tag::code>;
};
template <>
struct reflorm::model<Order> {
    static constexpr auto table = "order";
};

namespace {

namespace rd = reflorm::dialect;
using reflorm::c;

using sql_test::mysql_sql;
using sql_test::pg_sql;
using sql_test::sqlite_sql;

/// One visited parameter: its C++ type and its value as a literal.
struct parameter {
    std::type_index type;
    std::string value;
    bool operator==(const parameter&) const = default;
};
std::ostream& operator<<(std::ostream& os, const parameter& p) { return os << p.type.name() << ":" << p.value; }

template <class V>
parameter p(const V& value) {
    return {typeid(V), reflorm::sql::format_literal(value)};
}
parameter p(const char* text) { return p(std::string(text)); }

std::vector<parameter> parameters_of(const auto& statement) {
    std::vector<parameter> out;
    auto visit = [&](const auto& value) { out.push_back(p(value)); };
    statement.for_each_parameter(visit);
    return out;
}

bool message_contains(const std::exception& e, std::string_view text) {
    return std::string_view(e.what()).find(text) != std::string_view::npos;
}

template <class S>
concept has_result_type = requires { typename S::result_type; };

const std::string city_columns = "(id, name, population, district, area, kind)";

}  // namespace

BOOST_AUTO_TEST_SUITE(dml_insert)

BOOST_AUTO_TEST_CASE(one_row_binds_every_column_and_leaves_a_zero_key_to_the_database) {
    const City generated{0, "Oslo", 700000, std::nullopt, 454.0, Kind::metropolis};
    const auto s = reflorm::insert<City>().values(generated);
    BOOST_TEST(sqlite_sql(s) == "INSERT INTO cities " + city_columns + " VALUES (NULL, ?, ?, ?, ?, ?)");
    BOOST_TEST(pg_sql(s) == "INSERT INTO cities " + city_columns + " VALUES (DEFAULT, $1, $2, $3, $4, $5)");
    BOOST_TEST(mysql_sql(s) == "INSERT INTO cities " + city_columns + " VALUES (DEFAULT, ?, ?, ?, ?, ?)");
    BOOST_TEST(parameters_of(s) == (std::vector<parameter>{p(std::string("Oslo")), p(std::int32_t{700000}),
                                                            p(std::optional<std::string>{}), p(454.0), p(Kind::metropolis)}),
               boost::test_tools::per_element());

    // A non-zero key is the row's own and bound like every other column.
    const auto explicit_key = reflorm::insert<City>().values(City{7, "Bergen", 1, "west", 1.5, Kind::town});
    BOOST_TEST(sqlite_sql(explicit_key) == "INSERT INTO cities " + city_columns + " VALUES (?, ?, ?, ?, ?, ?)");
    BOOST_TEST(pg_sql(explicit_key) == "INSERT INTO cities " + city_columns + " VALUES ($1, $2, $3, $4, $5, $6)");
    BOOST_TEST(parameters_of(explicit_key) ==
                   (std::vector<parameter>{p(std::int64_t{7}), p(std::string("Bergen")), p(std::int32_t{1}),
                                           p(std::optional<std::string>{"west"}), p(1.5), p(Kind::town)}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(many_rows_are_one_multi_row_values) {
    const std::vector<City> rows{{0, "a", 1, std::nullopt, 1.0, Kind::town},
                                 {9, "b", 2, "x", 2.0, Kind::town},
                                 {0, "c", 3, std::nullopt, 3.0, Kind::metropolis}};
    const auto s = reflorm::insert<City>().values(rows);
    BOOST_TEST(sqlite_sql(s) == "INSERT INTO cities " + city_columns +
                                    " VALUES (NULL, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (NULL, ?, ?, ?, ?, ?)");
    BOOST_TEST(pg_sql(s) == "INSERT INTO cities " + city_columns +
                                " VALUES (DEFAULT, $1, $2, $3, $4, $5), ($6, $7, $8, $9, $10, $11), "
                                "(DEFAULT, $12, $13, $14, $15, $16)");
    BOOST_TEST(mysql_sql(s) == "INSERT INTO cities " + city_columns +
                                   " VALUES (DEFAULT, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (DEFAULT, ?, ?, ?, ?, ?)");
    const auto params = parameters_of(s);
    BOOST_TEST_REQUIRE(params.size() == 16u);
    BOOST_TEST(params[0] == p(std::string("a")));
    BOOST_TEST(params[5] == p(std::int64_t{9}));
    BOOST_TEST(params[8] == p(std::optional<std::string>{"x"}));
    BOOST_TEST(params[15] == p(Kind::metropolis));

    // A span, a braced list and a moved vector give the same statement.
    const std::span<const City> span{rows};
    BOOST_TEST(sqlite_sql(reflorm::insert<City>().values(span)) == sqlite_sql(s));
    BOOST_TEST(sqlite_sql(reflorm::insert<City>().values({rows[0], rows[1], rows[2]})) == sqlite_sql(s));
    auto moved = rows;
    BOOST_TEST(parameters_of(reflorm::insert<City>().values(std::move(moved))) == params, boost::test_tools::per_element());
    // The statement owns its rows: changing the source afterwards changes nothing.
    std::vector<City> changing = rows;
    const auto owned = reflorm::insert<City>().values(changing);
    changing[0].name = "changed";
    BOOST_TEST(parameters_of(owned) == params, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_model_without_a_generated_key_binds_every_column) {
    const auto s = reflorm::insert<Tag>().values(std::vector<Tag>{{"a", "A"}, {"b", "B"}});
    BOOST_TEST(sqlite_sql(s) == "INSERT INTO tags (code, label) VALUES (?, ?), (?, ?)");
    BOOST_TEST(pg_sql(s) == "INSERT INTO tags (code, label) VALUES ($1, $2), ($3, $4)");
    BOOST_TEST(parameters_of(s) == (std::vector<parameter>{p("a"), p("A"), p("b"), p("B")}), boost::test_tools::per_element());
}

// The engine's own INSERTs (connection::insert, insert_all, the session's flush) render through
// the same INSERT head as insert<T>().
BOOST_AUTO_TEST_CASE(the_engine_inserts_leave_omitted_columns_to_the_database) {
    using reflorm::sql::insert_shape_statement;
    // Nothing omitted or returned: the whole row.
    BOOST_TEST(sqlite_sql(insert_shape_statement<City>{}) == "INSERT INTO cities " + city_columns + " VALUES (?, ?, ?, ?, ?, ?)");
    BOOST_TEST(pg_sql(insert_shape_statement<City>{}) == "INSERT INTO cities " + city_columns + " VALUES ($1, $2, $3, $4, $5, $6)");
    BOOST_TEST(mysql_sql(insert_shape_statement<Order>{}) == "INSERT INTO `order` (id, `group`, `select`) VALUES (?, ?, ?)");
    const insert_shape_statement<City> key_generated{"100100", "100100"};
    BOOST_TEST(pg_sql(key_generated) ==
               "INSERT INTO cities (name, population, area, kind) VALUES ($1, $2, $3, $4) RETURNING id, district");
    BOOST_TEST(mysql_sql(insert_shape_statement<City>{"100100", ""}) ==
               "INSERT INTO cities (name, population, area, kind) VALUES (?, ?, ?, ?)");
    // Every column left to the database.
    BOOST_TEST(sqlite_sql(insert_shape_statement<Tag>{"11", "11"}) == "INSERT INTO tags DEFAULT VALUES RETURNING code, label");
    BOOST_TEST(mysql_sql(insert_shape_statement<Tag>{"11", ""}) == "INSERT INTO tags () VALUES ()");
}

BOOST_AUTO_TEST_CASE(reserved_names_are_quoted_per_dialect) {
    const auto s = reflorm::insert<Order>()
                       .values(Order{0, "g", 1})
                       .on_conflict_do_update(c<&Order::id>)
                       .set_excluded(c<&Order::group>, c<&Order::select>);
    BOOST_TEST(sqlite_sql(s) == "INSERT INTO \"order\" (id, \"group\", \"select\") VALUES (NULL, ?, ?) ON CONFLICT (id) "
                                "DO UPDATE SET \"group\" = excluded.\"group\", \"select\" = excluded.\"select\"");
    BOOST_TEST(mysql_sql(s) == "INSERT INTO `order` (id, `group`, `select`) VALUES (DEFAULT, ?, ?) ON DUPLICATE KEY "
                               "UPDATE `group` = VALUES(`group`), `select` = VALUES(`select`)");
}

BOOST_AUTO_TEST_CASE(no_rows_is_a_statement_error) {
    BOOST_CHECK_EXCEPTION(reflorm::insert<City>().values(std::vector<City>{}), reflorm::sql::statement_error,
                          [](const auto& e) { return message_contains(e, "was given no rows"); });
}

BOOST_AUTO_TEST_CASE(on_conflict_do_nothing_per_dialect) {
    const City row{0, "a", 1, std::nullopt, 1.0, Kind::town};
    const auto s = reflorm::insert<City>().values(row).on_conflict_do_nothing(c<&City::name>);
    BOOST_TEST(sqlite_sql(s) == "INSERT INTO cities " + city_columns + " VALUES (NULL, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING");
    BOOST_TEST(pg_sql(s) == "INSERT INTO cities " + city_columns + " VALUES (DEFAULT, $1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING");
    BOOST_TEST(mysql_sql(s) == "INSERT IGNORE INTO cities " + city_columns + " VALUES (DEFAULT, ?, ?, ?, ?, ?)");
    // Without a target: any conflict.
    const auto any = reflorm::insert<City>().values(row).on_conflict_do_nothing();
    BOOST_TEST(pg_sql(any) == "INSERT INTO cities " + city_columns + " VALUES (DEFAULT, $1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
    // Several target columns; the clause may come before the rows.
    const auto two = reflorm::insert<City>().on_conflict_do_nothing(c<&City::name>, c<&City::kind>).values(row);
    BOOST_TEST(sqlite_sql(two) == "INSERT INTO cities " + city_columns + " VALUES (NULL, ?, ?, ?, ?, ?) ON CONFLICT (name, kind) DO NOTHING");
    BOOST_TEST(parameters_of(two) == parameters_of(reflorm::insert<City>().values(row)), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(on_conflict_do_update_sets_the_chosen_columns_from_the_new_row) {
    const City row{5, "a", 1, std::nullopt, 1.0, Kind::town};
    const auto s = reflorm::insert<City>()
                       .values(row)
                       .on_conflict_do_update(c<&City::name>)
                       .set_excluded(c<&City::population>, c<&City::area>);
    BOOST_TEST(sqlite_sql(s) == "INSERT INTO cities " + city_columns +
                                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET population = "
                                    "excluded.population, area = excluded.area");
    BOOST_TEST(pg_sql(s) == "INSERT INTO cities " + city_columns +
                                " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO UPDATE SET population = "
                                "excluded.population, area = excluded.area");
    BOOST_TEST(mysql_sql(s) == "INSERT INTO cities " + city_columns +
                                   " VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE population = VALUES(population), "
                                   "area = VALUES(area)");
    // set_excluded twice adds columns; a composite target.
    const auto more = reflorm::insert<City>()
                          .values(row)
                          .on_conflict_do_update(c<&City::name>, c<&City::kind>)
                          .set_excluded(c<&City::population>)
                          .set_excluded(c<&City::district>);
    BOOST_TEST(pg_sql(more) == "INSERT INTO cities " + city_columns +
                                   " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name, kind) DO UPDATE SET population = "
                                   "excluded.population, district = excluded.district");
}

BOOST_AUTO_TEST_CASE(returning_renders_qualified_columns_and_types_the_rows) {
    const City row{0, "a", 1, std::nullopt, 1.0, Kind::town};
    const auto s = reflorm::insert<City>().values(row).returning(c<&City::id>, c<&City::district>, c<&City::kind>);
    static_assert(std::is_same_v<decltype(s)::result_type, std::tuple<std::int64_t, std::optional<std::string>, Kind>>);
    BOOST_TEST(sqlite_sql(s) == "INSERT INTO cities " + city_columns +
                                    " VALUES (NULL, ?, ?, ?, ?, ?) RETURNING cities.id, cities.district, cities.kind");
    BOOST_TEST(pg_sql(s) == "INSERT INTO cities " + city_columns +
                                " VALUES (DEFAULT, $1, $2, $3, $4, $5) RETURNING cities.id, cities.district, cities.kind");
    // With an upsert, RETURNING comes last.
    const auto upsert = reflorm::insert<City>().values(row).returning(c<&City::id>).on_conflict_do_nothing(c<&City::name>);
    BOOST_TEST(sqlite_sql(upsert) == "INSERT INTO cities " + city_columns +
                                         " VALUES (NULL, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING cities.id");
    // MySQL has none: a clear error, pointing at LAST_INSERT_ID().
    BOOST_CHECK_EXCEPTION(mysql_sql(s), reflorm::sql::unsupported_feature_error, [](const auto& e) {
        return message_contains(e, "mysql has no RETURNING clause") && message_contains(e, "LAST_INSERT_ID()");
    });
    // Without returning() an insert has no result_type: it runs with connection::execute.
    static_assert(!has_result_type<decltype(reflorm::insert<City>().values(row))>);
}

BOOST_AUTO_TEST_CASE(from_select_of_the_same_model_and_of_another_with_as_many_columns) {
    const auto same = reflorm::insert<City>().from_select(reflorm::select<City>().where(c<&City::population> > 100));
    BOOST_TEST(pg_sql(same) == "INSERT INTO cities " + city_columns +
                                   " SELECT cities.id, cities.name, cities.population, cities.district, cities.area, "
                                   "cities.kind FROM cities WHERE cities.population > $1");
    BOOST_TEST(parameters_of(same) == std::vector<parameter>{p(std::int32_t{100})}, boost::test_tools::per_element());

    const auto other = reflorm::insert<City>().from_select(
        reflorm::select<Town>().where(c<&Town::region> == "north").order_by(c<&Town::id>).limit(10));
    BOOST_TEST(sqlite_sql(other) == "INSERT INTO cities " + city_columns +
                                        " SELECT towns.id, towns.title, towns.people, towns.region, towns.size, towns.kind "
                                        "FROM towns WHERE towns.region = ? ORDER BY towns.id ASC LIMIT ?");
    BOOST_TEST(mysql_sql(other) == "INSERT INTO cities " + city_columns +
                                       " SELECT towns.id, towns.title, towns.people, towns.region, towns.size, towns.kind "
                                       "FROM towns WHERE towns.region = ? ORDER BY towns.id ASC LIMIT ?");
    BOOST_TEST(parameters_of(other) == (std::vector<parameter>{p(std::string("north")), p(std::int64_t{10})}),
               boost::test_tools::per_element());

    // A select of expressions, one per column.
    const auto columns = reflorm::insert<City>().from_select(reflorm::select(
        c<&Town::id>, c<&Town::title>, c<&Town::people> * 2, c<&Town::region>, c<&Town::size>, c<&Town::kind>));
    BOOST_TEST(pg_sql(columns) == "INSERT INTO cities " + city_columns +
                                      " SELECT towns.id, towns.title, towns.people * $1, towns.region, towns.size, "
                                      "towns.kind FROM towns");
}

BOOST_AUTO_TEST_CASE(from_select_with_a_conflict_clause_ends_the_select_with_a_where) {
    // SQLite cannot tell `FROM towns ON CONFLICT` from a join's ON: a select without a WHERE
    // gets WHERE TRUE; one with a WHERE is left alone.
    const auto bare = reflorm::insert<City>().from_select(reflorm::select<Town>()).on_conflict_do_nothing(c<&City::name>);
    const std::string select_towns = "SELECT towns.id, towns.title, towns.people, towns.region, towns.size, towns.kind FROM towns";
    BOOST_TEST(sqlite_sql(bare) == "INSERT INTO cities " + city_columns + " " + select_towns +
                                       " WHERE TRUE ON CONFLICT (name) DO NOTHING");
    BOOST_TEST(mysql_sql(bare) == "INSERT IGNORE INTO cities " + city_columns + " " + select_towns + " WHERE TRUE");
    const auto filtered = reflorm::insert<City>()
                              .on_conflict_do_update(c<&City::id>)
                              .set_excluded(c<&City::name>)
                              .from_select(reflorm::select<Town>().where(c<&Town::people> > 5));
    BOOST_TEST(pg_sql(filtered) == "INSERT INTO cities " + city_columns + " " + select_towns +
                                       " WHERE towns.people > $1 ON CONFLICT (id) DO UPDATE SET name = excluded.name");
    BOOST_TEST(parameters_of(filtered) == std::vector<parameter>{p(std::int32_t{5})}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(insert_str_shows_the_sqlite_text_and_the_values) {
    const auto s = reflorm::insert<City>().values(City{0, "O'Hare", 3, std::nullopt, 0.5, Kind::town});
    BOOST_TEST(s.str() == "INSERT INTO cities " + city_columns +
                              " VALUES (NULL, ?, ?, ?, ?, ?)  -- parameters: ('O''Hare', 3, NULL, 0.5, 'town')");
    BOOST_TEST(reflorm::sql::str(s, rd::postgresql()) ==
               "INSERT INTO cities " + city_columns + " VALUES (DEFAULT, $1, $2, $3, $4, $5)  -- parameters: ('O''Hare', 3, NULL, 0.5, 'town')");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dml_update)

BOOST_AUTO_TEST_CASE(set_values_columns_and_null) {
    const auto s = reflorm::update<City>()
                       .set(c<&City::population> = 5, c<&City::name> = "x", c<&City::district> = std::nullopt)
                       .where(c<&City::id> == 42);
    BOOST_TEST(sqlite_sql(s) == "UPDATE cities SET population = ?, name = ?, district = ? WHERE cities.id = ?");
    BOOST_TEST(pg_sql(s) == "UPDATE cities SET population = $1, name = $2, district = $3 WHERE cities.id = $4");
    BOOST_TEST(mysql_sql(s) == "UPDATE cities SET population = ?, name = ?, district = ? WHERE cities.id = ?");
    BOOST_TEST(parameters_of(s) == (std::vector<parameter>{p(std::int32_t{5}), p(std::string("x")),
                                                            p(std::optional<std::string>{}), p(std::int64_t{42})}),
               boost::test_tools::per_element());

    // Column to column: nothing bound.
    const auto columns = reflorm::update<Town>().set(c<&Town::title> = c<&Town::region>, c<&Town::size> = c<&Town::people>);
    BOOST_TEST(pg_sql(columns) == "UPDATE towns SET title = towns.region, size = towns.people");
    BOOST_TEST(parameters_of(columns).empty());

    // A std::optional value: NULL when empty, the value otherwise.
    const std::optional<std::string> some = "d", none;
    BOOST_TEST(parameters_of(reflorm::update<City>().set(c<&City::district> = some)) ==
                   std::vector<parameter>{p(std::optional<std::string>{"d"})},
               boost::test_tools::per_element());
    BOOST_TEST(parameters_of(reflorm::update<City>().set(c<&City::district> = none)) ==
                   std::vector<parameter>{p(std::optional<std::string>{})},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(set_with_arithmetic) {
    const auto s = reflorm::update<City>()
                       .set(c<&City::population> = c<&City::population> + 1, c<&City::area> = c<&City::area> * 2.5)
                       .where(c<&City::name> == "Oslo");
    BOOST_TEST(sqlite_sql(s) == "UPDATE cities SET population = cities.population + ?, area = cities.area * ? WHERE cities.name = ?");
    BOOST_TEST(pg_sql(s) == "UPDATE cities SET population = cities.population + $1, area = cities.area * $2 WHERE cities.name = $3");
    BOOST_TEST(parameters_of(s) == (std::vector<parameter>{p(1), p(2.5), p(std::string("Oslo"))}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(values_keep_the_column_type_unless_it_cannot_hold_them) {
    const std::int16_t small = 3;
    const std::int64_t big = 5'000'000'000;
    BOOST_TEST(parameters_of(reflorm::update<City>().set(c<&City::population> = small)) ==
                   std::vector<parameter>{p(std::int32_t{3})},
               boost::test_tools::per_element());
    // Truncating to int32 would store another number; the true value is bound and the
    // database (or reading it back) reports it.
    BOOST_TEST(parameters_of(reflorm::update<City>().set(c<&City::population> = big)) == std::vector<parameter>{p(big)},
               boost::test_tools::per_element());
    BOOST_TEST(parameters_of(reflorm::update<City>().set(c<&City::area> = 2)) == std::vector<parameter>{p(2.0)},
               boost::test_tools::per_element());
    BOOST_TEST(parameters_of(reflorm::update<City>().set(c<&City::kind> = Kind::metropolis)) ==
                   std::vector<parameter>{p(Kind::metropolis)},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(without_where_every_row_and_where_twice_combines_with_and) {
    BOOST_TEST(sqlite_sql(reflorm::update<City>().set(c<&City::population> = 0)) == "UPDATE cities SET population = ?");
    const auto s = reflorm::update<City>()
                       .set(c<&City::population> = 0)
                       .where(c<&City::id> == 1 || c<&City::id> == 2)
                       .where(c<&City::kind> == Kind::town)
                       .set(c<&City::name> = "n");
    BOOST_TEST(pg_sql(s) == "UPDATE cities SET population = $1, name = $2 WHERE (cities.id = $3 OR cities.id = $4) AND cities.kind = $5");
    BOOST_TEST(parameters_of(s) == (std::vector<parameter>{p(std::int32_t{0}), p(std::string("n")), p(std::int64_t{1}),
                                                            p(std::int64_t{2}), p(Kind::town)}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(update_returning_and_reserved_names) {
    const auto s = reflorm::update<Order>().set(c<&Order::group> = "g", c<&Order::select> = c<&Order::select> - 1)
                       .where(c<&Order::id> > 3)
                       .returning(c<&Order::id>, c<&Order::select>);
    static_assert(std::is_same_v<decltype(s)::result_type, std::tuple<std::int64_t, std::int32_t>>);
    BOOST_TEST(sqlite_sql(s) == "UPDATE \"order\" SET \"group\" = ?, \"select\" = \"order\".\"select\" - ? WHERE "
                                "\"order\".id > ? RETURNING \"order\".id, \"order\".\"select\"");
    BOOST_TEST(pg_sql(s) == "UPDATE \"order\" SET \"group\" = $1, \"select\" = \"order\".\"select\" - $2 WHERE "
                            "\"order\".id > $3 RETURNING \"order\".id, \"order\".\"select\"");
    BOOST_CHECK_THROW(mysql_sql(s), reflorm::sql::unsupported_feature_error);
    const auto plain = reflorm::update<Order>().set(c<&Order::group> = "g").where(c<&Order::id> > 3);
    BOOST_TEST(mysql_sql(plain) == "UPDATE `order` SET `group` = ? WHERE `order`.id > ?");
}

BOOST_AUTO_TEST_CASE(update_str) {
    const auto s = reflorm::update<City>().set(c<&City::population> = 5).where(c<&City::id> == 42);
    BOOST_TEST(s.str() == "UPDATE cities SET population = ? WHERE cities.id = ?  -- parameters: (5, 42)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dml_delete)

BOOST_AUTO_TEST_CASE(delete_where_all_rows_and_returning) {
    const auto s = reflorm::delete_<City>().where(c<&City::population> < 1000).where(c<&City::district>.is_null());
    BOOST_TEST(sqlite_sql(s) == "DELETE FROM cities WHERE cities.population < ? AND cities.district IS NULL");
    BOOST_TEST(pg_sql(s) == "DELETE FROM cities WHERE cities.population < $1 AND cities.district IS NULL");
    BOOST_TEST(mysql_sql(s) == "DELETE FROM cities WHERE cities.population < ? AND cities.district IS NULL");
    BOOST_TEST(parameters_of(s) == std::vector<parameter>{p(std::int32_t{1000})}, boost::test_tools::per_element());

    BOOST_TEST(mysql_sql(reflorm::delete_<Order>()) == "DELETE FROM `order`");
    BOOST_TEST(sqlite_sql(reflorm::delete_<Order>()) == "DELETE FROM \"order\"");

    const auto r = reflorm::delete_<City>().where(c<&City::id> == 1).returning(c<&City::name>);
    static_assert(std::is_same_v<decltype(r)::result_type, std::tuple<std::string>>);
    BOOST_TEST(pg_sql(r) == "DELETE FROM cities WHERE cities.id = $1 RETURNING cities.name");
    BOOST_CHECK_THROW(mysql_sql(r), reflorm::sql::unsupported_feature_error);
    BOOST_TEST(r.str() == "DELETE FROM cities WHERE cities.id = ? RETURNING cities.name  -- parameters: (1)");
    // No parameters, no comment.
    BOOST_TEST(reflorm::delete_<City>().str() == "DELETE FROM cities");
}

BOOST_AUTO_TEST_CASE(subqueries_in_update_and_delete_correlate_to_the_changed_table) {
    // The subquery reads towns and cities; cities is the UPDATE/DELETE target, so the subquery's
    // FROM leaves it out and cities.name refers to the row being changed.
    const auto matching_town = reflorm::select(c<&Town::id>).where(c<&Town::title> == c<&City::name>);
    const auto d = reflorm::delete_<City>().where(reflorm::exists(matching_town));
    BOOST_TEST(sqlite_sql(d) == "DELETE FROM cities WHERE EXISTS (SELECT towns.id FROM towns WHERE towns.title = cities.name)");
    const auto u = reflorm::update<City>()
                       .set(c<&City::district> =
                                reflorm::select(c<&Town::region>).where(c<&Town::title> == c<&City::name>).scalar_subquery())
                       .where(c<&City::id>.in_(reflorm::select(c<&Town::id>).where(c<&Town::people> > 5)));
    BOOST_TEST(pg_sql(u) == "UPDATE cities SET district = (SELECT towns.region FROM towns WHERE towns.title = cities.name) "
                            "WHERE cities.id IN (SELECT towns.id FROM towns WHERE towns.people > $1)");
    BOOST_TEST(parameters_of(u) == std::vector<parameter>{p(std::int32_t{5})}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dml_text)

BOOST_AUTO_TEST_CASE(named_parameters_become_the_dialect_placeholders) {
    const auto t = reflorm::text("SELECT name FROM city WHERE population > :min AND country_code = :code")
                       .bind("min", 1000000)
                       .bind("code", "NLD");
    BOOST_TEST(sqlite_sql(t) == "SELECT name FROM city WHERE population > ? AND country_code = ?");
    BOOST_TEST(pg_sql(t) == "SELECT name FROM city WHERE population > $1 AND country_code = $2");
    BOOST_TEST(mysql_sql(t) == "SELECT name FROM city WHERE population > ? AND country_code = ?");
    BOOST_TEST(parameters_of(t) == (std::vector<parameter>{p(std::int64_t{1000000}), p(std::string("NLD"))}),
               boost::test_tools::per_element());
    BOOST_TEST(t.str() == "SELECT name FROM city WHERE population > ? AND country_code = ?  -- parameters: (1000000, 'NLD')");
    BOOST_TEST(t.parameter_names() == (std::vector<std::string>{"min", "code"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_name_used_twice_is_bound_at_each_place) {
    const auto t = reflorm::text("SELECT * FROM t WHERE a = :x OR b = :y OR c = :x").bind("y", 2).bind("x", "one");
    BOOST_TEST(pg_sql(t) == "SELECT * FROM t WHERE a = $1 OR b = $2 OR c = $3");
    BOOST_TEST(parameters_of(t) == (std::vector<parameter>{p(std::string("one")), p(std::int64_t{2}), p(std::string("one"))}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(what_is_not_a_parameter) {
    const auto translate = [](std::string_view sql) { return pg_sql(reflorm::text(sql)); };
    // Casts, and a parameter followed by a cast.
    BOOST_TEST(translate("SELECT a::text, :v::int FROM t") == "SELECT a::text, $1::int FROM t");
    BOOST_TEST(translate("SELECT a:::b") == "SELECT a:::b");
    // Inside strings, with '' escapes; an E'' string with a backslash-escaped quote.
    BOOST_TEST(translate("SELECT ':a', 'it''s :b', :c") == "SELECT ':a', 'it''s :b', $1");
    BOOST_TEST(translate("SELECT E'\\' :a', :b") == "SELECT E'\\' :a', $1");
    // A backslash in an ordinary string is a plain character (SQLite, PostgreSQL).
    BOOST_TEST(translate("SELECT 'C:\\', :a") == "SELECT 'C:\\', $1");
    // Quoted identifiers, comments, dollar-quoted strings.
    BOOST_TEST(translate("SELECT \"x:y\", `a:b`, :p") == "SELECT \"x:y\", `a:b`, $1");
    BOOST_TEST(translate("SELECT 1 -- :no\n, :yes") == "SELECT 1 -- :no\n, $1");
    BOOST_TEST(translate("SELECT /* :no */ :yes") == "SELECT /* :no */ $1");
    BOOST_TEST(translate("SELECT $$ :no $$, $tag$ :no $tag$, :yes") == "SELECT $$ :no $$, $tag$ :no $tag$, $1");
    // A colon after a word, a colon before a digit, an escaped colon, a lone colon.
    BOOST_TEST(translate("SELECT a:b, '12:30', x[1:2], \\:esc, : , :ok") == "SELECT a:b, '12:30', x[1:2], :esc, : , $1");
    // Parameters at the very start and end; names with digits and underscores.
    BOOST_TEST(translate(":first_1 :_2nd") == "$1 $2");
    // Unterminated quotes and comments are left for the database to report.
    BOOST_TEST(translate("SELECT :a, 'open :b") == "SELECT $1, 'open :b");
    BOOST_TEST(translate("SELECT :a /* open :b") == "SELECT $1 /* open :b");
}

BOOST_AUTO_TEST_CASE(unknown_and_unbound_names_are_errors_that_name_the_parameter) {
    const auto t = reflorm::text("SELECT * FROM t WHERE a = :alpha AND b = :beta");
    BOOST_CHECK_EXCEPTION(t.bind("gamma", 1), reflorm::sql::statement_error, [](const auto& e) {
        return message_contains(e, "has no parameter :gamma") && message_contains(e, "its parameters are :alpha, :beta");
    });
    BOOST_CHECK_EXCEPTION(reflorm::text("SELECT 1").bind("x", 1), reflorm::sql::statement_error,
                          [](const auto& e) { return message_contains(e, "it has no parameters"); });
    const auto half = t.bind("alpha", 1);
    BOOST_CHECK_EXCEPTION(parameters_of(half), reflorm::sql::statement_error, [](const auto& e) {
        return message_contains(e, ":beta has no value") && message_contains(e, "bind(\"beta\", value)");
    });
    // An unbound statement still renders: only running (or str()) needs the values.
    BOOST_TEST(sqlite_sql(half) == "SELECT * FROM t WHERE a = ? AND b = ?");
    // bind() returns a new statement: the original is unchanged.
    BOOST_CHECK_THROW(parameters_of(t), reflorm::sql::statement_error);
    // A leading colon is accepted; a second bind replaces the value.
    const auto full = half.bind(":beta", 2).bind("alpha", 3);
    BOOST_TEST(parameters_of(full) == (std::vector<parameter>{p(std::int64_t{3}), p(std::int64_t{2})}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bound_value_types) {
    const reflorm::date day = std::chrono::year{2024} / 5 / 1;
    const auto t = reflorm::text(":a :b :c :d :e :f :g :h :i :j")
                       .bind("a", true)
                       .bind("b", std::uint64_t{18'000'000'000'000'000'000u})
                       .bind("c", 1.5f)
                       .bind("d", std::string_view("sv"))
                       .bind("e", std::optional<int>{})
                       .bind("f", std::nullopt)
                       .bind("g", std::optional<int>{7})
                       .bind("h", day)
                       .bind("i", Kind::metropolis)
                       .bind("j", reflorm::blob{std::byte{0}, std::byte{0xff}});
    BOOST_TEST(parameters_of(t) ==
                   (std::vector<parameter>{p(true), p(std::uint64_t{18'000'000'000'000'000'000u}), p(1.5), p(std::string("sv")),
                                           p(std::optional<std::int64_t>{}), p(std::optional<std::int64_t>{}),
                                           p(std::int64_t{7}), p(day), p(std::string("metropolis")),
                                           p(reflorm::blob{std::byte{0}, std::byte{0xff}})}),
               boost::test_tools::per_element());
    BOOST_TEST(t.str() == "? ? ? ? ? ? ? ? ? ?  -- parameters: (TRUE, 18000000000000000000, 1.5, 'sv', NULL, NULL, 7, "
                          "'2024-05-01', 'metropolis', X'00ff')");
}

BOOST_AUTO_TEST_CASE(columns_give_a_result_type) {
    const auto t = reflorm::text("SELECT name, population FROM city WHERE id = :id").columns<std::string, std::int64_t>().bind("id", 1);
    static_assert(std::is_same_v<decltype(t)::result_type, std::tuple<std::string, std::int64_t>>);
    static_assert(!has_result_type<decltype(reflorm::text("x"))>);
    BOOST_TEST(parameters_of(t) == std::vector<parameter>{p(std::int64_t{1})}, boost::test_tools::per_element());
    // Bindings made before columns<>() are kept.
    const auto before = reflorm::text("SELECT :x").bind("x", 5).columns<std::int64_t>();
    BOOST_TEST(parameters_of(before) == std::vector<parameter>{p(std::int64_t{5})}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dml_text_cache)

// The engine's INSERT: the whole-row shape has an empty shape key, cached apart from the others.
BOOST_AUTO_TEST_CASE(the_engine_insert_is_rendered_once_per_shape) {
    using reflorm::sql::insert_shape_statement;
    using reflorm::sql::render_count;
    using reflorm::sql::statement_text;
    const std::size_t before = render_count();
    const std::string& whole = statement_text(insert_shape_statement<Memo>{}, rd::sqlite());
    BOOST_TEST(whole == "INSERT INTO memos (id, note) VALUES (?, ?)");
    BOOST_TEST(&statement_text(insert_shape_statement<Memo>{}, rd::sqlite()) == &whole);
    BOOST_TEST(render_count() == before + 1);
    const std::string& generated = statement_text(insert_shape_statement<Memo>{"10", "10"}, rd::sqlite());
    BOOST_TEST(generated == "INSERT INTO memos (note) VALUES (?) RETURNING id");
    BOOST_TEST(&statement_text(insert_shape_statement<Memo>{"10", "10"}, rd::sqlite()) == &generated);
    BOOST_TEST(render_count() == before + 2);
}

BOOST_AUTO_TEST_CASE(a_multi_row_insert_is_rendered_once_per_row_count) {
    using reflorm::sql::render_count;
    using reflorm::sql::statement_text;
    const auto rows = [](std::size_t n, std::int64_t first_id) {
        std::vector<Memo> out;
        for (std::size_t i = 0; i < n; ++i) out.push_back(Memo{first_id == 0 ? 0 : first_id + std::int64_t(i), "m" + std::to_string(i)});
        return reflorm::insert<Memo>().values(out);
    };
    const std::size_t before = render_count();
    const std::string& two = statement_text(rows(2, 0), rd::sqlite());
    BOOST_TEST(two == "INSERT INTO memos (id, note) VALUES (NULL, ?), (NULL, ?)");
    BOOST_TEST(render_count() == before + 1);
    // Same count, other values: the same text object, no rendering.
    BOOST_TEST(&statement_text(rows(2, 0), rd::sqlite()) == &two);
    BOOST_TEST(render_count() == before + 1);
    // Another count renders once.
    const std::string& three = statement_text(rows(3, 0), rd::sqlite());
    BOOST_TEST(three == "INSERT INTO memos (id, note) VALUES (NULL, ?), (NULL, ?), (NULL, ?)");
    BOOST_TEST(&statement_text(rows(3, 0), rd::sqlite()) == &three);
    BOOST_TEST(render_count() == before + 2);
    // Rows that bring their own keys are another shape.
    BOOST_TEST(statement_text(rows(2, 10), rd::sqlite()) == "INSERT INTO memos (id, note) VALUES (?, ?), (?, ?)");
    BOOST_TEST(render_count() == before + 3);
    (void)statement_text(rows(2, 20), rd::sqlite());
    BOOST_TEST(render_count() == before + 3);
    // Another dialect renders its own, once.
    BOOST_TEST(statement_text(rows(2, 0), rd::postgresql()) == "INSERT INTO memos (id, note) VALUES (DEFAULT, $1), (DEFAULT, $2)");
    (void)statement_text(rows(2, 0), rd::postgresql());
    BOOST_TEST(render_count() == before + 4);
    BOOST_TEST(two == "INSERT INTO memos (id, note) VALUES (NULL, ?), (NULL, ?)");  // untouched
    // A mix of generated and given keys.
    std::vector<Memo> mixed{{0, "a"}, {4, "b"}};
    BOOST_TEST(statement_text(reflorm::insert<Memo>().values(mixed), rd::sqlite()) == "INSERT INTO memos (id, note) VALUES (NULL, ?), (?, ?)");
    BOOST_TEST(render_count() == before + 5);
}

BOOST_AUTO_TEST_CASE(text_is_translated_once_per_sql_text_and_dialect) {
    using reflorm::sql::render_count;
    using reflorm::sql::statement_text;
    const std::size_t before = render_count();
    const std::string& a = statement_text(reflorm::text("SELECT :memo_a").bind("memo_a", 1), rd::postgresql());
    BOOST_TEST(a == "SELECT $1");
    BOOST_TEST(&statement_text(reflorm::text("SELECT :memo_a").bind("memo_a", 2), rd::postgresql()) == &a);
    BOOST_TEST(render_count() == before + 1);
    BOOST_TEST(statement_text(reflorm::text("SELECT :memo_b"), rd::postgresql()) == "SELECT $1");
    BOOST_TEST(statement_text(reflorm::text("SELECT :memo_a"), rd::sqlite()) == "SELECT ?");
    BOOST_TEST(render_count() == before + 3);
}

BOOST_AUTO_TEST_CASE(update_and_delete_text_is_rendered_once_per_shape) {
    using reflorm::sql::render_count;
    using reflorm::sql::statement_text;
    const auto update = [](std::int64_t id) { return reflorm::update<Memo>().set(c<&Memo::note> = "n").where(c<&Memo::id> == id); };
    const auto remove = [](std::int64_t id) { return reflorm::delete_<Memo>().where(c<&Memo::id> == id); };
    const std::size_t before = render_count();
    const std::string& u = statement_text(update(1), rd::sqlite());
    const std::string& d = statement_text(remove(1), rd::sqlite());
    BOOST_TEST(&statement_text(update(2), rd::sqlite()) == &u);
    BOOST_TEST(&statement_text(remove(2), rd::sqlite()) == &d);
    BOOST_TEST(render_count() == before + 2);
    // An IN list in the WHERE clause makes the text depend on its length: cached per length.
    const auto in_list = [](std::vector<std::int64_t> ids) {
        return reflorm::update<Memo>().set(c<&Memo::note> = "n").where(c<&Memo::id>.in_(ids));
    };
    const std::string& two = statement_text(in_list({1, 2}), rd::postgresql());
    BOOST_TEST(two == "UPDATE memos SET note = $1 WHERE memos.id IN ($2, $3)");
    BOOST_TEST(&statement_text(in_list({7, 8}), rd::postgresql()) == &two);
    BOOST_TEST(statement_text(in_list({1, 2, 3}), rd::postgresql()) == "UPDATE memos SET note = $1 WHERE memos.id IN ($2, $3, $4)");
    BOOST_TEST(statement_text(reflorm::delete_<Memo>().where(c<&Memo::id>.in_({1, 2, 3})), rd::sqlite()) ==
               "DELETE FROM memos WHERE memos.id IN (?, ?, ?)");
    BOOST_TEST(render_count() == before + 5);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dml_str_and_literals)

BOOST_AUTO_TEST_CASE(literals_of_every_type) {
    using reflorm::sql::format_literal;
    BOOST_TEST(format_literal(42) == "42");
    BOOST_TEST(format_literal(std::int64_t{-7}) == "-7");
    BOOST_TEST(format_literal(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
    BOOST_TEST(format_literal(0.5) == "0.5");
    BOOST_TEST(format_literal(2.0) == "2.0");
    BOOST_TEST(format_literal(1e300) == "1e+300");
    BOOST_TEST(format_literal(std::numeric_limits<double>::infinity()) == "1e999");
    BOOST_TEST(format_literal(std::numeric_limits<double>::quiet_NaN()) == "NULL");
    BOOST_TEST(format_literal(true) == "TRUE");
    BOOST_TEST(format_literal(std::string("it's")) == "'it''s'");
    BOOST_TEST(format_literal(std::string("'); DROP TABLE x; --")) == "'''); DROP TABLE x; --'");
    BOOST_TEST(format_literal(std::string("a\0b", 3)) == "'a' || char(0) || 'b'");
    BOOST_TEST(format_literal(std::string()) == "''");
    BOOST_TEST(format_literal(std::optional<int>{}) == "NULL");
    BOOST_TEST(format_literal(std::optional<std::string>{"x"}) == "'x'");
    BOOST_TEST(format_literal(reflorm::blob{std::byte{0xde}, std::byte{0xad}, std::byte{0x01}}) == "X'dead01'");
    BOOST_TEST(format_literal(reflorm::blob{}) == "X''");
    BOOST_TEST(format_literal(reflorm::date{std::chrono::year{2024} / 2 / 29}) == "'2024-02-29'");
    using namespace std::chrono;
    const reflorm::timestamp at = sys_days{year{2024} / 5 / 1} + hours{12} + minutes{30} + seconds{5};
    BOOST_TEST(format_literal(at) == "'2024-05-01 12:30:05'");
    BOOST_TEST(format_literal(reflorm::timestamp_us{at + microseconds{250}}) == "'2024-05-01 12:30:05.000250'");
    BOOST_TEST(format_literal(Kind::town) == "'town'");
}

BOOST_AUTO_TEST_CASE(str_of_a_select) {
    const auto s = reflorm::select<Memo>().where(c<&Memo::note> == "it's").limit(3);
    BOOST_TEST(reflorm::sql::str(s) == "SELECT memos.id, memos.note FROM memos WHERE memos.note = ? LIMIT ?  -- parameters: ('it''s', 3)");
    BOOST_TEST(s.str() == reflorm::sql::str(s));
    BOOST_TEST(reflorm::select(c<&Memo::id>).where(c<&Memo::id>.in_({1, 2})).str() ==
               "SELECT memos.id FROM memos WHERE memos.id IN (?, ?)  -- parameters: (1, 2)");
}

BOOST_AUTO_TEST_SUITE_END()
