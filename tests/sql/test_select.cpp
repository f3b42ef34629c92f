// sql layer: SELECT text for every dialect without a database, bound parameters in placeholder
// order with their C++ types, and the once-per-shape cache of statement text.
#define BOOST_TEST_MODULE sql
#include <boost/test/unit_test.hpp>

#include "sql_test_support.hpp"

#include <reflorm/dialect/dialect.hpp>
#include <reflorm/schema/options.hpp>
#include <reflorm/sql/select.hpp>
#include <reflorm/sql/to_sql.hpp>

#include <boost/describe/enum.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <vector>

namespace select_test {

enum class Kind { town, metropolis };
BOOST_DESCRIBE_ENUM(Kind, town, metropolis)

struct City {
    std::int64_t id;
    std::string name;
    std::int32_t population;
    std::optional<std::string> district;
    double area;
    bool capital;
    Kind kind;
    std::uint16_t rank;
};

struct Order {  // reserved table and column names
    std::int64_t id;
    std::string group;
};

// Used only by the statement_text test, so that its shapes are not rendered anywhere else first.
struct Memo {
    std::int64_t id;
    std::string name;
};

}  // namespace select_test

using namespace select_test;

template <>
struct reflorm::model<Order> {
    static constexpr auto table = "order";
};

namespace {

namespace rd = reflorm::dialect;
using reflorm::c;
using reflorm::select;
using reflorm::sql::to_sql;

const std::string columns = "cities.id, cities.name, cities.population, cities.district, cities.area, cities.capital, "
                            "cities.kind, cities.rank";
const std::string select_all = "SELECT " + columns + " FROM cities";

using sql_test::mysql_sql;
using sql_test::pg_sql;
using sql_test::sqlite_sql;

/// One visited parameter: its C++ type and its value as text.
struct parameter {
    std::type_index type;
    std::string value;
    bool operator==(const parameter&) const = default;
};
std::ostream& operator<<(std::ostream& os, const parameter& p) { return os << p.type.name() << ":" << p.value; }

template <class V>
parameter p(const V& value) {
    if constexpr (std::is_same_v<V, std::string>) return {typeid(V), value};
    else if constexpr (std::is_same_v<V, Kind>) return {typeid(V), "kind:" + std::to_string(static_cast<int>(value))};
    else if constexpr (std::is_same_v<V, bool>) return {typeid(V), value ? "true" : "false"};
    else return {typeid(V), std::to_string(value)};
}

std::vector<parameter> parameters_of(const auto& statement) {
    std::vector<parameter> out;
    auto visit = [&](const auto& value) { out.push_back(p(value)); };
    statement.for_each_parameter(visit);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(select_all_rows) {
    const auto s = select<City>();
    BOOST_TEST(sqlite_sql(s) == select_all);
    BOOST_TEST(pg_sql(s) == select_all);
    BOOST_TEST(mysql_sql(s) == select_all);
    BOOST_TEST(parameters_of(s).empty());
}

BOOST_AUTO_TEST_CASE(every_comparison_operator) {
    BOOST_TEST(sqlite_sql(select<City>().where(c<&City::population> == 5)) == select_all + " WHERE cities.population = ?");
    BOOST_TEST(sqlite_sql(select<City>().where(c<&City::population> != 5)) == select_all + " WHERE cities.population != ?");
    BOOST_TEST(sqlite_sql(select<City>().where(c<&City::population> < 5)) == select_all + " WHERE cities.population < ?");
    BOOST_TEST(sqlite_sql(select<City>().where(c<&City::population> <= 5)) == select_all + " WHERE cities.population <= ?");
    BOOST_TEST(sqlite_sql(select<City>().where(c<&City::population> > 5)) == select_all + " WHERE cities.population > ?");
    BOOST_TEST(sqlite_sql(select<City>().where(c<&City::population> >= 5)) == select_all + " WHERE cities.population >= ?");
    // The value on the left.
    BOOST_TEST(sqlite_sql(select<City>().where(5 < c<&City::population>)) == select_all + " WHERE ? < cities.population");
    BOOST_TEST(pg_sql(select<City>().where("x" == c<&City::name>)) == select_all + " WHERE $1 = cities.name");
    // Two columns: no parameter at all.
    const auto columns_only = select<City>().where(c<&City::population> > c<&City::id>);
    BOOST_TEST(mysql_sql(columns_only) == select_all + " WHERE cities.population > cities.id");
    BOOST_TEST(parameters_of(columns_only).empty());
}

BOOST_AUTO_TEST_CASE(and_or_not_parentheses) {
    const auto pop = c<&City::population> > 1000;
    const auto name = c<&City::name> == "Oslo";
    const auto area = c<&City::area> < 2.5;
    // An OR inside an AND needs parentheses, on either side.
    BOOST_TEST(sqlite_sql(select<City>().where((pop || name) && area)) ==
               select_all + " WHERE (cities.population > ? OR cities.name = ?) AND cities.area < ?");
    BOOST_TEST(sqlite_sql(select<City>().where(area && (pop || name))) ==
               select_all + " WHERE cities.area < ? AND (cities.population > ? OR cities.name = ?)");
    BOOST_TEST(sqlite_sql(select<City>().where((pop || name) && (area || pop))) ==
               select_all + " WHERE (cities.population > ? OR cities.name = ?) AND (cities.area < ? OR cities.population > ?)");
    // An AND inside an OR, and ORs or ANDs in a row, need none.
    BOOST_TEST(sqlite_sql(select<City>().where((pop && name) || area)) ==
               select_all + " WHERE cities.population > ? AND cities.name = ? OR cities.area < ?");
    BOOST_TEST(sqlite_sql(select<City>().where(pop || (name && area))) ==
               select_all + " WHERE cities.population > ? OR cities.name = ? AND cities.area < ?");
    BOOST_TEST(sqlite_sql(select<City>().where(pop || name || area)) ==
               select_all + " WHERE cities.population > ? OR cities.name = ? OR cities.area < ?");
    BOOST_TEST(sqlite_sql(select<City>().where(pop && name && area)) ==
               select_all + " WHERE cities.population > ? AND cities.name = ? AND cities.area < ?");
    // An OR nested two levels down inside ANDs.
    BOOST_TEST(sqlite_sql(select<City>().where(pop && (name && (area || pop)))) ==
               select_all + " WHERE cities.population > ? AND cities.name = ? AND (cities.area < ? OR cities.population > ?)");
    // NOT always parenthesises its operand.
    BOOST_TEST(sqlite_sql(select<City>().where(!pop)) == select_all + " WHERE NOT (cities.population > ?)");
    BOOST_TEST(sqlite_sql(select<City>().where(!(pop || name))) ==
               select_all + " WHERE NOT (cities.population > ? OR cities.name = ?)");
    BOOST_TEST(sqlite_sql(select<City>().where(!pop && !(name && area))) ==
               select_all + " WHERE NOT (cities.population > ?) AND NOT (cities.name = ? AND cities.area < ?)");
    BOOST_TEST(pg_sql(select<City>().where((pop || name) && !area)) ==
               select_all + " WHERE (cities.population > $1 OR cities.name = $2) AND NOT (cities.area < $3)");
}

BOOST_AUTO_TEST_CASE(null_tests) {
    BOOST_TEST(sqlite_sql(select<City>().where(c<&City::district>.is_null())) == select_all + " WHERE cities.district IS NULL");
    BOOST_TEST(mysql_sql(select<City>().where(c<&City::district>.is_not_null())) ==
               select_all + " WHERE cities.district IS NOT NULL");
    const auto s = select<City>().where(c<&City::district>.is_null() || c<&City::district> == "north");
    BOOST_TEST(pg_sql(s) == select_all + " WHERE cities.district IS NULL OR cities.district = $1");
    BOOST_TEST(parameters_of(s) == std::vector<parameter>{p(std::string("north"))}, boost::test_tools::per_element());
    BOOST_TEST(sqlite_sql(select<City>().where(!c<&City::district>.is_null() && c<&City::id> > 1)) ==
               select_all + " WHERE NOT (cities.district IS NULL) AND cities.id > ?");
}

BOOST_AUTO_TEST_CASE(order_by_items) {
    BOOST_TEST(sqlite_sql(select<City>().order_by(c<&City::name>)) == select_all + " ORDER BY cities.name ASC");
    BOOST_TEST(sqlite_sql(select<City>().order_by(c<&City::name>.asc())) == select_all + " ORDER BY cities.name ASC");
    BOOST_TEST(sqlite_sql(select<City>().order_by(c<&City::population>.desc(), c<&City::id>)) ==
               select_all + " ORDER BY cities.population DESC, cities.id ASC");
    // A second order_by appends.
    BOOST_TEST(mysql_sql(select<City>().order_by(c<&City::kind>).order_by(c<&City::area>.desc())) ==
               select_all + " ORDER BY cities.kind ASC, cities.area DESC");
    BOOST_TEST(pg_sql(select<City>().where(c<&City::id> > 3).order_by(c<&City::name>.desc())) ==
               select_all + " WHERE cities.id > $1 ORDER BY cities.name DESC");
}

BOOST_AUTO_TEST_CASE(limit_and_offset_per_dialect) {
    const auto limit = select<City>().limit(10);
    BOOST_TEST(sqlite_sql(limit) == select_all + " LIMIT ?");
    BOOST_TEST(pg_sql(limit) == select_all + " LIMIT $1");
    BOOST_TEST(mysql_sql(limit) == select_all + " LIMIT ?");
    BOOST_TEST(parameters_of(limit) == std::vector<parameter>{p(std::int64_t{10})}, boost::test_tools::per_element());

    const auto offset = select<City>().offset(20);
    BOOST_TEST(sqlite_sql(offset) == select_all + " LIMIT -1 OFFSET ?");
    BOOST_TEST(pg_sql(offset) == select_all + " OFFSET $1");
    BOOST_TEST(mysql_sql(offset) == select_all + " LIMIT 18446744073709551615 OFFSET ?");
    BOOST_TEST(parameters_of(offset) == std::vector<parameter>{p(std::int64_t{20})}, boost::test_tools::per_element());

    // The order of the builder calls does not matter: LIMIT comes before OFFSET.
    const auto both = select<City>().offset(20).limit(10);
    BOOST_TEST(sqlite_sql(both) == select_all + " LIMIT ? OFFSET ?");
    BOOST_TEST(pg_sql(both) == select_all + " LIMIT $1 OFFSET $2");
    BOOST_TEST(mysql_sql(both) == select_all + " LIMIT ? OFFSET ?");
    BOOST_TEST(parameters_of(both) == (std::vector<parameter>{p(std::int64_t{10}), p(std::int64_t{20})}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(postgresql_numbers_placeholders_across_clauses) {
    const auto s = select<City>()
                       .where(c<&City::name> == "a" || c<&City::population> >= 7)
                       .order_by(c<&City::id>)
                       .limit(5)
                       .offset(15);
    BOOST_TEST(pg_sql(s) == select_all + " WHERE cities.name = $1 OR cities.population >= $2 ORDER BY cities.id ASC LIMIT $3 OFFSET $4");
    BOOST_TEST(pg_sql(select<City>().where(c<&City::id> == 1).offset(2)) == select_all + " WHERE cities.id = $1 OFFSET $2");
    BOOST_TEST(sqlite_sql(select<City>().where(c<&City::id> == 1).offset(2)) ==
               select_all + " WHERE cities.id = ? LIMIT -1 OFFSET ?");
    BOOST_TEST(parameters_of(s) ==
                   (std::vector<parameter>{p(std::string("a")), p(std::int32_t{7}), p(std::int64_t{5}), p(std::int64_t{15})}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(where_twice_combines_with_and) {
    const auto s = select<City>().where(c<&City::id> > 1).where(c<&City::name> != "x");
    BOOST_TEST(sqlite_sql(s) == select_all + " WHERE cities.id > ? AND cities.name != ?");
    // An OR given to either call keeps its parentheses.
    const auto t = select<City>().where(c<&City::id> == 1 || c<&City::id> == 2).where(c<&City::capital> == true);
    BOOST_TEST(pg_sql(t) == select_all + " WHERE (cities.id = $1 OR cities.id = $2) AND cities.capital = $3");
    const auto u = select<City>().where(c<&City::capital> == true).where(c<&City::id> == 1 || c<&City::id> == 2);
    BOOST_TEST(pg_sql(u) == select_all + " WHERE cities.capital = $1 AND (cities.id = $2 OR cities.id = $3)");
    BOOST_TEST(parameters_of(t) == (std::vector<parameter>{p(std::int64_t{1}), p(std::int64_t{2}), p(true)}),
               boost::test_tools::per_element());
    BOOST_TEST(parameters_of(u) == (std::vector<parameter>{p(true), p(std::int64_t{1}), p(std::int64_t{2})}),
               boost::test_tools::per_element());
    // Three calls.
    const auto v = select<City>().where(c<&City::id> > 1).where(c<&City::id> < 9).where(c<&City::area> > 0.0);
    BOOST_TEST(mysql_sql(v) == select_all + " WHERE cities.id > ? AND cities.id < ? AND cities.area > ?");
}

BOOST_AUTO_TEST_CASE(count_statements) {
    using reflorm::sql::count_statement;
    const auto plain = select<City>().where(c<&City::population> > 100).order_by(c<&City::name>);
    // Without LIMIT/OFFSET, ORDER BY is pointless and dropped.
    BOOST_TEST(sqlite_sql(count_statement<decltype(plain)>{plain}) ==
               "SELECT count(*) FROM cities WHERE cities.population > ?");
    BOOST_TEST(pg_sql(count_statement<decltype(plain)>{plain}) == "SELECT count(*) FROM cities WHERE cities.population > $1");
    const auto all = select<City>();
    BOOST_TEST(mysql_sql(count_statement<decltype(all)>{all}) == "SELECT count(*) FROM cities");

    // With LIMIT/OFFSET the count is over the limited rows, through a subquery.
    const auto paged = select<City>().where(c<&City::id> > 1).limit(3).offset(4);
    BOOST_TEST(pg_sql(count_statement<decltype(paged)>{paged}) ==
               "SELECT count(*) FROM (" + select_all + " WHERE cities.id > $1 LIMIT $2 OFFSET $3) AS anon_1");
    BOOST_TEST(sqlite_sql(count_statement<decltype(paged)>{paged}) ==
               "SELECT count(*) FROM (" + select_all + " WHERE cities.id > ? LIMIT ? OFFSET ?) AS anon_1");
    const auto offset_only = select<City>().offset(4);
    BOOST_TEST(mysql_sql(count_statement<decltype(offset_only)>{offset_only}) ==
               "SELECT count(*) FROM (" + select_all + " LIMIT 18446744073709551615 OFFSET ?) AS anon_1");
    BOOST_TEST(parameters_of(count_statement<decltype(paged)>{paged}) ==
                   (std::vector<parameter>{p(std::int64_t{1}), p(std::int64_t{3}), p(std::int64_t{4})}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reserved_table_and_column_names_are_quoted_in_select) {
    const auto s = select<Order>().where(c<&Order::group> == "g").order_by(c<&Order::group>);
    BOOST_TEST(sqlite_sql(s) ==
               "SELECT \"order\".id, \"order\".\"group\" FROM \"order\" WHERE \"order\".\"group\" = ? ORDER BY \"order\".\"group\" ASC");
    BOOST_TEST(mysql_sql(s) == "SELECT `order`.id, `order`.`group` FROM `order` WHERE `order`.`group` = ? ORDER BY `order`.`group` ASC");
}

BOOST_AUTO_TEST_CASE(parameters_have_the_column_type) {
    // A literal takes the type of the column it is compared with.
    const auto s = select<City>().where(c<&City::population> == 5 && c<&City::name> == "abc" && c<&City::id> == 7 &&
                                        c<&City::area> > 1 && c<&City::district> == std::string_view{"sv"} &&
                                        c<&City::capital> == false && c<&City::kind> == Kind::metropolis);
    const std::vector<parameter> expected{p(std::int32_t{5}), p(std::string("abc")), p(std::int64_t{7}), p(1.0),
                                          p(std::string("sv")), p(false), p(Kind::metropolis)};
    BOOST_TEST(parameters_of(s) == expected, boost::test_tools::per_element());

    // A value on the left is converted alike.
    BOOST_TEST(parameters_of(select<City>().where(5 <= c<&City::population>)) == std::vector<parameter>{p(std::int32_t{5})},
               boost::test_tools::per_element());
    const char* text = "ptr";
    BOOST_TEST(parameters_of(select<City>().where(c<&City::name> == text)) == std::vector<parameter>{p(std::string("ptr"))},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(values_the_column_type_cannot_hold_keep_their_own_type) {
    // Truncating 5.5 to the int32 column's type would turn `< 5.5` into `< 5` and drop rows
    // equal to 5; an int64 beyond int32's range would wrap. Such values are bound as they are.
    BOOST_TEST(parameters_of(select<City>().where(c<&City::population> < 5.5)) == std::vector<parameter>{p(5.5)},
               boost::test_tools::per_element());
    const std::int64_t big = 5'000'000'000;
    BOOST_TEST(parameters_of(select<City>().where(c<&City::population> < big)) == std::vector<parameter>{p(big)},
               boost::test_tools::per_element());
    BOOST_TEST(parameters_of(select<City>().where(c<&City::rank> > -1)) == std::vector<parameter>{p(-1)},
               boost::test_tools::per_element());
    // What fits keeps the column's type.
    const std::int16_t small = 3;
    BOOST_TEST(parameters_of(select<City>().where(c<&City::population> < small)) == std::vector<parameter>{p(std::int32_t{3})},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(statement_text_renders_once_per_shape_and_dialect) {
    using reflorm::sql::render_count;
    using reflorm::sql::statement_text;
    const auto shape = [](std::int64_t id) { return select<Memo>().where(c<&Memo::id> == id).limit(id); };

    const std::size_t before = render_count();
    const std::string& first = statement_text(shape(1), rd::sqlite());
    BOOST_TEST(render_count() == before + 1);
    BOOST_TEST(first == "SELECT memos.id, memos.name FROM memos WHERE memos.id = ? LIMIT ?");

    // Same shape, other values: no rendering, the same text object.
    const std::string& again = statement_text(shape(2), rd::sqlite());
    const std::string& third = statement_text(shape(99), rd::sqlite());
    BOOST_TEST(render_count() == before + 1);
    BOOST_TEST(&again == &first);
    BOOST_TEST(&third == &first);

    // Another dialect renders once more, once.
    const std::string& pg = statement_text(shape(3), rd::postgresql());
    BOOST_TEST(render_count() == before + 2);
    BOOST_TEST(pg == "SELECT memos.id, memos.name FROM memos WHERE memos.id = $1 LIMIT $2");
    (void)statement_text(shape(4), rd::postgresql());
    BOOST_TEST(render_count() == before + 2);
    BOOST_TEST(first == "SELECT memos.id, memos.name FROM memos WHERE memos.id = ? LIMIT ?");  // untouched

    // A new shape (another operator) renders once.
    const auto other = select<Memo>().where(c<&Memo::id> != 1);
    const std::string& o = statement_text(other, rd::sqlite());
    BOOST_TEST(render_count() == before + 3);
    BOOST_TEST(o == "SELECT memos.id, memos.name FROM memos WHERE memos.id != ?");
    (void)statement_text(select<Memo>().where(c<&Memo::id> != 2), rd::sqlite());
    BOOST_TEST(render_count() == before + 3);

    // MySQL too.
    (void)statement_text(other, rd::mysql());
    (void)statement_text(other, rd::mysql());
    BOOST_TEST(render_count() == before + 4);

    // to_sql does not go through the cache.
    (void)to_sql(other, rd::sqlite());
    BOOST_TEST(render_count() == before + 4);
}
