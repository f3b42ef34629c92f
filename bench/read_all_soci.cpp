// read_all, SOCI: one statement with bulk into(std::vector) per column, fetched in batches of
// 10,000 rows, each batch moved into Row objects (timestamps parsed from the text column).
#include "bench_common.hpp"
#include "bench_soci.hpp"

int main(int argc, char** argv) {
    soci::session sql;
    bench::open_soci(sql, bench::db_path(argc, argv));
    std::uint64_t check = 0;
    const double seconds = bench::soci_read_all(sql, "SELECT id, a, text, value, note, at FROM \"rows\"", check);
    return bench::report("read_all", "soci", seconds, check);
}
