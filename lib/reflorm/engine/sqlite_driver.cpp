// SQLite through its C API: the connection opens and owns the sqlite3 handle; statements bind
// and read values with the C API directly.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/iso_time.hpp>
#include <reflorm/engine/statement_cache.hpp>
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/sql/literal.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <array>
#include <initializer_list>
#include <cstring>
#include <unordered_map>
#include <limits>
#include <memory>
#include <vector>

namespace reflorm::driver {

namespace {

[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, const std::string& sql) {
    const int extended = db ? sqlite3_extended_errcode(db) : code;
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    using kind = integrity_error::kind;
    switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE: throw integrity_error(kind::unique, message, sql, extended);
    case SQLITE_CONSTRAINT_PRIMARYKEY: throw integrity_error(kind::primary_key, message, sql, extended);
    case SQLITE_CONSTRAINT_NOTNULL: throw integrity_error(kind::not_null, message, sql, extended);
    case SQLITE_CONSTRAINT_FOREIGNKEY: throw integrity_error(kind::foreign_key, message, sql, extended);
    case SQLITE_CONSTRAINT_CHECK: throw integrity_error(kind::check, message, sql, extended);
    default: break;
    }
    if ((extended & 0xff) == SQLITE_BUSY && db && !sqlite3_get_autocommit(db))
        message += " (inside a transaction that has read, SQLite cannot wait for the write lock; begin write "
                   "transactions with BEGIN IMMEDIATE: engine_options::begin_immediate, or connection::begin(begin_mode::immediate))";
    switch (extended & 0xff) {
    case SQLITE_CONSTRAINT: throw integrity_error(kind::other, message, sql, extended);
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE: throw data_error(message, sql, extended);
    case SQLITE_ERROR:
    case SQLITE_AUTH: throw programming_error(message, sql, extended);
    default: {
        operational_error e(message, sql, extended);
        const int primary = extended & 0xff;
        e.set_origin({}, primary == SQLITE_BUSY || primary == SQLITE_LOCKED);
        throw e;
    }
    }
}

// Whether `text` holds a statement, not only white space, comments and semicolons.
bool has_statement(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == ';') {
            ++i;
        } else if (text.substr(i, 2) == "--") {
            const auto end = text.find('\n', i);
            i = end == std::string_view::npos ? text.size() : end + 1;
        } else if (text.substr(i, 2) == "/*") {
            const auto end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : end + 2;
        } else {
            return true;
        }
    }
    return false;
}

// What SQLite stores: no NaN (sqlite3_bind_double stores NULL for it), infinities as reals,
// integers up to INT64_MAX.
constexpr value_support sqlite_support{.nan = false, .infinity = true, .uint64 = false, .decimal_digits = 15};

