// sql layer: the shapes of SELECT, as SQLAlchemy 2.0's select(): rows of a model, tuples and
// projections; FROM inferred from the columns and WHERE, select_from, joins and self-joins
// through aliases; GROUP BY / HAVING / DISTINCT; NULLS FIRST/LAST; subqueries (scalar,
// correlated, EXISTS, IN); UNION / UNION ALL; count() over any of them. Text for every dialect,
// no database, and the bound parameters in placeholder order.
#include <boost/test/unit_test.hpp>

#include "sql_test_support.hpp"

#include <reflorm/dialect/dialect.hpp>
#include <reflorm/reflorm.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

namespace shapes_test {

struct Country {
    std::string code;
    std::string name;
    std::optional<std::int32_t> capital;
    std::int64_t population;
};

struct City {
    std::int32_t id;
    std::string name;
    std::string country_code;
    std::int64_t population;
    std::optional<std::string> district;
};

struct Employee {
    std::int64_t id;
    std::string name;
    std::optional<std::int64_t> manager_id;
};

struct NameAndSize {
    std::string name;
    std::int64_t population;
};

}  // namespace shapes_test

using namespace shapes_test;

template <>
struct reflorm::model<Country> {
    static constexpr std::string_view table = "country";
    static constexpr auto primary_key = reflorm::primary_key<&Country::code>;
};
template <>
struct reflorm::model<City> {
    static constexpr std::string_view table = "city";
};

namespace {

namespace rd = reflorm::dialect;
using reflorm::alias;
using reflorm::c;
using reflorm::count;
using reflorm::exists;
using reflorm::select;
using reflorm::union_;
using reflorm::union_all;
using reflorm::sql::count_statement;
using reflorm::sql::row_shape;

struct rendered {
    std::string sqlite, postgresql, mysql;
};
template <class Statement>
rendered render_all(const Statement& s) {
    return {reflorm::sql::to_sql(s, rd::sqlite()), reflorm::sql::to_sql(s, rd::postgresql()),
            reflorm::sql::to_sql(s, rd::mysql())};
}
template <class Statement>
std::string sqlite_sql(const Statement& s) {
    return reflorm::sql::to_sql(s, rd::sqlite());
}
template <class Statement>
std::string pg_sql(const Statement& s) {
    return reflorm::sql::to_sql(s, rd::postgresql());
}
template <class Statement>
std::string mysql_sql(const Statement& s) {
    return reflorm::sql::to_sql(s, rd::mysql());
}
template <class Statement>
count_statement<Statement> counting(const Statement& s) {
    return {s};
}

using sql_test::parameter;
using sql_test::parameters_of;
using params = std::vector<parameter>;

const std::string city_columns = "city.id, city.name, city.country_code, city.population, city.district";

}  // namespace

BOOST_AUTO_TEST_SUITE(select_shapes)

BOOST_AUTO_TEST_CASE(select_of_a_model) {
    const auto s = select<City>();
    static_assert(std::is_same_v<decltype(s)::result_type, City>);
    static_assert(decltype(s)::result_shape == row_shape::model);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite == "SELECT " + city_columns + " FROM city");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    BOOST_TEST(sql.mysql == sql.sqlite);
}

BOOST_AUTO_TEST_CASE(select_of_columns_reads_tuples_with_optional_for_nullable_columns) {
    const auto s = select(c<&City::name>, c<&City::district>, c<&City::population>);
    static_assert(std::is_same_v<decltype(s)::result_type,
                                 std::tuple<std::string, std::optional<std::string>, std::int64_t>>);
    static_assert(decltype(s)::result_shape == row_shape::tuple);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite == "SELECT city.name, city.district, city.population FROM city");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    BOOST_TEST(sql.mysql == sql.sqlite);

    // A nullable column of another table: its table joins the FROM list.
    const auto t = select(c<&Country::name>, c<&Country::capital>);
    static_assert(std::is_same_v<decltype(t)::result_type, std::tuple<std::string, std::optional<std::int32_t>>>);
    BOOST_TEST(sqlite_sql(t) == "SELECT country.name, country.capital FROM country");
}

