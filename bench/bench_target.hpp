#pragma once
// Where reflorm's contenders find the data and write bulk_insert's rows: the SQLite file of
// bench/generate_data, or a server (scripts/bench --backend postgresql|mysql), whose data
// bench/copy_data copied from that file:
//   REFLORM_BENCH_URL       the data's database on the server (reflorm URL); unset: SQLite
//   REFLORM_BENCH_BULK_URL  a scratch database on the same server for bulk_insert
#include <reflorm/reflorm.hpp>

#include "bench_common.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace bench {

/// The data's engine URL: $REFLORM_BENCH_URL, else the SQLite file (argv[1] or $REFLORM_BENCH_DB).
inline std::string data_url(int argc, char** argv) {
    if (const char* url = std::getenv("REFLORM_BENCH_URL"); url && *url) return url;
    return "sqlite:///" + db_path(argc, argv);
}

/// An engine on an empty `rows` table for one bulk_insert run of `contender` (create_all,
/// untimed): on a server the scratch database's table is dropped and made anew; on SQLite a new
/// file beside the data file. remove_bulk_target() deletes that file after the last run.
inline reflorm::engine fresh_bulk_engine(int argc, char** argv, const std::string& contender) {
    std::string url;
    if (const char* scratch = std::getenv("REFLORM_BENCH_BULK_URL"); scratch && *scratch) {
        url = scratch;
        auto engine = reflorm::create_engine(url);
        reflorm::drop_all<Row>(engine);
        reflorm::create_all<Row>(engine);
        return engine;
    }
    const std::string file = db_path(argc, argv) + ".bulk_" + contender + ".db";
    std::remove(file.c_str());
    auto engine = reflorm::create_engine("sqlite:///" + file);
    reflorm::create_all<Row>(engine);
    return engine;
}
inline void remove_bulk_target(int argc, char** argv, const std::string& contender) {
    if (const char* scratch = std::getenv("REFLORM_BENCH_BULK_URL"); scratch && *scratch) return;
    std::remove((db_path(argc, argv) + ".bulk_" + contender + ".db").c_str());
}

}  // namespace bench
