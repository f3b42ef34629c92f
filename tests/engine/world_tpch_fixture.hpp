// The World and TPC-H data imported through reflorm's bulk insert into a fresh database on the
// backend under test (REFLORM_TEST_BACKEND: SQLite, PostgreSQL or MariaDB; see
// tests/support/backend.hpp), once per test process, for the tests that run on real data
// (tests/engine/test_*_data.cpp, tests/orm/test_loading_data.cpp). Ground truth comes from the
// backend's own client: data().raw(). The data comes from REFLORM_DATA_DIR (meson sets it);
// tests without it are skipped through the has_data precondition.
#pragma once

#include "support/backend.hpp"
#include "support/raw_client.hpp"

#include <boost/test/unit_test.hpp>

#include <common/dump_import.hpp>
#include <world_tpch/import.hpp>
#include <world_tpch/models.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace engine_test {

using reflorm_test::backend;

inline std::filesystem::path data_dir() {
    const char* dir = std::getenv("REFLORM_DATA_DIR");
    return dir ? std::filesystem::path(dir) : std::filesystem::path();
}

/// Precondition of the tests on real data: REFLORM_DATA_DIR names a folder with world.inc.
inline boost::test_tools::assertion_result has_data(boost::unit_test::test_unit_id) {
    boost::test_tools::assertion_result result(!data_dir().empty() && std::filesystem::exists(data_dir() / "world.inc"));
    result.message() << "REFLORM_DATA_DIR does not name a folder with world.inc (run scripts/test)";
    return result;
}

/// Every World and TPC-H table, parsed from the dumps and inserted in one transaction into a
/// fresh database (dropped with this object); the parsed objects stay available for comparisons.
struct imported_data {
    reflorm_test::database db;  // declared first: dropped after the engine's connections close
    std::map<std::string, std::vector<reflorm::samples::dump_row>, std::less<>> world =
        reflorm::samples::parse_insert_rows(reflorm::samples::read_file(data_dir() / "world.inc"));
    std::map<std::string, std::vector<reflorm::samples::dump_row>, std::less<>> tpch =
        reflorm::samples::parse_insert_rows(reflorm::samples::read_file(data_dir() / "dbt3_s001.inc"));
    std::vector<world::Country> countries = reflorm::samples::objects_of<world::Country>(world, "Country");
    std::vector<world::City> cities = reflorm::samples::objects_of<world::City>(world, "City");
    std::vector<tpch::LineItem> lineitems = reflorm::samples::objects_of<tpch::LineItem>(tpch, "lineitem");
    reflorm::engine engine = reflorm::create_engine(db.url());

    imported_data() {
        auto conn = engine.connect();
        reflorm::create_all<world::Country, world::City, world::CountryLanguage, tpch::Region, tpch::Nation,
                            tpch::Supplier, tpch::Customer, tpch::Part, tpch::PartSupp, tpch::Order, tpch::LineItem>(conn);
        auto tx = conn.begin();
        world::insert_countries_and_cities(conn, countries, cities);  // MariaDB: capitals set afterwards
        conn.insert_all(reflorm::samples::objects_of<world::CountryLanguage>(world, "CountryLanguage"));
        conn.insert_all(reflorm::samples::objects_of<tpch::Region>(tpch, "region"));
        conn.insert_all(reflorm::samples::objects_of<tpch::Nation>(tpch, "nation"));
        conn.insert_all(reflorm::samples::objects_of<tpch::Supplier>(tpch, "supplier"));
        conn.insert_all(reflorm::samples::objects_of<tpch::Customer>(tpch, "customer"));
        conn.insert_all(reflorm::samples::objects_of<tpch::Part>(tpch, "part"));
        conn.insert_all(reflorm::samples::objects_of<tpch::PartSupp>(tpch, "partsupp"));
        conn.insert_all(reflorm::samples::objects_of<tpch::Order>(tpch, "orders"));
        conn.insert_all(lineitems);
        tx.commit();
    }

    backend kind() const noexcept { return db.kind(); }
    /// A new connection of the backend's own client to the imported database: the ground truth.
    reflorm_test::raw_client raw() const { return db.raw(); }
};

/// The one import of this test process, made by the first test case that asks for it and
/// dropped at exit. Test cases that change rows say so and keep to rows no other test reads.
inline imported_data& data() {
    static imported_data imported;
    return imported;
}

}  // namespace engine_test
