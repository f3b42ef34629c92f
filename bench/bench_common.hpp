#pragma once
// Shared by the benchmark programs bench/<scenario>_<contender>.cpp: the data model, the
// scenario parameters (from argv or the environment), timing (median of 5 runs), peak RSS and
// the one result line `scenario contender median_seconds peak_rss_kb [statements]` that
// scripts/bench parses (statements: how many one run executes, where the program counts them).
//
// Every program reads the SQLite file written by bench/generate_data (path: argv[1] or
// $REFLORM_BENCH_DB, default bench.db). Scenario sizes come from the environment:
//   REFLORM_BENCH_LOOKUPS  get_by_pk lookups (default 100000)
//   REFLORM_BENCH_REPS     aggregate_join statements (default 10000)
//   REFLORM_BENCH_N        bulk_insert rows (default: the row count of `rows` in the file)
//   REFLORM_BENCH_UPDATES  update_session rows (default 100000)
// eager_load also takes its loading strategy as argv[2] (see eager_strategy).
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// The benchmark's model (table `rows`); `at` is reflorm::timestamp, i.e. sys_seconds.
struct Row {
    std::int64_t id;
    std::int64_t a;
    std::string text;
    double value;
    std::optional<std::string> note;
    std::chrono::sys_seconds at;
};

/// aggregate_join's tables, fixed in size whatever the scale, TPC-H's ORDERS and LINEITEM cut
/// down: `orders` (order_count rows) and `line_items` (1 to 3 per order, indexed by order_id).
struct Order {
    std::int64_t id;
    std::string priority;  // TPC-H's o_orderpriority: "1-URGENT" ... "5-LOW"
};

struct LineItem {
    std::int64_t id;
    std::int64_t order_id;
    std::int64_t quantity;
    double price;
};

/// eager_load's tables, fixed in size whatever the scale: `parents` (parent_count rows) and
/// `children` (children_per_parent per parent, indexed by parent_id, ids not grouped by parent:
/// see parent_of). The raw contenders' plain structs: a parent holds its children by value.
struct Child {
    std::int64_t id;
    std::int64_t parent_id;
    std::string name;
    double value;
};

struct Parent {
    std::int64_t id;
    std::string name;
    std::vector<Child> children;
};

inline constexpr std::int64_t group_count = 1000;  // rows.a is in 1..group_count
inline constexpr std::int64_t order_count = 10000;
inline constexpr std::int64_t aggregate_rows = 1000;  // orders per statement, so result rows
inline constexpr std::uint64_t lookup_seed = 42;
inline constexpr std::int64_t parent_count = 10000;
inline constexpr std::int64_t children_per_parent = 10;
inline constexpr std::int64_t child_count = parent_count * children_per_parent;

/// The parent of child `id` (1-based): 1, 7920, 5839, ... 7919 is prime to parent_count, so every
/// parent gets exactly children_per_parent children, scattered over the whole table, and a loader
/// cannot rely on the children of a parent being stored (or read) together.
inline std::int64_t parent_of(std::int64_t child_id) { return (child_id - 1) * 7919 % parent_count + 1; }

// The aggregate_join statement, as reflorm renders it (every contender runs this text). The plan
// is cheap, so the statement's fixed costs show: a rowid range on orders, an index lookup on
// line_items per order, groups in rowid order (no sorter).
inline constexpr const char* aggregate_sql =
    "SELECT orders.id, orders.priority, count(*), sum(line_items.price) FROM orders "
    "JOIN line_items ON line_items.order_id = orders.id WHERE orders.id BETWEEN ? AND ? GROUP BY orders.id";

/// The first order id of statement r: windows of aggregate_rows consecutive ids, 100 ids apart and
/// wrapping, so that every statement binds new values and returns exactly aggregate_rows rows.
inline std::int64_t aggregate_low(std::uint64_t r) {
    return 1 + static_cast<std::int64_t>(r * 100 % static_cast<std::uint64_t>(order_count - aggregate_rows + 1));
}

