// reflorm's flagship sample: imports MariaDB's World and TPC-H (DBT-3, scale 0.01) test data
// into an embedded SQLite file, or any database reflorm connects to, through reflorm's bulk
// insert, checks every table's row count against the source, prints a report from typed queries,
// and changes a few rows through a reflorm::session (the unit of work), showing the UPDATEs it
// emits, and loads one query's relationship with each of the three eager loading strategies,
// showing their SQL.
//
//     world_tpch <data dir with world.inc and dbt3_s001.inc> <sqlite file>
//     world_tpch <data dir> --url <database url>
//
// The URL is reflorm's (SQLAlchemy's) form: sqlite:////abs/file.db,
// postgresql://user:pw@host:port/db or mysql://user:pw@host:port/db. Every run imports afresh:
// the SQLite file is deleted first; on a URL, the sample's 11 tables are dropped (drop_all) if an
// earlier run left them, and nothing else in the database is touched. The report is the same on
// every backend, except its first line (where), the timings and the SQL text, which each dialect
// renders its own way.
#include "import.hpp"
#include "models.hpp"

#include <reflorm/orm.hpp>

#include <dump_import.hpp>
#include <sample_args.hpp>
#include <sql_dump.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using reflorm::c;
using clock_type = std::chrono::steady_clock;

double milliseconds_since(clock_type::time_point start) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

struct table_count {
    std::string_view table;
    std::int64_t expected;
    std::int64_t actual;
};

template <class T>
table_count count_rows(reflorm::connection& conn, std::int64_t expected) {
    return {reflorm::schema::table_of<T>.name, expected, conn.count(reflorm::select<T>())};
}

}  // namespace

