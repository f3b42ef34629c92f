// aggregate_join, SOCI: the same statement text as reflorm's, prepared once with bulk
// into(std::vector) of 2,000 rows and use() of the threshold, executed REFLORM_BENCH_REPS times.
#include "bench_common.hpp"
#include "bench_soci.hpp"

int main(int argc, char** argv) {
    soci::session sql;
    bench::open_soci(sql, bench::db_path(argc, argv));
    const std::uint64_t reps = bench::env_count("REFLORM_BENCH_REPS", 1000);
    constexpr std::size_t batch = 2000;
    std::vector<std::string> names(batch);
    std::vector<long long> counts(batch);
    std::vector<double> sums(batch);
    std::vector<soci::indicator> sum_ind(batch);
    double threshold = bench::aggregate_threshold;
    soci::statement st = (sql.prepare << bench::aggregate_sql, soci::into(names), soci::into(counts),
                          soci::into(sums, sum_ind), soci::use(threshold));
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        for (std::uint64_t r = 0; r < reps; ++r) {
            std::vector<std::tuple<std::string, std::int64_t, std::optional<double>>> result;
            auto take = [&] {
                for (std::size_t i = 0; i < names.size(); ++i)
                    result.emplace_back(std::move(names[i]), counts[i],
                                        sum_ind[i] == soci::i_ok ? std::optional<double>(sums[i]) : std::nullopt);
            };
            auto resize = [&] { names.resize(batch), counts.resize(batch), sums.resize(batch), sum_ind.resize(batch); };
            if (st.execute(true)) {
                take();
                resize();
                while (st.fetch()) {
                    take();
                    resize();
                }
            }
            resize();  // a fetch that finds no more rows leaves the vectors empty
            for (const auto& [name, count, sum] : result)
                check += name.size() + static_cast<std::uint64_t>(count) + static_cast<std::uint64_t>(sum.value_or(0));
        }
    });
    return bench::report("aggregate_join", "soci", seconds, check);
}