/// The DDL reflorm's create_all emits for Row (table "rows"), Order and LineItem.
inline std::string rows_ddl(const std::string& table) {
    return "CREATE TABLE \"" + table +
           "\" (id INTEGER NOT NULL, a BIGINT NOT NULL, text TEXT NOT NULL, value FLOAT NOT NULL, note TEXT, "
           "at DATETIME NOT NULL, PRIMARY KEY (id))";
}
inline constexpr const char* orders_ddl = "CREATE TABLE orders (id INTEGER NOT NULL, priority TEXT NOT NULL, PRIMARY KEY (id))";
inline constexpr const char* line_items_ddl =
    "CREATE TABLE line_items (id INTEGER NOT NULL, order_id BIGINT NOT NULL, quantity BIGINT NOT NULL, "
    "price FLOAT NOT NULL, PRIMARY KEY (id), FOREIGN KEY(order_id) REFERENCES orders (id))";
inline constexpr const char* line_items_index_ddl = "CREATE INDEX ix_line_items_order_id ON line_items (order_id)";
/// The DDL reflorm's create_all emits for eager_load_orm's Parent and Child models.
inline constexpr const char* parents_ddl = "CREATE TABLE parents (id INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (id))";
inline constexpr const char* children_ddl =
    "CREATE TABLE children (id INTEGER NOT NULL, parent_id BIGINT NOT NULL, name TEXT NOT NULL, value FLOAT NOT NULL, "
    "PRIMARY KEY (id), FOREIGN KEY(parent_id) REFERENCES parents (id))";
inline constexpr const char* children_index_ddl = "CREATE INDEX ix_children_parent_id ON children (parent_id)";

inline std::string db_path(int argc, char** argv) {
    if (argc > 1) return argv[1];
    if (const char* env = std::getenv("REFLORM_BENCH_DB")) return env;
    return "bench.db";
}

inline std::uint64_t env_count(const char* name, std::uint64_t fallback) {
    const char* env = std::getenv(name);
    return env && *env ? std::strtoull(env, nullptr, 10) : fallback;
}

/// eager_load's loading strategy, argv[2]: joinedload, selectinload or subqueryload. The scenario
/// is eager_<strategy>; the raw contenders run the same two hand-written queries for each.
inline std::string eager_strategy(int argc, char** argv) {
    const std::string strategy = argc > 2 ? argv[2] : "";
    if (strategy != "joinedload" && strategy != "selectinload" && strategy != "subqueryload") {
        std::fprintf(stderr, "usage: %s DB joinedload|selectinload|subqueryload\n", argv[0]);
        std::exit(2);
    }
    return strategy;
}

/// The statements reflorm's ORM sends for eager_<strategy> (eager_load_orm checks that it does):
/// what eager_load_sqlite3_same_sql runs by hand, to separate SQLite's cost of the strategy's SQL
/// from what reflorm adds to it. selectinload's second statement has `keys` placeholders (batches
/// of eager_batch parent ids, as SQLAlchemy's 500).
inline constexpr std::size_t eager_batch = 500;
inline constexpr const char* eager_parents_sql = "SELECT parents.id, parents.name FROM parents";
inline constexpr const char* eager_joined_sql =
    "SELECT parents.id, parents.name, children_1.id, children_1.parent_id, children_1.name, children_1.value FROM parents "
    "LEFT OUTER JOIN children AS children_1 ON children_1.parent_id = parents.id";
inline constexpr const char* eager_subquery_sql =
    "SELECT children.id, children.parent_id, children.name, children.value FROM (SELECT parents.id, parents.name FROM "
    "parents) AS anon_1 JOIN children ON children.parent_id = anon_1.id";
