// aggregate_join, reflorm ORM: the Core contender's statement run through the session,
// session.execute(select(...)) (autoflush, then the session's connection and transaction),
// REFLORM_BENCH_REPS times in one session per run.
#include <reflorm/orm.hpp>

#include "bench_target.hpp"

template <>
struct reflorm::model<bench::LineItem> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&bench::LineItem::order_id, &bench::Order::id>,
                                                     reflorm::index<&bench::LineItem::order_id>);
};

int main(int argc, char** argv) {
    using bench::LineItem;
    using bench::Order;
    using reflorm::c;
    auto engine = reflorm::create_engine(bench::data_url(argc, argv));
    const std::uint64_t reps = bench::env_count("REFLORM_BENCH_REPS", 10000);
    const auto query = [](std::int64_t low, std::int64_t high) {
        return reflorm::select(c<&Order::id>, c<&Order::priority>, reflorm::count(), reflorm::sum(c<&LineItem::price>))
            .join<LineItem>(c<&LineItem::order_id> == c<&Order::id>)
            .where(c<&Order::id>.between(low, high))
            .group_by(c<&Order::id>);
    };
    // The raw contenders run bench::aggregate_sql: on SQLite reflorm must render that (a server's
    // dialect renders its own placeholders).
    if (const std::string sql = reflorm::sql::to_sql(query(1, 1), engine.dialect());
        engine.url().kind == reflorm::backend::sqlite && sql != bench::aggregate_sql) {
        std::fprintf(stderr, "aggregate_join: reflorm renders %s\n", sql.c_str());
        return 1;
    }
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        reflorm::session session{engine};
        check = 0;
        for (std::uint64_t r = 0; r < reps; ++r) {
            const std::int64_t low = bench::aggregate_low(r);
            for (const auto& [id, priority, count, sum] : session.execute(query(low, low + bench::aggregate_rows - 1)))
                check += bench::aggregate_checksum(id, priority, count, sum);
        }
    });
    return bench::report("aggregate_join", "orm", seconds, check);
}
