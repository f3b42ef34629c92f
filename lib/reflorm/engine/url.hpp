#pragma once
// Database URLs in SQLAlchemy's form: dialect[+driver]://user:password@host:port/database?key=value
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace reflorm {

enum class backend { sqlite, postgresql, mysql };

/// A parsed database URL. For SQLite, `database` is the file path ("" for in-memory).
struct url {
    backend kind = backend::sqlite;
    std::string driver;        // the part after '+', if any
    std::string username;
    std::string password;      // percent-decoded
    std::string host;
    std::uint16_t port = 0;    // 0: the backend's default
    std::string database;
    std::map<std::string, std::string, std::less<>> query;

    /// True for `sqlite://` and `sqlite:///:memory:`.
    bool in_memory() const noexcept { return kind == backend::sqlite && database.empty(); }
    /// The URL with the password masked, for messages and logs.
    std::string to_string() const;
};

/// Parses `text`. SQLite: `sqlite://` (in memory), `sqlite:///relative/path.db`,
/// `sqlite:////absolute/path.db`. PostgreSQL: `postgresql://user:pw@host:5432/db`
/// (also `postgres`). MySQL/MariaDB: `mysql://user:pw@host:3306/db` (also `mariadb`).
/// Throws url_error quoting the URL and naming the problem.
url parse_url(std::string_view text);

}  // namespace reflorm