class sqlite_cursor final : public cursor {
public:
    sqlite_cursor(sqlite3* db, std::string sql) : cursor(sqlite_support), db_(db), sql_(std::move(sql)) {
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v3(db_, sql_.c_str(), static_cast<int>(sql_.size() + 1),
                                          SQLITE_PREPARE_PERSISTENT, &statement_, &tail);
        if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, sql_);
        // A second statement in the same text would be silently ignored: refuse it.
        if (tail && has_statement(tail)) {
            sqlite3_finalize(statement_);
            throw programming_error("reflorm: the SQL holds more than one statement; run them one at a time", sql_);
        }
    }
    ~sqlite_cursor() override { sqlite3_finalize(statement_); }

    /// Bound or stepped since the last reset(): the statement cache must not finalize it.
    bool in_use() const noexcept { return in_use_; }

    void bind_null(int index) override { check_bind(sqlite3_bind_null(statement_, index)); }
    void bind_bool(int index, bool value) override { check_bind(sqlite3_bind_int64(statement_, index, value ? 1 : 0)); }
    void bind_int64(int index, std::int64_t value) override { check_bind(sqlite3_bind_int64(statement_, index, value)); }
    void bind_uint64(int index, std::uint64_t value) override {
        // The codec binds values up to INT64_MAX as int64 and refuses larger ones here (sqlite_support).
        throw data_error("reflorm: SQLite cannot store " + std::to_string(value) + " (parameter " + std::to_string(index) +
                             "): its integers are signed 64-bit",
                         sql_);
    }
    void bind_double(int index, double value) override { check_bind(sqlite3_bind_double(statement_, index, value)); }
    void bind_text(int index, std::string_view value) override {
        // SQLITE_STATIC: the caller keeps the value alive until step() has run.
        check_bind(sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8));
    }
    void bind_text_copy(int index, std::string_view value) override {
        // Short values (dates, timestamps) go to this cursor's own slot for the parameter and are
        // bound SQLITE_STATIC: SQLITE_TRANSIENT would cost SQLite a malloc and a free per value.
        if (value.size() <= scratch_slot_size && index >= 1 && index <= sqlite3_bind_parameter_count(statement_)) {
            if (scratch_.empty()) scratch_.resize(static_cast<std::size_t>(sqlite3_bind_parameter_count(statement_)));
            char* slot = scratch_[static_cast<std::size_t>(index - 1)].data();
            std::memcpy(slot, value.data(), value.size());
            check_bind(sqlite3_bind_text64(statement_, index, slot, value.size(), SQLITE_STATIC, SQLITE_UTF8));
            return;
        }
        check_bind(sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    void bind_blob(int index, std::span<const std::byte> value) override {
        static constexpr std::byte empty{};
        const void* data = value.empty() ? &empty : value.data();  // NULL data would store SQL NULL
        check_bind(sqlite3_bind_blob64(statement_, index, data, value.size(), SQLITE_STATIC));
    }
    // Dates and timestamps are ISO 8601 text, as SQLAlchemy stores them in SQLite.
    void bind_date(int index, date value) override { bind_text_copy(index, sql::iso_date_text(value).view()); }
    void bind_timestamp(int index, micro_time value, bool with_micros) override {
        bind_text_copy(index, sql::iso_timestamp_text(value, with_micros).view());
    }

    bool step() override {
        in_use_ = true;
        const bool first = !stepped_;
        stepped_ = true;
        const int rc = sqlite3_step(statement_);
        if (rc == SQLITE_ROW) {
            // INSERT ... RETURNING has written its rows before the first one is returned: the
            // key is known now, and run_batch's after() reads it before SQLITE_DONE.
            if (first) {
                changes_ = sqlite3_changes64(db_);
                last_insert_id_ = sqlite3_last_insert_rowid(db_);
            }
            return true;
        }
        if (rc == SQLITE_DONE) {
            changes_ = sqlite3_changes64(db_);
            last_insert_id_ = sqlite3_last_insert_rowid(db_);
            return false;
        }
        throw_sqlite_error(db_, rc, sql_);
    }
    void reset() noexcept override {
        sqlite3_reset(statement_);
        in_use_ = false;
        stepped_ = false;
    }
    std::int64_t affected_rows() override { return changes_; }
    std::int64_t last_insert_id() override { return last_insert_id_; }

    bool is_null(int column) override { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

    cell read_bool(int column, bool& out) override {
        switch (sqlite3_column_type(statement_, column)) {
        case SQLITE_INTEGER: {
            const auto v = sqlite3_column_int64(statement_, column);
            if (v != 0 && v != 1) return cell::mismatch;
            out = v == 1;
            return cell::value;
        }
        case SQLITE_NULL: return cell::null;
        default: return cell::mismatch;
        }
    }
    cell read_int64(int column, std::int64_t& out) override {
        switch (sqlite3_column_type(statement_, column)) {
        case SQLITE_INTEGER: out = sqlite3_column_int64(statement_, column); return cell::value;
        case SQLITE_NULL: return cell::null;
        case SQLITE_FLOAT: return integral_real(sqlite3_column_double(statement_, column), out);
        default: return cell::mismatch;
        }
    }
    cell read_uint64(int column, std::uint64_t& out) override {
        std::int64_t v = 0;
        return unsigned_cell(read_int64(column, v), v, out);
    }
    cell read_double(int column, double& out) override {
        switch (sqlite3_column_type(statement_, column)) {
        case SQLITE_FLOAT: out = sqlite3_column_double(statement_, column); return cell::value;
        case SQLITE_INTEGER: out = static_cast<double>(sqlite3_column_int64(statement_, column)); return cell::value;
        case SQLITE_NULL: return cell::null;
        default: return cell::mismatch;
        }
    }
    cell read_text(int column, std::string_view& out) override {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
        if (!text) {
            if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return cell::null;
            out = {};  // an empty value SQLite had no memory to convert
            return cell::value;
        }
        out = {text, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
        return cell::value;
    }
    cell read_blob(int column, std::span<const std::byte>& out) override {
        if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return cell::null;
        const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(statement_, column));
        out = {data, data ? static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)) : 0};
        return cell::value;
    }
    cell read_date(int column, date& out) override {
        std::string_view text;
        if (sqlite3_column_type(statement_, column) != SQLITE_TEXT) return text_only(column);
        read_text(column, text);
        return parse_iso_date(text, out) ? cell::value : cell::mismatch;
    }
    cell read_timestamp(int column, micro_time& out) override {
        std::string_view text;
        if (sqlite3_column_type(statement_, column) != SQLITE_TEXT) return text_only(column);
        read_text(column, text);
        return parse_iso_timestamp(text, out) ? cell::value : cell::mismatch;
    }
    std::string describe_cell(int column) override {
        switch (sqlite3_column_type(statement_, column)) {
        case SQLITE_INTEGER: return "integer " + std::to_string(sqlite3_column_int64(statement_, column));
        case SQLITE_FLOAT: return "real " + sql::format_literal(sqlite3_column_double(statement_, column));
        case SQLITE_NULL: return "NULL";
        case SQLITE_BLOB: {
            std::span<const std::byte> bytes;
            read_blob(column, bytes);
            return "blob of " + std::to_string(bytes.size()) + " bytes";
        }
        default: {
            std::string_view text;
            read_text(column, text);
            return "text " + codec::quote_for_message(text);
        }
        }
    }
    const std::string& sql() const noexcept override { return sql_; }

private:
    void check_bind(int rc) {
        in_use_ = true;
        if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, sql_);
    }
    // A real read as an integer only when it is one exactly (2.0, not 1.5 or 1e300).
    static cell integral_real(double d, std::int64_t& out) {
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != std::trunc(d)) return cell::mismatch;
        out = static_cast<std::int64_t>(d);
        return cell::value;
    }
    cell text_only(int column) { return sqlite3_column_type(statement_, column) == SQLITE_NULL ? cell::null : cell::mismatch; }

    static constexpr std::size_t scratch_slot_size = 40;  // sql::iso_text's capacity

    sqlite3* db_;
    std::string sql_;
    sqlite3_stmt* statement_ = nullptr;
    std::vector<std::array<char, scratch_slot_size>> scratch_;  // sized once: SQLite keeps pointers into it
    std::int64_t changes_ = 0;
    std::int64_t last_insert_id_ = 0;
    bool in_use_ = false;
    bool stepped_ = false;  // stepped since the last reset()
};

