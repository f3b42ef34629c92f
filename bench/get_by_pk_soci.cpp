// get_by_pk, SOCI: one prepared statement with into() per column and use() of the key,
// executed once per lookup of REFLORM_BENCH_LOOKUPS random ids (fixed seed).
#include "bench_common.hpp"
#include "bench_soci.hpp"

int main(int argc, char** argv) {
    soci::session sql;
    bench::open_soci(sql, bench::db_path(argc, argv));
    long long n = 0;
    sql << "SELECT count(*) FROM \"rows\"", soci::into(n);
    const auto ids = bench::lookup_ids(bench::env_count("REFLORM_BENCH_LOOKUPS", 100000), n);
    long long key = 0, id = 0, a = 0;
    std::string text, note, at;
    double value = 0;
    soci::indicator note_ind = soci::i_ok;
    soci::statement st = (sql.prepare << "SELECT id, a, text, value, note, at FROM \"rows\" WHERE id = :id",
                          soci::into(id), soci::into(a), soci::into(text), soci::into(value),
                          soci::into(note, note_ind), soci::into(at), soci::use(key));
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        for (const std::int64_t wanted : ids) {
            key = wanted;
            if (!st.execute(true)) {
                std::fprintf(stderr, "soci: no row %lld\n", key);
                std::exit(1);
            }
            bench::Row row{id, a, text, value, std::nullopt, bench::parse_timestamp(at)};
            if (note_ind == soci::i_ok) row.note = note;
            check += bench::checksum(row);
        }
    });
    return bench::report("get_by_pk", "soci", seconds, check);
}
