// sql layer: expression nodes (arithmetic, concatenation, predicates, functions, cast, case,
// aggregates, labels) rendered for every dialect, with their parameters in placeholder order.
#include <boost/test/unit_test.hpp>

#include "sql_test_support.hpp"

#include <reflorm/dialect/dialect.hpp>
#include <reflorm/reflorm.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace expression_test {

struct Shop {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
    std::int32_t stock;
    double price;
};

struct Sale {
    std::int64_t id;
    std::int64_t shop_id;
    std::int32_t quantity;
    reflorm::date day;
};

}  // namespace expression_test

using namespace expression_test;
using reflorm::c;
namespace rd = reflorm::dialect;

namespace {

struct rendered {
    std::string sqlite, postgresql, mysql;
};

template <class Statement>
rendered render_all(const Statement& s) {
    return {reflorm::sql::to_sql(s, rd::sqlite()), reflorm::sql::to_sql(s, rd::postgresql()),
            reflorm::sql::to_sql(s, rd::mysql())};
}

using sql_test::parameter;
using sql_test::parameters_of;

}  // namespace

BOOST_AUTO_TEST_SUITE(expressions)

BOOST_AUTO_TEST_CASE(arithmetic_binds_values_and_parenthesises_nested_operations) {
    const auto q = reflorm::select(c<&Shop::price> * c<&Shop::stock>, (c<&Shop::stock> + 1) * 2, c<&Shop::price> / 3.0 - 1);
    const auto sql = render_all(q);
    BOOST_TEST(sql.sqlite == "SELECT shops.price * shops.stock, (shops.stock + ?) * ?, (shops.price / ?) - ? FROM shops");
    BOOST_TEST(sql.postgresql == "SELECT shops.price * shops.stock, (shops.stock + $1) * $2, (shops.price / $3) - $4 FROM shops");
    BOOST_TEST((parameters_of(q) == std::vector<parameter>{1, 2, 3.0, 1}));
    static_assert(std::is_same_v<decltype(q)::result_type, std::tuple<double, std::int32_t, double>>);
}

BOOST_AUTO_TEST_CASE(string_plus_is_concatenation_per_dialect) {
    const auto q = reflorm::select(c<&Shop::name> + " in " + c<&Shop::city>);
    const auto sql = render_all(q);
    BOOST_TEST(sql.sqlite == "SELECT (shops.name || ?) || shops.city FROM shops");
    BOOST_TEST(sql.postgresql == "SELECT (shops.name || $1) || shops.city FROM shops");
    BOOST_TEST(sql.mysql == "SELECT concat(concat(shops.name, ?), shops.city) FROM shops");
    // NULL in, NULL out: a nullable operand makes the result optional.
    static_assert(std::is_same_v<decltype(q)::result_type, std::tuple<std::optional<std::string>>>);
}

BOOST_AUTO_TEST_CASE(like_and_ilike_mean_the_same_on_every_dialect) {
    const auto q = reflorm::select<Shop>().where(c<&Shop::name>.like("A%") && c<&Shop::name>.ilike("%mart") &&
                                                 c<&Shop::name>.not_like("%closed%"));
    const auto sql = render_all(q);
    const std::string columns = "SELECT shops.id, shops.name, shops.city, shops.stock, shops.price FROM shops WHERE ";
    BOOST_TEST(sql.sqlite == columns + "shops.name LIKE ? AND lower(shops.name) LIKE lower(?) AND shops.name NOT LIKE ?");
    BOOST_TEST(sql.postgresql == columns + "shops.name LIKE $1 AND shops.name ILIKE $2 AND shops.name NOT LIKE $3");
    BOOST_TEST(sql.mysql == columns + "shops.name LIKE ? AND lower(shops.name) LIKE lower(?) AND shops.name NOT LIKE ?");
    BOOST_TEST((parameters_of(q) == std::vector<parameter>{std::string("A%"), std::string("%mart"), std::string("%closed%")}));
}