class sqlite_connection final : public connection {
public:
    sqlite_connection(const url& u, const std::string& memory_name) {
        // A named in-memory database lives in SQLite's memdb VFS, shared by every connection of
        // this process that opens the same "/name"; ":memory:" is private to one connection.
        const std::string name = !u.in_memory() ? u.database : memory_name.empty() ? std::string(":memory:") : memory_name;
        // NOMUTEX: a connection is used by one thread at a time (engine.hpp), so SQLite's
        // per-call connection mutex (serialized mode) only costs a lock per sqlite3_column_*.
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        sqlite3* opened = nullptr;
        const int rc = sqlite3_open_v2(name.c_str(), &opened, flags, u.in_memory() && !memory_name.empty() ? "memdb" : nullptr);
        handle_.reset(opened);  // returned even on failure, to be closed (nullptr: no memory)
        db_ = opened;
        if (rc != SQLITE_OK)
            throw operational_error("reflorm: cannot open SQLite database '" + u.database + "': " +
                                        (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)),
                                    {});
        if (u.in_memory() && !memory_name.empty()) {
            // memdb caps a database at 1 GiB (SQLITE_MEMDB_DEFAULT_MAXSIZE); ":memory:" has no cap.
            sqlite3_int64 limit = std::numeric_limits<sqlite3_int64>::max();
            sqlite3_file_control(db_, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit);
        }
        sqlite3_busy_timeout(db_, 5000);
        // SQLite leaves foreign keys unenforced unless asked, per connection.
        execute("PRAGMA foreign_keys = ON");
        for (const std::string& pragma : sqlite_pragmas(u)) execute(pragma);
        server_.kind = backend::sqlite;
        server_.version_text = sqlite3_libversion();
        const int v = sqlite3_libversion_number();  // 3040001
        server_.major = v / 1000000;
        server_.minor = v / 1000 % 1000;
        server_.patch = v % 1000;
    }

    cursor& prepare(const std::string& sql) override { return cursors_.get(sql, [&] { return std::make_unique<sqlite_cursor>(db_, sql); }); }

    void execute(const std::string& sql) override {
        char* message = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
        if (message) sqlite3_free(message);
        if (rc != SQLITE_OK) throw_sqlite_error(db_, rc, sql);
    }
    void begin(begin_mode mode) override { execute(mode == begin_mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN"); }

    bool ping() noexcept override { return true; }  // an open SQLite handle cannot go away
    const server_info& server() const noexcept override { return server_; }
    const value_support& support() const noexcept override { return sqlite_support; }

    ~sqlite_connection() override {
        cursors_.clear();  // finalize statements before the handle closes
    }

private:
    struct closer {
        void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
    };
    std::unique_ptr<sqlite3, closer> handle_;  // first: closed after the cursors are finalized
    sqlite3* db_ = nullptr;
    statement_cache<sqlite_cursor> cursors_{256};
    server_info server_;
};

}  // namespace

