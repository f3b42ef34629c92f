// stream_10m, raw MariaDB Connector/C: the floor on MariaDB, a prepared statement (binary
// protocol, as reflorm's driver) whose rows are fetched into bound buffers and copied into a
// StreamRow. The mode picks how the rows travel:
//   unbuffered  mysql_stmt_fetch straight from the connection, no mysql_stmt_store_result
//               (reflorm's way with stream_results)
//   cursor      CURSOR_TYPE_READ_ONLY with STMT_ATTR_PREFETCH_ROWS 10000: the server materializes
//               the result in a temporary table and sends it 10,000 rows per COM_STMT_FETCH
//   buffered    mysql_stmt_store_result: the whole result in client memory first (reflorm's
//               default)
//
//   stream_10m_mariadb <mysql://user:pw@host:port/db> [unbuffered|cursor|buffered]
#include <reflorm/engine/url.hpp>

#include "bench_stream.hpp"

#include <mysql.h>

#include <cstring>
#include <string>

int main(int argc, char** argv) {
    const auto u = reflorm::parse_url(bench::stream::url_argument(argc, argv, "<mysql://...> [unbuffered|cursor|buffered]"));
    const std::string mode = argc > 2 ? argv[2] : "unbuffered";
    MYSQL* m = mysql_init(nullptr);
    if (!mysql_real_connect(m, u.host.c_str(), u.username.c_str(), u.password.c_str(), u.database.c_str(), u.port, nullptr, 0)) {
        std::fprintf(stderr, "mariadb: %s\n", mysql_error(m));
        return 1;
    }
    mysql_set_character_set(m, "utf8mb4");
    const std::string contender = "mariadb_" + mode;
    const int rc = bench::stream::run(contender.c_str(), [&](std::uint64_t& rows) -> std::uint64_t {
        MYSQL_STMT* stmt = mysql_stmt_init(m);
        const auto fail = [&] {
            std::fprintf(stderr, "mariadb: %s\n", mysql_stmt_error(stmt));
            mysql_stmt_close(stmt);
            return std::uint64_t{0};
        };
        if (mysql_stmt_prepare(stmt, bench::stream::select_sql, std::strlen(bench::stream::select_sql)) != 0) return fail();
        if (mode == "cursor") {
            unsigned long type = CURSOR_TYPE_READ_ONLY, prefetch = 10000;
            mysql_stmt_attr_set(stmt, STMT_ATTR_CURSOR_TYPE, &type);
            mysql_stmt_attr_set(stmt, STMT_ATTR_PREFETCH_ROWS, &prefetch);
        }
        if (mysql_stmt_execute(stmt) != 0) return fail();
        long long id = 0, a = 0;
        double value = 0;
        char text[64], note[64];
        unsigned long text_length = 0, note_length = 0;
        my_bool note_null = 0;
        MYSQL_BIND out[5]{};
        out[0].buffer_type = out[1].buffer_type = MYSQL_TYPE_LONGLONG;
        out[0].buffer = &id;
        out[1].buffer = &a;
        out[2].buffer_type = out[4].buffer_type = MYSQL_TYPE_STRING;
        out[2].buffer = text;
        out[2].buffer_length = sizeof text;
        out[2].length = &text_length;
        out[3].buffer_type = MYSQL_TYPE_DOUBLE;
        out[3].buffer = &value;
        out[4].buffer = note;
        out[4].buffer_length = sizeof note;
        out[4].length = &note_length;
        out[4].is_null = &note_null;
        if (mysql_stmt_bind_result(stmt, out) != 0) return fail();
        if (mode == "buffered" && mysql_stmt_store_result(stmt) != 0) return fail();
        std::uint64_t check = 0;
        bench::stream::StreamRow row;
        int status = 0;
        while ((status = mysql_stmt_fetch(stmt)) == 0) {
            row.id = id;
            row.a = a;
            row.text.assign(text, text_length);
            row.value = value;
            if (note_null) row.note.reset();
            else row.note.emplace(note, note_length);
            check += bench::stream::checksum(row.id, row.a, row.text.size(), row.value, row.note ? &*row.note : nullptr);
            ++rows;
        }
        if (status != MYSQL_NO_DATA) return fail();
        mysql_stmt_close(stmt);
        return check;
    });
    mysql_close(m);
    return rc;
}