BOOST_AUTO_TEST_CASE(in_lists_between_and_empty_lists) {
    const std::vector<std::int64_t> ids{3, 1, 2};
    const auto q = reflorm::select(c<&Shop::id>).where(c<&Shop::id>.in_(ids) && c<&Shop::stock>.between(5, 10) &&
                                                       c<&Shop::name>.not_in({"x", "y"}));
    BOOST_TEST(reflorm::sql::to_sql(q, rd::postgresql()) ==
               "SELECT shops.id FROM shops WHERE shops.id IN ($1, $2, $3) AND shops.stock BETWEEN $4 AND $5 "
               "AND shops.name NOT IN ($6, $7)");
    BOOST_TEST((parameters_of(q) == std::vector<parameter>{std::int64_t{3}, std::int64_t{1}, std::int64_t{2}, 5, 10,
                                                            std::string("x"), std::string("y")}));
    const auto none = reflorm::select(c<&Shop::id>).where(c<&Shop::id>.in_(std::vector<std::int64_t>{}));
    BOOST_TEST(reflorm::sql::to_sql(none, rd::sqlite()) == "SELECT shops.id FROM shops WHERE 1 != 1");
    BOOST_TEST(parameters_of(none).empty());
    const auto all = reflorm::select(c<&Shop::id>).where(c<&Shop::id>.not_in(std::array<std::int64_t, 0>{}));
    BOOST_TEST(reflorm::sql::to_sql(all, rd::sqlite()) == "SELECT shops.id FROM shops WHERE 1 = 1");
}

BOOST_AUTO_TEST_CASE(in_list_text_is_cached_per_length) {
    const auto by_ids = [](std::vector<std::int64_t> ids) {
        return reflorm::select<Sale>().where(c<&Sale::id>.in_(ids));
    };
    const std::size_t before = reflorm::sql::render_count().load();
    const std::string& two = reflorm::sql::statement_text(by_ids({1, 2}), rd::sqlite());
    const std::string& two_again = reflorm::sql::statement_text(by_ids({7, 8}), rd::sqlite());
    const std::string& three = reflorm::sql::statement_text(by_ids({1, 2, 3}), rd::sqlite());
    BOOST_TEST(&two == &two_again);
    BOOST_TEST(two.ends_with("IN (?, ?)"));
    BOOST_TEST(three.ends_with("IN (?, ?, ?)"));
    BOOST_TEST(reflorm::sql::render_count().load() == before + 2);
}

BOOST_AUTO_TEST_CASE(functions_cast_coalesce_and_now) {
    const auto q = reflorm::select(reflorm::lower(c<&Shop::name>), reflorm::upper(c<&Shop::name>),
                                   reflorm::length(c<&Shop::name>), reflorm::abs(c<&Shop::stock>),
                                   reflorm::round(c<&Shop::price>), reflorm::round(c<&Shop::price>, 2),
                                   reflorm::coalesce(c<&Shop::city>, "nowhere"), reflorm::cast<std::string>(c<&Shop::stock>),
                                   reflorm::cast<double>(c<&Shop::stock>), reflorm::now());
    const auto sql = render_all(q);
    BOOST_TEST(sql.sqlite ==
               "SELECT lower(shops.name), upper(shops.name), length(shops.name), abs(shops.stock), round(shops.price), "
               "round(shops.price, ?), coalesce(shops.city, ?), CAST(shops.stock AS TEXT), CAST(shops.stock AS FLOAT), "
               "CURRENT_TIMESTAMP FROM shops");
    BOOST_TEST(sql.postgresql ==
               "SELECT lower(shops.name), upper(shops.name), length(shops.name), abs(shops.stock), round(shops.price), "
               "round(CAST(shops.price AS NUMERIC), CAST($1 AS INTEGER)), coalesce(shops.city, $2), CAST(shops.stock AS TEXT), "
               "CAST(shops.stock AS DOUBLE PRECISION), date_trunc('second', LOCALTIMESTAMP) FROM shops");
    BOOST_TEST(sql.mysql ==
               "SELECT lower(shops.name), upper(shops.name), char_length(shops.name), abs(shops.stock), round(shops.price), "
               "round(shops.price, ?), coalesce(shops.city, ?), CAST(shops.stock AS CHAR), CAST(shops.stock AS DOUBLE), "
               "CURRENT_TIMESTAMP FROM shops");
    BOOST_TEST((parameters_of(q) == std::vector<parameter>{2, std::string("nowhere")}));
    // coalesce with a non-NULL fallback is not optional.
    static_assert(std::is_same_v<std::tuple_element_t<6, decltype(q)::result_type>, std::string>);
}

