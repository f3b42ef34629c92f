// bulk_insert, reflorm ORM: session.add_all(N new rows); session.commit() (one transaction, one
// executemany INSERT at the flush) into an empty `rows` table (bench_target.hpp: a new file beside
// the data file, or a server's scratch database), made by create_all (untimed). The rows are
// built before the timer, as the other contenders build theirs, and once per run: the session
// takes them over, so the process holds one copy of the input as the raw contenders do (a kept
// template copied per run held two, and doubled the peak memory measured). Freeing the session's
// objects is left out of the timer, as theirs is.
#include <reflorm/orm.hpp>

#include "bench_target.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    std::int64_t n = 0;
    {
        auto engine = reflorm::create_engine(bench::data_url(argc, argv));
        n = engine.connect().count(reflorm::select<bench::Row>());
    }
    n = static_cast<std::int64_t>(bench::env_count("REFLORM_BENCH_N", static_cast<std::uint64_t>(n)));
    bench::runs runs;
    std::uint64_t check = 0;
    for (int run = 0; run < 5; ++run) {
        auto engine = bench::fresh_bulk_engine(argc, argv, "orm");
        std::vector<bench::Row> objects;  // add_all takes its storage over: no object is moved
        objects.reserve(static_cast<std::size_t>(n));
        for (std::int64_t i = 1; i <= n; ++i) objects.push_back(bench::make_row(i, 1));
        {
            reflorm::session session{engine};
            runs.start();
            const auto added = session.add_all(std::move(objects));
            session.commit();
            runs.stop();
        }
        check = static_cast<std::uint64_t>(engine.connect().count(reflorm::select<bench::Row>()));
    }
    bench::remove_bulk_target(argc, argv, "orm");
    return bench::report("bulk_insert", "orm", runs.median(), check);
}
