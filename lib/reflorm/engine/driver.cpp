// What every driver shares: the one-row-at-a-time batch, and choosing the driver by URL.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>

namespace reflorm::driver {

void cursor::run_batch(std::size_t n, const std::function<void(std::size_t)>& bind,
                       const std::function<void(std::size_t, bool)>& after) {
    for (std::size_t i = 0; i < n; ++i) {
        bind(i);
        const bool row = step();
        after(i, row);
        if (row)
            while (step()) {
            }
        reset();
    }
}

void stream_guard::throw_held() const {
    throw invalid_request_error("reflorm: a streamed result is still open on this connection: read it to the end or close() it "
                                "first (stream_results; streaming: " + holder_->sql() + ")");
}

namespace {

[[noreturn]] void throw_no_driver(const url& u, std::string_view backend, std::string_view option) {
    throw unsupported_error("reflorm: connecting to '" + u.to_string() + "' needs the " + std::string(backend) +
                            " driver, which this build of reflorm does not have (configure it with -D" + std::string(option) +
                            "=enabled); SQL for this dialect can still be rendered with to_sql()");
}

}  // namespace

std::unique_ptr<connection> open(const url& u) {
    switch (u.kind) {
    case backend::sqlite: return open_sqlite(u);
#if REFLORM_HAVE_POSTGRESQL
    case backend::postgresql: return open_postgresql(u);
#else
    case backend::postgresql: throw_no_driver(u, "PostgreSQL", "postgresql");
#endif
#if REFLORM_HAVE_MYSQL
    case backend::mysql: return open_mysql(u);
#else
    case backend::mysql: throw_no_driver(u, "MySQL/MariaDB", "mysql");
#endif
    }
    throw_no_driver(u, "requested", "tests");
}

void validate_url(const url& u) {
    switch (u.kind) {
    case backend::sqlite: (void)sqlite_pragmas(u); return;
#if REFLORM_HAVE_POSTGRESQL
    case backend::postgresql: check_postgresql_url(u); return;
#else
    case backend::postgresql: throw_no_driver(u, "PostgreSQL", "postgresql");
#endif
#if REFLORM_HAVE_MYSQL
    case backend::mysql: check_mysql_url(u); return;
#else
    case backend::mysql: throw_no_driver(u, "MySQL/MariaDB", "mysql");
#endif
    }
}

}  // namespace reflorm::driver
