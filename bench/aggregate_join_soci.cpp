// aggregate_join, SOCI: the same statement text as reflorm's, prepared once with bulk
// into(std::vector) of 1,000 rows (the result's size) and use() of the range's ends, then executed
// with the next range REFLORM_BENCH_REPS times.
#include "bench_common.hpp"
#include "bench_soci.hpp"

#include <tuple>

int main(int argc, char** argv) {
    soci::session sql;
    bench::open_soci(sql, bench::db_path(argc, argv));
    const std::uint64_t reps = bench::env_count("REFLORM_BENCH_REPS", 10000);
    constexpr std::size_t batch = bench::aggregate_rows;
    std::vector<long long> ids(batch), counts(batch);
    std::vector<std::string> priorities(batch);
    std::vector<double> sums(batch);
    std::vector<soci::indicator> sum_ind(batch);
    long long low = 0, high = 0;
    soci::statement st = (sql.prepare << bench::aggregate_sql, soci::into(ids), soci::into(priorities),
                          soci::into(counts), soci::into(sums, sum_ind), soci::use(low), soci::use(high));
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        for (std::uint64_t r = 0; r < reps; ++r) {
            low = bench::aggregate_low(r);
            high = low + bench::aggregate_rows - 1;
            std::vector<std::tuple<std::int64_t, std::string, std::int64_t, std::optional<double>>> result;
            auto take = [&] {
                for (std::size_t i = 0; i < ids.size(); ++i)
                    result.emplace_back(ids[i], std::move(priorities[i]), counts[i],
                                        sum_ind[i] == soci::i_ok ? std::optional<double>(sums[i]) : std::nullopt);
            };
            auto resize = [&] {
                ids.resize(batch), priorities.resize(batch), counts.resize(batch), sums.resize(batch), sum_ind.resize(batch);
            };
            if (st.execute(true)) {
                take();
                resize();
                while (st.fetch()) {
                    take();
                    resize();
                }
            }
            resize();  // a fetch that finds no more rows leaves the vectors empty
            for (const auto& [id, priority, count, sum] : result)
                check += bench::aggregate_checksum(id, priority, count, sum);
        }
    });
    return bench::report("aggregate_join", "soci", seconds, check);
}
