// Ground truth for the tests: hand-written SQL through each backend's own C client (sqlite3,
// libpq, MariaDB Connector/C), bypassing reflorm's engine. A test checks what reflorm wrote by
// reading it back here, and prepares rows reflorm must read by writing them here.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reflorm_test {

enum class backend { sqlite, postgresql, mysql };

/// "sqlite", "postgresql" or "mysql": the names of REFLORM_TEST_BACKEND and of the meson suites.
std::string_view backend_name(backend kind) noexcept;
std::ostream& operator<<(std::ostream& out, backend kind);  // backend_name, for Boost.Test

/// One result row; each value as the client's text form, nullopt for NULL.
using raw_row = std::vector<std::optional<std::string>>;

/// One connection of a backend's own client. Values come back as text in each client's form:
/// integers in decimal; booleans "1"/"0" on SQLite and MariaDB, "t"/"f" on PostgreSQL; blobs as
/// their raw bytes on every backend (PostgreSQL's bytea is decoded from its hex form); doubles
/// as each server prints them. Errors are std::runtime_error with the client's message and the
/// SQL; the password never appears in them. Move-only; not thread-safe.
class raw_client {
public:
    /// Connects to a reflorm URL: `sqlite:////abs/file.db` (created when missing),
    /// `postgresql://user:pw@host:port/db` or `mysql://user:pw@host:port/db`; a `host=/dir`
    /// query names a unix socket directory (PostgreSQL) or socket file (MariaDB).
    static raw_client connect(const std::string& url);
    /// A SQLite file, as raw_sqlite did; created when missing.
    static raw_client open_sqlite(const std::filesystem::path& file);

    raw_client(raw_client&&) noexcept;
    raw_client& operator=(raw_client&&) noexcept;
    ~raw_client();

    backend kind() const noexcept;
    /// Every row of `sql` (one statement; none for statements without a result).
    std::vector<raw_row> rows(const std::string& sql);
    /// Runs one statement without a result (DDL, INSERT, ...).
    void execute(const std::string& sql) { rows(sql); }
    /// The single value of a one-row, one-column query; throws otherwise.
    std::optional<std::string> value(const std::string& sql);
    /// value() as an integer; throws on NULL or on text that is not an integer.
    long long integer(const std::string& sql);

    struct impl;  // one per backend, in raw_client.cpp

private:
    explicit raw_client(std::unique_ptr<impl> impl);
    std::unique_ptr<impl> impl_;
};

}  // namespace reflorm_test
