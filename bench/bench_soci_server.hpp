#pragma once
// The raw SOCI contender of bench/server_postgresql.cpp and bench/server_mysql.cpp: the same
// session type on either server backend (SOCI 4.0.3 exchanges 64-bit integers as long long).
#include "bench_common.hpp"

#include <soci/soci.h>

#include <stdexcept>
#include <string>

namespace bench {

/// read_all through SOCI: one statement with bulk into(std::vector) per column, fetched in batches
/// of 10,000 rows, each batch moved into Row objects (timestamps read as text and parsed), as
/// bench/read_all_soci.cpp on SQLite. Median of 5 runs; `check` sums bench::checksum.
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

/// Row i's values as SOCI binds them: one set of variables, rebound by reference per row.
struct soci_row_values {
    long long a = 0;
    std::string text, note, at;
    double value = 0;
    soci::indicator note_ind = soci::i_ok;
    void set(const Row& row) {
        a = row.a;
        text = row.text;
        value = row.value;
        note = row.note.value_or(std::string());
        note_ind = row.note ? soci::i_ok : soci::i_null;
        char buffer[20];
        format_timestamp(row.at, buffer);
        at.assign(buffer, 19);
    }
};

/// Column vectors of rows[begin, end) for SOCI's bulk use(std::vector).
struct soci_columns {
    std::vector<long long> a;
    std::vector<std::string> text, note, at;
    std::vector<double> value;
    std::vector<soci::indicator> note_ind;
    void fill(const std::vector<Row>& rows, std::size_t begin, std::size_t end) {
        a.clear(), text.clear(), note.clear(), at.clear(), value.clear(), note_ind.clear();
        char buffer[20];
        for (std::size_t i = begin; i < end; ++i) {
            a.push_back(rows[i].a);
            text.push_back(rows[i].text);
            value.push_back(rows[i].value);
            note.push_back(rows[i].note.value_or(std::string()));
            note_ind.push_back(rows[i].note ? soci::i_ok : soci::i_null);
            format_timestamp(rows[i].at, buffer);
            at.emplace_back(buffer, 19);
        }
    }
};

}  // namespace bench
