// Expressions executed on every backend (SQLite, PostgreSQL, MariaDB): every result is compared
// with the same query written by hand in the backend's SQL and run through its own client.
#define BOOST_TEST_MODULE engine_expressions
#include <boost/test/unit_test.hpp>

#include "support/backend.hpp"

#include <reflorm/reflorm.hpp>

#include <cmath>

namespace expression_engine {

struct Shop {
    std::int64_t id;
    std::string name;
    std::optional<std::string> city;
    std::int32_t stock;
    double price;
    std::optional<std::int64_t> parent_id;  // a chain of shops, for self-joins
};

struct Sale {
    std::int64_t id;
    std::int64_t shop_id;
    std::int32_t quantity;
    reflorm::date day;
};

struct ShopSummary {  // a projection
    std::string name;
    std::int64_t sales;
    std::optional<std::int64_t> quantity;
};

}  // namespace expression_engine

using namespace expression_engine;
using reflorm_test::backend;
using reflorm::c;

template <>
struct reflorm::model<Sale> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Sale::shop_id, &Shop::id>);
};

namespace {

backend kind() { return reflorm_test::current_backend(); }

// Shops and sales on a fresh database of the backend under test.
struct shop_data {
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    reflorm::connection conn = engine.connect();
    reflorm_test::raw_client raw = db.raw();