BOOST_AUTO_TEST_CASE(case_when_else) {
    const auto size = reflorm::case_(reflorm::when(c<&Shop::stock> > 100, "large"), reflorm::when(c<&Shop::stock> > 10, "medium"))
                          .else_("small");
    const auto q = reflorm::select(c<&Shop::name>, size);
    BOOST_TEST(reflorm::sql::to_sql(q, rd::postgresql()) ==
               "SELECT shops.name, CASE WHEN shops.stock > $1 THEN $2 WHEN shops.stock > $3 THEN $4 ELSE $5 END FROM shops");
    BOOST_TEST((parameters_of(q) == std::vector<parameter>{100, std::string("large"), 10, std::string("medium"),
                                                            std::string("small")}));
    const auto no_else = reflorm::select(reflorm::case_(reflorm::when(c<&Shop::stock> > 1, c<&Shop::price>)));
    static_assert(std::is_same_v<decltype(no_else)::result_type, std::tuple<std::optional<double>>>);
    BOOST_TEST(reflorm::sql::to_sql(no_else, rd::sqlite()) == "SELECT CASE WHEN shops.stock > ? THEN shops.price END FROM shops");
}

BOOST_AUTO_TEST_CASE(aggregates_distinct_and_labels) {
    const auto q = reflorm::select(c<&Sale::shop_id>, reflorm::count(), reflorm::count(reflorm::distinct(c<&Sale::day>)),
                                   reflorm::label<"total">(reflorm::sum(c<&Sale::quantity>)), reflorm::avg(c<&Sale::quantity>),
                                   reflorm::min(c<&Sale::day>), reflorm::max(c<&Sale::quantity>))
                       .group_by(c<&Sale::shop_id>)
                       .having(reflorm::sum(c<&Sale::quantity>) > 10);
    const auto sql = render_all(q);
    BOOST_TEST(sql.sqlite ==
               "SELECT sales.shop_id, count(*), count(DISTINCT sales.day), sum(sales.quantity) AS total, avg(sales.quantity), "
               "min(sales.day), max(sales.quantity) FROM sales GROUP BY sales.shop_id HAVING sum(sales.quantity) > ?");
    BOOST_TEST(sql.mysql == sql.sqlite);
    BOOST_TEST(sql.postgresql.ends_with("HAVING sum(sales.quantity) > $1"));
    static_assert(std::is_same_v<decltype(q)::result_type,
                                 std::tuple<std::int64_t, std::int64_t, std::int64_t, std::optional<std::int64_t>,
                                            std::optional<double>, std::optional<reflorm::date>, std::optional<std::int32_t>>>);
    // sum(quantity) > 10 binds 10 as the sum's type, int64.
    BOOST_TEST((parameters_of(q) == std::vector<parameter>{std::int64_t{10}}));
}

BOOST_AUTO_TEST_CASE(dates_compare_with_dates) {
    const reflorm::date first = std::chrono::year{2024} / 1 / 1;
    const auto q = reflorm::select(reflorm::count()).select_from<Sale>().where(c<&Sale::day> >= first);
    BOOST_TEST(reflorm::sql::to_sql(q, rd::sqlite()) == "SELECT count(*) FROM sales WHERE sales.day >= ?");
    BOOST_TEST((parameters_of(q) == std::vector<parameter>{first}));
}

BOOST_AUTO_TEST_SUITE_END()
