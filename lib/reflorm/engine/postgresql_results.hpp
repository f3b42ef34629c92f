#pragma once
// What the PostgreSQL driver does with a PGresult beyond reading rows (postgresql_results.cpp):
// owns it, raises a failed one as reflorm's exception type, recognizes the failures the driver
// recovers from, and streams a statement's rows in single-row mode; and the URL as a connect
// string (postgresql_url.cpp). Internal to the driver (it
// includes libpq's header): not installed.
#include <reflorm/engine/driver.hpp>

#include <libpq-fe.h>

#include <string>
#include <string_view>
#include <utility>

namespace reflorm::driver::postgresql {

/// The URL as libpq's conninfo (key='value' pairs): host, port, dbname, user, password and the
/// query's settings (check_postgresql_url accepts them).
std::string connect_string(const url& u);

/// A PGresult owned: cleared when replaced or destroyed.
class result_handle {
public:
    result_handle() = default;
    explicit result_handle(PGresult* r) noexcept : r_(r) {}
    result_handle(result_handle&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
    result_handle& operator=(result_handle&& o) noexcept {
        if (this != &o) {
            reset();
            r_ = std::exchange(o.r_, nullptr);
        }
        return *this;
    }
    ~result_handle() { reset(); }
    void reset() noexcept {
        if (r_) PQclear(r_);
        r_ = nullptr;
    }
    PGresult* get() const noexcept { return r_; }
    explicit operator bool() const noexcept { return r_ != nullptr; }

private:
    PGresult* r_ = nullptr;
};

/// One run of a prepared statement whose rows are read in libpq's single-row mode (a cursor's
/// stream_results): one PGresult per row as the server sends it, so client memory stays flat
/// whatever the result's size. Chosen over a server-side cursor (DECLARE / FETCH n), which
/// needs a transaction, is planned for a fraction of its rows (cursor_tuple_fraction) and costs
/// a round trip per FETCH: see docs/backends.md for the measurements.
class row_stream {
public:
    row_stream() = default;
    row_stream(const row_stream&) = delete;
    row_stream& operator=(const row_stream&) = delete;
    ~row_stream() { close(); }

    /// Sends the prepared statement `name` with its parameters (as PQexecPrepared takes them),
    /// switches to single-row mode and holds `guard` for `holder` until the stream ends. Throws
    /// the connection's error when the statement cannot be sent.
    void start(PGconn* conn, stream_guard& guard, const cursor& holder, const char* name, int n, const char* const* values,
               const int* lengths, const int* formats);
    /// The next row (PGRES_SINGLE_TUPLE), or the statement's last result: PGRES_TUPLES_OK with no
    /// row at the end, or its error (nullptr when the connection failed). After the last result
    /// the stream is over, the guard released and the connection idle. The caller owns it.
    PGresult* next();
    bool open() const noexcept { return conn_ != nullptr; }
    /// Drops the rows not read yet, leaving the connection idle: those received already, then, if
    /// the query has not ended, outside a transaction it is cancelled (PQcancel, then its
    /// remaining results are read until libpq has none), inside one every remaining row is read
    /// and dropped, as a cancel would abort the transaction.
    void close() noexcept;

private:
    void end() noexcept;  // reads libpq's results up to the end, releases the guard
    PGconn* conn_ = nullptr;
    stream_guard* guard_ = nullptr;
    const cursor* holder_ = nullptr;
    bool in_transaction_ = false;
};

/// Raises the error of `result` (or of the connection when there is none) as reflorm's type for
/// its SQLSTATE class: 23 integrity, 22 data, 42 programming, the rest operational.
[[noreturn]] void throw_error(PGconn* conn, const PGresult* result, const std::string& sql);

/// SQLSTATE 42P18: a parameter whose type the server could not infer.
bool indeterminate(const PGresult* result);

/// A named prepared statement that a schema change made stale: its result would now have other
/// columns or column types, which the server refuses ("cached plan must not change result
/// type": SQLSTATE 0A000 raised by RevalidateCachedQuery, which asyncpg and Rails test too,
/// rather than the message, which the server translates).
bool stale_plan(const PGresult* result);

/// Raises a stale plan's error where the driver cannot run the statement again (inside a
/// transaction, which the failure aborted): an operational_error, retryable.
[[noreturn]] void throw_stale_plan(const PGresult* result, const std::string& sql);

/// Whether `sql` is DDL that may change what prepared statements return: CREATE, ALTER, DROP,
/// after any leading spaces and -- or /* */ comments.
bool changes_schema(std::string_view sql);

}  // namespace reflorm::driver::postgresql
