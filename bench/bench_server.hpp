#pragma once
// What bench/server_postgresql.cpp and bench/server_mysql.cpp share: the command line, the rows
// (keys left to the server), and reflorm's own contenders, printed as `scenario reflorm seconds`.
#include <reflorm/reflorm.hpp>

#include "bench_common.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

/// `program <url> [rows]`: the URL (nullptr after printing the usage when it is missing) and
/// the row count (default 20,000).
inline const char* server_arguments(int argc, char** argv, const char* example, std::size_t& n) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s %s [rows]\n", argv[0], example);
        return nullptr;
    }
    n = argc > 2 ? static_cast<std::size_t>(std::atoll(argv[2])) : 20000;
    return argv[1];
}

/// Rows 1..n whose keys the server generates (id 0).
inline std::vector<Row> rows_with_generated_keys(std::size_t n) {
    std::vector<Row> rows;
    for (std::size_t i = 1; i <= n; ++i) {
        rows.push_back(make_row(static_cast<std::int64_t>(i), 1));
        rows.back().id = 0;
    }
    return rows;
}

/// reflorm's bulk_insert (insert_all into a table made anew per run, keys read back) and
/// read_all (every row into structs; `check` sums checksum), each the median of 5 runs.
inline void reflorm_server_contenders(reflorm::engine& engine, const std::vector<Row>& rows, std::uint64_t& check) {
    runs insert_runs;
    for (int run = 0; run < 5; ++run) {
        reflorm::drop_all<Row>(engine);
        reflorm::create_all<Row>(engine);
        auto copy = rows;
        auto conn = engine.connect();
        insert_runs.start();
        conn.insert_all(copy);
        insert_runs.stop();
        if (copy.back().id != static_cast<std::int64_t>(rows.size())) throw std::runtime_error("keys not written back");
    }
    std::printf("bulk_insert reflorm %.6f\n", insert_runs.median());
    auto conn = engine.connect();
    const double t = median_seconds([&](int) {
        const auto all = conn.execute(reflorm::select<Row>()).all();
        check = 0;
        for (const auto& row : all) check += checksum(row);
    });
    std::printf("read_all reflorm %.6f\n", t);
}

}  // namespace bench
