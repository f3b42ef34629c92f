// The migrations sample: MariaDB's World data taken through four revisions and back.
//
//     migrations <data dir with world.inc> <sqlite file>
//     migrations <data dir> --url <database url>     (an empty database: the test makes a fresh one)
//
// It creates the World tables as v0 (samples/common/world_versions.hpp) with create_all, loads
// world.inc, and records every table's row count and checksum. Then it upgrades one revision at
// a time (versions/: a NOT NULL column with a server default, an index, two type changes, the
// split of the languages into their own table), checking after each what must hold; runs the
// `check` command against the v4 models; downgrades one revision at a time back to base; and
// checks that every table has the rows and checksum it started with. Exit status 1 when a check
// fails. The revisions are those of versions/, compiled in, as a migration program holds them.
#include "checksum.hpp"

#include <world_tpch/import.hpp>
#include <world_versions.hpp>

#include <reflorm/migrate.hpp>
#include <reflorm/reflorm.hpp>

#include <dump_import.hpp>
#include <sample_args.hpp>
#include <sql_dump.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace rm = reflorm::migrate;
using clock_type = std::chrono::steady_clock;

int failures = 0;

void expect(bool ok, const std::string& what) {
    std::printf("  %s %s\n", ok ? "ok  " : "FAIL", what.c_str());
    if (!ok) ++failures;
}

std::int64_t scalar(reflorm::connection& conn, const std::string& sql) {
    return conn.execute(reflorm::text(sql).columns<std::int64_t>()).scalar_one();
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// The first line of each of the revision's DDL statements; the rest are counted by kind.
void print_statements(const std::vector<std::string>& statements) {
    std::size_t ddl = 0, catalog = 0, version = 0, data = 0;
    for (const auto& s : statements) {
        if (contains(s, "reflorm_version") || s == "BEGIN" || s == "COMMIT") {
            ++version;
        } else if (s.starts_with("PRAGMA") || contains(s, "pragma_") || contains(s, "sqlite_master") || contains(s, "pg_catalog") ||
                   contains(s, "information_schema") || contains(s, "current_schema") || contains(s, "DATABASE()")) {
            ++catalog;
        } else if (s.starts_with("CREATE") || s.starts_with("ALTER") || s.starts_with("DROP")) {
            ++ddl;
            std::string line = s.substr(0, s.find('\n'));
            if (line.size() > 96) line = line.substr(0, 93) + "...";
            std::printf("    %s\n", line.c_str());
        } else {
            ++data;
        }
    }
    std::printf("    %zu statements: %zu DDL, %zu data, %zu catalog reads and PRAGMAs, %zu version table and transaction\n",
                statements.size(), ddl, data, catalog, version);
}

// Runs one upgrade or downgrade step, printing its log line, its DDL and its statement count.
void step(reflorm::engine& engine, reflorm::connection& conn, const std::string& command, const std::string& target) {
    std::ostringstream log;
    rm::migration_context context(conn, rm::revisions(), log);
    reflorm::statement_counter statements{engine};
    const auto start = clock_type::now();
    if (command == "upgrade") context.upgrade(target);
    else context.downgrade(target);
    const double ms = std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
    std::printf("\n%s", log.str().c_str());
    print_statements(statements.statements());
    std::printf("    took %.0f ms\n", ms);
}

}  // namespace

int main(int argc, char** argv) try {
    const auto target = reflorm::samples::parse_sample_args(argc, argv, "the URL of an empty database");
    if (!target) return 2;
    const auto& url = target->url;
    const auto total_start = clock_type::now();

    using namespace reflorm::samples;
    const auto rows = parse_insert_rows(read_file(target->data_dir / "world.inc"));
    const auto countries = objects_of<world::Country>(rows, "Country");
    const auto cities = objects_of<world::City>(rows, "City");
    auto languages = objects_of<world::CountryLanguage>(rows, "CountryLanguage");

    auto engine = reflorm::create_engine(url);
    auto conn = engine.connect();
    std::printf("The World data through four revisions and back, on %s\n", conn.dialect().name().data());

    // v0: the tables as create_all makes them from the World models, and the data.
    reflorm::create_all<world::Country, world::City, world::CountryLanguage>(conn);
    {
        auto tx = conn.begin();
        world::insert_countries_and_cities(conn, countries, cities);
        conn.insert_all(languages);
        tx.commit();
    }
    const auto start = migrations_sample::table_sums(conn);
    const auto distinct_languages = scalar(conn, "SELECT COUNT(DISTINCT language) FROM country_language");
    std::printf("\nbase (v0: create_all of the World models, world.inc loaded)\n");
    migrations_sample::print(start);

    step(engine, conn, "upgrade", "+1");
    expect(scalar(conn, "SELECT COUNT(*) FROM country WHERE gdp = 0") == 239, "every country has gdp = 0, the server default");
    expect(!rm::inspect(conn).table("country")->column("gdp")->nullable, "country.gdp is NOT NULL");

    step(engine, conn, "upgrade", "+1");
    const auto city_indexes = rm::inspect(conn).table("city")->indexes;
    expect(std::any_of(city_indexes.begin(), city_indexes.end(), [](const auto& i) { return i.name == "ix_city_name"; }),
           "inspect finds ix_city_name on city");

    const auto before_types = migrations_sample::table_sums(conn);
    step(engine, conn, "upgrade", "+1");
    {
        const auto schema = rm::inspect(conn);
        const auto& area = schema.table("country")->column("surface_area")->type;
        expect(area.family == rm::type_family::numeric && area.precision == 10 && area.scale == 2,
               "country.surface_area is " + area.name);
        expect(schema.table("city")->column("name")->type.length == 50,
               "city.name is " + schema.table("city")->column("name")->type.name);
    }
    expect(migrations_sample::table_sums(conn) == before_types, "every table's rows and checksum as before the type changes");

    step(engine, conn, "upgrade", "+1");
    expect(scalar(conn, "SELECT COUNT(*) FROM language") == distinct_languages,
           "language rows = distinct names at base (" + std::to_string(distinct_languages) + ")");
    expect(scalar(conn, "SELECT COUNT(*) FROM country_language cl JOIN language l ON l.id = cl.language_id") ==
               static_cast<std::int64_t>(languages.size()),
           "every country_language row has its language_id");
    expect(!rm::inspect(conn).table("country_language")->column("language"), "country_language.language is dropped");
    std::printf("\nhead (v4)\n");
    migrations_sample::print(migrations_sample::table_sums(conn));

    std::printf("\n$ migrations check   (the v4 models against the database)\n");
    std::ostringstream out, err;
    const int check = [&]<class... M>(world_versions::model_set<M...>) {
        return rm::run_command({"check", "--url", url}, rm::revisions(), rm::models<M...>(), out, err);
    }(world_versions::v4{});
    std::printf("%s%s", out.str().c_str(), err.str().c_str());
    expect(check == 0, "check: no difference between the v4 models and the database");

    for (int i = 0; i < 4; ++i) step(engine, conn, "downgrade", "-1");
    const auto end = migrations_sample::table_sums(conn);
    std::printf("\nbase again\n");
    migrations_sample::print(end);
    expect(rm::migration_context(conn, rm::revisions(), std::cout).current().empty(), "the database is at base");
    expect(end == start, "every table has the rows and checksum it started with");

    std::printf("\n%s in %.1f s\n", failures ? "FAILED" : "all checks passed",
                std::chrono::duration<double>(clock_type::now() - total_start).count());
    return failures ? 1 : 0;
} catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
}
