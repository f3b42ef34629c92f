// Settings of every new connection (issue 14 item 1): the isolation level, engine-wide and per
// connection (reset when the connection returns to the pool), AUTOCOMMIT, the statement timeout
// and the connect timeout, each as its backend's own setting, read back from the server.
#define BOOST_TEST_MODULE connection_settings
#include <boost/test/unit_test.hpp>

#include "support/backend.hpp"

#include <reflorm/engine/connection.hpp>
#include <reflorm/sql/text.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using reflorm::isolation;
using reflorm::text;
using reflorm_test::backend;
using reflorm_test::database;

namespace {

backend kind() { return reflorm_test::current_backend(); }

/// The connection's isolation level as the server says it, in SQL's spelling
/// ("READ COMMITTED"); on SQLite "SERIALIZABLE" or "READ UNCOMMITTED" from its pragma.
std::string level_of(reflorm::connection& conn) {
    switch (kind()) {
    case backend::sqlite:
        return *conn.scalar(text("PRAGMA read_uncommitted").columns<std::int64_t>()) ? "READ UNCOMMITTED" : "SERIALIZABLE";
    case backend::postgresql: {
        std::string level = *conn.scalar(text("SHOW transaction_isolation").columns<std::string>());
        for (auto& ch : level) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        return level;
    }
    case backend::mysql: {
        std::string level = *conn.scalar(text("SELECT @@tx_isolation").columns<std::string>());
        for (auto& ch : level) ch = ch == '-' ? ' ' : ch;
        return level;
    }
    }
    return {};
}

long long item_count(const database& db) { return db.raw().integer("SELECT count(*) FROM items"); }

/// docs/backends.md's retry recipe: the whole transaction again while the error is retryable().
template <class Work>
int with_retries(reflorm::connection& conn, int attempts, Work&& work) {
    for (int attempt = 1;; ++attempt) {
        try {
            auto tx = conn.begin();
            work(conn);
            tx.commit();
            return attempt;
        } catch (const reflorm::database_error& error) {
            if (!error.retryable() || attempt == attempts) throw;
        }
    }
}

std::int64_t counter(reflorm::connection& conn) {
    return *conn.scalar(text("SELECT n FROM counters WHERE id = 1").columns<std::int64_t>());
}
void set_counter(reflorm::connection& conn, std::int64_t n) {
    conn.execute(text("UPDATE counters SET n = :n WHERE id = 1").bind("n", n));
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_engine_level_applies_to_every_connection) {
    database db;
    const isolation level = kind() == backend::sqlite ? isolation::read_uncommitted : isolation::serializable;
    auto e = reflorm::create_engine(db.url(), {.pool_size = 2, .isolation_level = level});
    auto a = e.connect();
    auto b = e.connect();
    BOOST_TEST(level_of(a) == reflorm::to_string(level));
    BOOST_TEST(level_of(b) == reflorm::to_string(level));
}

BOOST_AUTO_TEST_CASE(a_connection_level_lasts_until_the_connection_returns) {
    database db;
    auto e = reflorm::create_engine(db.url(), {.pool_size = 1, .isolation_level = isolation::serializable});
    const isolation other = kind() == backend::sqlite ? isolation::read_uncommitted : isolation::repeatable_read;
    {
        auto conn = e.connect();
        conn.set_isolation_level(other);
        BOOST_TEST(level_of(conn) == reflorm::to_string(other));
        auto tx = conn.begin();
        BOOST_CHECK_THROW(conn.set_isolation_level(isolation::serializable), reflorm::invalid_request_error);
    }
    auto conn = e.connect();  // the same connection, its level put back
    BOOST_TEST(level_of(conn) == "SERIALIZABLE");
    BOOST_TEST(e.pool_status().idle == 0u);
}

BOOST_AUTO_TEST_CASE(without_an_engine_level_a_changed_connection_gets_the_servers_default_back) {
    database db;
    auto e = reflorm::create_engine(db.url(), {.pool_size = 1});
    std::string server_default;
    {
        auto conn = e.connect();
        server_default = level_of(conn);
        conn.set_isolation_level(kind() == backend::sqlite ? isolation::read_uncommitted : isolation::serializable);
        BOOST_TEST(level_of(conn) != server_default);
    }
    auto conn = e.connect();
    BOOST_TEST(level_of(conn) == server_default);
}

BOOST_AUTO_TEST_CASE(autocommit_sends_no_transaction_block) {
    database db;
    auto e = reflorm::create_engine(db.url(), {.isolation_level = isolation::autocommit});
    {
        auto conn = e.connect();
        conn.exec_driver_sql("CREATE TABLE items (id INTEGER PRIMARY KEY)");
        auto tx = conn.begin();
        BOOST_TEST(conn.in_transaction());
        conn.execute(text("INSERT INTO items (id) VALUES (1)"));
        BOOST_TEST(item_count(db) == 1);  // visible at once: it committed on its own
        tx.rollback();                     // nothing to roll back
        BOOST_TEST(!conn.in_transaction());
    }
    BOOST_TEST(item_count(db) == 1);
    // Per connection, on an engine that has transactions.
    auto normal = reflorm::create_engine(db.url(), {.pool_size = 1});
    {
        auto conn = normal.connect();
        conn.set_isolation_level(isolation::autocommit);
        auto tx = conn.begin();
        conn.execute(text("INSERT INTO items (id) VALUES (2)"));
        tx.rollback();
    }
    BOOST_TEST(item_count(db) == 2);
    auto conn = normal.connect();  // transactions again once returned
    auto tx = conn.begin();
    conn.execute(text("INSERT INTO items (id) VALUES (3)"));
    tx.rollback();
    BOOST_TEST(item_count(db) == 2);
}

BOOST_AUTO_TEST_CASE(levels_sqlite_lacks_are_refused) {
    if (kind() != backend::sqlite) return;
    database db;
    BOOST_CHECK_THROW(reflorm::create_engine(db.url(), {.isolation_level = isolation::read_committed}), reflorm::unsupported_error);
    BOOST_CHECK_THROW(reflorm::create_engine(db.url(), {.statement_timeout = 100ms}), reflorm::unsupported_error);
    auto e = reflorm::create_engine(db.url(), {.connect_timeout = 3s});  // ignored: a file does not wait
    auto conn = e.connect();
    BOOST_CHECK_THROW(conn.set_isolation_level(isolation::repeatable_read), reflorm::unsupported_error);
}

BOOST_AUTO_TEST_CASE(the_statement_timeout_cancels_a_long_statement) {
    if (kind() == backend::sqlite) return;  // refused above
    database db;
    auto e = reflorm::create_engine(db.url(), {.statement_timeout = 200ms, .connect_timeout = 5s});
    auto conn = e.connect();
    const char* sleep = kind() == backend::postgresql ? "SELECT pg_sleep(3)" : "SELECT SLEEP(3)";
    const auto start = std::chrono::steady_clock::now();
    BOOST_CHECK_THROW(conn.execute(text(sleep)), reflorm::operational_error);
    BOOST_TEST((std::chrono::steady_clock::now() - start < 2500ms));
    BOOST_TEST(*conn.scalar(text("SELECT 1").columns<std::int64_t>()) == 1);  // the connection goes on
    if (kind() == backend::postgresql) {
        BOOST_TEST(*conn.scalar(text("SHOW statement_timeout").columns<std::string>()) == "200ms");
    } else {
        BOOST_TEST(*conn.scalar(text("SELECT @@max_statement_time").columns<double>()) == 0.2);
    }
}

BOOST_AUTO_TEST_CASE(connect_timeout_goes_into_the_connect_parameters) {
    const auto u = reflorm::detail::with_connect_timeout(reflorm::parse_url("postgresql://u:p@127.0.0.1/db"), 7s);
    BOOST_TEST(u.query.at("connect_timeout") == "7");
    const auto given = reflorm::detail::with_connect_timeout(reflorm::parse_url("postgresql://u:p@127.0.0.1/db?connect_timeout=2"), 7s);
    BOOST_TEST(given.query.at("connect_timeout") == "2");  // the URL's wins
    BOOST_TEST(reflorm::detail::with_connect_timeout(reflorm::parse_url("sqlite://"), 7s).query.empty());
    BOOST_CHECK_THROW(reflorm::create_engine("mysql://u:p@127.0.0.1/db?connect_timeout=soon"), reflorm::url_error);
}

BOOST_AUTO_TEST_CASE(a_serialization_conflict_is_retryable_and_the_recipe_recovers) {
    // Two transactions read a counter and write it + 1. Under SERIALIZABLE one of them loses:
    // PostgreSQL refuses the second UPDATE (40001), InnoDB's shared read locks make the two
    // UPDATEs deadlock (1213) and one is rolled back. The loser runs again and succeeds.
    if (kind() == backend::sqlite) return;  // one writer at a time: its BEGIN IMMEDIATE waits instead
    database db;
    auto e = reflorm::create_engine(db.url(), {.pool_size = 2, .isolation_level = isolation::serializable});
    auto a = e.connect();
    auto b = e.connect();
    a.exec_driver_sql("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
    a.execute(text("INSERT INTO counters (id, n) VALUES (1, 0)"));
    std::optional<reflorm::transaction> ta{a.begin()}, tb{b.begin()};
    const auto seen_a = counter(a), seen_b = counter(b);
    BOOST_TEST(seen_a == 0);
    BOOST_TEST(seen_b == 0);
    bool a_failed = false, a_retryable = false, b_failed = false, b_retryable = false;
    std::thread first([&] {  // may wait on b's lock (MariaDB)
        try {
            set_counter(a, seen_a + 1);
            ta->commit();
        } catch (const reflorm::database_error& error) {
            a_failed = true;
            a_retryable = error.retryable();
        }
        ta.reset();
    });
    std::this_thread::sleep_for(300ms);
    try {
        set_counter(b, seen_b + 1);
        tb->commit();
    } catch (const reflorm::database_error& error) {
        b_failed = true;
        b_retryable = error.retryable();
    }
    tb.reset();
    first.join();
    BOOST_TEST((a_failed != b_failed));  // exactly one lost
    BOOST_TEST((a_failed ? a_retryable : b_retryable));
    auto& loser = a_failed ? a : b;
    const int attempts = with_retries(loser, 3, [](reflorm::connection& conn) { set_counter(conn, counter(conn) + 1); });
    BOOST_TEST(attempts == 1);
    BOOST_TEST(db.raw().integer("SELECT n FROM counters WHERE id = 1") == 2);  // no update lost
}
