// bulk_insert, SOCI: N rows (REFLORM_BENCH_N, default the row count of the data file) copied
// into column vectors and inserted with bulk use(std::vector) in batches of 10,000, in one
// soci::transaction, into an empty table of a new file.
#include "bench_common.hpp"
#include "bench_soci.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    const std::string source = bench::db_path(argc, argv);
    long long n = 0;
    {
        soci::session sql;
        bench::open_soci(sql, source);
        sql << "SELECT count(*) FROM \"rows\"", soci::into(n);
    }
    n = static_cast<long long>(bench::env_count("REFLORM_BENCH_N", static_cast<std::uint64_t>(n)));
    std::vector<bench::Row> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (long long i = 1; i <= n; ++i) rows.push_back(bench::make_row(i, 1));

    const std::string target = source + ".bulk_soci.db";
    constexpr std::size_t batch = 10000;
    bench::runs runs;
    std::uint64_t check = 0;
    for (int run = 0; run < 5; ++run) {
        std::remove(target.c_str());
        soci::session sql;
        bench::open_soci(sql, target);
        sql << bench::rows_ddl("rows");
        runs.start();
        {
            soci::transaction tr(sql);
            std::vector<long long> ids, as;
            std::vector<std::string> texts, notes, ats;
            std::vector<double> values;
            std::vector<soci::indicator> note_ind;
            char at[20];
            for (std::size_t begin = 0; begin < rows.size(); begin += batch) {
                const std::size_t end = std::min(rows.size(), begin + batch);
                ids.clear(), as.clear(), texts.clear(), notes.clear(), ats.clear(), values.clear(), note_ind.clear();
                for (std::size_t i = begin; i < end; ++i) {
                    const bench::Row& row = rows[i];
                    ids.push_back(row.id);
                    as.push_back(row.a);
                    texts.push_back(row.text);
                    values.push_back(row.value);
                    notes.push_back(row.note.value_or(std::string()));
                    note_ind.push_back(row.note ? soci::i_ok : soci::i_null);
                    bench::format_timestamp(row.at, at);
                    ats.emplace_back(at, 19);
                }
                sql << "INSERT INTO \"rows\" (id, a, text, value, note, at) VALUES (:id, :a, :text, :value, :note, :at)",
                    soci::use(ids), soci::use(as), soci::use(texts), soci::use(values), soci::use(notes, note_ind),
                    soci::use(ats);
            }
            tr.commit();
        }
        runs.stop();
        long long count = 0;
        sql << "SELECT count(*) FROM \"rows\"", soci::into(count);
        check = static_cast<std::uint64_t>(count);
    }
    std::remove(target.c_str());
    return bench::report("bulk_insert", "soci", runs.median(), check);
}
