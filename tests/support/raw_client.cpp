// The three raw clients behind raw_client: sqlite3, libpq and MariaDB Connector/C.
#include "raw_client.hpp"

#include <reflorm/engine/url.hpp>

#include <libpq-fe.h>
#include <mysql.h>
#include <sqlite3.h>

#include <charconv>
#include <ostream>
#include <stdexcept>

namespace reflorm_test {

std::string_view backend_name(backend kind) noexcept {
    switch (kind) {
    case backend::sqlite: return "sqlite";
    case backend::postgresql: return "postgresql";
    case backend::mysql: return "mysql";
    }
    return "?";
}

std::ostream& operator<<(std::ostream& out, backend kind) { return out << backend_name(kind); }

struct raw_client::impl {
    virtual ~impl() = default;
    virtual backend kind() const noexcept = 0;
    virtual std::vector<raw_row> rows(const std::string& sql) = 0;

    [[noreturn]] void fail(std::string_view message, const std::string& sql) const {
        throw std::runtime_error("raw_client (" + std::string(backend_name(kind())) + "): " +
                                 std::string(message) + (sql.empty() ? "" : " in: " + sql));
    }
};

namespace {

class sqlite_client final : public raw_client::impl {
public:
    explicit sqlite_client(const std::filesystem::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
            const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            db_ = nullptr;
            fail("cannot open " + file.string() + ": " + message, "");
        }
        sqlite3_busy_timeout(db_, 5000);  // the engine under test may hold a write lock briefly
    }
    ~sqlite_client() override { sqlite3_close(db_); }

    backend kind() const noexcept override { return backend::sqlite; }

    std::vector<raw_row> rows(const std::string& sql) override {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
            fail(sqlite3_errmsg(db_), sql);
        std::vector<raw_row> result;
        int rc = 0;
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            auto& row = result.emplace_back();
            for (int i = 0; i < sqlite3_column_count(statement); ++i) {
                if (sqlite3_column_type(statement, i) == SQLITE_NULL) {
                    row.emplace_back();
                } else {
                    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, i));
                    row.emplace_back(std::string(data ? data : "", sqlite3_column_bytes(statement, i)));
                }
            }
        }
        sqlite3_finalize(statement);
        if (rc != SQLITE_DONE) fail(sqlite3_errmsg(db_), sql);
        return result;
    }

private:
    sqlite3* db_ = nullptr;
};

class postgresql_client final : public raw_client::impl {
public:
    explicit postgresql_client(const reflorm::url& url) {
        // libpq's own connection keywords; a `host` query (a socket directory) wins over the host.
        const std::string port = url.port ? std::to_string(url.port) : "";
        std::string host = url.host;
        if (auto it = url.query.find("host"); it != url.query.end()) host = it->second;
        const char* keys[] = {"host", "port", "user", "password", "dbname", "connect_timeout", nullptr};
        const char* values[] = {host.c_str(), port.c_str(), url.username.c_str(), url.password.c_str(),
                                url.database.c_str(), "10", nullptr};
        conn_ = PQconnectdbParams(keys, values, 0);
        if (PQstatus(conn_) != CONNECTION_OK) {
            const std::string message = PQerrorMessage(conn_);
            PQfinish(conn_);
            conn_ = nullptr;
            fail("cannot connect to " + url.to_string() + ": " + message, "");
        }
    }
    ~postgresql_client() override { PQfinish(conn_); }

    backend kind() const noexcept override { return backend::postgresql; }

    std::vector<raw_row> rows(const std::string& sql) override {
        PGresult* res = PQexec(conn_, sql.c_str());
        const auto status = PQresultStatus(res);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            const std::string message = PQerrorMessage(conn_);
            PQclear(res);
            fail(message, sql);
        }
        constexpr Oid bytea_oid = 17;
        std::vector<raw_row> result;
        const int columns = PQnfields(res);
        for (int r = 0; r < PQntuples(res); ++r) {
            auto& row = result.emplace_back();
            for (int c = 0; c < columns; ++c) {
                if (PQgetisnull(res, r, c)) {
                    row.emplace_back();
                } else if (PQftype(res, c) == bytea_oid) {
                    std::size_t length = 0;
                    unsigned char* bytes = PQunescapeBytea(
                        reinterpret_cast<const unsigned char*>(PQgetvalue(res, r, c)), &length);
                    if (!bytes) {
                        PQclear(res);
                        fail("cannot decode a bytea value", sql);
                    }
                    row.emplace_back(std::string(reinterpret_cast<const char*>(bytes), length));
                    PQfreemem(bytes);
                } else {
                    row.emplace_back(std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
                }
            }
        }
        PQclear(res);
        return result;
    }

private:
    PGconn* conn_ = nullptr;
};

