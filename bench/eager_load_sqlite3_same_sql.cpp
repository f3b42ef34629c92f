// eager_joinedload, eager_selectinload, eager_subqueryload, raw sqlite3 running the SQL reflorm's
// ORM sends for the strategy (bench::eager_statements, checked by eager_load_orm): the floor for
// what reflorm itself adds. The strategy's SQL costs SQLite more than the two straight reads of
// eager_load_sqlite3, since it finds each parent's children through the parent_id index.
//   joinedload    the one LEFT OUTER JOIN; a parent is kept once (by id), each child appended
//   selectinload  parents, then children WHERE parent_id IN (...) per 500 parent ids, in order
//   subqueryload  parents, then children joined to the parent query as a subquery
// Same structs, hash map from id to index, and checksum as eager_load_sqlite3; everything freed
// inside the timer.
#include <sqlite3.h>

#include <unordered_map>

#include "bench_common.hpp"
#include "bench_sqlite3.hpp"

namespace {

struct loaded {
    std::vector<bench::Parent> parents;
    std::unordered_map<std::int64_t, std::size_t> index;

    void read_parents(const bench::sqlite_db& db) {
        sqlite3_stmt* st = db.prepare(bench::eager_parents_sql);
        while (db.step(st)) {
            const std::int64_t id = sqlite3_column_int64(st, 0);
            index.emplace(id, parents.size());
            parents.push_back(bench::Parent{id, bench::column_text(st, 1), {}});
        }
        sqlite3_finalize(st);
    }
    // Children at result columns first.. of a row of `st`.
    void read_children(const bench::sqlite_db& db, sqlite3_stmt* st) {
        while (db.step(st)) add_child(st, 0);
    }
    void add_child(sqlite3_stmt* st, int first) {
        bench::Child child{sqlite3_column_int64(st, first), sqlite3_column_int64(st, first + 1), bench::column_text(st, first + 2),
                           sqlite3_column_double(st, first + 3)};
        parents[index.at(child.parent_id)].children.push_back(std::move(child));
    }
};

}  // namespace

int main(int argc, char** argv) {
    const std::string strategy = bench::eager_strategy(argc, argv);
    bench::sqlite_db db(bench::db_path(argc, argv));
    std::uint64_t check = 0;
    std::size_t statements = 0;
    const double seconds = bench::median_seconds([&](int) {
        loaded l;
        statements = 0;
        if (strategy == "joinedload") {
            sqlite3_stmt* st = db.prepare(bench::eager_joined_sql);
            ++statements;
            while (db.step(st)) {
                const std::int64_t id = sqlite3_column_int64(st, 0);
                if (l.index.emplace(id, l.parents.size()).second) l.parents.push_back(bench::Parent{id, bench::column_text(st, 1), {}});
                if (sqlite3_column_type(st, 2) != SQLITE_NULL) l.add_child(st, 2);
            }
            sqlite3_finalize(st);
        } else if (strategy == "subqueryload") {
            l.read_parents(db);
            sqlite3_stmt* st = db.prepare(bench::eager_subquery_sql);
            statements += 2;
            l.read_children(db, st);
            sqlite3_finalize(st);
        } else {
            l.read_parents(db);
            ++statements;
            for (std::size_t at = 0; at < l.parents.size(); at += bench::eager_batch) {
                const std::size_t n = std::min(bench::eager_batch, l.parents.size() - at);
                sqlite3_stmt* st = db.prepare(bench::eager_selectin_sql(n).c_str());
                ++statements;
                for (std::size_t k = 0; k < n; ++k) sqlite3_bind_int64(st, static_cast<int>(k + 1), l.parents[at + k].id);
                l.read_children(db, st);
                sqlite3_finalize(st);
            }
        }
        check = 0;
        for (const auto& parent : l.parents) check += bench::eager_checksum(parent);
    });
    return bench::report(("eager_" + strategy).c_str(), "sqlite3_same_sql", seconds, check, statements);
}
