// eager_joinedload, eager_selectinload, eager_subqueryload, reflorm Core: the raw contender's
// hand-written two-query load (the same for every strategy; argv[2] only names the scenario)
// through the engine-level select: conn.execute(select<ParentRow>()).all() and conn.execute(select<Child>()).all()
// into plain values, each child moved into its parent's std::vector<Child> through a hash map
// from id to index. A reflorm::statement_counter counts the statements of a run.
#include <reflorm/reflorm.hpp>

#include <unordered_map>

#include "bench_target.hpp"

namespace {

// A parent's columns (bench::Parent also holds its children, which are not a column).
struct ParentRow {
    std::int64_t id;
    std::string name;
};

}  // namespace

template <>
struct reflorm::model<ParentRow> {
    static constexpr auto table = "parents";
};
// The foreign key and index are not needed to query; they state what generate_data creates.
template <>
struct reflorm::model<bench::Child> {
    static constexpr auto table = "children";
    static constexpr auto columns =
        reflorm::columns(reflorm::foreign_key<&bench::Child::parent_id, &ParentRow::id>, reflorm::index<&bench::Child::parent_id>);
};

int main(int argc, char** argv) {
    const std::string strategy = bench::eager_strategy(argc, argv);
    auto engine = reflorm::create_engine(bench::data_url(argc, argv));
    auto conn = engine.connect();
    reflorm::statement_counter counter{engine};
    std::size_t last_run_start = 0;
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        last_run_start = counter.count();
        std::vector<bench::Parent> parents;
        std::unordered_map<std::int64_t, std::size_t> index;
        for (auto& row : conn.execute(reflorm::select<ParentRow>()).all()) {
            index.emplace(row.id, parents.size());
            parents.push_back(bench::Parent{row.id, std::move(row.name), {}});
        }
        for (auto& child : conn.execute(reflorm::select<bench::Child>()).all())
            parents[index.at(child.parent_id)].children.push_back(std::move(child));
        check = 0;
        for (const auto& parent : parents) check += bench::eager_checksum(parent);
    });
    return bench::report(("eager_" + strategy).c_str(), "reflorm", seconds, check, counter.count() - last_run_start);
}
