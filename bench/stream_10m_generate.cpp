// stream_10m's data: `rows` rows (default 10,000,000) in table stream_rows, made by the database
// itself from bench::stream::seed with integer arithmetic on the row number, so that every
// backend holds the same values and nothing is written to a data file or sent from here:
//   a     (g * 2654435761 + seed) % 1000 + 1
//   text  'text ' || (g * 40503 + seed * 7) % 1000000007
//   value ((g * 7919 + seed) % 1000000) / 1000.0
//   note  NULL when (g + seed) % 3 = 0, else 'note ' || (g * 31 + seed) % 100000
// Skipped when the table already holds that many rows (drop it to make it anew).
//
//   stream_10m_generate <sqlite:///file | postgresql://... | mysql://...> [rows]
#include <reflorm/reflorm.hpp>

#include "bench_stream.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

template <>
struct reflorm::model<bench::stream::StreamRow> {
    static constexpr std::string_view table = "stream_rows";
};

namespace {

using bench::stream::StreamRow;

// Rows first..last (1-based) as one INSERT ... SELECT in the backend's SQL.
std::string fill_sql(reflorm::backend kind, std::uint64_t first, std::uint64_t last) {
    const std::string s = std::to_string(bench::stream::seed);
    const auto values = [&](const std::string& g, const std::string& text, const std::string& note) {
        return "INSERT INTO stream_rows (id, a, text, value, note) SELECT " + g + ", (" + g + " * 2654435761 + " + s +
               ") % 1000 + 1, " + text + ", ((" + g + " * 7919 + " + s + ") % 1000000) / 1000.0, CASE WHEN (" + g + " + " + s +
               ") % 3 = 0 THEN NULL ELSE " + note + " END";
    };
    // Parenthesized: SQLite's || binds tighter than %.
    const std::string t = "((g * 40503 + " + s + " * 7) % 1000000007)", n = "((g * 31 + " + s + ") % 100000)";
    switch (kind) {
    case reflorm::backend::postgresql:
        return values("g", "'text ' || " + t, "'note ' || " + n) + " FROM generate_series(" + std::to_string(first) +
               "::bigint, " + std::to_string(last) + ") g";
    case reflorm::backend::mysql:  // MariaDB's SEQUENCE engine: seq_<from>_to_<to>
        return values("g", "CONCAT('text ', " + t + ")", "CONCAT('note ', " + n + ")") + " FROM (SELECT seq AS g FROM seq_" +
               std::to_string(first) + "_to_" + std::to_string(last) + ") numbers";
    case reflorm::backend::sqlite: break;
    }
    return "WITH RECURSIVE numbers(g) AS (SELECT " + std::to_string(first) + " UNION ALL SELECT g + 1 FROM numbers WHERE g < " +
           std::to_string(last) + ") " + values("g", "'text ' || " + t, "'note ' || " + n) + " FROM numbers";
}

}  // namespace

int main(int argc, char** argv) {
    const std::string url = bench::stream::url_argument(argc, argv, "<url> [rows]");
    const std::uint64_t rows = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : bench::stream::default_rows;
    auto engine = reflorm::create_engine(url);
    reflorm::create_all<StreamRow>(engine);  // when missing
    auto conn = engine.connect();
    const auto count = reflorm::select(reflorm::count()).select_from<StreamRow>();
    if (static_cast<std::uint64_t>(conn.execute(count).scalar_one()) == rows) return 0;
    conn.exec_driver_sql("DELETE FROM stream_rows");
    constexpr std::uint64_t chunk = 1'000'000;
    for (std::uint64_t first = 1; first <= rows; first += chunk) {
        conn.exec_driver_sql(fill_sql(engine.url().kind, first, std::min(rows, first + chunk - 1)));
        std::fprintf(stderr, "\rstream_rows: %llu rows", static_cast<unsigned long long>(std::min(rows, first + chunk - 1)));
    }
    std::fprintf(stderr, "\n");
    return 0;
}