BOOST_AUTO_TEST_CASE(select_into_a_projection_struct) {
    const auto s = select<NameAndSize>(c<&City::name>, c<&City::population>).where(c<&City::population> > 1000);
    static_assert(std::is_same_v<decltype(s)::result_type, NameAndSize>);
    static_assert(decltype(s)::result_shape == row_shape::projection);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite == "SELECT city.name, city.population FROM city WHERE city.population > ?");
    BOOST_TEST(sql.postgresql == "SELECT city.name, city.population FROM city WHERE city.population > $1");
    BOOST_TEST(sql.mysql == sql.sqlite);
    BOOST_TEST(parameters_of(s) == (params{std::int64_t{1000}}));
}

BOOST_AUTO_TEST_CASE(from_is_inferred_from_columns_and_where) {
    // Tables in first-seen order: the select list first, then WHERE.
    const auto s = select(c<&City::name>, c<&Country::name>);
    BOOST_TEST(sqlite_sql(s) == "SELECT city.name, country.name FROM city, country");
    const auto t = select(c<&City::name>).where(c<&City::country_code> == c<&Country::code> && c<&Country::name> == "Peru");
    const auto sql = render_all(t);
    BOOST_TEST(sql.sqlite == "SELECT city.name FROM city, country WHERE city.country_code = country.code AND country.name = ?");
    BOOST_TEST(sql.postgresql ==
               "SELECT city.name FROM city, country WHERE city.country_code = country.code AND country.name = $1");
    BOOST_TEST(sql.mysql == sql.sqlite);
    // A table named twice is listed once.
    BOOST_TEST(sqlite_sql(select(c<&City::name>, c<&City::id>).where(c<&City::id> > 3)) ==
               "SELECT city.name, city.id FROM city WHERE city.id > ?");
}

BOOST_AUTO_TEST_CASE(select_from_names_a_table_no_column_reads) {
    const auto s = select(count()).select_from<City>();
    static_assert(std::is_same_v<decltype(s)::result_type, std::tuple<std::int64_t>>);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite == "SELECT count(*) FROM city");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    BOOST_TEST(sql.mysql == sql.sqlite);
    // select_from first, then the tables the columns read.
    BOOST_TEST(sqlite_sql(select(c<&City::name>).select_from<Country>()) == "SELECT city.name FROM country, city");
    using big = alias<City, "big">;
    BOOST_TEST(sqlite_sql(select(count()).select_from<big>().where(big::c<&City::population> > 5)) ==
               "SELECT count(*) FROM city AS big WHERE big.population > ?");
}

BOOST_AUTO_TEST_CASE(join_and_outer_join_with_on) {
    const auto s = select(c<&City::name>, c<&Country::name>).join<Country>(c<&City::country_code> == c<&Country::code>);
    static_assert(std::is_same_v<decltype(s)::result_type, std::tuple<std::string, std::string>>);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite == "SELECT city.name, country.name FROM city JOIN country ON city.country_code = country.code");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    BOOST_TEST(sql.mysql == sql.sqlite);

    // LEFT OUTER JOIN: the joined table's values may be NULL.
    const auto o = select(c<&Country::name>, c<&City::name>).outer_join<City>(c<&City::id> == c<&Country::capital>);
    static_assert(std::is_same_v<decltype(o)::result_type, std::tuple<std::string, std::optional<std::string>>>);
    BOOST_TEST(sqlite_sql(o) == "SELECT country.name, city.name FROM country LEFT OUTER JOIN city ON city.id = country.capital");

    // Parameters: ON before WHERE, numbered across both on PostgreSQL.
    const auto p = select<City>()
                       .join<Country>(c<&City::country_code> == c<&Country::code> && c<&Country::population> > 1000)
                       .where(c<&City::population> > 5)
                       .limit(3);
    BOOST_TEST(pg_sql(p) == "SELECT " + city_columns +
                                " FROM city JOIN country ON city.country_code = country.code AND country.population > $1"
                                " WHERE city.population > $2 LIMIT $3");
    BOOST_TEST(parameters_of(p) == (params{std::int64_t{1000}, std::int64_t{5}, std::int64_t{3}}));

    // Two joins chain from the first table.
    const auto two = select(c<&Employee::name>, c<&City::name>, c<&Country::name>)
                         .join<City>(c<&City::id> == c<&Employee::id>)
                         .join<Country>(c<&Country::code> == c<&City::country_code>);
    BOOST_TEST(mysql_sql(two) == "SELECT employees.name, city.name, country.name FROM employees JOIN city ON city.id = "
                                 "employees.id JOIN country ON country.code = city.country_code");
}

