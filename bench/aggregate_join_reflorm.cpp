// aggregate_join, reflorm Core: for the orders whose id is in a range of 1,000, their id and
// priority with the count and sum(price) of their line items (a select of tuples, joined, filtered
// and grouped), REFLORM_BENCH_REPS times (default 10,000), each with the next range. The statement
// is built per execution, as an application builds it; its text is rendered once and cached.
#include <reflorm/reflorm.hpp>

#include "bench_target.hpp"

// Not needed to query; it states the index that generate_data creates (as create_all would).
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
    auto conn = engine.connect();
    const std::uint64_t reps = bench::env_count("REFLORM_BENCH_REPS", 10000);
    const auto query = [](std::int64_t low, std::int64_t high) {
        return reflorm::select(c<&Order::id>, c<&Order::priority>, reflorm::count(), reflorm::sum(c<&LineItem::price>))
            .join<LineItem>(c<&LineItem::order_id> == c<&Order::id>)
            .where(c<&Order::id>.between(low, high))
            .group_by(c<&Order::id>);
    };
    // The raw contenders run bench::aggregate_sql: on SQLite reflorm must render that (a server's
    // dialect renders its own placeholders).
    if (const std::string sql = reflorm::sql::to_sql(query(1, 1), conn.dialect());
        engine.url().kind == reflorm::backend::sqlite && sql != bench::aggregate_sql) {
        std::fprintf(stderr, "aggregate_join: reflorm renders %s\n", sql.c_str());
        return 1;
    }
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        check = 0;
        for (std::uint64_t r = 0; r < reps; ++r) {
            const std::int64_t low = bench::aggregate_low(r);
            for (const auto& [id, priority, count, sum] : conn.execute(query(low, low + bench::aggregate_rows - 1)).all())
                check += bench::aggregate_checksum(id, priority, count, sum);
        }
    });
    return bench::report("aggregate_join", "reflorm", seconds, check);
}
