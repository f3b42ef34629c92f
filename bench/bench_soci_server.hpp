#pragma once
// The raw SOCI contender of bench/server_postgresql.cpp and bench/server_mysql.cpp: the same
// session type on either server backend (SOCI 4.0.3 exchanges 64-bit integers as long long).
#include "bench_common.hpp"
#include "bench_soci.hpp"

#include <soci/soci.h>

#include <stdexcept>
#include <string>

namespace bench {

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
