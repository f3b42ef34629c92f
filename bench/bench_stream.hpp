#pragma once
// What the stream_10m programs share (bench/stream_10m_<contender>.cpp, run together by
// bench/stream_10m.sh): the table, the data made by the database itself from a seed (never a
// data file), the statement every contender runs, the checksum, and the result line
//
//     stream_10m <contender> <seconds> <peak_rss_kb> <baseline_rss_kb> <rows>
//
// peak_rss_kb is VmHWM at the end, baseline_rss_kb VmRSS just before the statement runs: their
// difference is what reading the rows cost in memory (flat when they stream). One timed run: ten
// million rows take long enough that a median of several adds little.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

namespace bench::stream {

/// The row of table `stream_rows` (reflorm's model in stream_10m_reflorm and _generate).
struct StreamRow {
    std::int64_t id;
    std::int64_t a;
    std::string text;
    double value;
    std::optional<std::string> note;
};

inline constexpr std::uint64_t default_rows = 10'000'000;
inline constexpr std::uint64_t seed = 7;

/// The statement every contender runs, in key order.
inline constexpr const char* select_sql = "SELECT id, a, text, value, note FROM stream_rows ORDER BY id";

/// The checksum of one row, summed modulo 2^64 (Python: the same in stream_10m_sqlalchemy.py).
inline std::uint64_t checksum(std::int64_t id, std::int64_t a, std::size_t text_size, double value, const std::string* note) {
    return static_cast<std::uint64_t>(id) * 3 + static_cast<std::uint64_t>(a) + text_size + static_cast<std::uint64_t>(value) +
           (note ? note->size() : 7);
}

/// A /proc/self/status field in KiB (VmHWM: the peak resident size; VmRSS: the current one).
inline long status_kib(const char* field) {
    std::ifstream status("/proc/self/status");
    const std::string key = std::string(field) + ":";
    for (std::string line; std::getline(status, line);)
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
    return -1;
}

/// Times `read()` (which returns the checksum and counts rows), then prints the result line and,
/// on stderr, the checksum the runner compares between contenders.
template <class Read>
int run(const char* contender, Read&& read) {
    std::uint64_t rows = 0;
    const long baseline = status_kib("VmRSS");
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t check = read(rows);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("stream_10m %s %.3f %ld %ld %llu\n", contender, seconds, status_kib("VmHWM"), baseline,
                static_cast<unsigned long long>(rows));
    std::fprintf(stderr, "stream_10m %s check %llu\n", contender, static_cast<unsigned long long>(check));
    return rows ? 0 : 1;
}

/// The URL argument: argv[1], else $REFLORM_BENCH_URL; exits with the usage when neither is given.
inline std::string url_argument(int argc, char** argv, const char* usage) {
    if (argc > 1) return argv[1];
    if (const char* env = std::getenv("REFLORM_BENCH_URL")) return env;
    std::fprintf(stderr, "usage: %s %s\n", argv[0], usage);
    std::exit(2);
}

}  // namespace bench::stream
