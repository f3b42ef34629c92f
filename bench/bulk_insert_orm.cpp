// bulk_insert, reflorm ORM: session.add_all(N new rows); session.commit() (one transaction, one
// executemany INSERT at the flush) into an empty `rows` table of a new file beside the data
// file, made by create_all (untimed). The rows are built before the timer, as the other
// contenders build theirs; freeing the session's objects is left out of it, as theirs is.
#include <reflorm/orm.hpp>

#include "bench_common.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    const std::string source = bench::db_path(argc, argv);
    std::int64_t n = 0;
    {
        auto engine = reflorm::create_engine("sqlite:///" + source);
        n = engine.connect().count(reflorm::select<bench::Row>());
    }
    n = static_cast<std::int64_t>(bench::env_count("REFLORM_BENCH_N", static_cast<std::uint64_t>(n)));
    std::vector<bench::Row> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 1; i <= n; ++i) rows.push_back(bench::make_row(i, 1));

    const std::string target = source + ".bulk_orm.db";
    bench::runs runs;
    std::uint64_t check = 0;
    for (int run = 0; run < 5; ++run) {
        std::remove(target.c_str());
        auto engine = reflorm::create_engine("sqlite:///" + target);
        reflorm::create_all<bench::Row>(engine);
        std::vector<bench::Row> objects = rows;  // add_all takes its objects by value
        {
            reflorm::session session{engine};
            runs.start();
            const auto handles = session.add_all(std::move(objects));
            session.commit();
            runs.stop();
        }
        check = static_cast<std::uint64_t>(engine.connect().count(reflorm::select<bench::Row>()));
    }
    std::remove(target.c_str());
    return bench::report("bulk_insert", "orm", runs.median(), check);
}