    shop_data() {
        reflorm::create_all<Shop, Sale>(conn);
        std::vector<Shop> shops{{0, "Smart", "Zürich", 120, 9.5, std::nullopt},
                                {0, "corner", std::nullopt, 7, 1.25, 1},
                                {0, "MegaMart", "Basel", 45, 20.0, 2},
                                {0, "Kiosk", "Bern", -3, 0.5, 2}};
        conn.insert_all(shops);
        std::vector<Sale> sales;
        for (int i = 0; i < 30; ++i)
            sales.push_back(Sale{0, 1 + i % 3, 1 + i % 7, std::chrono::year{2024} / 3 / (1 + i % 28)});
        conn.insert_all(sales);
    }
};

template <class T>
std::string text_of(const T& v) {
    if constexpr (std::is_same_v<T, std::string>) return v;
    else if constexpr (std::is_floating_point_v<T>) {
        std::ostringstream out;
        out << v;
        return out.str();
    } else return std::to_string(v);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(expressions, shop_data)

BOOST_AUTO_TEST_CASE(arithmetic_matches_hand_written_sql) {
    const auto rows = conn.execute(reflorm::select(c<&Shop::id>, c<&Shop::price> * c<&Shop::stock>, (c<&Shop::stock> + 1) * 2)
                                   .order_by(c<&Shop::id>)).all();
    const auto truth = raw.rows("SELECT id, price * stock, (stock + 1) * 2 FROM shops ORDER BY id");
    BOOST_TEST_REQUIRE(rows.size() == truth.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        BOOST_TEST(std::get<1>(rows[i]) == std::stod(*truth[i][1]));
        BOOST_TEST(std::get<2>(rows[i]) == std::stoi(*truth[i][2]));
    }
}

BOOST_AUTO_TEST_CASE(concatenation_propagates_null) {
    const auto rows = conn.execute(reflorm::select(c<&Shop::name> + " @ " + c<&Shop::city>).order_by(c<&Shop::id>)).all();
    BOOST_TEST_REQUIRE(rows.size() == 4u);
    BOOST_TEST(*std::get<0>(rows[0]) == "Smart @ Zürich");
    BOOST_TEST(!std::get<0>(rows[1]).has_value());
}

BOOST_AUTO_TEST_CASE(like_ilike_in_between) {
    const auto count = [&](const auto& predicate) { return conn.count(reflorm::select<Shop>().where(predicate)); };
    BOOST_TEST(count(c<&Shop::name>.ilike("%MART")) == raw.integer("SELECT count(*) FROM shops WHERE lower(name) LIKE lower('%MART')"));
    BOOST_TEST(count(c<&Shop::name>.ilike("%MART")) == 2);
    BOOST_TEST(count(c<&Shop::id>.in_({1, 3, 99})) == 2);
    BOOST_TEST(count(c<&Shop::id>.not_in({1, 3})) == 2);
    BOOST_TEST(count(c<&Shop::id>.in_(std::vector<std::int64_t>{})) == 0);
    BOOST_TEST(count(c<&Shop::stock>.between(0, 50)) == raw.integer("SELECT count(*) FROM shops WHERE stock BETWEEN 0 AND 50"));
    BOOST_TEST(count(c<&Shop::city>.is_null() || c<&Shop::price> < 1.0) == 2);
}

BOOST_AUTO_TEST_CASE(functions_and_case) {
    const auto rows = conn.execute(
        reflorm::select(reflorm::lower(c<&Shop::name>), reflorm::upper(c<&Shop::name>), reflorm::length(c<&Shop::city>),
                        reflorm::abs(c<&Shop::stock>), reflorm::round(c<&Shop::price> / 3, 2),
                        reflorm::coalesce(c<&Shop::city>, "?"), reflorm::cast<std::string>(c<&Shop::stock>),
                        reflorm::case_(reflorm::when(c<&Shop::stock> > 100, "large"), reflorm::when(c<&Shop::stock> > 10, "medium"))
                            .else_("small"))
            .order_by(c<&Shop::id>)).all();
    // The same in each backend's SQL: length in characters is MariaDB's char_length (its length
    // counts bytes), PostgreSQL rounds numeric (not double precision) to a number of places,
    // MariaDB casts to CHAR.
    const std::string length = kind() == backend::mysql ? "char_length(city)" : "length(city)";
    const std::string rounded = kind() == backend::postgresql ? "round(CAST(price / 3 AS numeric), 2)" : "round(price / 3, 2)";
    const std::string as_text = kind() == backend::mysql ? "CAST(stock AS CHAR)" : "CAST(stock AS TEXT)";
    const auto truth = raw.rows("SELECT lower(name), upper(name), " + length + ", abs(stock), " + rounded + ", coalesce(city, '?'), " +
                                as_text + ", CASE WHEN stock > 100 THEN 'large' WHEN stock > 10 THEN 'medium' ELSE 'small' END "
                                          "FROM shops ORDER BY id");
    BOOST_TEST_REQUIRE(rows.size() == truth.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        BOOST_TEST(std::get<0>(rows[i]) == *truth[i][0]);
        BOOST_TEST(std::get<1>(rows[i]) == *truth[i][1]);
        BOOST_TEST(((std::get<2>(rows[i]) ? std::optional<std::string>(std::to_string(*std::get<2>(rows[i]))) : std::nullopt) == truth[i][2]));
        BOOST_TEST(std::to_string(std::get<3>(rows[i])) == *truth[i][3]);
        BOOST_TEST(std::abs(std::get<4>(rows[i]) - std::stod(*truth[i][4])) < 1e-12);
        BOOST_TEST(std::get<5>(rows[i]) == *truth[i][5]);
        BOOST_TEST(std::get<6>(rows[i]) == *truth[i][6]);
        BOOST_TEST(std::get<7>(rows[i]) == *truth[i][7]);
    }
    BOOST_TEST(*std::get<2>(rows[0]) == 6);  // "Zürich": characters, not bytes
    const auto now = conn.execute(reflorm::select(reflorm::now()).select_from<Shop>().limit(1)).one();
    BOOST_TEST(std::chrono::abs(std::get<0>(now) - std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())) <
               std::chrono::minutes{5});
}

BOOST_AUTO_TEST_CASE(aggregates_group_by_having_and_projections) {
    const auto rows = conn.execute(reflorm::select<ShopSummary>(c<&Shop::name>, reflorm::count(), reflorm::sum(c<&Sale::quantity>))
                                   .join<Sale>(c<&Sale::shop_id> == c<&Shop::id>)
                                   .group_by(c<&Shop::name>)
                                   .having(reflorm::count() >= 10)
                                   .order_by(c<&Shop::name>)).all();
    const auto truth = raw.rows("SELECT shops.name, count(*), sum(sales.quantity) FROM shops JOIN sales ON sales.shop_id = shops.id "
                                "GROUP BY shops.name HAVING count(*) >= 10 ORDER BY shops.name");
    BOOST_TEST_REQUIRE(rows.size() == truth.size());
    BOOST_TEST(rows.size() == 3u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        BOOST_TEST(rows[i].name == *truth[i][0]);
        BOOST_TEST(std::to_string(rows[i].sales) == *truth[i][1]);
        BOOST_TEST(std::to_string(*rows[i].quantity) == *truth[i][2]);
    }
    const auto stats = conn.execute(reflorm::select(reflorm::count(reflorm::distinct(c<&Sale::day>)), reflorm::avg(c<&Sale::quantity>),
                                                reflorm::min(c<&Sale::day>), reflorm::max(c<&Sale::quantity>))).one();
    BOOST_TEST(std::get<0>(stats) == raw.integer("SELECT count(DISTINCT day) FROM sales"));
    BOOST_TEST(std::abs(*std::get<1>(stats) - std::stod(*raw.value("SELECT avg(quantity) FROM sales"))) < 1e-12);
    BOOST_TEST((*std::get<2>(stats) == reflorm::date{std::chrono::year{2024} / 3 / 1}));
    BOOST_TEST(*std::get<3>(stats) == 7);
    // Over no rows, sum is NULL, count is 0.
    const auto empty = conn.execute(reflorm::select(reflorm::sum(c<&Sale::quantity>), reflorm::count()).where(c<&Sale::quantity> > 100)).one();
    BOOST_TEST(!std::get<0>(empty).has_value());
    BOOST_TEST(std::get<1>(empty) == 0);
}

BOOST_AUTO_TEST_CASE(self_join_through_an_alias_and_outer_join) {
    using parent = reflorm::alias<Shop, "parent">;
    const auto pairs = conn.execute(reflorm::select(c<&Shop::name>, parent::c<&Shop::name>)
                                    .join<parent>(parent::c<&Shop::id> == c<&Shop::parent_id>)
                                    .order_by(c<&Shop::id>)).all();
    BOOST_TEST_REQUIRE(pairs.size() == 3u);
    BOOST_TEST(std::get<0>(pairs[0]) == "corner");
    BOOST_TEST(std::get<1>(pairs[0]) == "Smart");
    BOOST_TEST(std::get<1>(pairs[2]) == "corner");
    // Outer join: every shop, with NULL for one without a parent.
    const auto all = conn.execute(reflorm::select(c<&Shop::name>, parent::c<&Shop::name>)
                                  .outer_join<parent>(parent::c<&Shop::id> == c<&Shop::parent_id>)
                                  .order_by(c<&Shop::id>)).all();
    BOOST_TEST_REQUIRE(all.size() == 4u);
    static_assert(std::is_same_v<std::tuple_element_t<1, decltype(all)::value_type>, std::optional<std::string>>);
    BOOST_TEST(!std::get<1>(all[0]).has_value());
    BOOST_TEST(*std::get<1>(all[1]) == "Smart");
    // count() over an outer join stays a plain number.
    const auto counted = conn.execute(reflorm::select(c<&Shop::name>, reflorm::count(parent::c<&Shop::id>))
                                      .outer_join<parent>(parent::c<&Shop::id> == c<&Shop::parent_id>)
                                      .group_by(c<&Shop::name>)
                                      .order_by(c<&Shop::name>)).all();
    static_assert(std::is_same_v<std::tuple_element_t<1, decltype(counted)::value_type>, std::int64_t>);
    BOOST_TEST(counted.size() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
