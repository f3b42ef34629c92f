// update_session, reflorm ORM: in one session, session.scalars(select<Row>().where(id <= N)).all()
// loads the first N rows (REFLORM_BENCH_UPDATES, default 100,000), bench::change_row changes
// one or two columns of each, session.commit() writes them (dirty tracking by snapshot: one
// executemany UPDATE per set of changed columns). Timed from the session's creation to its
// end. Each run works on a fresh copy of the data file (untimed), so runs are alike.
#include <reflorm/orm.hpp>

#include "bench_common.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    using reflorm::c;
    const std::string source = bench::db_path(argc, argv);
    const auto n = static_cast<std::int64_t>(bench::env_count("REFLORM_BENCH_UPDATES", 100000));
    const std::string target = source + ".update_orm.db";
    bench::runs runs;
    std::uint64_t check = 0;
    for (int run = 0; run < 5; ++run) {
        bench::copy_file(source, target);
        auto engine = reflorm::create_engine("sqlite:///" + target);
        runs.start();
        {
            reflorm::session session{engine};
            const auto rows = session.scalars(reflorm::select<bench::Row>().where(c<&bench::Row::id> <= n)).all();
            for (const auto& row : rows) bench::change_row(*row);
            session.commit();
        }
        runs.stop();
        const auto [sum] = engine.connect().execute(reflorm::text(bench::table_checksum_sql).columns<std::int64_t>()).one();
        if (run > 0 && check != static_cast<std::uint64_t>(sum)) {
            std::fprintf(stderr, "update_session: run %d left a different table\n", run + 1);
            return 1;
        }
        check = static_cast<std::uint64_t>(sum);
    }
    std::remove(target.c_str());
    return bench::report("update_session", "orm", runs.median(), check);
}
