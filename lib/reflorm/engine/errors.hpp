#pragma once
// reflorm's exception types. Names follow SQLAlchemy's (and PEP 249's) exception hierarchy.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace reflorm {

/// Base of every exception reflorm throws.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A database URL that cannot be parsed; the message quotes the URL and says what is wrong.
class url_error : public error {
public:
    using error::error;
};

/// A call that is not valid in the object's current state, e.g. begin() inside a transaction.
class invalid_request_error : public error {
public:
    using error::error;
};

/// A feature the chosen backend or this build does not provide.
class unsupported_error : public error {
public:
    using error::error;
};

/// SQLAlchemy's NoResultFound: one() found no row.
class no_result_found : public error {
public:
    using error::error;
};

/// SQLAlchemy's MultipleResultsFound: one() found more than one row.
class multiple_results_found : public error {
public:
    using error::error;
};

/// SQLAlchemy's TimeoutError: engine::connect() waited engine_options::pool_timeout and no
/// connection became free, as pool_size + max_overflow were checked out. The message gives the
/// pool's size, its overflow limit and current overflow, and how many are checked out.
class timeout_error : public error {
public:
    timeout_error(const std::string& message, std::size_t pool_size, std::ptrdiff_t overflow, std::size_t checked_out)
        : error(message), pool_size_(pool_size), overflow_(overflow), checked_out_(checked_out) {}
    std::size_t pool_size() const noexcept { return pool_size_; }
    /// Connections beyond pool_size when it was thrown (pool_status::overflow).
    std::ptrdiff_t overflow() const noexcept { return overflow_; }
    std::size_t checked_out() const noexcept { return checked_out_; }

private:
    std::size_t pool_size_;
    std::ptrdiff_t overflow_;
    std::size_t checked_out_;
};

/// An error reported by the database, or raised while moving a value to or from it. Carries
/// the SQL, the bound values (as text) and the database's own message; what() shows all three.
class database_error : public error {
public:
    database_error(std::string database_message, std::string sql, int code = 0)
        : error(database_message), database_message_(std::move(database_message)), sql_(std::move(sql)), code_(code) {
        rebuild();
    }

    /// The database's (or the value codec's) message, without SQL or parameters.
    const std::string& database_message() const noexcept { return database_message_; }
    /// The statement that failed, with placeholders.
    const std::string& sql() const noexcept { return sql_; }
    /// The bound values of the failing execution, rendered as SQL literals for reading.
    const std::vector<std::string>& parameters() const noexcept { return parameters_; }
    /// The backend's error code (SQLite's extended result code, MySQL's error number), or 0.
    int code() const noexcept { return code_; }
    /// The five-character SQLSTATE the server reported ("23505", "40001"); empty on SQLite.
    const std::string& sqlstate() const noexcept { return sqlstate_; }
    /// Whether running the same transaction again may succeed: a serialization failure
    /// (SQLSTATE 40001), a deadlock (40P01, MySQL 1213) or a lock wait timeout (MySQL 1205),
    /// SQLite's "database is locked". As SQLAlchemy's DBAPIError.connection_invalidated does
    /// not cover these, reflorm says it here.
    bool retryable() const noexcept { return retryable_; }
    /// Set by the drivers as they raise the error.
    void set_origin(std::string sqlstate, bool retryable) {
        sqlstate_ = std::move(sqlstate);
        retryable_ = retryable;
    }
    const char* what() const noexcept override { return what_.c_str(); }

    /// Adds context on the way up: the SQL and the parameters, when not yet known, and a note.
    void attach(const std::string& sql, std::vector<std::string> parameters, std::string note = {}) {
        if (sql_.empty()) sql_ = sql;
        if (parameters_.empty()) parameters_ = std::move(parameters);
        if (!note.empty()) note_ = std::move(note);
        rebuild();
    }

    /// Replaces every occurrence of `secret` (a secret column's value, see reflorm::secret) in
    /// the database's message by ***: PostgreSQL's "Key (api_key)=(...)" and MariaDB's
    /// "Duplicate entry '...'" quote the value. Values shorter than 4 characters are left, so
    /// that a short value does not garble the message.
    void redact(std::string_view secret) {
        if (secret.size() < 4) return;
        for (std::size_t at = database_message_.find(secret); at != std::string::npos; at = database_message_.find(secret, at + 3))
            database_message_.replace(at, secret.size(), "***");
        rebuild();
    }

private:
    void rebuild() {
        what_ = database_message_;
        if (!note_.empty()) what_ += " (" + note_ + ")";
        if (!sql_.empty()) what_ += "\n[SQL: " + sql_ + "]";
        if (!parameters_.empty()) {
            what_ += "\n[parameters: (";
            for (std::size_t i = 0; i < parameters_.size(); ++i) what_ += (i ? ", " : "") + parameters_[i];
            what_ += ")]";
        }
    }

    std::string database_message_;
    std::string sql_;
    std::vector<std::string> parameters_;
    std::string note_;
    std::string what_;
    std::string sqlstate_;
    int code_ = 0;
    bool retryable_ = false;
};

/// Connection, transaction, locking and I/O failures: "unable to open database file", "database is locked".
class operational_error : public database_error {
public:
    using database_error::database_error;
};

/// Errors in the SQL itself or the schema it names: "no such table", a syntax error.
class programming_error : public database_error {
public:
    using database_error::database_error;
};

/// A value that cannot be stored or read as the column's type: out of range, NULL in a
/// non-optional member, an unknown enumerator, a malformed date.
class data_error : public database_error {
public:
    data_error(std::string message) : database_error(std::move(message), {}) {}
    using database_error::database_error;
};

/// A violated constraint. `constraint()` says which kind.
class integrity_error : public database_error {
public:
    enum class kind { unique, primary_key, not_null, foreign_key, check, other };

    integrity_error(kind k, std::string database_message, std::string sql, int code = 0)
        : database_error(std::move(database_message), std::move(sql), code), kind_(k) {}
    kind constraint() const noexcept { return kind_; }

private:
    kind kind_;
};

}  // namespace reflorm
