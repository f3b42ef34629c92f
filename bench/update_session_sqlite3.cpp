// update_session, raw sqlite3, the hand-written floor: BEGIN; the first N rows (REFLORM_BENCH_UPDATES,
// default 100,000) read by hand into a std::vector<Row>; bench::change_row on each; per row, the
// prepared UPDATE of the columns it changed (value, or text and value), bound by hand; COMMIT.
// Each run works on a fresh copy of the data file (untimed), so runs are alike.
#include "bench_common.hpp"
#include "bench_sqlite3.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    const std::string source = bench::db_path(argc, argv);
    const auto n = static_cast<std::int64_t>(bench::env_count("REFLORM_BENCH_UPDATES", 100000));
    const std::string target = source + ".update_sqlite3.db";
    bench::runs runs;
    std::uint64_t check = 0;
    for (int run = 0; run < 5; ++run) {
        bench::copy_file(source, target);
        bench::sqlite_db db(target);
        runs.start();
        {
            db.exec("BEGIN");
            sqlite3_stmt* select = db.prepare("SELECT id, a, text, value, note, at FROM \"rows\" WHERE id <= ?");
            sqlite3_bind_int64(select, 1, n);
            std::vector<bench::Row> rows;
            while (db.step(select)) rows.push_back(bench::read_row<bench::Row>(select));
            sqlite3_finalize(select);
            for (auto& row : rows) bench::change_row(row);
            sqlite3_stmt* value_only = db.prepare("UPDATE \"rows\" SET value = ? WHERE id = ?");
            sqlite3_stmt* text_value = db.prepare("UPDATE \"rows\" SET text = ?, value = ? WHERE id = ?");
            for (const auto& row : rows) {
                sqlite3_stmt* st = row.id % 2 == 0 ? text_value : value_only;
                int i = 0;
                if (st == text_value) sqlite3_bind_text(st, ++i, row.text.data(), static_cast<int>(row.text.size()), SQLITE_STATIC);
                sqlite3_bind_double(st, ++i, row.value);
                sqlite3_bind_int64(st, ++i, row.id);
                db.step(st);
                sqlite3_reset(st);
            }
            sqlite3_finalize(value_only);
            sqlite3_finalize(text_value);
            db.exec("COMMIT");
        }
        runs.stop();
        const auto sum = static_cast<std::uint64_t>(db.scalar(bench::table_checksum_sql));
        if (run > 0 && check != sum) {
            std::fprintf(stderr, "update_session: run %d left a different table\n", run + 1);
            return 1;
        }
        check = sum;
    }
    std::remove(target.c_str());
    return bench::report("update_session", "sqlite3", runs.median(), check);
}
