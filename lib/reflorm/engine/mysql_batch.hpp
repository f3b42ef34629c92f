#pragma once
// Internal to the MySQL/MariaDB driver (mysql_driver.cpp, mysql_batch.cpp, mysql_url.cpp): the
// error mapping, the connect string, the multi-row INSERT path of run_batch and streamed rows. Not installed, not part of the API.
#include <reflorm/engine/errors.hpp>
#include <soci/mysql/soci-mysql.h>  // <mysql.h>: MariaDB Connector/C

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reflorm {
struct url;
}

namespace reflorm::driver::mysql_detail {

/// The URL as SOCI's mysql connect string (mysql_url.cpp): host or unix socket, port, user,
/// password, database, charset (utf8mb4 unless the query names one).
std::string connect_parameters(const url& u);

/// Maps a MySQL/MariaDB error to reflorm's exception types: by error number where it names a
/// constraint or a kind of value, by SQLSTATE class otherwise.
[[noreturn]] void throw_mysql_error(unsigned code, const char* sqlstate, std::string message, const std::string& sql);
/// Whether `db` lost its server, from its last call (no round trip): Connector/C drops the
/// socket on a read failure, and the last error is "gone away", "lost" or "killed".
bool connection_lost(MYSQL* db) noexcept;

[[noreturn]] inline void throw_stmt_error(MYSQL_STMT* stmt, const std::string& sql) {
    throw_mysql_error(mysql_stmt_errno(stmt), mysql_stmt_sqlstate(stmt), mysql_stmt_error(stmt), sql);
}

/// Throws the statement's error after mysql_stmt_reset, for an error that arrives inside a
/// result set (a failing INSERT ... RETURNING: the column count, then the error). Connector/C
/// leaves such a statement waiting for the rest of its result (mysql_stmt_free_result does not
/// clear that), and its next execution would read forever for rows the server never sends.
[[noreturn]] inline void throw_stmt_error_and_reset(MYSQL_STMT* stmt, const std::string& sql) {
    const unsigned code = mysql_stmt_errno(stmt);
    const std::string state = mysql_stmt_sqlstate(stmt), message = mysql_stmt_error(stmt);
    mysql_stmt_reset(stmt);
    throw_mysql_error(code, state.c_str(), std::move(message), sql);
}

/// The parts of `INSERT INTO t (c1, ...) VALUES (?, ...)` the multi-row path needs: nullopt
/// for any other statement (RETURNING, ON DUPLICATE KEY, IGNORE, INSERT ... SELECT, a VALUES
/// tuple holding anything but ? and DEFAULT, or SQL it does not recognize).
struct insert_template {
    std::string head;                  // up to and including "VALUES "
    std::string tuple;                 // "(?, ?)"
    std::string table;                 // as written: `db`.`t`
    std::vector<std::string> columns;  // unquoted
    std::vector<int> parameter_of;     // per column: its 0-based parameter, -1 for DEFAULT
};
std::optional<insert_template> parse_insert(std::string_view sql);

/// Whether a connection's keys come out consecutive for a multi-row INSERT: InnoDB's
/// innodb_autoinc_lock_mode 0 or 1 and auto_increment_increment 1, read once per connection
/// (again after any statement naming auto_increment).
struct key_settings {
    std::optional<bool> consecutive;
    bool check(MYSQL* db);
    void forget_if_named(std::string_view sql);
};

/// run_batch for a plain INSERT inside a transaction: up to 1024 rows (and 65535 parameters,
/// 2 MB of values) per multi-row INSERT, one round trip each. See docs/backends.md.
class multi_row_insert {
public:
    multi_row_insert(MYSQL* db, insert_template parsed, std::string sql, key_settings& settings)
        : db_(db), parsed_(std::move(parsed)), sql_(std::move(sql)), settings_(&settings),
          parameters_(static_cast<std::size_t>(std::count_if(parsed_.parameter_of.begin(), parsed_.parameter_of.end(), [](int p) { return p >= 0; }))) {}
    ~multi_row_insert();
    multi_row_insert(const multi_row_insert&) = delete;
    multi_row_insert& operator=(const multi_row_insert&) = delete;

    using bind_fn = std::function<const MYSQL_BIND*(std::size_t)>;  // binds row i, returns its parameters
    using after_fn = std::function<void(std::size_t, std::int64_t affected, std::int64_t insert_id)>;
    /// Runs the n rows through `single` (the one-row statement) and multi-row statements; false,
    /// before binding anything, when this table cannot take the path (then run row by row).
    bool run(MYSQL_STMT* single, std::size_t n, const bind_fn& bind, const after_fn& after);

private:
    struct row_value {  // one parameter of a buffered row: its bytes in arena_
        enum_field_types type;
        bool is_unsigned;
        std::size_t offset;
        unsigned long length;
    };
    std::size_t parameters() const noexcept { return parameters_; }
    bool table_ok();
    void buffer_row(const MYSQL_BIND* params);
    void run_rows(MYSQL_STMT* single, std::size_t first, std::size_t rows, const after_fn& after);
    void run_one_by_one(MYSQL_STMT* single, std::size_t first, std::size_t rows, const after_fn& after);
    MYSQL_STMT* statement_for(std::size_t rows);
    void point(std::size_t from, std::size_t rows);
    std::optional<std::int64_t> explicit_key(std::size_t row) const;

    MYSQL* db_;
    insert_template parsed_;
    std::string sql_;
    key_settings* settings_;
    std::size_t parameters_;
    std::optional<bool> table_ok_;
    int key_parameter_ = -1;      // the AUTO_INCREMENT column's parameter, when the INSERT names it
    bool has_key_ = false;        // the table has an AUTO_INCREMENT column
    std::vector<std::pair<std::size_t, MYSQL_STMT*>> statements_;  // by row count, least recently used first
    std::vector<row_value> values_;  // the buffered rows' parameters, row after row
    std::vector<char> arena_;
    std::vector<MYSQL_BIND> binds_;
    std::vector<unsigned long> lengths_;
};

}  // namespace reflorm::driver::mysql_detail