BOOST_AUTO_TEST_CASE(self_join_through_an_alias) {
    using manager = alias<Employee, "manager">;
    const auto s = select(c<&Employee::name>, manager::c<&Employee::name>)
                       .join<manager>(c<&Employee::manager_id> == manager::c<&Employee::id>)
                       .order_by(c<&Employee::name>);
    static_assert(std::is_same_v<decltype(s)::result_type, std::tuple<std::string, std::string>>);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite == "SELECT employees.name, manager.name FROM employees JOIN employees AS manager ON "
                             "employees.manager_id = manager.id ORDER BY employees.name ASC");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    BOOST_TEST(sql.mysql == sql.sqlite);

    // Everyone, with their manager when they have one.
    const auto o = select(c<&Employee::name>, manager::c<&Employee::name>)
                       .outer_join<manager>(c<&Employee::manager_id> == manager::c<&Employee::id>)
                       .where(manager::c<&Employee::name> != "Ann" || manager::c<&Employee::id>.is_null());
    static_assert(std::is_same_v<decltype(o)::result_type, std::tuple<std::string, std::optional<std::string>>>);
    BOOST_TEST(pg_sql(o) == "SELECT employees.name, manager.name FROM employees LEFT OUTER JOIN employees AS manager ON "
                            "employees.manager_id = manager.id WHERE manager.name != $1 OR manager.id IS NULL");

    // Two aliases of one model, and the model itself, in one statement.
    using peer = alias<Employee, "peer">;
    const auto t = select(c<&Employee::name>, peer::c<&Employee::name>)
                       .join<manager>(c<&Employee::manager_id> == manager::c<&Employee::id>)
                       .join<peer>(peer::c<&Employee::manager_id> == manager::c<&Employee::id> &&
                                   peer::c<&Employee::id> != c<&Employee::id>);
    BOOST_TEST(sqlite_sql(t) == "SELECT employees.name, peer.name FROM employees JOIN employees AS manager ON "
                                "employees.manager_id = manager.id JOIN employees AS peer ON peer.manager_id = manager.id "
                                "AND peer.id != employees.id");
}

// Issue 16, item 4: order_by(count()) compiles (it sorts ascending), and aggregates, functions,
// arithmetic and any expression through reflorm::desc() take asc()/desc().
BOOST_AUTO_TEST_CASE(order_by_aggregates_and_expressions) {
    const auto bare = select(c<&City::country_code>, count()).group_by(c<&City::country_code>).order_by(count());
    BOOST_TEST(render_all(bare).sqlite == "SELECT city.country_code, count(*) FROM city GROUP BY city.country_code ORDER BY count(*) ASC");
    const auto most = select(c<&City::country_code>, count())
                          .group_by(c<&City::country_code>)
                          .order_by(count().desc(), reflorm::sum(c<&City::population>).asc());
    BOOST_TEST(render_all(most).postgresql ==
               "SELECT city.country_code, count(*) FROM city GROUP BY city.country_code ORDER BY count(*) DESC, "
               "sum(city.population) ASC");
    const auto computed = select<City>().order_by((c<&City::population> * 2).desc(), reflorm::lower(c<&City::name>).asc(),
                                                  reflorm::desc(c<&City::population> + 1));
    BOOST_TEST(render_all(computed).mysql.ends_with(
        "ORDER BY city.population * ? DESC, lower(city.name) ASC, city.population + ? DESC"));
    BOOST_TEST(parameters_of(computed) == (params{std::int32_t{2}, std::int32_t{1}}));
}

