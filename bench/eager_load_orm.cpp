// eager_joinedload, eager_selectinload, eager_subqueryload, reflorm ORM:
// session.scalars(select<Parent>().options(<strategy><&Parent::children>())).all() loads the 10,000 parents and
// their 100,000 children into the session's objects (identity map, snapshots), each child's
// back_populates many-to-one (Child::parent) set too, with the loader option named by argv[2]
// (joinedload, selectinload or subqueryload). A new session per run, closed inside the timer, as
// the SQLAlchemy contender's `with Session(...)`. A reflorm::statement_counter, registered outside
// the timer, counts the statements of a run: the 5th field of the result line.
#include <reflorm/orm.hpp>

#include "bench_target.hpp"

namespace {

struct Child;

struct Parent {
    std::int64_t id = 0;
    std::string name;
    reflorm::many<Child> children;
};

struct Child {
    std::int64_t id = 0;
    std::int64_t parent_id = 0;
    std::string name;
    double value = 0;
    reflorm::one<Parent> parent;
};

}  // namespace

// create_all renders bench::parents_ddl, bench::children_ddl and bench::children_index_ddl for these.
template <>
struct reflorm::model<Parent> {
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Parent::children>{}.back_populates<&Child::parent>());
};
template <>
struct reflorm::model<Child> {
    static constexpr auto table = "children";  // not the derived "childs"
    static constexpr auto columns =
        reflorm::columns(reflorm::foreign_key<&Child::parent_id, &Parent::id>, reflorm::index<&Child::parent_id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Child::parent>{}.back_populates<&Parent::children>());
};

namespace {

template <class Option>
int run(reflorm::engine& engine, const std::string& strategy, const Option& option) {
    reflorm::statement_counter counter{engine};
    std::size_t last_run_start = 0;
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        last_run_start = counter.count();
        reflorm::session session{engine};
        const auto parents = session.scalars(reflorm::select<Parent>().options(option)).all();
        check = 0;
        for (const auto& parent : parents) check += bench::eager_checksum(*parent);
    });
    // The SQL of the last run must be what eager_load_sqlite3_same_sql runs by hand (on a server,
    // whose dialect renders other placeholders, as many statements).
    const std::vector<std::string> expected = bench::eager_statements(strategy, static_cast<std::size_t>(bench::parent_count));
    const std::vector<std::string> ran(counter.statements().begin() + static_cast<std::ptrdiff_t>(last_run_start), counter.statements().end());
    const bool on_server = engine.url().kind != reflorm::backend::sqlite;
    if (on_server ? ran.size() != expected.size() : ran != expected) {
        std::fprintf(stderr, "eager_%s orm: the session ran %zu statements, bench::eager_statements lists %zu:\n", strategy.c_str(),
                     ran.size(), expected.size());
        for (std::size_t i = 0; i < std::max(ran.size(), expected.size()); ++i)
            std::fprintf(stderr, "  ran      %s\n  expected %s\n", i < ran.size() ? ran[i].c_str() : "-",
                         i < expected.size() ? expected[i].c_str() : "-");
        return 1;
    }
    return bench::report(("eager_" + strategy).c_str(), "orm", seconds, check, ran.size());
}

}  // namespace

int main(int argc, char** argv) {
    const std::string strategy = bench::eager_strategy(argc, argv);
    auto engine = reflorm::create_engine(bench::data_url(argc, argv));
    if (strategy == "joinedload") return run(engine, strategy, reflorm::joinedload<&Parent::children>());
    if (strategy == "selectinload") return run(engine, strategy, reflorm::selectinload<&Parent::children>());
    return run(engine, strategy, reflorm::subqueryload<&Parent::children>());
}