std::unique_ptr<connection> open_sqlite(const url& u) { return std::make_unique<sqlite_connection>(u, std::string()); }

std::unique_ptr<connection> open_sqlite_memory(const url& u, const std::string& name) {
    return std::make_unique<sqlite_connection>(u, name);
}

std::vector<std::string> sqlite_pragmas(const url& u) {
    // A PRAGMA takes no bound parameter: each value is checked against what its setting accepts
    // before it is written into the statement.
    const auto reject = [&](const std::string& key, std::string_view wanted) {
        throw url_error("reflorm: invalid database URL '" + u.to_string() + "': " + key + " takes " + std::string(wanted));
    };
    const auto is_integer = [](std::string_view v, bool negative_allowed) {
        if (negative_allowed && !v.empty() && v.front() == '-') v.remove_prefix(1);
        return !v.empty() && v.size() <= 18 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    const auto is_one_of = [](std::string_view v, std::initializer_list<std::string_view> words) {
        return std::any_of(words.begin(), words.end(), [&](std::string_view w) {
            return v.size() == w.size() && std::equal(v.begin(), v.end(), w.begin(), [](char a, char b) {
                       return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
                   });
        });
    };
    std::vector<std::string> out;
    for (const auto& [key, value] : u.query) {
        if (key == "cache_size") {
            if (!is_integer(value, true)) reject(key, "an integer (pages, or KiB when negative)");
        } else if (key == "mmap_size" || key == "busy_timeout") {
            if (!is_integer(value, false)) reject(key, key == "mmap_size" ? "a number of bytes" : "a number of milliseconds");
        } else if (key == "journal_mode") {
            if (!is_one_of(value, {"delete", "truncate", "persist", "memory", "wal", "off"}))
                reject(key, "delete, truncate, persist, memory, wal or off");
        } else if (key == "synchronous") {
            if (!is_one_of(value, {"off", "normal", "full", "extra"})) reject(key, "off, normal, full or extra");
        } else if (key == "temp_store") {
            if (!is_one_of(value, {"default", "file", "memory"})) reject(key, "default, file or memory");
        } else {
            throw url_error("reflorm: invalid database URL '" + u.to_string() + "': unknown SQLite setting '" + key +
                            "' (accepted: busy_timeout, cache_size, journal_mode, mmap_size, synchronous, temp_store)");
        }
        out.push_back("PRAGMA " + key + " = " + value);
    }
    return out;
}

}  // namespace reflorm::driver