BOOST_AUTO_TEST_CASE(group_by_having_and_distinct) {
    const auto s = select(c<&City::country_code>, count())
                       .group_by(c<&City::country_code>)
                       .having(count() > 5)
                       .order_by(c<&City::country_code>);
    static_assert(std::is_same_v<decltype(s)::result_type, std::tuple<std::string, std::int64_t>>);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite ==
               "SELECT city.country_code, count(*) FROM city GROUP BY city.country_code HAVING count(*) > ? ORDER BY "
               "city.country_code ASC");
    BOOST_TEST(sql.postgresql ==
               "SELECT city.country_code, count(*) FROM city GROUP BY city.country_code HAVING count(*) > $1 ORDER BY "
               "city.country_code ASC");
    BOOST_TEST(sql.mysql == sql.sqlite);
    BOOST_TEST(parameters_of(s) == (params{std::int64_t{5}}));

    // WHERE before GROUP BY, parameters in that order; a join with the group.
    const auto t = select(c<&Country::name>, count(), reflorm::sum(c<&City::population>))
                       .join<City>(c<&City::country_code> == c<&Country::code>)
                       .where(c<&City::population> > 100)
                       .group_by(c<&Country::name>)
                       .having(count() >= 2);
    BOOST_TEST(pg_sql(t) == "SELECT country.name, count(*), sum(city.population) FROM country JOIN city ON "
                            "city.country_code = country.code WHERE city.population > $1 GROUP BY country.name "
                            "HAVING count(*) >= $2");
    BOOST_TEST(parameters_of(t) == (params{std::int64_t{100}, std::int64_t{2}}));

    const auto d = select(c<&City::country_code>).distinct();
    BOOST_TEST(render_all(d).sqlite == "SELECT DISTINCT city.country_code FROM city");
    BOOST_TEST(render_all(d).mysql == "SELECT DISTINCT city.country_code FROM city");
    BOOST_TEST(render_all(d.where(c<&City::population> > 1).limit(2)).postgresql ==
               "SELECT DISTINCT city.country_code FROM city WHERE city.population > $1 LIMIT $2");
}

BOOST_AUTO_TEST_CASE(order_by_with_nulls_first_and_last) {
    const auto s = select<Country>().order_by(c<&Country::capital>.asc().nulls_last(), c<&Country::name>.desc().nulls_first());
    const std::string head = "SELECT country.code, country.name, country.capital, country.population FROM country ORDER BY ";
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite == head + "country.capital ASC NULLS LAST, country.name DESC NULLS FIRST");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    // MySQL has no NULLS FIRST/LAST: IS NULL sorts first (false before true).
    BOOST_TEST(sql.mysql == head + "country.capital IS NULL ASC, country.capital ASC, country.name IS NULL DESC, country.name DESC");
    const auto t = select(c<&City::name>).order_by(c<&City::district>.desc().nulls_last(), c<&City::id>.asc().nulls_first());
    BOOST_TEST(render_all(t).mysql ==
               "SELECT city.name FROM city ORDER BY city.district IS NULL ASC, city.district DESC, city.id IS NULL DESC, "
               "city.id ASC");
    BOOST_TEST(render_all(t).postgresql ==
               "SELECT city.name FROM city ORDER BY city.district DESC NULLS LAST, city.id ASC NULLS FIRST");
}

BOOST_AUTO_TEST_CASE(limit_and_offset_number_placeholders_across_subqueries) {
    const auto inner_count = select(count())
                                 .select_from<City>()
                                 .where(c<&City::country_code> == c<&Country::code> && c<&City::population> > 100)
                                 .scalar_subquery();
    const auto big_city = select(c<&City::id>).where(c<&City::country_code> == c<&Country::code> && c<&City::population> > 200).limit(1);
    const auto s = select(c<&Country::name>, inner_count)
                       .where(c<&Country::population> > 300 && exists(big_city))
                       .order_by(c<&Country::name>)
                       .limit(10)
                       .offset(20);
    const auto sql = render_all(s);
    BOOST_TEST(sql.postgresql ==
               "SELECT country.name, (SELECT count(*) FROM city WHERE city.country_code = country.code AND city.population > $1) "
               "FROM country WHERE country.population > $2 AND EXISTS (SELECT city.id FROM city WHERE city.country_code = "
               "country.code AND city.population > $3 LIMIT $4) ORDER BY country.name ASC LIMIT $5 OFFSET $6");
    BOOST_TEST(sql.sqlite ==
               "SELECT country.name, (SELECT count(*) FROM city WHERE city.country_code = country.code AND city.population > ?) "
               "FROM country WHERE country.population > ? AND EXISTS (SELECT city.id FROM city WHERE city.country_code = "
               "country.code AND city.population > ? LIMIT ?) ORDER BY country.name ASC LIMIT ? OFFSET ?");
    BOOST_TEST(sql.mysql == sql.sqlite);
    BOOST_TEST(parameters_of(s) == (params{std::int64_t{100}, std::int64_t{300}, std::int64_t{200}, std::int64_t{1},
                                           std::int64_t{10}, std::int64_t{20}}));

    // An offset alone inside a subquery, with the dialect's no-limit text.
    const auto paged = select(c<&City::name>).where(c<&City::id>.in_(select(c<&City::id>).order_by(c<&City::id>).offset(5)));
    BOOST_TEST(pg_sql(paged) == "SELECT city.name FROM city WHERE city.id IN (SELECT city.id FROM city ORDER BY city.id ASC OFFSET $1)");
    BOOST_TEST(sqlite_sql(paged) ==
               "SELECT city.name FROM city WHERE city.id IN (SELECT city.id FROM city ORDER BY city.id ASC LIMIT -1 OFFSET ?)");
}

