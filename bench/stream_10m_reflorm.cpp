// stream_10m, reflorm Core: every row of stream_rows (bench/stream_10m_generate) read by
// iterating connection.execute(select<StreamRow>().order_by(id)) into StreamRow structs, with
// execution_options({.stream_results = true}) on the servers (SQLite always reads row by row).
//
//   stream_10m_reflorm <url> [buffered|orm]
//
// `buffered` runs the same loop without stream_results (contender reflorm_buffered), to show what
// streaming saves: the servers' drivers then hold the whole result in client memory first.
// `orm` reads the rows as a session's objects, session.scalars(...) with execution_options
// yield_per 10,000 (implying stream_results), against SQLAlchemy's ORM yield_per (contender
// reflorm_orm): each batch leaves the session as the next is read, in flat memory.
#include <reflorm/orm.hpp>
#include <reflorm/reflorm.hpp>

#include "bench_stream.hpp"

#include <string>

template <>
struct reflorm::model<bench::stream::StreamRow> {
    static constexpr std::string_view table = "stream_rows";
};

int main(int argc, char** argv) {
    using bench::stream::StreamRow;
    const std::string url = bench::stream::url_argument(argc, argv, "<url> [buffered|orm]");
    const bool buffered = argc > 2 && std::string(argv[2]) == "buffered";
    auto engine = reflorm::create_engine(url);
    if (argc > 2 && std::string(argv[2]) == "orm") {
        reflorm::session session{engine};
        const auto objects = reflorm::select<StreamRow>().order_by(reflorm::c<&StreamRow::id>).execution_options({.yield_per = 10'000});
        return bench::stream::run("reflorm_orm", [&](std::uint64_t& rows) {
            std::uint64_t check = 0;
            for (const auto& row : session.scalars(objects)) {
                check += bench::stream::checksum(row->id, row->a, row->text.size(), row->value, row->note ? &*row->note : nullptr);
                ++rows;
            }
            return check;
        });
    }
    auto conn = engine.connect();
    const auto statement = reflorm::select<StreamRow>()
                               .order_by(reflorm::c<&StreamRow::id>)
                               .execution_options({.stream_results = !buffered});
    return bench::stream::run(buffered ? "reflorm_buffered" : "reflorm", [&](std::uint64_t& rows) {
        std::uint64_t check = 0;
        for (const StreamRow& row : conn.execute(statement)) {
            check += bench::stream::checksum(row.id, row.a, row.text.size(), row.value, row.note ? &*row.note : nullptr);
            ++rows;
        }
        return check;
    });
}
