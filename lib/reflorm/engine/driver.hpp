#pragma once
// The backend contract: what the engine needs from a database connection. One implementation
// per backend behind driver::connection / driver::cursor. Connections are opened through SOCI,
// and a backend may run its hot path on the native handle SOCI holds (SQLite does: sqlite3_step
// per row is the floor, and SOCI's row-exchange layer would add a copy per value). See
// docs/backends.md for which path each backend takes.
#include <reflorm/engine/url.hpp>
#include <reflorm/schema/column_type.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reflorm::driver {

/// A UTC instant with microseconds, as timestamps travel between the codec and a driver.
using micro_time = std::chrono::sys_time<std::chrono::microseconds>;

/// What a backend can store. The value codec refuses the rest before binding, with a
/// data_error naming the column and the value.
struct value_support {
    bool nan = false;       // NaN (SQLite would store NULL; MariaDB refuses it)
    bool infinity = true;   // +-infinity
    bool uint64 = false;    // unsigned 64-bit values above INT64_MAX (BIGINT UNSIGNED)
    /// Significant digits a NUMERIC value keeps when it has a fraction or does not fit int64:
    /// 15 on SQLite (it keeps such a value as a double), 0 where NUMERIC is exact.
    int decimal_digits = 0;
};

/// The outcome of reading one result column as one kind of value.
enum class cell : std::uint8_t {
    value,     // the value was read into `out`
    null,      // SQL NULL (never inferred from a zero or an empty text)
    mismatch,  // the stored value is not of that kind, or does not fit it without loss
};

/// An integer cell read as unsigned: a negative value is a mismatch. For drivers whose
/// read_uint64 goes through read_int64 (`value` by reference: read after the call that fills it).
inline cell unsigned_cell(cell read, const std::int64_t& value, std::uint64_t& out) {
    if (read != cell::value) return read;
    if (value < 0) return cell::mismatch;
    out = static_cast<std::uint64_t>(value);
    return cell::value;
}

/// A prepared statement of one connection. Parameter indexes are 1-based, result column
/// indexes 0-based. Errors are thrown as reflorm::database_error subclasses carrying the SQL.
class cursor {
public:
    explicit cursor(const value_support& support) noexcept : support_(&support) {}
    virtual ~cursor() = default;
    cursor(const cursor&) = delete;
    cursor& operator=(const cursor&) = delete;

    /// What the backend stores (checked by the codec before binding).
    const value_support& support() const noexcept { return *support_; }

    // ---- parameters: each travels as the backend's native type -------------------------
    virtual void bind_null(int index) = 0;
    virtual void bind_bool(int index, bool value) = 0;
    virtual void bind_int64(int index, std::int64_t value) = 0;
    /// An unsigned 64-bit value, on a backend whose support().uint64 says it stores them all
    /// (every value of a uint64 member then comes here, so that a parameter keeps one type).
    virtual void bind_uint64(int index, std::uint64_t value) = 0;
    virtual void bind_double(int index, double value) = 0;
    /// The text must stay alive and unchanged until step() (or run_batch's row) has run.
    virtual void bind_text(int index, std::string_view value) = 0;
    /// The driver copies the text: for values computed just for binding.
    virtual void bind_text_copy(int index, std::string_view value) = 0;
    /// The bytes must stay alive until step() has run. An empty blob is a blob, never NULL.
    virtual void bind_blob(int index, std::span<const std::byte> value) = 0;
    /// A valid date of years 1 to 9999 (the codec checks).
    virtual void bind_date(int index, date value) = 0;
    /// UTC, years 1 to 9999; `with_micros` false for reflorm::timestamp (whole seconds).
    virtual void bind_timestamp(int index, micro_time value, bool with_micros) = 0;
    /// An exact decimal as its canonical text ("-12.30"). By default bound as text, which
    /// SQLite's NUMERIC affinity converts and MariaDB compares with a DECIMAL exactly
    /// (tests/backends/test_value_types.cpp); PostgreSQL binds it as numeric.
    virtual void bind_decimal(int index, std::string_view text) { bind_text_copy(index, text); }
    /// A UUID as its 36-character lowercase text; by default bound as text.
    virtual void bind_uuid(int index, std::string_view text) { bind_text_copy(index, text); }
    /// A JSON document as its serialized text; by default bound as text.
    virtual void bind_json(int index, std::string_view text) { bind_text_copy(index, text); }

