// Writes the benchmark database with the raw sqlite3 API, deterministically from a seed:
//     generate_data PATH [N] [SEED]      (N default 1000000, SEED default 1)
// Tables (the DDL reflorm's create_all emits for bench::Row, bench::Order, bench::LineItem and
// eager_load_orm's Parent and Child):
//   rows        N rows       (read_all, get_by_pk; bulk_insert inserts the same rows into a new file)
//   orders      10,000 rows  (aggregate_join; fixed size, so that its cost does not depend on N)
//   line_items  1 to 3 per order (~20,000), indexed by order_id
//   parents     10,000 rows  (eager_load; fixed size too)
//   children    10 per parent (100,000), indexed by parent_id; child ids scattered over the
//               parents (bench::parent_of), so neither ids nor storage are grouped by parent
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

// Every order gets at least one line item, so a range of k order ids joins to exactly k groups.
std::int64_t insert_orders(std::uint64_t seed) {
    static constexpr const char* priorities[] = {"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"};
    sqlite3_stmt* order = nullptr;
    sqlite3_stmt* line = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO orders (id, priority) VALUES (?, ?)", -1, &order, nullptr), "prepare orders");
    check(sqlite3_prepare_v2(db, "INSERT INTO line_items (id, order_id, quantity, price) VALUES (?, ?, ?, ?)", -1, &line,
                             nullptr),
          "prepare line_items");
    std::int64_t line_id = 0;
    for (std::int64_t o = 1; o <= bench::order_count; ++o) {
        bench::splitmix64 rng{seed * 0x100000001b3ULL + static_cast<std::uint64_t>(o)};
        const std::uint64_t r = rng.next();
        sqlite3_bind_int64(order, 1, o);
        sqlite3_bind_text(order, 2, priorities[r % 5], -1, SQLITE_STATIC);
        check(sqlite3_step(order), "insert order");
        sqlite3_reset(order);
        for (std::uint64_t k = 0, lines = 1 + r / 5 % 3; k < lines; ++k) {
            const std::uint64_t l = rng.next();
            sqlite3_bind_int64(line, 1, ++line_id);
            sqlite3_bind_int64(line, 2, o);
            sqlite3_bind_int64(line, 3, static_cast<std::int64_t>(1 + l % 50));
            sqlite3_bind_double(line, 4, static_cast<double>(l / 50 % 10000000) / 100.0);  // 0.00 to 99,999.99
            check(sqlite3_step(line), "insert line item");
            sqlite3_reset(line);
        }
    }
    sqlite3_finalize(order);
    sqlite3_finalize(line);
    return line_id;
}

// Names and values from the seed; the parent of each child from bench::parent_of.
void insert_parents_and_children(std::uint64_t seed) {
    sqlite3_stmt* parent = nullptr;
    sqlite3_stmt* child = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO parents (id, name) VALUES (?, ?)", -1, &parent, nullptr), "prepare parents");
    check(sqlite3_prepare_v2(db, "INSERT INTO children (id, parent_id, name, value) VALUES (?, ?, ?, ?)", -1, &child, nullptr),
          "prepare children");
    for (std::int64_t p = 1; p <= bench::parent_count; ++p) {
        bench::splitmix64 rng{seed * 0x100000001b3ULL + static_cast<std::uint64_t>(p)};
        const std::string name = "parent " + std::to_string(rng.next() % 1000000);
        sqlite3_bind_int64(parent, 1, p);
        sqlite3_bind_text(parent, 2, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
        check(sqlite3_step(parent), "insert parent");
        sqlite3_reset(parent);
    }
    for (std::int64_t c = 1; c <= bench::child_count; ++c) {
        bench::splitmix64 rng{(seed + 1) * 0x100000001b3ULL + static_cast<std::uint64_t>(c)};
        const std::uint64_t r1 = rng.next(), r2 = rng.next();
        const std::string name = "child " + std::to_string(r1 % 100000000);
        sqlite3_bind_int64(child, 1, c);
        sqlite3_bind_int64(child, 2, bench::parent_of(c));
        sqlite3_bind_text(child, 3, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
        sqlite3_bind_double(child, 4, static_cast<double>(r2 % 1000000) / 1000.0);  // 0.000 to 999.999
        check(sqlite3_step(child), "insert child");
        sqlite3_reset(child);
    }
    sqlite3_finalize(parent);
    sqlite3_finalize(child);
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
    exec(bench::orders_ddl);
    exec(bench::line_items_ddl);
    exec(bench::line_items_index_ddl);
    exec(bench::parents_ddl);
    exec(bench::children_ddl);
    exec(bench::children_index_ddl);
    exec("BEGIN");
    insert_rows("rows", n, seed);
    const std::int64_t line_items = insert_orders(seed + 1);
    insert_parents_and_children(seed + 2);
    exec("COMMIT");
    exec("ANALYZE");
    sqlite3_close(db);
    std::printf("generated %s: rows %lld, orders %lld, line_items %lld, parents %lld, children %lld (seed %llu)\n",
                path.c_str(), static_cast<long long>(n), static_cast<long long>(bench::order_count),
                static_cast<long long>(line_items), static_cast<long long>(bench::parent_count),
                static_cast<long long>(bench::child_count), static_cast<unsigned long long>(seed));
    return 0;
}
