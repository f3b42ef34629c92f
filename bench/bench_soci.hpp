#pragma once
// The SOCI contender's helpers: a session on the sqlite3 backend, opened as reflorm's driver
// opens SQLite (busy timeout, foreign keys on). SOCI 4.0.3 exchanges 64-bit integers as long long.
#include "bench_common.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

inline void open_soci(soci::session& sql, const std::string& path) {
    sql.open(*soci::factory_sqlite3(), "db=\"" + path + "\" timeout=5");
    sql << "PRAGMA foreign_keys = ON";
}


/// read_all through SOCI: one statement with bulk into(std::vector) per column, fetched in batches
/// of 10,000 rows, each batch moved into Row objects (timestamps read as text and parsed), on any SOCI backend
/// (bench/read_all_soci.cpp on SQLite, bench/server_*.cpp on the servers). Median of 5 runs; `check` sums bench::checksum.
inline double soci_read_all(soci::session& sql, const std::string& select, std::uint64_t& check) {
    constexpr std::size_t batch = 10000;
    return median_seconds([&](int) {
        std::vector<long long> ids(batch), as(batch);
        std::vector<std::string> texts(batch), notes(batch), ats(batch);
        std::vector<double> values(batch);
        std::vector<soci::indicator> note_ind(batch);
        soci::statement st = (sql.prepare << select, soci::into(ids), soci::into(as), soci::into(texts), soci::into(values),
                              soci::into(notes, note_ind), soci::into(ats));
        std::vector<Row> rows;
        auto take = [&] {
            for (std::size_t i = 0; i < ids.size(); ++i) {
                Row row{ids[i], as[i], std::move(texts[i]), values[i], std::nullopt, parse_timestamp(ats[i])};
                if (note_ind[i] == soci::i_ok) row.note = std::move(notes[i]);
                rows.push_back(std::move(row));
            }
        };
        auto resize = [&] {
            ids.resize(batch), as.resize(batch), texts.resize(batch), values.resize(batch);
            notes.resize(batch), note_ind.resize(batch), ats.resize(batch);
        };
        if (st.execute(true)) {
            take();
            resize();
            while (st.fetch()) {
                take();
                resize();
            }
        }
        check = 0;
        for (const auto& row : rows) check += checksum(row);
    });
}

}  // namespace bench
