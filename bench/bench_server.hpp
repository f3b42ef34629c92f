#pragma once
// What bench/server_postgresql.cpp and bench/server_mysql.cpp share: the command line, the rows
// (keys left to the server), and reflorm's own contenders, each measured turn about with the raw
// client's (partner) and printed as `scenario reflorm seconds`.
#include <reflorm/reflorm.hpp>

#include "bench_common.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
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

/// A contender measured turn about with another: its run k right after the other's run k, so
/// that the two see the same machine load. On a shared machine a loopback round trip takes 20 to
/// 90 us depending on what else runs (how soon a sleeping process is woken), so that two
/// contenders timed minutes apart differ by up to 3x in either direction: only interleaved runs
/// give a ratio. run(k) does run k and returns its timed seconds (any setup left out).
struct partner {
    std::function<double(int)> run;
    std::vector<double> seconds;
    void after(int k) {
        if (run) seconds.push_back(run(k));
    }
    double median() {
        std::sort(seconds.begin(), seconds.end());
        return seconds.empty() ? 0.0 : seconds[seconds.size() / 2];
    }
};

/// Median seconds of 5 runs of `body(run)`, each followed by the same run of `other` (untimed
/// here: it times itself).
template <class Body>
double paired_median_seconds(Body&& body, partner& other) {
    std::vector<double> runs;
    for (int run = 0; run < 5; ++run) {
        const auto start = std::chrono::steady_clock::now();
        body(run);
        runs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        other.after(run);
    }
    std::sort(runs.begin(), runs.end());
    return runs[2];
}

/// One concurrent_get run: `threads` threads share `ids` (thread t takes ids t, t + threads,
/// ...), each calling get(thread, id), which returns the row's checksum; returns the sum of
/// every checksum.
template <class Get>
std::uint64_t concurrent_get_once(int threads, const std::vector<std::int64_t>& ids, Get&& get) {
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
    return sum;
}

/// concurrent_get with `get` (see concurrent_get_once), the median of 5 runs, each followed by
/// the same run of `other`; `check` sums every checksum.
template <class Get>
double concurrent_get(int threads, const std::vector<std::int64_t>& ids, std::uint64_t& check, Get&& get, partner& other) {
    return paired_median_seconds([&](int) { check = concurrent_get_once(threads, ids, get); }, other);
}

/// reflorm's concurrent_get at `threads` threads, as the partner of the raw client's: each
/// lookup borrows a connection from the engine's pool (sized to the threads, as a service sizes
/// it), as a request handler does, and returns it. `check` sums every checksum.
inline partner reflorm_concurrent_partner(const std::string& url, int threads, const std::vector<std::int64_t>& ids,
                                          std::uint64_t& check) {
    auto engine = std::make_shared<reflorm::engine>(reflorm::create_engine(url, {.pool_size = static_cast<std::size_t>(threads)}));
    {  // the pool's connections opened before the clock starts, as the raw client's are
        std::vector<reflorm::connection> opened;
        for (int t = 0; t < threads; ++t) opened.push_back(engine->connect());
    }
    return {[engine, threads, &ids, &check](int) {
                const auto start = std::chrono::steady_clock::now();
                check = concurrent_get_once(threads, ids,
                                            [&](int, std::int64_t id) { return checksum(*engine->connect().get<Row>(id)); });
                return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            },
            {}};
}

/// Prints concurrent_get_<threads>'s two lines: reflorm_pool (the partner) and the raw client's.
inline void concurrent_results(int threads, partner& reflorm_pool, std::uint64_t reflorm_check, const char* raw,
                               double raw_seconds, std::uint64_t raw_check) {
    const std::string scenario = "concurrent_get_" + std::to_string(threads);
    server_result(scenario.c_str(), "reflorm_pool", reflorm_pool.median(), reflorm_check);
    server_result(scenario.c_str(), raw, raw_seconds, raw_check);
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

/// reflorm's bulk_insert as a partner: each run inserts `rows` with insert_all into a table
/// made anew (untimed), keys generated and written back.
inline partner reflorm_insert_partner(reflorm::engine& engine, const std::vector<Row>& rows) {
    return {[&engine, &rows](int) {
                reflorm::drop_all<Row>(engine);
                reflorm::create_all<Row>(engine);
                auto copy = rows;
                auto conn = engine.connect();
                const auto start = std::chrono::steady_clock::now();
                conn.insert_all(copy);
                const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                if (copy.back().id != static_cast<std::int64_t>(rows.size())) throw std::runtime_error("keys not written back");
                return seconds;
            },
            {}};
}

/// reflorm's read_all as a partner: every row into std::vector<Row>; `check` sums checksum.
inline partner reflorm_read_partner(reflorm::connection& conn, std::uint64_t& check) {
    return {[&conn, &check](int) {
                const auto start = std::chrono::steady_clock::now();
                const auto all = conn.execute(reflorm::select<Row>()).all();
                check = 0;
                for (const auto& row : all) check += checksum(row);
                return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            },
            {}};
}

/// reflorm's get_by_pk as a partner: conn.get<Row>(id) for every id; `check` sums checksum.
inline partner reflorm_get_partner(reflorm::connection& conn, const std::vector<std::int64_t>& ids, std::uint64_t& check) {
    return {[&conn, &ids, &check](int) {
                const auto start = std::chrono::steady_clock::now();
                check = 0;
                for (const std::int64_t id : ids) check += checksum(*conn.get<Row>(id));
                return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            },
            {}};
}

}  // namespace bench
