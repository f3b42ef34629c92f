// Streamed results (issue 13 item 5): execution_options({.stream_results = true}) on every
// backend. The rows streamed equal the rows buffered; a partly read stream, closed, leaves its
// connection usable; another statement while a stream is open is an invalid_request_error on the
// servers (SQLite runs it); a transaction around a streamed read commits; an error mid-stream is
// a database_error; and on the servers the client's peak memory stays flat while 200,000 rows
// stream, where the buffered read of the same rows grows by their size.
#define BOOST_TEST_MODULE streaming
#include <boost/test/unit_test.hpp>

#include "support/backend.hpp"

#include <reflorm/reflorm.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

using reflorm::c;
using reflorm_test::backend;
using reflorm_test::database;

namespace {

struct Reading {
    std::int64_t id = 0;
    std::int64_t n = 0;
    std::optional<std::string> label;
    double amount = 0;
};

}  // namespace

template <>
struct reflorm::model<Reading> {
    static constexpr std::string_view table = "readings";
};

namespace {

constexpr reflorm::execution_options streamed{.stream_results = true};

bool on_server(backend kind) { return kind != backend::sqlite; }

/// `rows` readings made by the database itself: n from 1, every 7th label NULL, the others
/// "row <n>" and `pad` x's.
std::string fill_sql(backend kind, int rows, int pad) {
    const std::string n = std::to_string(rows), p = std::to_string(pad);
    switch (kind) {
    case backend::postgresql:
        return "INSERT INTO readings (n, label, amount) SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'row ' || g || repeat('x', " + p +
               ") END, g * 0.5 FROM generate_series(1, " + n + ") g";
    case backend::mysql:
        return "INSERT INTO readings (n, label, amount) SELECT seq, CASE WHEN seq % 7 = 0 THEN NULL ELSE CONCAT('row ', seq, "
               "REPEAT('x', " + p + ")) END, seq * 0.5 FROM seq_1_to_" + n;
    case backend::sqlite: break;
    }
    return "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < " + n +
           ") INSERT INTO readings (n, label, amount) SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'row ' || g || "
           "substr(replace(hex(zeroblob(" + p + ")), '0', 'x'), 1, " + p + ") END, g * 0.5 FROM s";
}

struct fixture {
    database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    explicit fixture(int rows = 12'000, int pad = 8) {
        reflorm::create_all<Reading>(engine);
        engine.connect().exec_driver_sql(fill_sql(db.kind(), rows, pad));
    }
    static auto columns() { return reflorm::select(c<&Reading::n>, c<&Reading::label>, c<&Reading::amount>); }
    static auto count() { return reflorm::select(reflorm::count()).select_from<Reading>(); }
};

struct big_fixture : fixture {
    big_fixture() : fixture(200'000, 200) {}
};

bool streaming_error(const reflorm::invalid_request_error& e) {
    return std::string(e.what()).find("a streamed result is still open on this connection") != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(streaming, fixture)

BOOST_AUTO_TEST_CASE(streamed_rows_equal_buffered_rows) {
    auto conn = engine.connect();
    const auto ordered = columns().order_by(c<&Reading::n>.desc());
    const auto buffered = conn.execute(ordered).all();
    const auto rows = conn.execute(ordered.execution_options(streamed)).all();
    BOOST_TEST(rows.size() == 12'000u);
    BOOST_TEST((rows == buffered));
    BOOST_TEST(std::get<0>(rows.front()) == 12'000);
    BOOST_TEST(!std::get<1>(rows[9]));  // n 11991 = 7 * 1713: NULL
    BOOST_TEST(*std::get<1>(rows[0]) == "row 12000xxxxxxxx");
    BOOST_TEST(std::get<2>(rows[1]) == 5999.5);

    // Whole models, iterated one by one, and scalars.
    std::int64_t expected = 1, seen = 0;
    for (const Reading& r : conn.execute(reflorm::select<Reading>().order_by(c<&Reading::n>).execution_options(streamed))) {
        BOOST_REQUIRE(r.n == expected++);
        BOOST_REQUIRE(r.label.has_value() == (r.n % 7 != 0));
        ++seen;
    }
    BOOST_TEST(seen == 12'000);
    const auto ns = conn.execute(reflorm::select(c<&Reading::n>).order_by(c<&Reading::n>).execution_options(streamed)).scalars().all();
    BOOST_TEST(ns.size() == 12'000u);
    BOOST_TEST(ns.back() == 12'000);
    // No rows, and the connection free after them.
    BOOST_TEST(conn.execute(columns().where(c<&Reading::n> < 0).execution_options(streamed)).all().empty());
    BOOST_TEST(conn.execute(count()).scalar_one() == 12'000);
}

BOOST_AUTO_TEST_CASE(a_partly_read_stream_closed_leaves_the_connection_usable) {
    auto conn = engine.connect();
    const auto ordered = columns().order_by(c<&Reading::n>).execution_options(streamed);
    {
        auto result = conn.execute(ordered);
        BOOST_TEST(result.fetchmany(10).size() == 10u);
        result.close();
        BOOST_TEST(conn.execute(count()).scalar_one() == 12'000);
    }
    {
        auto result = conn.execute(ordered);
        BOOST_TEST(std::get<0>(*result.fetchone()) == 1);
    }  // destroyed partly read
    BOOST_TEST(conn.execute(count()).scalar_one() == 12'000);
    BOOST_TEST(std::get<0>(*conn.execute(ordered).first()) == 1);  // first() closes the rest
    BOOST_TEST(conn.execute(ordered).all().size() == 12'000u);
    // The same, inside a transaction (PostgreSQL drains the rest there instead of cancelling).
    auto tx = conn.begin();
    {
        auto result = conn.execute(ordered);
        BOOST_TEST(result.fetchmany(3).size() == 3u);
    }
    BOOST_TEST(conn.execute(count()).scalar_one() == 12'000);
    tx.commit();
    // The connection, back in the pool, serves the next checkout.
    auto again = engine.connect();
    BOOST_TEST(again.execute(count()).scalar_one() == 12'000);
}

BOOST_AUTO_TEST_CASE(another_statement_while_streaming_is_an_invalid_request_on_servers) {
    auto conn = engine.connect();
    auto result = conn.execute(columns().order_by(c<&Reading::n>).execution_options(streamed));
    BOOST_TEST(std::get<0>(*result.fetchone()) == 1);
    if (on_server(db.kind())) {
        BOOST_CHECK_EXCEPTION(conn.execute(count()), reflorm::invalid_request_error, streaming_error);
        BOOST_CHECK_EXCEPTION(conn.execute(columns().execution_options(streamed)), reflorm::invalid_request_error, streaming_error);
        BOOST_CHECK_EXCEPTION(conn.exec_driver_sql("SELECT 1"), reflorm::invalid_request_error, streaming_error);
        BOOST_CHECK_EXCEPTION(conn.begin(), reflorm::invalid_request_error, streaming_error);
        BOOST_TEST(!conn.in_transaction());
    } else {
        BOOST_TEST(conn.execute(count()).scalar_one() == 12'000);  // SQLite steps both statements
    }
    // The stream goes on where it was, then the connection is free.
    BOOST_TEST(std::get<0>(*result.fetchone()) == 2);
    BOOST_TEST(result.all().size() == 11'998u);
    BOOST_TEST(conn.execute(count()).scalar_one() == 12'000);
    // Other connections are not concerned.
    auto streaming = conn.execute(columns().execution_options(streamed));
    (void)streaming.fetchone();
    BOOST_TEST(engine.connect().execute(count()).scalar_one() == 12'000);
}

BOOST_AUTO_TEST_CASE(a_transaction_around_a_streamed_read_commits) {
    auto conn = engine.connect();
    auto tx = conn.begin();
    Reading extra{.n = 20'000, .label = "extra", .amount = 1.5};
    conn.insert(extra);
    std::int64_t sum = 0, rows = 0;
    for (const auto& [n, label, amount] : conn.execute(columns().execution_options(streamed))) {
        sum += n;
        ++rows;
    }
    BOOST_TEST(rows == 12'001);
    BOOST_TEST(sum == 12'000LL * 12'001 / 2 + 20'000);
    // Commit waits for an open stream (on the servers), then goes through.
    {
        auto result = conn.execute(columns().execution_options(streamed));
        (void)result.fetchone();
        if (on_server(db.kind())) {
            BOOST_CHECK_EXCEPTION(tx.commit(), reflorm::invalid_request_error, streaming_error);
            BOOST_TEST(tx.active());
        }
    }
    tx.commit();
    BOOST_TEST(db.raw().integer("SELECT COUNT(*) FROM readings") == 12'001);
}

BOOST_AUTO_TEST_CASE(an_error_mid_stream_is_a_database_error, *boost::unit_test::timeout(60)) {
    if (!on_server(db.kind())) return;  // SQLite: no other session can interrupt a statement
    auto conn = engine.connect();
    conn.exec_driver_sql(fill_sql(db.kind(), 150'000, 100));  // 162,000 rows: more than socket buffers hold
    const bool pg = db.kind() == backend::postgresql;
    const std::int64_t pid = conn.execute(reflorm::text(pg ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()").columns<std::int64_t>()).scalar_one();
    auto result = conn.execute(columns().order_by(c<&Reading::id>).execution_options(streamed));
    BOOST_TEST(result.fetchmany(100).size() == 100u);
    db.raw().execute(pg ? "SELECT pg_cancel_backend(" + std::to_string(pid) + ")" : "KILL QUERY " + std::to_string(pid));
    std::size_t read = 100;
    BOOST_CHECK_THROW(
        {
            while (result.fetchone()) ++read;
        },
        reflorm::database_error);
    BOOST_TEST(read < 162'000u);
    BOOST_TEST(conn.execute(count()).scalar_one() == 162'000);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(memory, big_fixture)

BOOST_AUTO_TEST_CASE(streaming_200000_rows_keeps_client_memory_flat) {
    if (!on_server(db.kind())) return;  // SQLite reads row by row either way
    auto conn = engine.connect();
    const auto all = columns().order_by(c<&Reading::n>);
    std::size_t bytes = 0, rows = 0;
    const long before_streamed = reflorm_test::peak_kib(true);
    for (const auto& [n, label, amount] : conn.execute(all.execution_options(streamed))) {
        bytes += label ? label->size() : 0;
        ++rows;
    }
    const long streamed_growth = reflorm_test::peak_kib(false) - before_streamed;
    BOOST_TEST(rows == 200'000u);
    BOOST_TEST(bytes > 30'000'000u);  // over 30 MB of labels went through

    const long before_buffered = reflorm_test::peak_kib(true);
    rows = 0;
    for (const auto& row : conn.execute(all)) {
        (void)row;
        ++rows;
    }
    const long buffered_growth = reflorm_test::peak_kib(false) - before_buffered;
    BOOST_TEST(rows == 200'000u);
    BOOST_TEST_MESSAGE("peak RSS growth: streamed " << streamed_growth << " KiB, buffered " << buffered_growth << " KiB");
    BOOST_TEST(streamed_growth < 8 * 1024);   // a few rows' worth, whatever the result's size
    BOOST_TEST(buffered_growth > 30 * 1024);  // the check measures something: buffering holds them all
}

BOOST_AUTO_TEST_SUITE_END()
