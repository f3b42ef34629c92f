// eager_joinedload, eager_selectinload, eager_subqueryload, raw sqlite3: the floor, the same for
// every strategy (argv[2] only names the scenario). The hand-written two-query load: prepared
// `SELECT id, name FROM parents` into a std::vector<Parent> and a hash map from id to index, then
// `SELECT id, parent_id, name, value FROM children`, each child appended to its parent's
// std::vector<Child>. Columns read by hand; everything freed inside the timer, as read_all.
#include <sqlite3.h>

#include <unordered_map>

#include "bench_common.hpp"
#include "bench_sqlite3.hpp"

int main(int argc, char** argv) {
    const std::string strategy = bench::eager_strategy(argc, argv);
    bench::sqlite_db db(bench::db_path(argc, argv));
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        std::vector<bench::Parent> parents;
        std::unordered_map<std::int64_t, std::size_t> index;
        sqlite3_stmt* st = db.prepare("SELECT id, name FROM parents");
        while (db.step(st)) {
            const std::int64_t id = sqlite3_column_int64(st, 0);
            index.emplace(id, parents.size());
            parents.push_back(bench::Parent{id, bench::column_text(st, 1), {}});
        }
        sqlite3_finalize(st);
        st = db.prepare("SELECT id, parent_id, name, value FROM children");
        while (db.step(st)) {
            bench::Child child{sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), bench::column_text(st, 2),
                               sqlite3_column_double(st, 3)};
            parents[index.at(child.parent_id)].children.push_back(std::move(child));
        }
        sqlite3_finalize(st);
        check = 0;
        for (const auto& parent : parents) check += bench::eager_checksum(parent);
    });
    return bench::report(("eager_" + strategy).c_str(), "sqlite3", seconds, check, 2);
}
