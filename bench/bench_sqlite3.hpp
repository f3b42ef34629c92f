#pragma once
// The raw sqlite3 contender's helpers: opening (as reflorm's driver does: busy timeout,
// foreign keys on), errors, and reading a row of the 6 columns by hand.
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_common.hpp"

namespace bench {

// Built twice by bench/meson.build: as the floor in autocommit mode (`sqlite3`), and with
// -DBENCH_ONE_TRANSACTION inside one transaction, as the session runs (`sqlite3_txn`).
#ifdef BENCH_ONE_TRANSACTION
inline constexpr bool one_transaction = true;
inline constexpr const char* contender = "sqlite3_txn";
#else
inline constexpr bool one_transaction = false;
inline constexpr const char* contender = "sqlite3";
#endif

class sqlite_db {
public:
    explicit sqlite_db(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) fail("open");
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA foreign_keys = ON");
    }
    ~sqlite_db() { sqlite3_close_v2(db_); }
    sqlite_db(const sqlite_db&) = delete;
    sqlite_db& operator=(const sqlite_db&) = delete;

    sqlite3* get() const { return db_; }
    [[noreturn]] void fail(const char* what) const {
        std::fprintf(stderr, "sqlite3: %s: %s\n", what, sqlite3_errmsg(db_));
        std::exit(1);
    }
    void exec(const char* sql) const {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
    }
    sqlite3_stmt* prepare(const char* sql) const {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) fail(sql);
        return st;
    }
    // true on a row, false when done.
    bool step(sqlite3_stmt* st) const {
        const int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail("step");
    }
    std::int64_t scalar(const char* sql) const {
        sqlite3_stmt* st = prepare(sql);
        step(st);
        const std::int64_t v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }

private:
    sqlite3* db_ = nullptr;
};

inline std::string column_text(sqlite3_stmt* st, int i) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(st, i)));
}

// Columns id, a, text, value, note, at.
template <class R>
R read_row(sqlite3_stmt* st) {
    R row;
    row.id = sqlite3_column_int64(st, 0);
    row.a = sqlite3_column_int64(st, 1);
    row.text = column_text(st, 2);
    row.value = sqlite3_column_double(st, 3);
    if (sqlite3_column_type(st, 4) != SQLITE_NULL) row.note = column_text(st, 4);
    const auto* at = reinterpret_cast<const char*>(sqlite3_column_text(st, 5));
    row.at = parse_timestamp(std::string_view(at, static_cast<std::size_t>(sqlite3_column_bytes(st, 5))));
    return row;
}

}  // namespace bench
