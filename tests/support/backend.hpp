// The backend a test process runs on, and fresh databases on it: what lets one test source run
// on SQLite, PostgreSQL and MariaDB. tests/meson.build registers such a test once per backend
// (suite [layer, backend]) with REFLORM_TEST_BACKEND set; the server URLs come from the
// environment (scripts/test starts the servers, see docs/backends.md).
//
//     #include "support/backend.hpp"
//
//     BOOST_AUTO_TEST_CASE(round_trip) {
//         reflorm_test::database db;                        // fresh, dropped at scope exit
//         auto engine = reflorm::create_engine(db.url());
//         auto raw = db.raw();                              // the backend's own client
//         ...
//     }
//
// A process whose backend has no server (its URL variable unset) exits with meson's skip code 77
// before its first test case and prints why: linking the support library registers a Boost.Test
// global fixture that checks it.
#pragma once

#include "raw_client.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reflorm_test {

/// REFLORM_TEST_BACKEND: "sqlite" (also when unset), "postgresql" or "mysql". Throws
/// std::runtime_error on any other value.
backend current_backend();

/// The server URL of a backend from REFLORM_TEST_POSTGRESQL_URL or REFLORM_TEST_MYSQL_URL, in
/// reflorm's form (`postgresql://user:pw@host:port/db`); nullopt when unset or for SQLite.
std::optional<std::string> server_url(backend kind);

/// Why tests on `kind` cannot run in this process, or nullopt when they can.
std::optional<std::string> skip_reason(backend kind);

/// A fresh, empty database for one test (or one process): a file in a new temporary directory
/// on SQLite; `CREATE DATABASE reflorm_t_<pid>_<n>` on the servers, made through the raw client
/// on the server's URL. The destructor drops it (PostgreSQL: WITH (FORCE), closing connections
/// an engine may still hold), also when the test failed: declare engines and sessions after it.
class database {
public:
    /// Throws std::runtime_error when the backend has no server (see skip_reason) or the
    /// database cannot be created.
    explicit database(backend kind = current_backend());
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    backend kind() const noexcept { return kind_; }
    /// The URL to give reflorm::create_engine: `sqlite:////tmp/.../test.db`, or the server URL
    /// with the database name replaced (its query, e.g. `?host=/socket/dir`, kept).
    const std::string& url() const noexcept { return url_; }
    /// The database name on a server; the file path on SQLite.
    const std::string& name() const noexcept { return name_; }
    /// A new raw connection to this database.
    raw_client raw() const { return raw_client::connect(url_); }

private:
    backend kind_;
    std::string name_;
    std::string url_;
    std::optional<std::string> server_url_;  // the server's own database, for DROP DATABASE
    std::filesystem::path dir_;               // SQLite's temporary directory
};

/// A Boost.Test decorator: the test runs on SQLite only and is reported skipped elsewhere,
/// with `why` (what makes it SQLite's) in the message.
boost::unit_test::decorator::precondition only_on_sqlite(std::string why);

/// `sql` with PostgreSQL's numbered placeholders ($1, $2, ...) written as '?', so that one
/// expected statement text serves every dialect.
std::string with_qmarks(std::string_view sql);
std::vector<std::string> with_qmarks(const std::vector<std::string>& statements);
/// The INSERT of a row whose key `key` the database generates, as the backend under test renders
/// it with '?' placeholders: SQLite binds the key NULL, PostgreSQL leaves it out and reads it
/// back with RETURNING, MySQL/MariaDB leave it out. `columns` are the other columns, in order.
std::string generated_key_insert(std::string_view table, const std::vector<std::string>& columns, std::string_view key = "id");

/// `url` with its path (the database) replaced by `name`; the query is kept.
std::string with_database(const std::string& url, const std::string& name);

/// The process's peak resident memory in KiB (VmHWM), after resetting the peak to the current
/// resident size where the kernel allows it (clear_refs 5, Linux 4.0+); -1 if unreadable.
long peak_kib(bool reset_first);

/// A temporary directory, removed with its contents at scope exit.
struct temp_dir {
    std::filesystem::path path;
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
};

}  // namespace reflorm_test