BOOST_AUTO_TEST_CASE(scalar_subquery_is_a_nullable_value) {
    // Uncorrelated: a subquery of one table keeps it, even when the outer select reads it too.
    const auto average = select(reflorm::avg(c<&City::population>)).scalar_subquery();
    static_assert(std::is_same_v<decltype(average)::value_type, double>);
    static_assert(decltype(average)::nullable);
    const auto s = select(c<&City::name>).where(c<&City::population> > average);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite == "SELECT city.name FROM city WHERE city.population > (SELECT avg(city.population) FROM city)");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    BOOST_TEST(sql.mysql == sql.sqlite);

    // In the select list: read as std::optional of the column's type.
    const auto largest = select(reflorm::max(c<&City::population>)).where(c<&City::country_code> == "NLD").scalar_subquery();
    const auto t = select(c<&Country::name>, largest).where(c<&Country::code> == "NLD");
    static_assert(std::is_same_v<decltype(t)::result_type, std::tuple<std::string, std::optional<std::int64_t>>>);
    BOOST_TEST(pg_sql(t) == "SELECT country.name, (SELECT max(city.population) FROM city WHERE city.country_code = $1) "
                            "FROM country WHERE country.code = $2");
    BOOST_TEST(parameters_of(t) == (params{std::string("NLD"), std::string("NLD")}));

    // Compared with a column's value: bound as the subquery's column type.
    const auto capital_name = select(c<&City::name>).where(c<&City::id> == 7).scalar_subquery();
    static_assert(std::is_same_v<decltype(capital_name)::value_type, std::string>);
    BOOST_TEST(sqlite_sql(select<Country>().where(c<&Country::name> == capital_name)) ==
               "SELECT country.code, country.name, country.capital, country.population FROM country WHERE country.name = "
               "(SELECT city.name FROM city WHERE city.id = ?)");
}

BOOST_AUTO_TEST_CASE(correlated_subqueries_leave_out_the_enclosing_tables) {
    // The brief's example: the inner FROM is `city` alone; country.code is the outer row's.
    const auto s = select(c<&Country::name>,
                          select(count()).select_from<City>().where(c<&City::country_code> == c<&Country::code>).scalar_subquery());
    static_assert(std::is_same_v<decltype(s)::result_type, std::tuple<std::string, std::optional<std::int64_t>>>);
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite ==
               "SELECT country.name, (SELECT count(*) FROM city WHERE city.country_code = country.code) FROM country");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    BOOST_TEST(sql.mysql == sql.sqlite);

    // The same subquery rendered on its own reads both tables.
    const auto alone = select(count()).select_from<City>().where(c<&City::country_code> == c<&Country::code>);
    BOOST_TEST(sqlite_sql(alone) == "SELECT count(*) FROM city, country WHERE city.country_code = country.code");

    // Joined tables of the enclosing select correlate too.
    const auto j = select(c<&Employee::name>)
                       .join<Country>(c<&Country::code> == c<&Employee::name>)
                       .where(exists(select(c<&City::id>).where(c<&City::country_code> == c<&Country::code>)));
    BOOST_TEST(sqlite_sql(j) == "SELECT employees.name FROM employees JOIN country ON country.code = employees.name WHERE "
                                "EXISTS (SELECT city.id FROM city WHERE city.country_code = country.code)");

    // Three levels: the innermost subquery correlates to both selects around it.
    using other = alias<City, "other">;
    const auto innermost = select(other::c<&City::id>)
                               .where(other::c<&City::country_code> == c<&Country::code> && other::c<&City::name> == c<&City::name> &&
                                      other::c<&City::id> != c<&City::id>);
    const auto middle = select(c<&City::id>).where(c<&City::country_code> == c<&Country::code> && exists(innermost));
    const auto outer = select(c<&Country::name>).where(exists(middle));
    BOOST_TEST(pg_sql(outer) ==
               "SELECT country.name FROM country WHERE EXISTS (SELECT city.id FROM city WHERE city.country_code = country.code "
               "AND EXISTS (SELECT other.id FROM city AS other WHERE other.country_code = country.code AND other.name = "
               "city.name AND other.id != city.id))");

    // A join inside the subquery stays; only the comma-listed enclosing table is left out.
    const auto joined_inner = select(c<&City::id>)
                                  .join<other>(other::c<&City::country_code> == c<&City::country_code>)
                                  .where(c<&City::country_code> == c<&Country::code>);
    BOOST_TEST(sqlite_sql(select(c<&Country::name>).where(exists(joined_inner))) ==
               "SELECT country.name FROM country WHERE EXISTS (SELECT city.id FROM city JOIN city AS other ON "
               "other.country_code = city.country_code WHERE city.country_code = country.code)");

    // The text depends only on the type: rendering leaves the context as it found it.
    reflorm::sql::render_context ctx{rd::sqlite()};
    outer.render(ctx);
    BOOST_TEST(ctx.from_names.empty());
    BOOST_TEST(ctx.enclosing_froms == 0u);
}