int main(int argc, char** argv) try {
    const auto target = reflorm::samples::parse_sample_args(argc, argv, "e.g. postgresql://user:pw@host:port/db");
    if (!target) return 2;
    const auto& [data_dir, url, where] = *target;

    using namespace reflorm::samples;
    auto start = clock_type::now();
    const auto world_rows = parse_insert_rows(read_file(data_dir / "world.inc"));
    const auto tpch_rows = parse_insert_rows(read_file(data_dir / "dbt3_s001.inc"));
    auto countries = objects_of<world::Country>(world_rows, "Country");
    auto cities = objects_of<world::City>(world_rows, "City");
    auto languages = objects_of<world::CountryLanguage>(world_rows, "CountryLanguage");
    auto regions = objects_of<tpch::Region>(tpch_rows, "region");
    auto nations = objects_of<tpch::Nation>(tpch_rows, "nation");
    auto suppliers = objects_of<tpch::Supplier>(tpch_rows, "supplier");
    auto customers = objects_of<tpch::Customer>(tpch_rows, "customer");
    auto parts = objects_of<tpch::Part>(tpch_rows, "part");
    auto partsupps = objects_of<tpch::PartSupp>(tpch_rows, "partsupp");
    auto orders = objects_of<tpch::Order>(tpch_rows, "orders");
    auto lineitems = objects_of<tpch::LineItem>(tpch_rows, "lineitem");
    const double parse_ms = milliseconds_since(start);

    auto engine = reflorm::create_engine(url);
    auto conn = engine.connect();

    start = clock_type::now();
    // A database that holds an earlier run's tables starts over: the session below changes rows.
    reflorm::drop_all<world::Country, world::City, world::CountryLanguage, tpch::Region, tpch::Nation,
                      tpch::Supplier, tpch::Customer, tpch::Part, tpch::PartSupp, tpch::Order, tpch::LineItem>(conn);
    reflorm::create_all<world::Country, world::City, world::CountryLanguage, tpch::Region, tpch::Nation,
                        tpch::Supplier, tpch::Customer, tpch::Part, tpch::PartSupp, tpch::Order, tpch::LineItem>(conn);
    const double ddl_ms = milliseconds_since(start);

    start = clock_type::now();
    std::size_t capital_updates = 0;
    {
        // Countries and cities reference each other: one transaction, the capital check deferred
        // to COMMIT where the backend can (see import.hpp for MySQL/MariaDB).
        auto tx = conn.begin();
        capital_updates = world::insert_countries_and_cities(conn, countries, cities);
        conn.insert_all(languages);
        tx.commit();
    }
    {
        auto tx = conn.begin();
        conn.insert_all(regions);
        conn.insert_all(nations);
        conn.insert_all(suppliers);
        conn.insert_all(customers);
        conn.insert_all(parts);
        conn.insert_all(partsupps);
        conn.insert_all(orders);
        conn.insert_all(lineitems);
        tx.commit();
    }
    const double import_ms = milliseconds_since(start);
    reflorm::statement_counter statements{engine};  // from here on: the same on every backend
    const std::size_t imported = countries.size() + cities.size() + languages.size() + regions.size() + nations.size() +
                                 suppliers.size() + customers.size() + parts.size() + partsupps.size() + orders.size() +
                                 lineitems.size();

    std::printf("reflorm flagship sample: World and TPC-H (scale 0.01) in %s\n\n", where.c_str());
    std::printf("%-18s %10s %10s\n", "table", "source", "imported");
    const table_count counts[] = {
        count_rows<world::Country>(conn, 239),     count_rows<world::City>(conn, 4079),
        count_rows<world::CountryLanguage>(conn, 984), count_rows<tpch::Region>(conn, 5),
        count_rows<tpch::Nation>(conn, 25),        count_rows<tpch::Supplier>(conn, 10),
        count_rows<tpch::Customer>(conn, 150),     count_rows<tpch::Part>(conn, 200),
        count_rows<tpch::PartSupp>(conn, 700),     count_rows<tpch::Order>(conn, 1500),
        count_rows<tpch::LineItem>(conn, 6005),
    };
    bool all_match = true;
    for (const auto& count : counts) {
        std::printf("%-18.*s %10lld %10lld%s\n", static_cast<int>(count.table.size()), count.table.data(),
                    static_cast<long long>(count.expected), static_cast<long long>(count.actual),
                    count.expected == count.actual ? "" : "   <-- MISMATCH");
        all_match = all_match && count.expected == count.actual;
    }
    std::printf("\nparsed the dumps in %.1f ms; created 11 tables in %.1f ms; imported %zu rows in %.1f ms "
                "(%.0f rows/s) with %zu bulk inserts",
                parse_ms, ddl_ms, imported, import_ms, imported / (import_ms / 1000.0), std::size_t{11});
    if (capital_updates) std::printf(" and %zu UPDATEs of the capitals (no deferrable foreign keys)", capital_updates);
    std::printf("\n");

    std::printf("\nThe ten most populous countries and their capitals:\n");
    const auto populous = conn.execute(reflorm::select<world::Country>()
                                       .order_by(c<&world::Country::population>.desc(), c<&world::Country::code>)
                                       .limit(10)).all();
    for (const auto& country : populous) {
        const auto capital = country.capital ? conn.get<world::City>(*country.capital) : std::nullopt;
        std::printf("  %-28s %13lld  %s\n", country.name.c_str(), static_cast<long long>(country.population),
                    capital ? capital->name.c_str() : "(none)");
    }

    std::printf("\nThe largest Dutch cities (country_code = 'NLD' AND population > 200000):\n");
    for (const auto& city : conn.execute(reflorm::select<world::City>()
                                         .where(c<&world::City::country_code> == "NLD" &&
                                                c<&world::City::population> > 200000)
                                         .order_by(c<&world::City::population>.desc(), c<&world::City::id>)).all())
        std::printf("  %-28s %13lld\n", city.name.c_str(), static_cast<long long>(city.population));

    const auto germany = conn.execute(reflorm::select<tpch::Nation>().where(c<&tpch::Nation::n_name> == "GERMANY")).one();
    const auto german = reflorm::select<tpch::Customer>().where(c<&tpch::Customer::c_nationkey> == germany.n_nationkey);
    std::printf("\nTPC-H customers in %s: %lld; the five with the highest balance:\n", germany.n_name.c_str(),
                static_cast<long long>(conn.count(german)));
    for (const auto& customer : conn.execute(german.order_by(c<&tpch::Customer::c_acctbal>.desc(), c<&tpch::Customer::c_custkey>).limit(5)).all())
        std::printf("  %-20s %-16s %10.2f  %s\n", customer.c_name.c_str(), customer.c_phone.c_str(), customer.c_acctbal,
                    customer.c_mktsegment.c_str());

    const auto first_order = conn.get<tpch::Order>(1);
    if (first_order) {
        const auto items = conn.execute(reflorm::select<tpch::LineItem>()
                                        .where(c<&tpch::LineItem::l_orderkey> == first_order->o_orderkey)
                                        .order_by(c<&tpch::LineItem::l_linenumber>)).all();
        std::printf("\nOrder %d of %d/%02u/%02u has %zu line items:\n", first_order->o_orderkey,
                    static_cast<int>(first_order->o_orderdate.year()),
                    static_cast<unsigned>(first_order->o_orderdate.month()),
                    static_cast<unsigned>(first_order->o_orderdate.day()), items.size());
        for (const auto& item : items)
            std::printf("  #%d part %4d from supplier %2d: %5.0f x %10.2f, shipped by %s\n", item.l_linenumber,
                        item.l_partkey, item.l_suppkey, item.l_quantity, item.l_extendedprice, item.l_shipmode.c_str());
    }

    std::printf("\n%zu statements ran through the engine for the counts and queries.\n",
                statements.count());

    // The ORM level: change objects, and the session writes what changed when it commits.
    std::printf("\nHong Kong's cities join China, through a reflorm::session:\n");
    std::vector<std::int32_t> moved;
    std::int64_t expected_china = 0;
    {
        reflorm::session session{engine};
        auto china = session.get<world::Country>("CHN");
        auto hong_kong = session.get<world::Country>("HKG");
        if (!china || !hong_kong) throw std::runtime_error("the World data has no country CHN or HKG");
        for (const auto& city : session.scalars(reflorm::select<world::City>()
                                                    .where(c<&world::City::country_code> == hong_kong->code)
                                                    .order_by(c<&world::City::id>)).all()) {
            city->country_code = china->code;  // plain members: the session compares them with its snapshot
            moved.push_back(city->id);
        }
        china->population += hong_kong->population;
        hong_kong->population = 0;  // its people are counted in China's population now
        expected_china = china->population;

        reflorm::statement_counter writes{engine};
        std::vector<std::size_t> rows;  // parameter sets of each statement: > 1 is an executemany
        const auto listener = engine.add_listener([&](const reflorm::execute_event& e) { rows.push_back(e.parameter_sets); });
        session.commit();
        engine.remove_listener(listener);
        std::printf("commit() wrote the changed columns only: %zu statements, one executemany per model and set of "
                    "changed columns:\n",
                    writes.count());
        for (std::size_t i = 0; i < writes.count(); ++i)
            std::printf("  %-50s  %zu rows\n", writes.statements()[i].c_str(), rows.at(i));
    }
    const auto china_now = conn.get<world::Country>("CHN");
    const std::int64_t left_in_hong_kong = conn.count(reflorm::select<world::City>().where(c<&world::City::country_code> == "HKG"));
    std::printf("In the database now: China has %lld people; Hong Kong has %lld cities; moved:\n",
                static_cast<long long>(china_now->population), static_cast<long long>(left_in_hong_kong));
    for (const auto& city : conn.execute(reflorm::select<world::City>().where(c<&world::City::id>.in_(moved)).order_by(c<&world::City::id>)).all())
        std::printf("  %-28s %s %13lld\n", city.name.c_str(), city.country_code.c_str(), static_cast<long long>(city.population));
    if (moved.empty() || left_in_hong_kong != 0 || china_now->population != expected_china) {
        std::fprintf(stderr, "error: the session's changes are not in the database\n");
        return 1;
    }

    // Eager loading: one query, its relationship loaded by each of the three eager strategies.
    std::printf("\nThe ten most populous countries with their cities (Country::cities), loaded three ways:\n");
    const auto most_populous = reflorm::select<world::Country>()
                                    .order_by(c<&world::Country::population>.desc(), c<&world::Country::code>)
                                    .limit(10);
    const auto load_with = [&](const char* name, const char* how, const auto& option) {
        reflorm::session session{engine};
        reflorm::statement_counter loads{engine};
        auto countries = session.scalars(most_populous.options(option)).all();
        std::printf("  %s (%s): %zu statement%s\n", name, how, loads.count(), loads.count() == 1 ? "" : "s");
        for (const std::string& sql : loads.statements()) std::printf("    %s\n", sql.c_str());
        return countries;  // the handles keep the objects, and the cities they reach, after the session closes
    };
    const auto joined = load_with("joinedload", "the cities joined in; with LIMIT, the query becomes a subquery",
                                  reflorm::joinedload<&world::Country::cities>());
    const auto selectin = load_with("selectinload", "one more SELECT per 500 countries, by key",
                                    reflorm::selectinload<&world::Country::cities>());
    const auto subquery = load_with("subqueryload", "one more SELECT, joined to the query re-run as a subquery",
                                    reflorm::subqueryload<&world::Country::cities>());
    // What a strategy loaded, as plain values: each country's code and its cities' ids, in order.
    const auto picture = [](const std::vector<std::shared_ptr<world::Country>>& countries) {
        std::vector<std::pair<std::string, std::vector<std::int32_t>>> out;
        for (const auto& country : countries) {
            out.emplace_back(country->code, std::vector<std::int32_t>{});
            for (const world::City& city : country->cities) out.back().second.push_back(city.id);
        }
        return out;
    };
    for (const auto& country : selectin) {
        std::printf("  %-20s %4zu cities, first by id:", country->name.c_str(), country->cities.size());
        for (std::size_t i = 0; i < country->cities.size() && i < 3; ++i)
            std::printf("%s %s", i ? "," : "", country->cities[i].name.c_str());
        std::printf("\n");
    }
    const bool strategies_agree = picture(joined) == picture(selectin) && picture(selectin) == picture(subquery);
    std::printf("The three strategies loaded the same countries and cities in the same order: %s\n",
                strategies_agree ? "yes" : "NO");
    if (!strategies_agree) {
        std::fprintf(stderr, "error: the eager loading strategies disagree\n");
        return 1;
    }
    if (!all_match) {
        std::fprintf(stderr, "error: some imported row counts differ from the source\n");
        return 1;
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
