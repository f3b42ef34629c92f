#pragma once
// Per-connection settings the engine applies to every connection it opens: the transaction
// isolation level and the statement timeout, as each backend's own SQL.
#include <reflorm/engine/url.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reflorm {

/// A transaction isolation level, as SQLAlchemy's isolation_level strings.
enum class isolation : std::uint8_t {
    read_uncommitted,  // SQLite: PRAGMA read_uncommitted (shared-cache connections only)
    read_committed,
    repeatable_read,
    serializable,      // SQLite's only level for its file locking
    /// No transaction blocks: every statement commits on its own, and begin(), commit() and
    /// rollback() send nothing (the transaction objects still track their state). SQLAlchemy's
    /// AUTOCOMMIT. insert_all() still runs in a transaction of its own.
    autocommit,
};

/// "READ COMMITTED", ..., "AUTOCOMMIT".
const char* to_string(isolation level) noexcept;

namespace detail {

/// The statement that gives a connection `level` for its later transactions (empty for
/// autocommit, which needs none, and for SQLite's serializable): PostgreSQL's SET SESSION
/// CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL, MariaDB's SET SESSION TRANSACTION ISOLATION
/// LEVEL. Throws unsupported_error for READ COMMITTED and REPEATABLE READ on SQLite.
std::string isolation_sql(backend kind, isolation level);
/// The statement that puts a connection back to the server's default level.
std::string default_isolation_sql(backend kind);
/// PostgreSQL's statement_timeout (ms), MariaDB's max_statement_time (s, to the ms). Throws
/// unsupported_error on SQLite, which has none (its busy_timeout bounds waits on locks).
std::string statement_timeout_sql(backend kind, std::chrono::milliseconds timeout);
/// The URL with connect_timeout (s) in its query, for libpq and Connector/C, unless the URL
/// gives one already; SQLite's URL is returned as it is (opening a file does not wait).
url with_connect_timeout(url u, std::chrono::seconds timeout);

}  // namespace detail

}  // namespace reflorm
