#pragma once
// What bench/server_postgresql.cpp and bench/server_mysql.cpp share: the command line, the rows
// (keys left to the server), and reflorm's own contenders, printed as `scenario reflorm seconds`.
#include <reflorm/reflorm.hpp>

#include "bench_common.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
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

/// One result line in scripts/bench's format: `scenario contender seconds -` on stdout (no peak
/// memory of its own: one process runs every contender) and `scenario contender check N` on
/// stderr, N what the contender read or wrote (rows inserted; a checksum of what it read).
inline void server_result(const char* scenario, const char* contender, double seconds, std::uint64_t check) {
    std::printf("%s %s %.6f -\n", scenario, contender, seconds);
    std::fflush(stdout);
    std::fprintf(stderr, "%s %s check %llu\n", scenario, contender, static_cast<unsigned long long>(check));
}

/// get_by_pk's ids over a table of n rows: REFLORM_BENCH_LOOKUPS of them (default 10,000).
inline std::vector<std::int64_t> server_lookup_ids(std::size_t n) {
    return lookup_ids(env_count("REFLORM_BENCH_LOOKUPS", 10000), static_cast<std::int64_t>(n));
}

/// The thread counts of the concurrent_get_<threads> scenarios.
inline constexpr int concurrent_threads[] = {1, 2, 8, 32};

/// concurrent_get: `threads` threads share `ids` (thread t takes ids t, t + threads, ...), each
/// calling get(thread, id), which returns the row's checksum; the median of 5 runs. `check`
/// sums every checksum.
template <class Get>
double concurrent_get(int threads, const std::vector<std::int64_t>& ids, std::uint64_t& check, Get&& get) {
    return median_seconds([&](int) {
        std::atomic<std::uint64_t> sum{0};
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t)
            workers.emplace_back([&, t] {
                std::uint64_t local = 0;
                for (std::size_t i = static_cast<std::size_t>(t); i < ids.size(); i += static_cast<std::size_t>(threads))
                    local += get(t, ids[i]);
                sum += local;
            });
        for (auto& w : workers) w.join();
        check = sum;
    });
}

/// reflorm's concurrent_get: each lookup borrows a connection from the engine's pool (sized to
/// the threads, as a service sizes it), as a request handler does, and returns it.
inline void reflorm_concurrent_gets(const std::string& url, const std::vector<std::int64_t>& ids) {
    for (const int threads : concurrent_threads) {
        auto engine = reflorm::create_engine(url, {.pool_size = static_cast<std::size_t>(threads)});
        std::uint64_t check = 0;
        const double seconds = concurrent_get(threads, ids, check, [&](int, std::int64_t id) {
            return checksum(*engine.connect().get<Row>(id));
        });
        server_result(("concurrent_get_" + std::to_string(threads)).c_str(), "reflorm_pool", seconds, check);
    }
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

/// reflorm's bulk_insert (insert_all into a table made anew per run, keys read back), read_all
/// (every row into structs; `check` sums checksum) and get_by_pk (conn.get<Row>(id) for
/// server_lookup_ids), each the median of 5 runs.
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
    server_result("bulk_insert", "reflorm", insert_runs.median(), rows.size());
    auto conn = engine.connect();
    const double t = median_seconds([&](int) {
        const auto all = conn.execute(reflorm::select<Row>()).all();
        check = 0;
        for (const auto& row : all) check += checksum(row);
    });
    server_result("read_all", "reflorm", t, check);
    const auto ids = server_lookup_ids(rows.size());
    std::uint64_t got = 0;
    const double g = median_seconds([&](int) {
        got = 0;
        for (const std::int64_t id : ids) got += checksum(*conn.get<Row>(id));
    });
    server_result("get_by_pk", "reflorm", g, got);
}

}  // namespace bench
