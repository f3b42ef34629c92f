// stream_10m, raw libpq: the floor on PostgreSQL, each row's text values parsed into a StreamRow
// as reflorm's driver does. The mode picks how the rows travel (what chose reflorm's design):
//   single_row  PQsendQueryParams + PQsetSingleRowMode: one PGresult per row (reflorm's way)
//   cursor      DECLARE ... CURSOR in a transaction, then FETCH 10000 until none: a round trip
//               and a PGresult per 10,000 rows
//   buffered    PQexecParams: the whole result in client memory first (PostgreSQL 15 has no
//               chunked mode; PQsetChunkedRowsMode came with libpq 17)
//
//   stream_10m_libpq <postgresql://user:pw@host:port/db> [single_row|cursor|buffered]
#include <reflorm/engine/url.hpp>

#include "bench_stream.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <string>

namespace {

using bench::stream::StreamRow;

std::uint64_t add_rows(const PGresult* r, std::uint64_t& rows) {
    std::uint64_t check = 0;
    StreamRow row;
    for (int i = 0, n = PQntuples(r); i < n; ++i) {
        const auto field = [&](int c) { return std::string_view(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c))); };
        const auto id = field(0), a = field(1), value = field(3);
        std::from_chars(id.data(), id.data() + id.size(), row.id);
        std::from_chars(a.data(), a.data() + a.size(), row.a);
        row.text.assign(field(2));
        std::from_chars(value.data(), value.data() + value.size(), row.value);
        if (PQgetisnull(r, i, 4)) row.note.reset();
        else row.note.emplace(field(4));
        check += bench::stream::checksum(row.id, row.a, row.text.size(), row.value, row.note ? &*row.note : nullptr);
        ++rows;
    }
    return check;
}

bool ok(PGconn* conn, PGresult* r, ExecStatusType want) {
    const bool good = PQresultStatus(r) == want;
    if (!good) std::fprintf(stderr, "libpq: %s", PQerrorMessage(conn));
    PQclear(r);
    return good;
}

}  // namespace

int main(int argc, char** argv) {
    const auto u = reflorm::parse_url(bench::stream::url_argument(argc, argv, "<postgresql://...> [single_row|cursor|buffered]"));
    const std::string mode = argc > 2 ? argv[2] : "single_row";
    const std::string conninfo = "host=" + u.host + " port=" + std::to_string(u.port) + " dbname=" + u.database + " user=" + u.username +
                                 " password=" + u.password;
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        std::fprintf(stderr, "libpq: %s", PQerrorMessage(conn));
        return 1;
    }
    const std::string contender = "libpq_" + mode;
    const int rc = bench::stream::run(contender.c_str(), [&](std::uint64_t& rows) -> std::uint64_t {
        std::uint64_t check = 0;
        if (mode == "buffered") {
            PGresult* r = PQexecParams(conn, bench::stream::select_sql, 0, nullptr, nullptr, nullptr, nullptr, 0);
            check = add_rows(r, rows);
            return ok(conn, r, PGRES_TUPLES_OK) ? check : 0;
        }
        if (mode == "cursor") {
            if (!ok(conn, PQexec(conn, "BEGIN"), PGRES_COMMAND_OK)) return 0;
            const std::string declare = std::string("DECLARE stream_10m NO SCROLL CURSOR FOR ") + bench::stream::select_sql;
            if (!ok(conn, PQexec(conn, declare.c_str()), PGRES_COMMAND_OK)) return 0;
            for (;;) {
                PGresult* r = PQexecParams(conn, "FETCH 10000 FROM stream_10m", 0, nullptr, nullptr, nullptr, nullptr, 0);
                const int n = PQntuples(r);
                check += add_rows(r, rows);
                if (!ok(conn, r, PGRES_TUPLES_OK)) return 0;
                if (n == 0) break;
            }
            return ok(conn, PQexec(conn, "COMMIT"), PGRES_COMMAND_OK) ? check : 0;
        }
        if (PQsendQueryParams(conn, bench::stream::select_sql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1 || PQsetSingleRowMode(conn) != 1)
            return 0;
        while (PGresult* r = PQgetResult(conn)) {
            const ExecStatusType status = PQresultStatus(r);
            check += add_rows(r, rows);
            if (status != PGRES_SINGLE_TUPLE && !ok(conn, r, PGRES_TUPLES_OK)) return 0;
            if (status == PGRES_SINGLE_TUPLE) PQclear(r);
        }
        return check;
    });
    PQfinish(conn);
    return rc;
}