BOOST_AUTO_TEST_CASE(a_subquery_correlated_to_nothing_is_an_error) {
    // Every inner table is an outer one: auto-correlation would leave no FROM (SQLAlchemy raises too).
    const auto s = select(c<&City::name>)
                       .join<Country>(c<&City::country_code> == c<&Country::code>)
                       .where(exists(select(c<&City::id>).where(c<&City::country_code> == c<&Country::code>)));
    BOOST_CHECK_THROW(sqlite_sql(s), reflorm::sql::statement_error);
    // An alias gives the subquery a table of its own.
    using inner = alias<City, "inner_city">;
    const auto t = select(c<&City::name>)
                       .join<Country>(c<&City::country_code> == c<&Country::code>)
                       .where(exists(select(inner::c<&City::id>).where(inner::c<&City::country_code> == c<&Country::code>)));
    BOOST_TEST(sqlite_sql(t) == "SELECT city.name FROM city JOIN country ON city.country_code = country.code WHERE EXISTS "
                                "(SELECT inner_city.id FROM city AS inner_city WHERE inner_city.country_code = country.code)");
}

BOOST_AUTO_TEST_CASE(exists_and_not_exists) {
    const auto orders_of = select(c<&City::id>).where(c<&City::country_code> == c<&Country::code>);
    const std::string head = "SELECT country.code, country.name, country.capital, country.population FROM country WHERE ";
    const auto sql = render_all(select<Country>().where(exists(orders_of)));
    BOOST_TEST(sql.sqlite == head + "EXISTS (SELECT city.id FROM city WHERE city.country_code = country.code)");
    BOOST_TEST(sql.postgresql == sql.sqlite);
    BOOST_TEST(sql.mysql == sql.sqlite);
    BOOST_TEST(sqlite_sql(select<Country>().where(!exists(orders_of))) ==
               head + "NOT EXISTS (SELECT city.id FROM city WHERE city.country_code = country.code)");
    BOOST_TEST(sqlite_sql(select<Country>().where(!!exists(orders_of))) ==
               head + "EXISTS (SELECT city.id FROM city WHERE city.country_code = country.code)");
    // Combined with other predicates; parameters in order.
    const auto s = select<Country>().where(c<&Country::population> > 5 &&
                                           !exists(select(c<&City::id>).where(c<&City::country_code> == c<&Country::code> &&
                                                                               c<&City::population> > 6)) &&
                                           c<&Country::name> != "x");
    BOOST_TEST(pg_sql(s) == head + "country.population > $1 AND NOT EXISTS (SELECT city.id FROM city WHERE "
                                   "city.country_code = country.code AND city.population > $2) AND country.name != $3");
    BOOST_TEST(parameters_of(s) == (params{std::int64_t{5}, std::int64_t{6}, std::string("x")}));
    // count() over a select with EXISTS: the plain form keeps the correlation.
    BOOST_TEST(pg_sql(counting(s)) == "SELECT count(*) FROM country WHERE country.population > $1 AND NOT EXISTS (SELECT "
                                      "city.id FROM city WHERE city.country_code = country.code AND city.population > $2) "
                                      "AND country.name != $3");
}

