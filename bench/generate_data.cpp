// Writes the benchmark database with the raw sqlite3 API, deterministically from a seed:
//     generate_data PATH [N] [SEED]      (N default 1000000, SEED default 1)
// Tables (the DDL reflorm's create_all emits for bench::Row, bench::SmallRow, bench::Group):
//   rows        N rows       (read_all, get_by_pk; bulk_insert inserts the same rows into a new file)
//   groups      1,000 groups
//   small_rows  20,000 rows  (aggregate_join: fixed size, so one statement takes a few ms at any scale)
#include "bench_common.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

sqlite3* db = nullptr;

void check(int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "generate_data: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

void exec(const char* sql) { check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql); }

void insert_rows(const char* table, std::int64_t n, std::uint64_t seed) {
    const std::string sql = std::string("INSERT INTO ") + table + " (id, a, text, value, note, at) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), "prepare insert");
    char at[20];
    for (std::int64_t i = 1; i <= n; ++i) {
        const bench::Row row = bench::make_row(i, seed);
        bench::format_timestamp(row.at, at);
        sqlite3_bind_int64(st, 1, row.id);
        sqlite3_bind_int64(st, 2, row.a);
        sqlite3_bind_text(st, 3, row.text.data(), static_cast<int>(row.text.size()), SQLITE_STATIC);
        sqlite3_bind_double(st, 4, row.value);
        if (row.note) sqlite3_bind_text(st, 5, row.note->data(), static_cast<int>(row.note->size()), SQLITE_STATIC);
        else sqlite3_bind_null(st, 5);
        sqlite3_bind_text(st, 6, at, 19, SQLITE_STATIC);
        check(sqlite3_step(st), "insert row");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: generate_data PATH [N] [SEED]\n");
        return 2;
    }
    const std::string path = argv[1];
    const std::int64_t n = argc > 2 ? std::strtoll(argv[2], nullptr, 10) : 1000000;
    const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
    std::remove(path.c_str());
    check(sqlite3_open(path.c_str(), &db), "open");
    exec("PRAGMA journal_mode = OFF");
    exec("PRAGMA synchronous = OFF");
    exec(bench::rows_ddl("rows").c_str());
    exec(bench::rows_ddl("small_rows").c_str());
    exec(bench::groups_ddl);
    exec("BEGIN");
    insert_rows("rows", n, seed);
    insert_rows("small_rows", bench::small_row_count, seed + 1);
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO groups (id, name) VALUES (?, ?)", -1, &st, nullptr), "prepare groups");
    for (std::int64_t g = 1; g <= bench::group_count; ++g) {
        const std::string name = "group " + std::to_string(g);
        sqlite3_bind_int64(st, 1, g);
        sqlite3_bind_text(st, 2, name.c_str(), -1, SQLITE_TRANSIENT);
        check(sqlite3_step(st), "insert group");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    exec("COMMIT");
    exec("ANALYZE");
    sqlite3_close(db);
    std::printf("generated %s: rows %lld, small_rows %lld, groups %lld (seed %llu)\n", path.c_str(),
                static_cast<long long>(n), static_cast<long long>(bench::small_row_count),
                static_cast<long long>(bench::group_count), static_cast<unsigned long long>(seed));
    return 0;
}