inline std::string eager_selectin_sql(std::size_t keys) {
    std::string sql = "SELECT children.id, children.parent_id, children.name, children.value FROM children WHERE children.parent_id IN (";
    for (std::size_t i = 0; i < keys; ++i) sql += i == 0 ? "?" : ", ?";
    return sql + ")";
}
/// The statements of one eager load of parent_count parents with `strategy`, in order.
inline std::vector<std::string> eager_statements(const std::string& strategy, std::size_t parents) {
    if (strategy == "joinedload") return {eager_joined_sql};
    if (strategy == "subqueryload") return {eager_parents_sql, eager_subquery_sql};
    std::vector<std::string> out{eager_parents_sql};
    for (std::size_t at = 0; at < parents; at += eager_batch) out.push_back(eager_selectin_sql(std::min(eager_batch, parents - at)));
    return out;
}

/// A small deterministic generator (splitmix64), identical in every contender and in
/// generate_data, so the same seed gives the same ids everywhere.
struct splitmix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
};

/// The ids get_by_pk looks up: `count` random ids in 1..n from lookup_seed.
inline std::vector<std::int64_t> lookup_ids(std::size_t count, std::int64_t n) {
    splitmix64 rng{lookup_seed};
    std::vector<std::int64_t> ids(count);
    for (auto& id : ids) id = static_cast<std::int64_t>(rng.next() % static_cast<std::uint64_t>(n)) + 1;
    return ids;
}

/// Row i (1-based) of the data set of `seed`: what generate_data writes and what bulk_insert
/// inserts.
inline Row make_row(std::int64_t i, std::uint64_t seed) {
    splitmix64 rng{seed * 0x100000001b3ULL + static_cast<std::uint64_t>(i)};
    const std::uint64_t r1 = rng.next(), r2 = rng.next(), r3 = rng.next();
    Row row;
    row.id = i;
    row.a = static_cast<std::int64_t>(r1 % group_count) + 1;
    row.text = "text " + std::to_string(r2 % 1000000007ULL);
    row.value = static_cast<double>(r3 % 1000000ULL) / 1000.0;
    if (r1 % 3 != 0) row.note = "note " + std::to_string(r1 % 100000);
    row.at = std::chrono::sys_seconds{std::chrono::seconds{1700000000 + i}};
    return row;
}

/// 'YYYY-MM-DD HH:MM:SS', as reflorm stores reflorm::timestamp: the hand-written formatting of
/// the raw contenders.
inline void format_timestamp(std::chrono::sys_seconds t, char out[20]) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    auto put = [&](int pos, int len, int v) {
        for (int i = pos + len - 1; i >= pos; --i, v /= 10) out[i] = static_cast<char>('0' + v % 10);
    };
    put(0, 4, static_cast<int>(ymd.year()));
    put(5, 2, static_cast<int>(static_cast<unsigned>(ymd.month())));
    put(8, 2, static_cast<int>(static_cast<unsigned>(ymd.day())));
    put(11, 2, static_cast<int>(hms.hours().count()));
    put(14, 2, static_cast<int>(hms.minutes().count()));
    put(17, 2, static_cast<int>(hms.seconds().count()));
    out[4] = out[7] = '-';
    out[10] = ' ';
    out[13] = out[16] = ':';
    out[19] = '\0';
}

/// The hand-written parsing of the raw contenders (no validation beyond the length).
inline std::chrono::sys_seconds parse_timestamp(std::string_view s) {
    if (s.size() < 19) {
        std::fprintf(stderr, "bad timestamp '%.*s'\n", static_cast<int>(s.size()), s.data());
        std::exit(2);
    }
    auto num = [&](std::size_t pos, std::size_t len) {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (s[i] - '0');
        return v;
    };
    const std::chrono::sys_days day{std::chrono::year{num(0, 4)} / num(5, 2) / num(8, 2)};
    return day + std::chrono::hours{num(11, 2)} + std::chrono::minutes{num(14, 2)} + std::chrono::seconds{num(17, 2)};
}

/// update_session's change to a row it loaded: every row's value, and the text of even ids too
/// (two column sets, so that an ORM groups its UPDATEs by what changed). Python: change_row.
template <class R>
void change_row(R& row) {
    row.value += 1.5;
    if (row.id % 2 == 0) row.text += '+';
}

