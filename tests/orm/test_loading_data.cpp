// Every loading strategy on the real World and TPC-H data, on every backend, checked against
// hand-written SQL run through the backend's own client, with exact statement counts. The data
// is imported once per process (world_tpch_fixture.hpp); the tests only read.
#define BOOST_TEST_MODULE orm_loading_data
#include <boost/test/unit_test.hpp>

#include "world_tpch_fixture.hpp"
#include "world_tpch_orm.hpp"

#include <map>

using reflorm::c;
using namespace orm_data;

namespace {

using picture = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct data_fixture {
    reflorm::engine& engine = engine_test::data().engine;
    reflorm_test::raw_client raw = engine_test::data().raw();

    /// The first column of every row of `sql`.
    std::vector<std::string> column(const std::string& sql) {
        std::vector<std::string> out;
        for (const auto& row : raw.rows(sql)) out.push_back(row.at(0).value_or("NULL"));
        return out;
    }
    /// Rows of (parent key, child key), grouped by parent key in row order.
    std::map<std::string, std::vector<std::string>> grouped(const std::string& sql) {
        std::map<std::string, std::vector<std::string>> out;
        for (const auto& row : raw.rows(sql)) out[row.at(0).value()].push_back(row.at(1).value());
        return out;
    }
    picture expected(const std::string& parents_sql, const std::string& children_sql) {
        auto children = grouped(children_sql);
        picture out;
        for (const auto& key : column(parents_sql)) out.emplace_back(key, children[key]);
        return out;
    }

    /// Runs `query` with `option` in a new session: the picture `describe` draws of the result,
    /// and the statements it took.
    template <class Query, class Describe, class... Options>
    std::pair<picture, std::size_t> run(const Query& query, Describe describe, const Options&... options) {
        reflorm::session s{engine};
        reflorm::statement_counter n{engine};
        picture out;
        for (const auto& object : s.scalars(query.options(options...)).all()) out.push_back(describe(*object));
        return {out, n.count()};
    }
};

std::size_t batches(std::size_t keys, std::size_t batch) { return (keys + batch - 1) / batch; }

std::pair<std::string, std::vector<std::string>> country_cities(const Country& country) {
    std::vector<std::string> ids;
    for (const City& city : country.cities) ids.push_back(std::to_string(city.id));
    return {country.code, ids};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(world_strategies, *boost::unit_test::precondition(engine_test::has_data))

BOOST_FIXTURE_TEST_CASE(country_cities_under_every_strategy_with_where_order_limit_offset, data_fixture) {
    const std::string children = "SELECT country_code, id FROM city ORDER BY id";
    const auto big = reflorm::select<Country>().where(c<&Country::population> > std::int64_t{50'000'000}).order_by(c<&Country::code>);
    const auto page = reflorm::select<Country>().order_by(c<&Country::name>.desc()).limit(10).offset(5);
    const struct {
        picture truth;
        std::size_t parents;
    } big_truth{expected("SELECT code FROM country WHERE population > 50000000 ORDER BY code", children), 0},
        page_truth{expected("SELECT code FROM country ORDER BY name DESC LIMIT 10 OFFSET 5", children), 0};
    BOOST_TEST(big_truth.truth.size() > 20u);
    BOOST_TEST(page_truth.truth.size() == 10u);

    for (const auto* truth : {&big_truth.truth}) {
        auto [selectin, n1] = run(big, country_cities, reflorm::selectinload<&Country::cities>());
        auto [joined, n2] = run(big, country_cities, reflorm::joinedload<&Country::cities>());
        auto [subquery, n3] = run(big, country_cities, reflorm::subqueryload<&Country::cities>());
        BOOST_TEST((selectin == *truth));
        BOOST_TEST((joined == *truth));
        BOOST_TEST((subquery == *truth));
        BOOST_TEST(n1 == 2u);
        BOOST_TEST(n2 == 1u);
        BOOST_TEST(n3 == 2u);
        auto [small_batches, n4] = run(big, country_cities, reflorm::selectinload<&Country::cities>(7));
        BOOST_TEST((small_batches == *truth));
        BOOST_TEST(n4 == 1u + batches(truth->size(), 7));
    }
    auto [selectin, n1] = run(page, country_cities, reflorm::selectinload<&Country::cities>());
    auto [joined, n2] = run(page, country_cities, reflorm::joinedload<&Country::cities>());
    auto [subquery, n3] = run(page, country_cities, reflorm::subqueryload<&Country::cities>());
    BOOST_TEST((selectin == page_truth.truth));
    BOOST_TEST((joined == page_truth.truth));
    BOOST_TEST((subquery == page_truth.truth));
    BOOST_TEST(n1 + n2 + n3 == 5u);

    // The explicit lazy load: one statement per country.
    reflorm::session s{engine};
    auto countries = s.scalars(page).all();
    reflorm::statement_counter n{engine};
    picture lazy;
    for (auto& country : countries) {
        s.load<&Country::cities>(*country);
        lazy.push_back(country_cities(*country));
    }
    BOOST_TEST((lazy == page_truth.truth));
    BOOST_TEST(n.count() == 10u);
}

BOOST_FIXTURE_TEST_CASE(city_country_many_to_one_shares_one_object_per_country, data_fixture) {
    const auto query = reflorm::select<City>().where(c<&City::population> > std::int64_t{2'000'000}).order_by(c<&City::id>);
    const auto truth = column("SELECT country_code FROM city WHERE population > 2000000 ORDER BY id");
    const auto countries = std::stoul(column("SELECT count(DISTINCT country_code) FROM city WHERE population > 2000000").at(0));
    const auto describe = [](const City& city) {
        return std::pair<std::string, std::vector<std::string>>{std::to_string(city.id), {city.country->code}};
    };
    for (int strategy = 0; strategy < 3; ++strategy) {
        reflorm::session s{engine};
        reflorm::statement_counter n{engine};
        const auto cities = strategy == 0   ? s.scalars(query.options(reflorm::selectinload<&City::country>(10))).all()
                            : strategy == 1 ? s.scalars(query.options(reflorm::joinedload<&City::country>())).all()
                                            : s.scalars(query.options(reflorm::subqueryload<&City::country>())).all();
        BOOST_TEST(n.count() == (strategy == 0 ? 1 + batches(countries, 10) : strategy == 1 ? 1u : 2u));
        BOOST_REQUIRE(cities.size() == truth.size());
        std::map<std::string, const Country*> seen;
        for (std::size_t i = 0; i < cities.size(); ++i) {
            BOOST_TEST(cities[i]->country->code == truth[i]);
            auto [it, fresh] = seen.emplace(truth[i], cities[i]->country.get());
            BOOST_TEST(it->second == cities[i]->country.get());  // one object per country
        }
        BOOST_TEST(seen.size() == countries);
        (void)describe;
    }
}

BOOST_FIXTURE_TEST_CASE(capital_over_a_nullable_circular_key, data_fixture) {
    const auto query = reflorm::select<Country>().order_by(c<&Country::code>);
    const auto truth = column("SELECT capital FROM country ORDER BY code");  // NULL as "NULL"
    const auto capitals = std::stoul(column("SELECT count(DISTINCT capital) FROM country WHERE capital IS NOT NULL").at(0));
    const auto describe = [](const Country& country) {
        return std::pair<std::string, std::vector<std::string>>{
            country.code, {country.capital_city ? std::to_string(country.capital_city->id) : std::string("NULL")}};
    };
    picture expected_picture;
    const auto codes = column("SELECT code FROM country ORDER BY code");
    for (std::size_t i = 0; i < codes.size(); ++i) expected_picture.emplace_back(codes[i], std::vector<std::string>{truth[i]});
    BOOST_TEST(std::count(truth.begin(), truth.end(), "NULL") > 0);

    auto [selectin, n1] = run(query, describe, reflorm::selectinload<&Country::capital_city>(100));
    BOOST_TEST((selectin == expected_picture));
    BOOST_TEST(n1 == 1 + batches(capitals, 100));
    auto [joined, n2] = run(query, describe, reflorm::joinedload<&Country::capital_city>());
    BOOST_TEST((joined == expected_picture));
    BOOST_TEST(n2 == 1u);
    auto [subquery, n3] = run(query, describe, reflorm::subqueryload<&Country::capital_city>());
    BOOST_TEST((subquery == expected_picture));
    BOOST_TEST(n3 == 2u);
}

BOOST_FIXTURE_TEST_CASE(languages_have_a_composite_primary_key, data_fixture) {
    const auto query = reflorm::select<Country>().where(c<&Country::population> > std::int64_t{100'000'000}).order_by(c<&Country::code>);
    const auto truth = expected("SELECT code FROM country WHERE population > 100000000 ORDER BY code",
                                "SELECT country_code, language FROM country_language ORDER BY language");
    const auto describe = [](const Country& country) {
        std::vector<std::string> languages;
        for (const CountryLanguage& l : country.languages) languages.push_back(l.language);
        return std::pair<std::string, std::vector<std::string>>{country.code, languages};
    };
    BOOST_TEST((run(query, describe, reflorm::selectinload<&Country::languages>()) == std::pair{truth, std::size_t{2}}));
    BOOST_TEST((run(query, describe, reflorm::joinedload<&Country::languages>()) == std::pair{truth, std::size_t{1}}));
    BOOST_TEST((run(query, describe, reflorm::subqueryload<&Country::languages>()) == std::pair{truth, std::size_t{2}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tpch_strategies, *boost::unit_test::precondition(engine_test::has_data))

BOOST_FIXTURE_TEST_CASE(region_to_lineitem_chains_with_a_strategy_per_level, data_fixture) {
    const auto query = reflorm::select<Region>().order_by(c<&Region::r_regionkey>);
    const auto describe = [](const Region& region) {
        double quantity = 0;
        std::size_t lines = 0, orders = 0, customers = 0;
        for (const Nation& nation : region.nations)
            for (const Customer& customer : nation.customers) {
                ++customers;
                for (const Order& order : customer.orders) {
                    ++orders;
                    for (const LineItem& line : order.lineitems) {
                        ++lines;
                        quantity += line.l_quantity;
                        BOOST_TEST(line.order.get() == &order);  // back_populates, no query
                    }
                }
            }
        return std::pair<std::string, std::vector<std::string>>{
            region.r_name, {std::to_string(customers), std::to_string(orders), std::to_string(lines), std::to_string(quantity)}};
    };
    picture truth;
    for (const auto& row : raw.rows(
             "SELECT r.r_name, count(DISTINCT c.c_custkey), count(DISTINCT o.o_orderkey), count(l.l_orderkey), "
             "coalesce(sum(l.l_quantity), 0) FROM region r JOIN nation n ON n.n_regionkey = r.r_regionkey "
             "LEFT JOIN customer c ON c.c_nationkey = n.n_nationkey LEFT JOIN orders o ON o.o_custkey = c.c_custkey "
             "LEFT JOIN lineitem l ON l.l_orderkey = o.o_orderkey GROUP BY r.r_regionkey, r.r_name ORDER BY r.r_regionkey"))
        truth.emplace_back(row[0].value(), std::vector<std::string>{row[1].value(), row[2].value(), row[3].value(),
                                                                    std::to_string(std::stod(row[4].value()))});
    const auto orders = std::stoul(column("SELECT count(*) FROM orders").at(0));

    auto [selectin, n1] = run(query, describe,
                              reflorm::selectinload<&Region::nations>()
                                  .selectinload<&Nation::customers>()
                                  .selectinload<&Customer::orders>()
                                  .selectinload<&Order::lineitems>());
    BOOST_TEST((selectin == truth));
    BOOST_TEST(n1 == 4 + batches(orders, 500));  // regions, nations, customers, orders (150 keys), line items
    auto [mixed, n2] = run(query, describe,
                           reflorm::joinedload<&Region::nations>()
                               .selectinload<&Nation::customers>()
                               .selectinload<&Customer::orders>()
                               .selectinload<&Order::lineitems>(1000));
    BOOST_TEST((mixed == truth));
    BOOST_TEST(n2 == 3 + batches(orders, 1000));
    auto [mixed2, n5] = run(query, describe,
                            reflorm::subqueryload<&Region::nations>()
                                .subqueryload<&Nation::customers>()
                                .selectinload<&Customer::orders>()
                                .selectinload<&Order::lineitems>(1000));
    BOOST_TEST((mixed2 == truth));
    BOOST_TEST(n5 == 4 + batches(orders, 1000));
    auto [subquery, n3] = run(query, describe,
                              reflorm::subqueryload<&Region::nations>()
                                  .subqueryload<&Nation::customers>()
                                  .subqueryload<&Customer::orders>()
                                  .subqueryload<&Order::lineitems>());
    BOOST_TEST((subquery == truth));
    BOOST_TEST(n3 == 5u);
    auto [joined, n4] = run(query, describe,
                            reflorm::joinedload<&Region::nations>()
                                .joinedload<&Nation::customers>()
                                .joinedload<&Customer::orders>()
                                .joinedload<&Order::lineitems>());
    BOOST_TEST((joined == truth));
    BOOST_TEST(n4 == 1u);
}

BOOST_FIXTURE_TEST_CASE(part_to_supplier_through_partsupp, data_fixture) {
    const auto query = reflorm::select<Part>().where(c<&Part::p_partkey> <= 40).order_by(c<&Part::p_partkey>);
    const auto truth = expected("SELECT p_partkey FROM part WHERE p_partkey <= 40 ORDER BY p_partkey",
                                "SELECT ps_partkey, ps_suppkey FROM partsupp ORDER BY ps_suppkey");
    const auto describe = [](const Part& part) {
        std::vector<std::string> suppliers;
        for (const Supplier& s : part.suppliers) suppliers.push_back(std::to_string(s.s_suppkey));
        return std::pair<std::string, std::vector<std::string>>{std::to_string(part.p_partkey), suppliers};
    };
    BOOST_TEST((run(query, describe, reflorm::selectinload<&Part::suppliers>()) == std::pair{truth, std::size_t{2}}));
    BOOST_TEST((run(query, describe, reflorm::joinedload<&Part::suppliers>()) == std::pair{truth, std::size_t{1}}));
    BOOST_TEST((run(query, describe, reflorm::subqueryload<&Part::suppliers>()) == std::pair{truth, std::size_t{2}}));

    // Through the association model: the supplier reached both ways is one object.
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto parts = s.scalars(query.options(reflorm::selectinload<&Part::partsupps>().selectinload<&PartSupp::supplier>(),
                           reflorm::selectinload<&Part::suppliers>())).all();
    BOOST_TEST(n.count() == 4u);
    for (const auto& part : parts) {
        BOOST_REQUIRE(part->partsupps.size() == part->suppliers.size());
        for (std::size_t i = 0; i < part->suppliers.size(); ++i) {
            BOOST_TEST(part->partsupps[i].supplier.get() == &part->suppliers[i]);
            BOOST_TEST(part->partsupps[i].ps_supplycost > 0);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(lineitem_to_partsupp_over_a_composite_foreign_key, data_fixture) {
    const auto query = reflorm::select<LineItem>()
                           .where(c<&LineItem::l_orderkey> <= 200)
                           .order_by(c<&LineItem::l_orderkey>, c<&LineItem::l_linenumber>);
    const auto truth_rows = raw.rows(
        "SELECT l.l_orderkey, l.l_linenumber, ps.ps_availqty FROM lineitem l JOIN partsupp ps ON ps.ps_partkey = l.l_partkey "
        "AND ps.ps_suppkey = l.l_suppkey WHERE l.l_orderkey <= 200 ORDER BY l.l_orderkey, l.l_linenumber");
    picture truth;
    for (const auto& row : truth_rows) truth.emplace_back(row[0].value() + "/" + row[1].value(), std::vector<std::string>{row[2].value()});
    const auto keys = std::stoul(column("SELECT count(*) FROM (SELECT DISTINCT l_partkey, l_suppkey FROM lineitem WHERE l_orderkey <= 200) AS k").at(0));
    const auto describe = [](const LineItem& line) {
        BOOST_TEST(line.partsupp->ps_partkey == line.l_partkey);
        BOOST_TEST(line.partsupp->ps_suppkey == line.l_suppkey);
        return std::pair<std::string, std::vector<std::string>>{std::to_string(line.l_orderkey) + "/" + std::to_string(line.l_linenumber),
                                                                {std::to_string(line.partsupp->ps_availqty)}};
    };
    BOOST_TEST((run(query, describe, reflorm::selectinload<&LineItem::partsupp>(50)) == std::pair{truth, 1 + batches(keys, 50)}));
    BOOST_TEST((run(query, describe, reflorm::joinedload<&LineItem::partsupp>()) == std::pair{truth, std::size_t{1}}));
    BOOST_TEST((run(query, describe, reflorm::subqueryload<&LineItem::partsupp>()) == std::pair{truth, std::size_t{2}}));
}

BOOST_AUTO_TEST_SUITE_END()
