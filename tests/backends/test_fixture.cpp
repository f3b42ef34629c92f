// The per-backend fixture itself, on each backend (tests/support): fresh databases that are
// isolated from each other and dropped afterwards, and raw clients that read back exactly what
// was written. Uses no reflorm engine: it is the ground the engine and ORM tests stand on.
#define BOOST_TEST_MODULE backends_fixture
#include <boost/test/unit_test.hpp>

#include "support/backend.hpp"

#include <reflorm/engine/url.hpp>

#include <optional>
#include <stdexcept>
#include <string>

using reflorm_test::backend;
using reflorm_test::database;
using reflorm_test::raw_client;
using reflorm_test::raw_row;

namespace {

backend kind() { return reflorm_test::current_backend(); }

long long table_count(raw_client& raw) {
    switch (raw.kind()) {
    case backend::sqlite: return raw.integer("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
    case backend::postgresql:
        return raw.integer("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
    case backend::mysql:
        return raw.integer("SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()");
    }
    return -1;
}

/// Whether a database of that name (a file on SQLite) still exists, asked of the server itself.
bool database_exists(backend kind, const std::string& name) {
    if (kind == backend::sqlite) return std::filesystem::exists(name);
    auto server = raw_client::connect(*reflorm_test::server_url(kind));
    return server.integer(kind == backend::postgresql
                              ? "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'"
                              : "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + name + "'") == 1;
}

std::string blob_literal() {  // bytes 00 FF 41 00
    return kind() == backend::postgresql ? "'\\x00ff4100'::bytea" : "X'00FF4100'";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_database_is_new_empty_and_reachable_at_its_url) {
    database db;
    BOOST_TEST(db.kind() == kind());
    const std::string scheme = kind() == backend::sqlite ? "sqlite:////" : std::string(reflorm_test::backend_name(kind())) + "://";
    BOOST_TEST(db.url().rfind(scheme, 0) == 0, db.url());
    if (kind() != backend::sqlite) {
        BOOST_TEST(db.name().rfind("reflorm_t_", 0) == 0, db.name());
        BOOST_TEST(db.url().find("/" + db.name()) != std::string::npos);
    }
    auto raw = db.raw();
    BOOST_TEST(raw.kind() == kind());
    BOOST_TEST(table_count(raw) == 0);
    if (kind() == backend::postgresql) BOOST_TEST(*raw.value("SELECT current_database()") == db.name());
    if (kind() == backend::mysql) BOOST_TEST(*raw.value("SELECT DATABASE()") == db.name());
}

BOOST_AUTO_TEST_CASE(rows_come_back_as_written) {
    database db;
    auto raw = db.raw();
    raw.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name VARCHAR(100), score BIGINT)");
    raw.execute("INSERT INTO people (id, name, score) VALUES (1, 'O''Brien', -9223372036854775808)");
    raw.execute("INSERT INTO people (id, name, score) VALUES (2, NULL, 9223372036854775807)");
    raw.execute("INSERT INTO people (id, name, score) VALUES (3, '\xF0\x9F\x98\x80 smile', NULL)");
    const std::vector<raw_row> expected = {
        {"1", "O'Brien", "-9223372036854775808"},
        {"2", std::nullopt, "9223372036854775807"},
        {"3", "\xF0\x9F\x98\x80 smile", std::nullopt},
    };
    BOOST_TEST((raw.rows("SELECT id, name, score FROM people ORDER BY id") == expected));
    BOOST_TEST(raw.integer("SELECT count(*) FROM people") == 3);
    BOOST_TEST(raw.integer("SELECT score FROM people WHERE id = 1") == INT64_MIN);
    BOOST_TEST(!raw.value("SELECT name FROM people WHERE id = 2").has_value());
    BOOST_TEST(raw.rows("SELECT id FROM people WHERE id > 3").empty());
    // A second connection sees the committed rows: autocommit, as each client's default.
    BOOST_TEST(db.raw().integer("SELECT count(*) FROM people") == 3);
}

BOOST_AUTO_TEST_CASE(blobs_come_back_as_raw_bytes) {
    database db;
    auto raw = db.raw();
    const auto blob = raw.value("SELECT " + blob_literal());
    BOOST_TEST((blob == std::string("\0\xff\x41\0", 4)));
}

BOOST_AUTO_TEST_CASE(two_databases_are_isolated) {
    database first;
    database second;
    BOOST_TEST(first.name() != second.name());
    BOOST_TEST(first.url() != second.url());
    auto a = first.raw();
    auto b = second.raw();
    a.execute("CREATE TABLE items (id INTEGER PRIMARY KEY)");
    a.execute("INSERT INTO items (id) VALUES (1)");
    BOOST_TEST(table_count(b) == 0);
    b.execute("CREATE TABLE items (id INTEGER PRIMARY KEY)");  // the same name: no clash
    b.execute("INSERT INTO items (id) VALUES (2)");
    b.execute("INSERT INTO items (id) VALUES (3)");
    BOOST_TEST(a.integer("SELECT count(*) FROM items") == 1);
    BOOST_TEST(b.integer("SELECT count(*) FROM items") == 2);
    BOOST_TEST(a.integer("SELECT max(id) FROM items") == 1);
}

BOOST_AUTO_TEST_CASE(a_database_is_dropped_at_scope_exit_also_after_a_failure) {
    std::string name;
    {
        database db;
        name = db.name();
        db.raw().execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        BOOST_TEST(database_exists(kind(), name));
    }
    BOOST_TEST(!database_exists(kind(), name));
    try {
        database db;
        name = db.name();
        auto raw = db.raw();  // still connected while the database is dropped
        raw.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        throw std::logic_error("a failing test");
    } catch (const std::logic_error&) {
    }
    BOOST_TEST(!database_exists(kind(), name));
}

BOOST_AUTO_TEST_CASE(raw_client_errors_name_the_sql_and_hide_the_password) {
    database db;
    auto raw = db.raw();
    try {
        raw.execute("SELECT * FROM no_such_table");
        BOOST_FAIL("a query on a missing table must throw");
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("no_such_table") != std::string::npos, message);
        BOOST_TEST(message.find(std::string(reflorm_test::backend_name(kind()))) != std::string::npos, message);
    }
    BOOST_CHECK_THROW(raw.integer("SELECT 'abc'"), std::runtime_error);
    BOOST_CHECK_THROW(raw.value("SELECT 1 UNION ALL SELECT 2"), std::runtime_error);
    if (kind() != backend::sqlite) {
        const std::string url = *reflorm_test::server_url(kind());
        const std::string password = reflorm::parse_url(url).password;
        BOOST_TEST_REQUIRE(!password.empty());
        const std::string wrong = reflorm_test::with_database(url, "reflorm_no_such_database");
        try {
            raw_client::connect(wrong);
            BOOST_FAIL("connecting to a missing database must throw");
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            BOOST_TEST(message.find("reflorm_no_such_database") != std::string::npos, message);
            BOOST_TEST(message.find(password) == std::string::npos, "the password leaked: " + message);
        }
    }
}

BOOST_AUTO_TEST_CASE(with_database_replaces_only_the_path) {
    using reflorm_test::with_database;
    BOOST_TEST(with_database("postgresql://u:p@127.0.0.1:5432/reflorm", "x") == "postgresql://u:p@127.0.0.1:5432/x");
    BOOST_TEST(with_database("mysql://u:p@h:1/db?host=/tmp/s/mysql.sock", "x") == "mysql://u:p@h:1/x?host=/tmp/s/mysql.sock");
    BOOST_TEST(with_database("postgresql://u@h", "x") == "postgresql://u@h/x");
    BOOST_TEST(with_database("postgresql://u@h?host=/run/pg", "x") == "postgresql://u@h/x?host=/run/pg");
}
