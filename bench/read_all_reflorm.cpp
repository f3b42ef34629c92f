// read_all, reflorm Core: conn.execute(select<Row>()).all() reads every row of `rows` into a std::vector<Row>.
#include <reflorm/reflorm.hpp>

#include "bench_target.hpp"

int main(int argc, char** argv) {
    auto engine = reflorm::create_engine(bench::data_url(argc, argv));
    auto conn = engine.connect();
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        const std::vector<bench::Row> rows = conn.execute(reflorm::select<bench::Row>()).all();
        check = 0;
        for (const auto& row : rows) check += bench::checksum(row);
    });
    return bench::report("read_all", "reflorm", seconds, check);
}
