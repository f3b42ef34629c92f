// read_all, SOCI: one statement with bulk into(std::vector) per column, fetched in batches of
// 10,000 rows, each batch moved into Row objects (timestamps parsed from the text column).
#include "bench_common.hpp"
#include "bench_soci.hpp"

int main(int argc, char** argv) {
    soci::session sql;
    bench::open_soci(sql, bench::db_path(argc, argv));
    constexpr std::size_t batch = 10000;
    std::uint64_t check = 0;
    const double seconds = bench::median_seconds([&](int) {
        std::vector<long long> ids(batch), as(batch);
        std::vector<std::string> texts(batch), notes(batch), ats(batch);
        std::vector<double> values(batch);
        std::vector<soci::indicator> note_ind(batch);
        soci::statement st = (sql.prepare << "SELECT id, a, text, value, note, at FROM \"rows\"", soci::into(ids),
                              soci::into(as), soci::into(texts), soci::into(values), soci::into(notes, note_ind),
                              soci::into(ats));
        std::vector<bench::Row> rows;
        auto take = [&] {
            for (std::size_t i = 0; i < ids.size(); ++i) {
                bench::Row row{ids[i], as[i], std::move(texts[i]), values[i], std::nullopt, bench::parse_timestamp(ats[i])};
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
        for (const auto& row : rows) check += bench::checksum(row);
    });
    return bench::report("read_all", "soci", seconds, check);
}