/// update_session's checksum of the whole table after the run, bench::checksum summed by SQLite
/// itself: the same text for every contender, and no contender holds the table in memory for it.
inline constexpr const char* table_checksum_sql =
    "SELECT sum(id * 3 + a + length(text) + CAST(value AS INTEGER) + coalesce(length(note), 7) + "
    "CAST(strftime('%s', at) AS INTEGER) % 1000) FROM \"rows\"";

/// Copies the data file to `target` (update_session: every run starts from the same rows), and
/// syncs the copy: else the timed COMMIT's fsync would also write out the whole copied file.
inline void copy_file(const std::string& source, const std::string& target) {
    std::filesystem::copy_file(source, target, std::filesystem::copy_options::overwrite_existing);
    const int fd = ::open(target.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
        std::fprintf(stderr, "cannot sync %s\n", target.c_str());
        std::exit(1);
    }
    ::close(fd);
}

/// A number that depends on every value of a row, summed by the programs so that the runner
/// (and a reader of stderr) can see every contender read the same data.
template <class R>
std::uint64_t checksum(const R& row) {
    return static_cast<std::uint64_t>(row.id) * 3 + static_cast<std::uint64_t>(row.a) + row.text.size() +
           static_cast<std::uint64_t>(row.value) + (row.note ? row.note->size() : 7) +
           static_cast<std::uint64_t>(row.at.time_since_epoch().count() % 1000);
}

/// eager_load's checksum of one parent and the children it holds (`children`: any range of
/// children). A child counted under the wrong parent changes it. Python: eager_checksum.
template <class P>
std::uint64_t eager_checksum(const P& parent) {
    const auto parent_id = static_cast<std::uint64_t>(parent.id);
    std::uint64_t sum = parent_id + parent.name.size();
    for (const auto& child : parent.children) {
        const auto id = static_cast<std::uint64_t>(child.id);
        sum += id * 3 + id * parent_id % 1000 + child.name.size() + static_cast<std::uint64_t>(child.value);
    }
    return sum;
}

/// aggregate_join's checksum of one result row. The sum counts in cents, rounded: SOCI 4.0.3's bulk
/// into() reads a REAL through its 15-digit text, so a sum may differ in its last bit.
inline std::uint64_t aggregate_checksum(std::int64_t id, const std::string& priority, std::int64_t count,
                                        std::optional<double> sum) {
    return static_cast<std::uint64_t>(id) + priority.size() + static_cast<std::uint64_t>(count) +
           static_cast<std::uint64_t>(std::llround(sum.value_or(0) * 100));
}

/// Durations of runs timed by hand (start/stop), for bodies with untimed setup.
struct runs {
    std::vector<double> seconds;
    std::chrono::steady_clock::time_point started;
    void start() { started = std::chrono::steady_clock::now(); }
    void stop() { seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()); }
    double median() {
        std::sort(seconds.begin(), seconds.end());
        return seconds[seconds.size() / 2];
    }
};

/// Median seconds of 5 runs of `body(run)`.
template <class Body>
double median_seconds(Body&& body) {
    std::vector<double> runs;
    for (int run = 0; run < 5; ++run) {
        const auto start = std::chrono::steady_clock::now();
        body(run);
        runs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(runs.begin(), runs.end());
    return runs[2];
}

inline long peak_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

/// Prints the result line; `check` keeps the work observable (the runner compares it across the
/// contenders of a scenario, and it must be non-zero). `statements`, where given, is the number
/// of statements one run executed: a 5th field of the line.
inline int report(const char* scenario, const char* contender, double seconds, std::uint64_t check,
                  std::optional<std::size_t> statements = std::nullopt) {
    if (statements) std::printf("%s %s %.6f %ld %zu\n", scenario, contender, seconds, peak_rss_kb(), *statements);
    else std::printf("%s %s %.6f %ld\n", scenario, contender, seconds, peak_rss_kb());
    std::fprintf(stderr, "%s %s check %llu\n", scenario, contender, static_cast<unsigned long long>(check));
    return check == 0;
}

}  // namespace bench
