// read_all, raw sqlite3: one prepared SELECT, columns read by hand into a std::vector<Row>.
#include <sqlite3.h>

#include "bench_common.hpp"
#include "bench_sqlite3.hpp"

int main(int argc, char** argv) {
    bench::sqlite_db db(bench::db_path(argc, argv));
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        sqlite3_stmt* st = db.prepare("SELECT id, a, text, value, note, at FROM \"rows\"");
        std::vector<bench::Row> rows;
        while (db.step(st)) rows.push_back(bench::read_row<bench::Row>(st));
        sqlite3_finalize(st);
        check = 0;
        for (const auto& row : rows) check += bench::checksum(row);
    });
    return bench::report("read_all", "sqlite3", seconds, check);
}
