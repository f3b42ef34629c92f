// Isolation levels and timeouts as each backend's own settings (see connection_settings.hpp).
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/connection_settings.hpp>

#include <cstdio>

namespace reflorm {

const char* to_string(isolation level) noexcept {
    switch (level) {
    case isolation::read_uncommitted: return "READ UNCOMMITTED";
    case isolation::read_committed: return "READ COMMITTED";
    case isolation::repeatable_read: return "REPEATABLE READ";
    case isolation::serializable: return "SERIALIZABLE";
    case isolation::autocommit: return "AUTOCOMMIT";
    }
    return "?";
}

namespace detail {

std::string isolation_sql(backend kind, isolation level) {
    if (level == isolation::autocommit) return {};
    switch (kind) {
    case backend::sqlite:
        // As SQLAlchemy's pysqlite dialect: SERIALIZABLE and READ UNCOMMITTED only.
        if (level == isolation::serializable) return "PRAGMA read_uncommitted = 0";
        if (level == isolation::read_uncommitted) return "PRAGMA read_uncommitted = 1";
        throw unsupported_error(std::string("reflorm: SQLite has no isolation level ") + to_string(level) +
                                " (its levels: SERIALIZABLE, READ UNCOMMITTED, AUTOCOMMIT)");
    case backend::postgresql: return std::string("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ") + to_string(level);
    case backend::mysql: return std::string("SET SESSION TRANSACTION ISOLATION LEVEL ") + to_string(level);
    }
    return {};
}

std::string default_isolation_sql(backend kind) {
    switch (kind) {
    case backend::sqlite: return "PRAGMA read_uncommitted = 0";
    case backend::postgresql: return "RESET default_transaction_isolation";
    case backend::mysql: return "SET SESSION tx_isolation = @@GLOBAL.tx_isolation";
    }
    return {};
}

std::string statement_timeout_sql(backend kind, std::chrono::milliseconds timeout) {
    switch (kind) {
    case backend::sqlite:
        throw unsupported_error("reflorm: SQLite has no statement timeout (busy_timeout in the URL bounds waits on locks)");
    case backend::postgresql: return "SET statement_timeout = " + std::to_string(timeout.count());
    case backend::mysql: {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(timeout.count()) / 1000.0);
        return std::string("SET SESSION max_statement_time = ") + seconds;
    }
    }
    return {};
}

url with_connect_timeout(url u, std::chrono::seconds timeout) {
    if (u.kind != backend::sqlite && !u.query.contains("connect_timeout"))
        u.query.emplace("connect_timeout", std::to_string(timeout.count()));
    return u;
}

}  // namespace detail

}  // namespace reflorm
