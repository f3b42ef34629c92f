// aggregate_join, raw sqlite3: the same statement text as reflorm's, prepared once, then bound to
// the next range of order ids, stepped and reset REFLORM_BENCH_REPS times, each result row read
// into a tuple.
// Built a second time as aggregate_join_sqlite3_txn (BENCH_ONE_TRANSACTION): the statements inside
// one BEGIN/COMMIT, the floor for the ORM's session, which holds one transaction from its first
// statement; in autocommit mode every statement takes and releases SQLite's file lock.
#include "bench_common.hpp"
#include "bench_sqlite3.hpp"

#include <tuple>

int main(int argc, char** argv) {
    bench::sqlite_db db(bench::db_path(argc, argv));
    const std::uint64_t reps = bench::env_count("REFLORM_BENCH_REPS", 10000);
    sqlite3_stmt* st = db.prepare(bench::aggregate_sql);
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        if (bench::one_transaction) db.exec("BEGIN");
        for (std::uint64_t r = 0; r < reps; ++r) {
            std::vector<std::tuple<std::int64_t, std::string, std::int64_t, std::optional<double>>> result;
            const std::int64_t low = bench::aggregate_low(r);
            sqlite3_bind_int64(st, 1, low);
            sqlite3_bind_int64(st, 2, low + bench::aggregate_rows - 1);
            while (db.step(st)) {
                std::optional<double> sum;
                if (sqlite3_column_type(st, 3) != SQLITE_NULL) sum = sqlite3_column_double(st, 3);
                result.emplace_back(sqlite3_column_int64(st, 0), bench::column_text(st, 1), sqlite3_column_int64(st, 2), sum);
            }
            sqlite3_reset(st);
            for (const auto& [id, priority, count, sum] : result)
                check += bench::aggregate_checksum(id, priority, count, sum);
        }
        if (bench::one_transaction) db.exec("COMMIT");
    });
    sqlite3_finalize(st);
    return bench::report("aggregate_join", bench::contender, seconds, check);
}
