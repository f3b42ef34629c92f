// bulk_insert, raw sqlite3: BEGIN, one prepared INSERT bound by hand per row, COMMIT, for N rows
// (REFLORM_BENCH_N, default the row count of the data file) into an empty table of a new file.
#include "bench_common.hpp"
#include "bench_sqlite3.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    const std::string source = bench::db_path(argc, argv);
    std::int64_t n = 0;
    {
        bench::sqlite_db db(source);
        n = db.scalar("SELECT count(*) FROM \"rows\"");
    }
    n = static_cast<std::int64_t>(bench::env_count("REFLORM_BENCH_N", static_cast<std::uint64_t>(n)));
    std::vector<bench::Row> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 1; i <= n; ++i) rows.push_back(bench::make_row(i, 1));

    const std::string target = source + ".bulk_sqlite3.db";
    bench::runs runs;
    std::uint64_t check = 0;
    for (int run = 0; run < 5; ++run) {
        std::remove(target.c_str());
        bench::sqlite_db db(target);
        db.exec(bench::rows_ddl("rows").c_str());
        runs.start();
        db.exec("BEGIN");
        sqlite3_stmt* st = db.prepare("INSERT INTO \"rows\" (id, a, text, value, note, at) VALUES (?, ?, ?, ?, ?, ?)");
        char at[20];
        for (const auto& row : rows) {
            sqlite3_bind_int64(st, 1, row.id);
            sqlite3_bind_int64(st, 2, row.a);
            sqlite3_bind_text(st, 3, row.text.data(), static_cast<int>(row.text.size()), SQLITE_STATIC);
            sqlite3_bind_double(st, 4, row.value);
            if (row.note) sqlite3_bind_text(st, 5, row.note->data(), static_cast<int>(row.note->size()), SQLITE_STATIC);
            else sqlite3_bind_null(st, 5);
            bench::format_timestamp(row.at, at);
            sqlite3_bind_text(st, 6, at, 19, SQLITE_STATIC);
            db.step(st);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        db.exec("COMMIT");
        runs.stop();
        check = static_cast<std::uint64_t>(db.scalar("SELECT count(*) FROM \"rows\""));
    }
    std::remove(target.c_str());
    return bench::report("bulk_insert", "sqlite3", runs.median(), check);
}
