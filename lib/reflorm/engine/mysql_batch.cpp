// The MySQL/MariaDB driver's error mapping, and its multi-row INSERT path: run_batch of a plain
// INSERT inside a transaction sends up to 1024 rows as one INSERT ... VALUES (...), (...), ...
// (one round trip) instead of one execution per row. Multi-row VALUES, not COM_STMT_BULK_EXECUTE
// (array binding): both cost the same, but only a multi-row INSERT is a "simple insert" whose
// generated keys InnoDB reserves in one consecutive block (innodb_autoinc_lock_mode 0 or 1);
// a bulk execution reserves them a few at a time, interleaved with other connections' inserts.
// See docs/backends.md for the measurements and the rules below.
#include <reflorm/engine/mysql_batch.hpp>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <exception>

namespace reflorm::driver::mysql_detail {

namespace {

template <class Error>
[[noreturn]] void raise(Error error, const char* sqlstate, unsigned code) {
    // Deadlock and lock wait timeout: running the transaction again may succeed.
    error.set_origin(sqlstate ? sqlstate : "", code == 1213 || code == 1205);
    throw error;
}

}  // namespace

void throw_mysql_error(unsigned code, const char* sqlstate, std::string message, const std::string& sql) {
    using kind = integrity_error::kind;
    const int c = static_cast<int>(code);
    switch (code) {
    case 1062:  // ER_DUP_ENTRY: "Duplicate entry '1' for key 'PRIMARY'" (MySQL 8: 'table.PRIMARY')
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
        if (message.ends_with("'PRIMARY'") || message.ends_with(".PRIMARY'")) raise(integrity_error(kind::primary_key, message, sql, c), sqlstate, code);
        raise(integrity_error(kind::unique, message, sql, c), sqlstate, code);
    case 1216: case 1217:  // ER_NO_REFERENCED_ROW, ER_ROW_IS_REFERENCED
    case 1451: case 1452: raise(integrity_error(kind::foreign_key, message, sql, c), sqlstate, code);
    case 1048:  // ER_BAD_NULL_ERROR: "Column 'code' cannot be null"
    case 1364: raise(integrity_error(kind::not_null, message, sql, c), sqlstate, code);  // ER_NO_DEFAULT_FOR_FIELD
    case 3819:  // MySQL's ER_CHECK_CONSTRAINT_VIOLATED
    case 4025: raise(integrity_error(kind::check, message, sql, c), sqlstate, code);  // MariaDB's ER_CONSTRAINT_FAILED
    case 1264: case 1265: case 1292: case 1365: case 1366: case 1406: case 1411: case 1690:
        raise(data_error(message, sql, c), sqlstate, code);  // out of range, truncated, bad value, too long, division by zero
    case 1044: case 1045: case 1049:                      // access denied, unknown database
    case 1205: case 1213:                                 // lock wait timeout, deadlock
    case 2002: case 2003: case 2005: case 2006: case 2013:  // connection lost or refused
        raise(operational_error(message, sql, c), sqlstate, code);
    case 1046: case 1050: case 1051: case 1054: case 1060: case 1061: case 1064: case 1091: case 1146: case 1149:
        raise(programming_error(message, sql, c), sqlstate, code);
    default: break;
    }
    const std::string_view state = sqlstate ? sqlstate : "";
    if (state.starts_with("23")) raise(integrity_error(kind::other, message, sql, c), sqlstate, code);
    if (state.starts_with("22")) raise(data_error(message, sql, c), sqlstate, code);
    if (state.starts_with("42")) raise(programming_error(message, sql, c), sqlstate, code);
    raise(operational_error(message, sql, c), sqlstate, code);
}

bool connection_lost(MYSQL* db) noexcept {
    switch (mysql_errno(db)) {
    case 2006: case 2013: case 2055:  // CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_SERVER_LOST_EXTENDED
    case 1927:                        // ER_CONNECTION_KILLED (MariaDB)
    case 4031: return true;           // MySQL 8: disconnected for inactivity
    default: return mysql_get_socket(db) == MARIADB_INVALID_SOCKET;
    }
}

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Runs a statement that returns rows and passes each to on_row; false when it fails (the
// caller then stays on the row-by-row path; the failure leaves nothing pending).
template <class OnRow>
bool query_rows(MYSQL* db, const std::string& sql, OnRow&& on_row) {
    if (mysql_real_query(db, sql.data(), sql.size()) != 0) return false;
    MYSQL_RES* result = mysql_store_result(db);
    if (!result) return false;
    while (MYSQL_ROW row = mysql_fetch_row(result)) on_row(row, mysql_num_fields(result));
    mysql_free_result(result);
    while (mysql_next_result(db) == 0)
        if (MYSQL_RES* extra = mysql_store_result(db)) mysql_free_result(extra);
    return true;
}

constexpr std::size_t max_rows = 1024;          // per multi-row INSERT
constexpr std::size_t max_parameters = 65535;   // the protocol's limit per statement
constexpr std::size_t max_bytes = 2u << 20;     // of values per statement, well under max_allowed_packet (16 MB)
constexpr std::size_t max_statements = 12;      // multi-row statements kept per cursor

}  // namespace

std::optional<insert_template> parse_insert(std::string_view sql) {
    std::size_t at = 0;
    const auto space = [&] {
        while (at < sql.size() && std::isspace(static_cast<unsigned char>(sql[at]))) ++at;
    };
    const auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
    const auto keyword = [&](std::string_view word) {
        space();
        if (sql.size() - at < word.size()) return false;
        for (std::size_t i = 0; i < word.size(); ++i)
            if (std::toupper(static_cast<unsigned char>(sql[at + i])) != word[i]) return false;
        if (at + word.size() < sql.size() && word_char(sql[at + word.size()])) return false;
        at += word.size();
        return true;
    };
    const auto punct = [&](char c) {
        space();
        if (at < sql.size() && sql[at] == c) return ++at, true;
        return false;
    };
    const auto identifier = [&](std::string& out) {
        space();
        out.clear();
        if (at < sql.size() && sql[at] == '`') {
            for (++at; at < sql.size(); ++at) {
                if (sql[at] != '`') out += sql[at];
                else if (at + 1 < sql.size() && sql[at + 1] == '`') out += sql[++at];
                else return ++at, !out.empty();
            }
            return false;
        }
        while (at < sql.size() && word_char(sql[at])) out += sql[at++];
        return !out.empty();
    };
    insert_template t;
    std::string name;
    if (!keyword("INSERT") || !keyword("INTO")) return std::nullopt;
    space();
    const std::size_t table_at = at;
    if (!identifier(name) || (punct('.') && !identifier(name))) return std::nullopt;
    t.table = std::string(sql.substr(table_at, at - table_at));
    if (!punct('(')) return std::nullopt;
    do {
        if (!identifier(name)) return std::nullopt;
        t.columns.push_back(lower(name));
    } while (punct(','));
    if (!punct(')') || !keyword("VALUES")) return std::nullopt;
    space();
    t.head = std::string(sql.substr(0, at));
    const std::size_t tuple_at = at;
    if (!punct('(')) return std::nullopt;
    int parameters = 0;
    do {
        if (punct('?')) t.parameter_of.push_back(parameters++);
        else if (keyword("DEFAULT")) t.parameter_of.push_back(-1);
        else return std::nullopt;
    } while (punct(','));
    if (!punct(')')) return std::nullopt;
    t.tuple = std::string(sql.substr(tuple_at, at - tuple_at));
    space();
    if (at != sql.size() || parameters == 0 || t.parameter_of.size() != t.columns.size()) return std::nullopt;
    return t;
}

bool key_settings::check(MYSQL* db) {
    if (!consecutive) {
        bool ok = false;
        query_rows(db, "SELECT @@innodb_autoinc_lock_mode, @@session.auto_increment_increment", [&](MYSQL_ROW row, unsigned) {
            const std::string_view mode = row[0] ? row[0] : "", increment = row[1] ? row[1] : "";
            ok = (mode == "0" || mode == "1") && increment == "1";
        });
        consecutive = ok;
    }
    return *consecutive;
}

void key_settings::forget_if_named(std::string_view sql) {
    if (lower(sql).find("auto_increment") != std::string::npos) consecutive.reset();
}

multi_row_insert::~multi_row_insert() {
    for (auto& [rows, stmt] : statements_) mysql_stmt_close(stmt);
}

// The table must be InnoDB: a failing multi-row INSERT then leaves no row behind, and the rows
// can be run again one by one to find the failing one. Read once per statement.
bool multi_row_insert::table_ok() {
    if (table_ok_) return *table_ok_;
    bool innodb = false;
    query_rows(db_, "SHOW CREATE TABLE " + parsed_.table, [&](MYSQL_ROW row, unsigned fields) {
        innodb = fields >= 2 && row[1] && std::strstr(row[1], "ENGINE=InnoDB") != nullptr;
    });
    bool read = innodb && query_rows(db_, "SHOW COLUMNS FROM " + parsed_.table, [&](MYSQL_ROW row, unsigned fields) {
        if (fields < 6 || !row[0] || !row[5] || lower(row[5]).find("auto_increment") == std::string::npos) return;
        has_key_ = true;
        const auto it = std::find(parsed_.columns.begin(), parsed_.columns.end(), lower(row[0]));
        if (it != parsed_.columns.end()) key_parameter_ = parsed_.parameter_of[static_cast<std::size_t>(it - parsed_.columns.begin())];
    });
    table_ok_ = read;
    return read;
}

void multi_row_insert::buffer_row(const MYSQL_BIND* params) {
    const std::size_t n = parameters();
    for (std::size_t k = 0; k < n; ++k) {
        const MYSQL_BIND& p = params[k];
        std::size_t size = 0;
        switch (p.buffer_type) {
        case MYSQL_TYPE_NULL: break;
        case MYSQL_TYPE_TINY: size = 1; break;
        case MYSQL_TYPE_LONGLONG: size = sizeof(long long); break;
        case MYSQL_TYPE_DOUBLE: size = sizeof(double); break;
        case MYSQL_TYPE_DATE: case MYSQL_TYPE_DATETIME: case MYSQL_TYPE_TIMESTAMP: case MYSQL_TYPE_TIME: size = sizeof(MYSQL_TIME); break;
        default: size = p.length ? *p.length : p.buffer_length; break;  // text and blobs
        }
        // Aligned for MYSQL_TIME and numbers; a byte at least, so that an empty text or blob
        // gets a buffer (a null buffer would travel as NULL).
        const std::size_t offset = (arena_.size() + 7) / 8 * 8;
        arena_.resize(offset + std::max<std::size_t>(size, 1));
        if (size) std::memcpy(arena_.data() + offset, p.buffer, size);
        values_.push_back({p.buffer_type, static_cast<bool>(p.is_unsigned), offset, static_cast<unsigned long>(size)});
    }
}

// binds_ for buffered rows [from, from + rows), pointing into arena_.
void multi_row_insert::point(std::size_t from, std::size_t rows) {
    const std::size_t n = parameters();
    binds_.assign(rows * n, MYSQL_BIND{});
    lengths_.resize(rows * n);
    for (std::size_t k = 0; k < rows * n; ++k) {
        const row_value& v = values_[from * n + k];
        MYSQL_BIND& b = binds_[k];
        b.buffer_type = v.type;
        b.is_unsigned = v.is_unsigned;
        if (v.type == MYSQL_TYPE_NULL) continue;
        lengths_[k] = v.length;
        b.buffer = arena_.data() + v.offset;
        b.buffer_length = v.length;
        b.length = &lengths_[k];
    }
}

// The explicit key buffered row `row` binds to the AUTO_INCREMENT column: an integer other
// than 0 (0 and NULL make the server generate one).
std::optional<std::int64_t> multi_row_insert::explicit_key(std::size_t row) const {
    const row_value& v = values_[row * parameters() + static_cast<std::size_t>(key_parameter_)];
    if (v.type != MYSQL_TYPE_LONGLONG) return std::nullopt;
    long long key = 0;
    std::memcpy(&key, arena_.data() + v.offset, sizeof key);
    if (key == 0) return std::nullopt;
    return key;
}

MYSQL_STMT* multi_row_insert::statement_for(std::size_t rows) {
    const auto it = std::find_if(statements_.begin(), statements_.end(), [&](const auto& s) { return s.first == rows; });
    if (it != statements_.end()) {
        std::rotate(it, it + 1, statements_.end());  // most recently used last
        return statements_.back().second;
    }
    if (statements_.size() == max_statements) {
        mysql_stmt_close(statements_.front().second);
        statements_.erase(statements_.begin());
    }
    std::string sql = parsed_.head + parsed_.tuple;
    sql.reserve(sql.size() + (rows - 1) * (parsed_.tuple.size() + 2));
    for (std::size_t i = 1; i < rows; ++i) (sql += ", ") += parsed_.tuple;
    MYSQL_STMT* stmt = mysql_stmt_init(db_);
    if (!stmt) throw_mysql_error(mysql_errno(db_), mysql_sqlstate(db_), mysql_error(db_), sql_);
    if (mysql_stmt_prepare(stmt, sql.data(), sql.size()) != 0) {
        const std::string message = mysql_stmt_error(stmt), state = mysql_stmt_sqlstate(stmt);
        const unsigned code = mysql_stmt_errno(stmt);
        mysql_stmt_close(stmt);
        throw_mysql_error(code, state.c_str(), message, sql_);
    }
    statements_.emplace_back(rows, stmt);
    return stmt;
}

// Buffered rows one execution each, with each row's own affected rows and key: where the keys
// of a multi-row INSERT could not be told apart, and after a multi-row INSERT failed (the
// failing row throws, with the one-row SQL).
void multi_row_insert::run_one_by_one(MYSQL_STMT* single, std::size_t first, std::size_t rows, const after_fn& after) {
    for (std::size_t r = 0; r < rows; ++r) {
        point(r, 1);
        if (mysql_stmt_bind_param(single, binds_.data()) != 0 || mysql_stmt_execute(single) != 0) throw_stmt_error(single, sql_);
        after(first + r, static_cast<std::int64_t>(mysql_stmt_affected_rows(single)), static_cast<std::int64_t>(mysql_stmt_insert_id(single)));
    }
}

void multi_row_insert::run_rows(MYSQL_STMT* single, std::size_t first, std::size_t rows, const after_fn& after) {
    // Each row's key: none (no AUTO_INCREMENT column), generated (first + r: one consecutive
    // block), or the explicit one every row binds; anything else (some rows explicit, or keys
    // that may not be consecutive) runs row by row.
    bool generated = false;
    if (key_parameter_ >= 0) {
        for (std::size_t r = 0; r < rows; ++r)
            if (!explicit_key(r)) return run_one_by_one(single, first, rows, after);
    } else {
        generated = has_key_;
    }
    if (rows == 1 || (generated && !settings_->check(db_))) return run_one_by_one(single, first, rows, after);
    MYSQL_STMT* stmt = nullptr;
    try {
        stmt = statement_for(rows);
    } catch (const database_error&) {  // refused (max_prepared_stmt_count reached): row by row
        return run_one_by_one(single, first, rows, after);
    }
    point(0, rows);
    if (mysql_stmt_bind_param(stmt, binds_.data()) != 0) throw_stmt_error(stmt, sql_);
    if (mysql_stmt_execute(stmt) != 0) {
        try {
            throw_stmt_error(stmt, sql_);
        } catch (const integrity_error&) {  // InnoDB rolled the statement back: find the failing row
        } catch (const data_error&) {
        }
        return run_one_by_one(single, first, rows, after);
    }
    const auto affected = mysql_stmt_affected_rows(stmt);
    if (affected != rows)
        throw operational_error("reflorm: a multi-row INSERT of " + std::to_string(rows) + " rows reported " + std::to_string(affected) +
                                    " rows inserted",
                                sql_);
    const auto first_key = static_cast<std::int64_t>(mysql_stmt_insert_id(stmt));
    for (std::size_t r = 0; r < rows; ++r) {
        const std::int64_t key = key_parameter_ >= 0 ? *explicit_key(r) : generated ? first_key + static_cast<std::int64_t>(r) : 0;
        after(first + r, 1, key);
    }
}

bool multi_row_insert::run(MYSQL_STMT* single, std::size_t n, const bind_fn& bind, const after_fn& after) {
    if (!table_ok()) return false;
    const std::size_t per_statement = std::min(max_rows, std::bit_floor(max_parameters / parameters()));
    for (std::size_t done = 0; done < n;) {
        // Power-of-two row counts: a few multi-row statements per cursor serve every n.
        const std::size_t target = std::min(per_statement, std::bit_floor(n - done));
        values_.clear();
        arena_.clear();
        std::size_t rows = 0;
        std::exception_ptr failure;  // a value refused while binding: the rows before it still run
        try {
            while (rows < target) {
                buffer_row(bind(done + rows));
                ++rows;
                if (arena_.size() >= max_bytes) break;
            }
        } catch (...) {
            failure = std::current_exception();
        }
        if (rows > 0) run_rows(single, done, rows, after);
        if (failure) std::rethrow_exception(failure);
        done += rows;
    }
    return true;
}

}  // namespace reflorm::driver::mysql_detail