    // ---- running ---------------------------------------------------------------------------
    /// Runs or continues the statement: true while a result row is available. A driver may
    /// buffer the whole result (the default on servers), and then other statements may run on
    /// the connection while its rows are read; a streaming one (set_streaming) does not.
    virtual bool step() = 0;
    /// Asks that the next run's rows come from the server as step() reads them, in constant
    /// memory, rather than buffered whole by the client first (SQLAlchemy's stream_results):
    /// PostgreSQL's single-row mode, MariaDB's unbuffered fetch. Call before the step() that
    /// runs the statement; reset() turns it off. Where rows always come so (SQLite), a no-op.
    /// From that step() until the rows are read to the end (step() false, or it throws) or
    /// reset(), the connection's stream_guard is held: the connection runs nothing else, and
    /// prepare(), execute(), begin() and other cursors' step() throw invalid_request_error.
    /// reset() of a partly read stream leaves the connection usable (PostgreSQL: the query is
    /// cancelled outside a transaction and the rest read and dropped inside one, where a cancel
    /// would abort it; MariaDB: the rest is read and dropped).
    virtual void set_streaming(bool on) noexcept { (void)on; }
    /// Makes the statement ready to run again; bindings may be replaced.
    virtual void reset() noexcept = 0;
    /// Rows changed by this cursor's last INSERT, UPDATE or DELETE: per statement.
    virtual std::int64_t affected_rows() = 0;
    /// The key generated by this cursor's last INSERT, where the backend reports one without
    /// RETURNING (SQLite's rowid, MySQL's LAST_INSERT_ID). Throws unsupported_error where keys
    /// come back only through RETURNING (PostgreSQL).
    virtual std::int64_t last_insert_id() = 0;
    /// After the step() that ran the statement: how many rows its result has, where the client
    /// holds them all already (PostgreSQL's PQntuples, MariaDB's mysql_stmt_num_rows of a stored
    /// result); 0 when unknown (a streamed result, SQLite). A size hint for the caller's
    /// container, as the raw clients' callers use it; never a row count to rely on.
    virtual std::size_t buffered_rows() const noexcept { return 0; }

    /// Runs the statement once per row i in [0, n): bind(i) binds row i's parameters, the row
    /// runs, and after(i, row) is called, in row order, with `row` true when a result row (a
    /// RETURNING row) is current and can be read; affected_rows() and last_insert_id() are those
    /// of row i. Further result rows are discarded. This one runs one row at a time; a backend
    /// may send several rows before reading their results (PostgreSQL's pipeline mode, MariaDB's
    /// multi-row INSERTs: then sends_ahead() is true and bind(i + 1) may run before after(i), so
    /// a row that needs a value row i generates must go in a later batch). Rows before a failing
    /// one have had their after(); the error propagates from the failing row (an error that is no
    /// row's own, such as a deadlock or a lost connection, from the first row without after()).
    virtual void run_batch(std::size_t n, const std::function<void(std::size_t)>& bind,
                           const std::function<void(std::size_t, bool)>& after);
    /// Whether run_batch binds rows before the results of earlier rows are read.
    virtual bool sends_ahead() const noexcept { return false; }

    // ---- result columns ----------------------------------------------------------------------
    virtual bool is_null(int column) = 0;
    /// Each read returns cell::value with the value in `out`, cell::null, or cell::mismatch
    /// when the stored value is not of that kind or would lose information (text 'abc' or 1.5
    /// as an integer, 7 as a bool, a negative as unsigned). An exactly integral real reads as
    /// an integer, an integer as a double.
    virtual cell read_bool(int column, bool& out) = 0;
    virtual cell read_int64(int column, std::int64_t& out) = 0;
    virtual cell read_uint64(int column, std::uint64_t& out) = 0;
    virtual cell read_double(int column, double& out) = 0;
    /// Valid until the next step() or reset(). Numbers read as their decimal text.
    virtual cell read_text(int column, std::string_view& out) = 0;
    /// Valid until the next step() or reset().
    virtual cell read_blob(int column, std::span<const std::byte>& out) = 0;
    virtual cell read_date(int column, date& out) = 0;
    virtual cell read_timestamp(int column, micro_time& out) = 0;
    /// The value of `column` as the backend holds it, for an error message: "text 'abc'",
    /// "real 1.5", "integer 7" (long values cut short).
    virtual std::string describe_cell(int column) = 0;

    /// The SQL this cursor runs.
    virtual const std::string& sql() const noexcept = 0;

private:
    const value_support* support_;
};

/// Which server a connection reached: the dialect follows from it (MariaDB 10.5+ has
/// INSERT ... RETURNING, MySQL 8 does not).
struct server_info {
    backend kind = backend::sqlite;
    bool mariadb = false;         // a MySQL-protocol server that is MariaDB
    int major = 0, minor = 0, patch = 0;
    std::string version_text;     // as reported: "3.40.1", "15.4", "10.11.6-MariaDB-0+deb12u1"
};

/// How a transaction begins, where the backend makes a difference.
enum class begin_mode : std::uint8_t {
    deferred,   // BEGIN: SQLite takes the write lock at the first write
    immediate,  // SQLite's BEGIN IMMEDIATE: the write lock at once, waiting out the busy timeout
};

