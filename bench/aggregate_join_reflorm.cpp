// aggregate_join, reflorm Core: a select of groups.name, count(*), sum(small_rows.value) over
// groups JOIN small_rows, filtered on value and grouped by name (~1,000 result rows as tuples),
// run REFLORM_BENCH_REPS times (default 1,000). It reads small_rows (20,000 rows), not rows, so one
// statement takes the same few milliseconds (about 5 ms here) whatever the scale.
#include <reflorm/reflorm.hpp>

#include "bench_common.hpp"

int main(int argc, char** argv) {
    using bench::Group;
    using bench::SmallRow;
    using reflorm::c;
    auto engine = reflorm::create_engine("sqlite:///" + bench::db_path(argc, argv));
    auto conn = engine.connect();
    const std::uint64_t reps = bench::env_count("REFLORM_BENCH_REPS", 1000);
    const auto query = reflorm::select(c<&Group::name>, reflorm::count(), reflorm::sum(c<&SmallRow::value>))
                           .join<SmallRow>(c<&SmallRow::a> == c<&Group::id>)
                           .where(c<&SmallRow::value> > bench::aggregate_threshold)
                           .group_by(c<&Group::name>);
    if (reflorm::sql::to_sql(query, conn.dialect()) != bench::aggregate_sql) {
        std::fprintf(stderr, "aggregate_join: reflorm renders %s\n", reflorm::sql::to_sql(query, conn.dialect()).c_str());
        return 1;
    }
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        for (std::uint64_t r = 0; r < reps; ++r) {
            for (const auto& [name, count, sum] : conn.all(query))
                check += name.size() + static_cast<std::uint64_t>(count) + static_cast<std::uint64_t>(sum.value_or(0));
        }
    });
    return bench::report("aggregate_join", "reflorm", seconds, check);
}