class mysql_client final : public raw_client::impl {
public:
    explicit mysql_client(const reflorm::url& url) {
        conn_ = mysql_init(nullptr);
        if (!conn_) fail("mysql_init failed (out of memory)", "");
        const unsigned int timeout = 10;
        mysql_options(conn_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
        mysql_options(conn_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
        const char* socket = nullptr;
        if (auto it = url.query.find("host"); it != url.query.end()) socket = it->second.c_str();
        if (!mysql_real_connect(conn_, socket ? "localhost" : url.host.c_str(), url.username.c_str(),
                                url.password.c_str(), url.database.c_str(), url.port, socket, 0)) {
            const std::string message = mysql_error(conn_);
            mysql_close(conn_);
            conn_ = nullptr;
            fail("cannot connect to " + url.to_string() + ": " + message, "");
        }
    }
    ~mysql_client() override { mysql_close(conn_); }

    backend kind() const noexcept override { return backend::mysql; }

    std::vector<raw_row> rows(const std::string& sql) override {
        if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail(mysql_error(conn_), sql);
        MYSQL_RES* res = mysql_store_result(conn_);
        std::vector<raw_row> result;
        if (!res) {
            if (mysql_field_count(conn_) != 0) fail(mysql_error(conn_), sql);
            return result;  // a statement without a result set
        }
        const unsigned int columns = mysql_num_fields(res);
        while (MYSQL_ROW values = mysql_fetch_row(res)) {
            const unsigned long* lengths = mysql_fetch_lengths(res);
            auto& row = result.emplace_back();
            for (unsigned int c = 0; c < columns; ++c) {
                if (values[c]) row.emplace_back(std::string(values[c], lengths[c]));
                else row.emplace_back();
            }
        }
        mysql_free_result(res);
        return result;
    }

private:
    MYSQL* conn_ = nullptr;
};

}  // namespace

raw_client::raw_client(std::unique_ptr<impl> impl) : impl_(std::move(impl)) {}
raw_client::raw_client(raw_client&&) noexcept = default;
raw_client& raw_client::operator=(raw_client&&) noexcept = default;
raw_client::~raw_client() = default;

raw_client raw_client::connect(const std::string& url_text) {
    const reflorm::url url = reflorm::parse_url(url_text);
    switch (url.kind) {
    case reflorm::backend::sqlite:
        if (url.in_memory()) throw std::runtime_error("raw_client: an in-memory SQLite database is private to its connection");
        return open_sqlite(url.database);
    case reflorm::backend::postgresql: return raw_client(std::make_unique<postgresql_client>(url));
    case reflorm::backend::mysql: return raw_client(std::make_unique<mysql_client>(url));
    }
    throw std::runtime_error("raw_client: unknown backend in " + url.to_string());
}

raw_client raw_client::open_sqlite(const std::filesystem::path& file) {
    return raw_client(std::make_unique<sqlite_client>(file));
}

backend raw_client::kind() const noexcept { return impl_->kind(); }

std::vector<raw_row> raw_client::rows(const std::string& sql) { return impl_->rows(sql); }

std::optional<std::string> raw_client::value(const std::string& sql) {
    auto result = rows(sql);
    if (result.size() != 1 || result[0].size() != 1)
        impl_->fail("expected one row of one value, got " + std::to_string(result.size()) + " rows", sql);
    return std::move(result[0][0]);
}

long long raw_client::integer(const std::string& sql) {
    const auto text = value(sql);
    if (!text) impl_->fail("expected an integer, got NULL", sql);
    long long number = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), number);
    if (ec != std::errc{} || end != text->data() + text->size())
        impl_->fail("expected an integer, got '" + *text + "'", sql);
    return number;
}

}  // namespace reflorm_test