/// The cursor of a connection whose streamed rows are being read (cursor::set_streaming), if
/// any: the servers cannot run another statement on the connection until its rows are read or
/// dropped. Drivers hold it while a stream is open and check it before running anything.
class stream_guard {
public:
    void hold(const cursor& c) noexcept { holder_ = &c; }
    void release(const cursor& c) noexcept {
        if (holder_ == &c) holder_ = nullptr;
    }
    bool held() const noexcept { return holder_ != nullptr; }
    /// Throws invalid_request_error, naming the streamed statement, while a stream is open.
    void check() const {
        if (holder_) throw_held();
    }

private:
    [[noreturn]] void throw_held() const;
    const cursor* holder_ = nullptr;
};

/// One open database connection.
class connection {
public:
    virtual ~connection() = default;

    /// Held while a cursor of this connection streams rows (cursor::set_streaming).
    stream_guard& streams() noexcept { return streams_; }

    /// The prepared statement for `sql`, prepared once per connection and kept in a bounded
    /// LRU cache; a cursor in use (bound or stepped, not yet reset) is never evicted. A cursor
    /// must be reset() before the same SQL is prepared again.
    virtual cursor& prepare(const std::string& sql) = 0;
    /// Runs SQL that has no parameters and returns no rows (DDL, COMMIT, SAVEPOINT).
    virtual void execute(const std::string& sql) = 0;
    /// Begins a transaction. Backends without the distinction treat both modes alike.
    virtual void begin(begin_mode mode) = 0;
    /// Whether the connection still answers (pool pre-ping): a cheap round trip on servers.
    virtual bool ping() noexcept = 0;
    /// Whether the connection is known to be lost from what its last call saw (no round trip:
    /// libpq's CONNECTION_BAD, MariaDB's "server has gone away"). The pool closes such a
    /// connection when it returns instead of keeping it, and replaces those opened before it.
    virtual bool closed() const noexcept { return false; }
    virtual const server_info& server() const noexcept = 0;
    virtual const value_support& support() const noexcept = 0;

private:
    stream_guard streams_;
};

/// Opens a connection for `u` by its backend. Throws operational_error when the database cannot
/// be reached (the message shows u.to_string(), never the password), and unsupported_error for a
/// backend this build lacks.
std::unique_ptr<connection> open(const url& u);
/// Checks the URL's query options for its backend without connecting (create_engine calls it):
/// url_error names an option the backend does not take, or a value it does not accept.
void validate_url(const url& u);

/// The SQLite driver (sqlite_driver.cpp): a file, created when missing, or an in-memory
/// database, with foreign key enforcement on. Throws operational_error when the file cannot be
/// opened.
std::unique_ptr<connection> open_sqlite(const url& u);
/// A connection to the in-memory SQLite database `name` ("/reflorm-memory-1"), which every
/// connection of this process opened with the same name shares, with SQLite's locking between
/// them (the memdb VFS, SQLite 3.36+). The database lives while one of them is open.
std::unique_ptr<connection> open_sqlite_memory(const url& u, const std::string& name);
/// The PRAGMA statements for the SQLite settings in the URL's query (`?cache_size=-65536&
/// journal_mode=wal`), run on every new connection. Accepted: cache_size (integer: pages, or KiB
/// when negative), mmap_size (bytes), busy_timeout (ms), journal_mode (delete, truncate, persist,
/// memory, wal, off), synchronous (off, normal, full, extra), temp_store (default, file, memory).
/// Throws url_error for another key or a value the setting does not take.
std::vector<std::string> sqlite_pragmas(const url& u);

/// The PostgreSQL driver (postgresql_driver.cpp, built with -Dpostgresql): SOCI's postgresql
/// backend connects, statements run on its PGconn. Throws operational_error when the server
/// cannot be reached or refuses the login (the message never holds the password).
std::unique_ptr<connection> open_postgresql(const url& u);
/// Throws url_error for a query option the PostgreSQL driver does not take (see docs/backends.md).
void check_postgresql_url(const url& u);
/// The MySQL/MariaDB driver (mysql_driver.cpp, built with -Dmysql): SOCI's mysql backend
/// connects, statements run on its MYSQL handle as mysql_stmt. Throws as open_postgresql.
std::unique_ptr<connection> open_mysql(const url& u);
/// Checks the MySQL URL's query. Accepted: charset (a character set name of letters, digits and
/// underscores; utf8mb4 when absent), connect_timeout (positive seconds), host or unix_socket
/// (the absolute path of a unix socket, used instead of TCP). Throws url_error naming any other key, or a value its key does not take.
void check_mysql_url(const url& u);

}  // namespace reflorm::driver
