// stream_10m, raw sqlite3: the floor on SQLite. One prepared statement stepped to the end, each
// row's values copied into a StreamRow as reflorm's reader does.
//
//   stream_10m_sqlite3 <sqlite:///file | file>
#include "bench_stream.hpp"

#include <sqlite3.h>

#include <string>

int main(int argc, char** argv) {
    std::string path = bench::stream::url_argument(argc, argv, "<sqlite:///file | file>");
    if (path.rfind("sqlite:///", 0) == 0) path.erase(0, 10);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), sqlite3_errmsg(db));
        return 1;
    }
    const int rc = bench::stream::run("sqlite3", [&](std::uint64_t& rows) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, bench::stream::select_sql, -1, &stmt, nullptr) != SQLITE_OK) return std::uint64_t{0};
        std::uint64_t check = 0;
        bench::stream::StreamRow row;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            row.id = sqlite3_column_int64(stmt, 0);
            row.a = sqlite3_column_int64(stmt, 1);
            row.text.assign(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2)), static_cast<std::size_t>(sqlite3_column_bytes(stmt, 2)));
            row.value = sqlite3_column_double(stmt, 3);
            if (sqlite3_column_type(stmt, 4) == SQLITE_NULL) row.note.reset();
            else row.note.emplace(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 4)), static_cast<std::size_t>(sqlite3_column_bytes(stmt, 4)));
            check += bench::stream::checksum(row.id, row.a, row.text.size(), row.value, row.note ? &*row.note : nullptr);
            ++rows;
        }
        sqlite3_finalize(stmt);
        return check;
    });
    sqlite3_close(db);
    return rc;
}
