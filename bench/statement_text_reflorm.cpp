// How much the per-shape cache of statement text saves: rendering a select's SQL on every
// execution (what a builder without the cache does) against looking it up, and the whole
// execution of that select on an in-memory SQLite database, per call. A program, not a test:
//     meson setup build -Dbench=true && build/bench/statement_text_reflorm [iterations]
#include <reflorm/reflorm.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

struct Item {
    std::int64_t id;
    std::string name;
    std::int32_t stock;
    double price;
};

auto query(std::int64_t low, std::int32_t min_stock) {
    using reflorm::c;
    return reflorm::select<Item>()
        .where(c<&Item::id> >= low && c<&Item::stock> > min_stock && c<&Item::name>.like("item%"))
        .order_by(c<&Item::price>.desc())
        .limit(10);
}

// Median nanoseconds per call of `body` over 5 runs of `iterations` calls.
template <class Body>
double median_ns(std::size_t iterations, Body&& body) {
    std::vector<double> runs;
    for (int run = 0; run < 5; ++run) {
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < iterations; ++i) body(i);
        runs.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
                       static_cast<double>(iterations));
    }
    std::sort(runs.begin(), runs.end());
    return runs[2];
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t iterations = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
    const auto& dialect = reflorm::dialect::sqlite();
    std::size_t sink = 0;

    const double render = median_ns(iterations, [&](std::size_t i) {
        sink += reflorm::sql::to_sql(query(static_cast<std::int64_t>(i), 3), dialect).size();
    });
    const double cached = median_ns(iterations, [&](std::size_t i) {
        sink += reflorm::sql::statement_text(query(static_cast<std::int64_t>(i), 3), dialect).size();
    });

    auto engine = reflorm::create_engine("sqlite://");
    reflorm::create_all<Item>(engine);
    auto conn = engine.connect();
    std::vector<Item> items;
    for (int i = 0; i < 1000; ++i) items.push_back(Item{0, "item " + std::to_string(i), i % 50, i * 0.5});
    conn.insert_all(items);
    const double execute = median_ns(iterations / 10 + 1, [&](std::size_t i) {
        sink += conn.execute(query(static_cast<std::int64_t>(i % 1000), 3)).all().size();
    });

    std::printf("statement text of one select shape, SQLite dialect, median of 5 runs (%zu calls each)\n", iterations);
    std::printf("  render with to_sql on every call : %8.1f ns/call\n", render);
    std::printf("  cached statement_text lookup     : %8.1f ns/call  (%.0fx less)\n", cached, render / cached);
    std::printf("  whole execution (bind, sort 1000 rows, read 10)     : %8.1f us/call; rendering would add %.1f%%\n",
                execute / 1000.0, 100.0 * render / execute);
    std::printf("  renders done by statement_text in this program: %zu (the select's shape and the insert's)\n",
                reflorm::sql::render_count().load());
    return sink == 0;  // keep the work observable
}