BOOST_AUTO_TEST_CASE(in_and_not_in_a_subquery) {
    const auto big = select(c<&City::country_code>).where(c<&City::population> > 1000000);
    const auto s = select(c<&Country::name>).where(c<&Country::code>.in_(big));
    const auto sql = render_all(s);
    BOOST_TEST(sql.sqlite ==
               "SELECT country.name FROM country WHERE country.code IN (SELECT city.country_code FROM city WHERE city.population > ?)");
    BOOST_TEST(sql.postgresql ==
               "SELECT country.name FROM country WHERE country.code IN (SELECT city.country_code FROM city WHERE city.population > $1)");
    BOOST_TEST(sql.mysql == sql.sqlite);
    BOOST_TEST(sqlite_sql(select(c<&Country::name>).where(c<&Country::code>.not_in(big))) ==
               "SELECT country.name FROM country WHERE country.code NOT IN (SELECT city.country_code FROM city WHERE "
               "city.population > ?)");
    // The free functions, and a union as the subquery.
    const auto u = union_(select(c<&City::country_code>).where(c<&City::id> < 10), select(c<&Country::code>).where(c<&Country::population> > 7));
    const auto t = select(c<&Country::name>).where(reflorm::in_(c<&Country::code>, u) && c<&Country::population> < 9);
    BOOST_TEST(pg_sql(t) == "SELECT country.name FROM country WHERE country.code IN (SELECT city.country_code FROM city "
                            "WHERE city.id < $1 UNION SELECT country.code FROM country WHERE country.population > $2) AND "
                            "country.population < $3");
    BOOST_TEST(parameters_of(t) == (params{std::int32_t{10}, std::int64_t{7}, std::int64_t{9}}));
    // IN lists inside a subquery still key the text cache.
    const auto listed = select(c<&Country::name>).where(c<&Country::code>.in_(select(c<&City::country_code>).where(c<&City::id>.in_({1, 2, 3}))));
    std::string key;
    listed.shape(key);
    BOOST_TEST(!key.empty());
    BOOST_TEST(sqlite_sql(listed) == "SELECT country.name FROM country WHERE country.code IN (SELECT city.country_code "
                                     "FROM city WHERE city.id IN (?, ?, ?))");
}

BOOST_AUTO_TEST_CASE(union_and_union_all) {
    const auto a = select(c<&City::name>).where(c<&City::population> > 100);
    const auto b = select(c<&Country::name>).where(c<&Country::population> > 200);
    const auto u = union_(a, b);
    static_assert(std::is_same_v<decltype(u)::result_type, std::tuple<std::string>>);
    static_assert(decltype(u)::result_shape == row_shape::tuple);
    const auto sql = render_all(u);
    BOOST_TEST(sql.sqlite == "SELECT city.name FROM city WHERE city.population > ? UNION SELECT country.name FROM country "
                             "WHERE country.population > ?");
    BOOST_TEST(sql.postgresql == "SELECT city.name FROM city WHERE city.population > $1 UNION SELECT country.name FROM "
                                 "country WHERE country.population > $2");
    BOOST_TEST(sql.mysql == sql.sqlite);
    BOOST_TEST(parameters_of(u) == (params{std::int64_t{100}, std::int64_t{200}}));

    // UNION ALL of three, ordered by a result column (named bare), limited and offset.
    const auto e = select(c<&Employee::name>).where(c<&Employee::id> == 4);
    const auto all = union_all(a, b, e).order_by(c<&City::name>.desc()).limit(5).offset(1);
    const auto all_sql = render_all(all);
    BOOST_TEST(all_sql.postgresql ==
               "SELECT city.name FROM city WHERE city.population > $1 UNION ALL SELECT country.name FROM country WHERE "
               "country.population > $2 UNION ALL SELECT employees.name FROM employees WHERE employees.id = $3 ORDER BY "
               "name DESC LIMIT $4 OFFSET $5");
    BOOST_TEST(all_sql.sqlite ==
               "SELECT city.name FROM city WHERE city.population > ? UNION ALL SELECT country.name FROM country WHERE "
               "country.population > ? UNION ALL SELECT employees.name FROM employees WHERE employees.id = ? ORDER BY "
               "name DESC LIMIT ? OFFSET ?");
    BOOST_TEST(parameters_of(all) == (params{std::int64_t{100}, std::int64_t{200}, std::int64_t{4}, std::int64_t{5},
                                             std::int64_t{1}}));

    // Nulls ordering on a union, per dialect.
    const auto n = union_(select(c<&City::district>), select(c<&City::district>).where(c<&City::id> > 0))
                       .order_by(c<&City::district>.asc().nulls_last());
    BOOST_TEST(sqlite_sql(n) ==
               "SELECT city.district FROM city UNION SELECT city.district FROM city WHERE city.id > ? ORDER BY district ASC NULLS LAST");
    BOOST_TEST(mysql_sql(n) == "SELECT city.district FROM city UNION SELECT city.district FROM city WHERE city.id > ? ORDER BY "
                               "district IS NULL ASC, district ASC");

    // Unions of whole models.
    const auto m = union_(select<City>().where(c<&City::id> < 3), select<City>().where(c<&City::id> > 9)).order_by(c<&City::id>);
    static_assert(std::is_same_v<decltype(m)::result_type, City>);
    static_assert(decltype(m)::result_shape == row_shape::model);
    BOOST_TEST(sqlite_sql(m) == "SELECT " + city_columns + " FROM city WHERE city.id < ? UNION SELECT " + city_columns +
                                    " FROM city WHERE city.id > ? ORDER BY id ASC");

    // Each member renders its own correlation scope.
    const auto correlated = union_(select(c<&Country::name>).where(exists(select(c<&City::id>).where(c<&City::country_code> == c<&Country::code>))),
                                   select(c<&City::name>).where(c<&City::country_code> == "NLD"));
    BOOST_TEST(sqlite_sql(correlated) == "SELECT country.name FROM country WHERE EXISTS (SELECT city.id FROM city WHERE "
                                         "city.country_code = country.code) UNION SELECT city.name FROM city WHERE "
                                         "city.country_code = ?");
}

