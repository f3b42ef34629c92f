// get_by_pk, reflorm Core: conn.get<Row>(id) for REFLORM_BENCH_LOOKUPS random ids (fixed seed);
// the statement is prepared once and cached by the connection.
#include <reflorm/reflorm.hpp>

#include "bench_target.hpp"

int main(int argc, char** argv) {
    auto engine = reflorm::create_engine(bench::data_url(argc, argv));
    auto conn = engine.connect();
    const std::int64_t n = conn.count(reflorm::select<bench::Row>());
    const auto ids = bench::lookup_ids(bench::env_count("REFLORM_BENCH_LOOKUPS", 100000), n);
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        for (const std::int64_t id : ids) check += bench::checksum(*conn.get<bench::Row>(id));
    });
    return bench::report("get_by_pk", "reflorm", seconds, check);
}
