// The World and TPC-H data imported through reflorm's bulk insert into a temporary SQLite
// file, for the engine tests that run on real data (test_world_data.cpp, test_queries_data.cpp).
// The data comes from REFLORM_DATA_DIR (scripts/test sets it); tests without it are skipped
// through the has_data precondition.
#pragma once

#include "raw_sqlite.hpp"

#include <boost/test/unit_test.hpp>

#include <common/dump_import.hpp>
#include <world_tpch/models.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace engine_test {

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

/// Every World (Country, City) and TPC-H table, parsed from the dumps and inserted in one
/// transaction; the parsed objects stay available for comparisons.
struct imported_data {
    temp_dir dir;
    std::filesystem::path file = dir.path / "data.db";
    std::map<std::string, std::vector<reflorm::samples::dump_row>, std::less<>> world =
        reflorm::samples::parse_insert_rows(reflorm::samples::read_file(data_dir() / "world.inc"));
    std::map<std::string, std::vector<reflorm::samples::dump_row>, std::less<>> tpch =
        reflorm::samples::parse_insert_rows(reflorm::samples::read_file(data_dir() / "dbt3_s001.inc"));
    std::vector<world::Country> countries = reflorm::samples::objects_of<world::Country>(world, "Country");
    std::vector<world::City> cities = reflorm::samples::objects_of<world::City>(world, "City");
    std::vector<tpch::LineItem> lineitems = reflorm::samples::objects_of<tpch::LineItem>(tpch, "lineitem");
    reflorm::engine engine = reflorm::create_engine("sqlite:///" + file.string());

    imported_data() {
        auto conn = engine.connect();
        reflorm::create_all<world::Country, world::City, tpch::Region, tpch::Nation, tpch::Supplier, tpch::Customer,
                            tpch::Part, tpch::PartSupp, tpch::Order, tpch::LineItem>(conn);
        auto tx = conn.begin();
        conn.insert_all(countries);
        conn.insert_all(cities);
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
};

}  // namespace engine_test
