// get_by_pk, reflorm ORM: session.get<Row>(id) for the REFLORM_BENCH_LOOKUPS random ids of the
// other contenders (fixed seed; some repeat). Each object is expunged after its lookup, as the
// SQLAlchemy contender clears its session, so the identity map answers no lookup: every one
// runs its SELECT. A new session per run.
#include <reflorm/orm.hpp>

#include "bench_target.hpp"

int main(int argc, char** argv) {
    auto engine = reflorm::create_engine(bench::data_url(argc, argv));
    const std::int64_t n = engine.connect().count(reflorm::select<bench::Row>());
    const auto ids = bench::lookup_ids(bench::env_count("REFLORM_BENCH_LOOKUPS", 100000), n);
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        reflorm::session session{engine};
        check = 0;
        for (const std::int64_t id : ids) {
            const auto row = session.get<bench::Row>(id);
            check += bench::checksum(*row);
            // expunge, not expunge_all: the latter visits every object the session ever held.
            session.expunge(*row);
        }
    });
    return bench::report("get_by_pk", "orm", seconds, check);
}
