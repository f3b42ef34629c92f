// bulk_insert, reflorm Core: conn.insert_all(rows) of N rows (REFLORM_BENCH_N, default the row
// count of the data) into an empty `rows` table (bench_target.hpp: a new file beside the data
// file, or a server's scratch database), made by create_all (untimed). Only insert_all is timed;
// it runs in one transaction.
#include <reflorm/reflorm.hpp>

#include "bench_target.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    std::int64_t n = 0;
    {
        auto engine = reflorm::create_engine(bench::data_url(argc, argv));
        n = engine.connect().count(reflorm::select<bench::Row>());
    }
    n = static_cast<std::int64_t>(bench::env_count("REFLORM_BENCH_N", static_cast<std::uint64_t>(n)));
    std::vector<bench::Row> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 1; i <= n; ++i) rows.push_back(bench::make_row(i, 1));

    bench::runs runs;
    std::uint64_t check = 0;
    for (int run = 0; run < 5; ++run) {
        auto engine = bench::fresh_bulk_engine(argc, argv, "reflorm");
        auto conn = engine.connect();
        runs.start();
        conn.insert_all(rows);
        runs.stop();
        check = static_cast<std::uint64_t>(conn.count(reflorm::select<bench::Row>()));
    }
    bench::remove_bulk_target(argc, argv, "reflorm");
    return bench::report("bulk_insert", "reflorm", runs.median(), check);
}
