// read_all, reflorm ORM: session.scalars(select<Row>()).all() reads every row of `rows` into the
// session's objects (identity map, snapshots), as std::shared_ptr<Row> handles. A new session
// per run, closed inside the timer, as the SQLAlchemy contender's `with Session(...)`.
// REFLORM_BENCH_READ_ONLY=1 (not set by scripts/bench) reads with execution_options
// {.read_only = true}: no snapshots, for comparing by hand.
#include <reflorm/orm.hpp>

#include "bench_target.hpp"

int main(int argc, char** argv) {
    auto engine = reflorm::create_engine(bench::data_url(argc, argv));
    const bool read_only = bench::env_count("REFLORM_BENCH_READ_ONLY", 0) != 0;
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        reflorm::session session{engine};
        const auto rows = session.scalars(reflorm::select<bench::Row>().execution_options({.read_only = read_only})).all();
        check = 0;
        for (const auto& row : rows) check += bench::checksum(*row);
    });
    return bench::report("read_all", "orm", seconds, check);
}
