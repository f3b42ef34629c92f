#pragma once
// What the PostgreSQL driver does with a PGresult beyond reading rows (postgresql_results.cpp):
// owns it, raises a failed one as reflorm's exception type, and recognizes the failures the
// driver recovers from. Internal to the driver (it includes libpq's header): not installed.
#include <libpq-fe.h>

#include <string>
#include <string_view>
#include <utility>

namespace reflorm::driver::postgresql {

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
