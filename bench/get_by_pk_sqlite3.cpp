// get_by_pk, raw sqlite3: one prepared SELECT ... WHERE id = ?, bound, stepped and reset per
// lookup of REFLORM_BENCH_LOOKUPS random ids (fixed seed).
// Built a second time as get_by_pk_sqlite3_txn (BENCH_ONE_TRANSACTION): the lookups inside one
// BEGIN/COMMIT, the floor for the ORM's session, which holds one transaction from its first
// statement; in autocommit mode every SELECT takes and releases SQLite's file lock.
#include "bench_common.hpp"
#include "bench_sqlite3.hpp"

int main(int argc, char** argv) {
    bench::sqlite_db db(bench::db_path(argc, argv));
    const std::int64_t n = db.scalar("SELECT count(*) FROM \"rows\"");
    const auto ids = bench::lookup_ids(bench::env_count("REFLORM_BENCH_LOOKUPS", 100000), n);
    sqlite3_stmt* st = db.prepare("SELECT id, a, text, value, note, at FROM \"rows\" WHERE id = ?");
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        if (bench::one_transaction) db.exec("BEGIN");
        for (const std::int64_t id : ids) {
            sqlite3_bind_int64(st, 1, id);
            if (!db.step(st)) db.fail("no row");
            check += bench::checksum(bench::read_row<bench::Row>(st));
            sqlite3_reset(st);
        }
        if (bench::one_transaction) db.exec("COMMIT");
    });
    sqlite3_finalize(st);
    return bench::report("get_by_pk", bench::contender, seconds, check);
}