BOOST_AUTO_TEST_CASE(count_over_grouped_selects_and_unions) {
    const auto grouped = select(c<&City::country_code>, count()).group_by(c<&City::country_code>).having(count() > 5);
    const auto sql = render_all(counting(grouped));
    BOOST_TEST(sql.sqlite == "SELECT count(*) FROM (SELECT city.country_code, count(*) FROM city GROUP BY city.country_code "
                             "HAVING count(*) > ?) AS anon_1");
    BOOST_TEST(sql.postgresql == "SELECT count(*) FROM (SELECT city.country_code, count(*) FROM city GROUP BY "
                                 "city.country_code HAVING count(*) > $1) AS anon_1");
    BOOST_TEST(sql.mysql == sql.sqlite);
    BOOST_TEST(parameters_of(counting(grouped)) == (params{std::int64_t{5}}));

    // Selects of expressions, joins and DISTINCT count through a subquery as well.
    const auto distinct = select(c<&City::country_code>).distinct();
    BOOST_TEST(sqlite_sql(counting(distinct)) == "SELECT count(*) FROM (SELECT DISTINCT city.country_code FROM city) AS anon_1");
    const auto joined = select<City>().join<Country>(c<&City::country_code> == c<&Country::code>);
    BOOST_TEST(sqlite_sql(counting(joined)) == "SELECT count(*) FROM (SELECT " + city_columns +
                                                   " FROM city JOIN country ON city.country_code = country.code) AS anon_1");

    // Unions.
    const auto u = union_all(select(c<&City::name>).where(c<&City::id> > 1), select(c<&Country::name>)).limit(4);
    BOOST_TEST(pg_sql(counting(u)) == "SELECT count(*) FROM (SELECT city.name FROM city WHERE city.id > $1 UNION ALL SELECT "
                                      "country.name FROM country LIMIT $2) AS anon_1");
    BOOST_TEST(parameters_of(counting(u)) == (params{std::int32_t{1}, std::int64_t{4}}));
}

BOOST_AUTO_TEST_CASE(subquery_text_is_cached_once_per_shape) {
    using reflorm::sql::render_count;
    using reflorm::sql::statement_text;
    struct local {
        static auto shape(std::int64_t n) {
            return select(c<&Employee::name>)
                .where(exists(select(c<&Country::code>).where(c<&Country::population> > n && c<&Country::name> == c<&Employee::name>)))
                .limit(n);
        }
    };
    const std::size_t before = render_count();
    const std::string& first = statement_text(local::shape(1), rd::postgresql());
    const std::string& again = statement_text(local::shape(2), rd::postgresql());
    BOOST_TEST(render_count() == before + 1);
    BOOST_TEST(&first == &again);
    BOOST_TEST(first == "SELECT employees.name FROM employees WHERE EXISTS (SELECT country.code FROM country WHERE "
                        "country.population > $1 AND country.name = employees.name) LIMIT $2");
}

BOOST_AUTO_TEST_SUITE_END()
