// aggregate_join, raw sqlite3: the same statement text as reflorm's, prepared once, bound,
// stepped and reset REFLORM_BENCH_REPS times, each result row read into a tuple.
#include "bench_common.hpp"
#include "bench_sqlite3.hpp"

#include <tuple>

int main(int argc, char** argv) {
    bench::sqlite_db db(bench::db_path(argc, argv));
    const std::uint64_t reps = bench::env_count("REFLORM_BENCH_REPS", 1000);
    sqlite3_stmt* st = db.prepare(bench::aggregate_sql);
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        for (std::uint64_t r = 0; r < reps; ++r) {
            std::vector<std::tuple<std::string, std::int64_t, std::optional<double>>> result;
            sqlite3_bind_double(st, 1, bench::aggregate_threshold);
            while (db.step(st)) {
                std::optional<double> sum;
                if (sqlite3_column_type(st, 2) != SQLITE_NULL) sum = sqlite3_column_double(st, 2);
                result.emplace_back(bench::column_text(st, 0), sqlite3_column_int64(st, 1), sum);
            }
            sqlite3_reset(st);
            for (const auto& [name, count, sum] : result)
                check += name.size() + static_cast<std::uint64_t>(count) + static_cast<std::uint64_t>(sum.value_or(0));
        }
    });
    sqlite3_finalize(st);
    return bench::report("aggregate_join", "sqlite3", seconds, check);
}
