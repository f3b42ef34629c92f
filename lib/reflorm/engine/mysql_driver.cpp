// MySQL/MariaDB through SOCI: SOCI opens and owns the session; statements run on its MYSQL handle
// as server-side prepared statements (mysql_stmt), prepared once per connection and SQL, typed
// binds. Results are buffered on the client (mysql_stmt_store_result), so another statement may
// run while rows are read, unless streamed (set_streaming: fetched unbuffered, row by row, the
// connection held meanwhile). A plain INSERT's run_batch in a transaction: mysql_batch.cpp.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/iso_time.hpp>
#include <reflorm/engine/mysql_batch.hpp>
#include <reflorm/engine/statement_cache.hpp>
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/sql/literal.hpp>
#include <soci/mysql/soci-mysql.h>  // <mysql.h>: MariaDB Connector/C
#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <strings.h>
#include <vector>

namespace reflorm::driver {

namespace {

using namespace std::chrono;

using mysql_detail::throw_mysql_error;
using mysql_detail::throw_stmt_error;

// MariaDB refuses NaN and infinities (no IEEE specials in its DOUBLE); BIGINT UNSIGNED holds
// every uint64.
constexpr value_support mysql_support{.nan = false, .infinity = false, .uint64 = true};

// Parses all of `text` as a Number (a leading '+' allowed).
template <class Number>
bool parse_all(std::string_view text, Number& out) {
    if (text.starts_with('+')) text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

// A DECIMAL's text ("-12.000") as an integer, when it is one exactly and fits.
template <class Int>
bool decimal_integer(std::string_view text, Int& out) {
    if (const auto dot = text.find('.'); dot != std::string_view::npos) {
        if (text.find_first_not_of('0', dot + 1) != std::string_view::npos) return false;
        text = text.substr(0, dot);
    }
    return parse_all(text == "-0" ? std::string_view("0") : text, out);
}

// A real read as an integer only when it is one exactly (2.0, not 1.5 or 1e300).
cell integral_real(double d, std::int64_t& out) {
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != std::trunc(d)) return cell::mismatch;
    out = static_cast<std::int64_t>(d);
    return cell::value;
}

MYSQL_TIME to_mysql_date(date d) {
    MYSQL_TIME t{};
    t.year = static_cast<unsigned>(static_cast<int>(d.year()));
    t.month = static_cast<unsigned>(d.month());
    t.day = static_cast<unsigned>(d.day());
    t.time_type = MYSQL_TIMESTAMP_DATE;
    return t;
}

// How a result column is fetched: integers as (unsigned) long long, FLOAT as float, DOUBLE as
// double, dates and times as MYSQL_TIME, everything else (text, blobs, DECIMAL) as bytes.
enum class slot_kind : std::uint8_t { integer, real32, real64, temporal, bytes };

struct result_slot {
    slot_kind kind = slot_kind::bytes;
    enum_field_types type = MYSQL_TYPE_NULL;
    bool is_unsigned = false;
    bool binary = false;      // a BINARY/VARBINARY/BLOB column (charset 63)
    union { long long integer; float real32; double real64; MYSQL_TIME time; } fixed{};
    std::vector<char> bytes;  // kind bytes: grows to the longest value seen
    unsigned long length = 0;
    my_bool null = 0;
    my_bool error = 0;
    std::string text;         // read_text of a number or a date: valid until the next row
};

// By the column's type: a DATETIME at midnight comes in a date's short form.
bool is_date_field(const result_slot& s) { return s.type == MYSQL_TYPE_DATE || s.type == MYSQL_TYPE_NEWDATE; }

class mysql_cursor final : public cursor {
public:
    mysql_cursor(MYSQL* db, std::string sql, mysql_detail::key_settings& settings, stream_guard& guard)
        : cursor(mysql_support), db_(db), sql_(std::move(sql)), settings_(&settings), guard_(&guard) {
        prepare_statement();
        const std::size_t n = mysql_stmt_param_count(stmt_);
        params_.assign(n, MYSQL_BIND{});
        values_.resize(n);
        for (auto& p : params_) p.buffer_type = MYSQL_TYPE_NULL;  // unbound parameters are NULL
        names_auto_increment_ = sql_.find("auto_increment") != std::string::npos || sql_.find("AUTO_INCREMENT") != std::string::npos;
        if (auto parsed = mysql_detail::parse_insert(sql_)) {
            const auto count = std::count_if(parsed->parameter_of.begin(), parsed->parameter_of.end(), [](int p) { return p >= 0; });
            if (static_cast<std::size_t>(count) == n)
                batch_ = std::make_unique<mysql_detail::multi_row_insert>(db_, std::move(*parsed), sql_, settings);
        }
    }
    ~mysql_cursor() override {
        if (stmt_) mysql_stmt_close(stmt_);
    }

    /// Bound or stepped since the last reset(): the statement cache must not close it.
    bool in_use() const noexcept { return in_use_; }

    void bind_null(int index) override { set(index, MYSQL_TYPE_NULL, nullptr, 0, false); }
    void bind_bool(int index, bool value) override {
        param(index).tiny = value ? 1 : 0;
        set(index, MYSQL_TYPE_TINY, &param(index).tiny, 0, false);
    }
    void bind_int64(int index, std::int64_t value) override {
        param(index).integer = value;
        set(index, MYSQL_TYPE_LONGLONG, &param(index).integer, 0, false);
    }
    void bind_uint64(int index, std::uint64_t value) override {
        param(index).integer = static_cast<long long>(value);
        set(index, MYSQL_TYPE_LONGLONG, &param(index).integer, 0, true);
    }
    void bind_double(int index, double value) override {
        param(index).real = value;
        set(index, MYSQL_TYPE_DOUBLE, &param(index).real, 0, false);
    }
    void bind_text(int index, std::string_view value) override {
        static char empty = 0;
        set(index, MYSQL_TYPE_STRING, value.empty() ? &empty : const_cast<char*>(value.data()), value.size(), false);
    }
    void bind_text_copy(int index, std::string_view value) override {
        std::string& copy = param(index).copy;
        copy.assign(value);
        set(index, MYSQL_TYPE_STRING, copy.data(), copy.size(), false);
    }
    void bind_blob(int index, std::span<const std::byte> value) override {
        static char empty = 0;  // a NULL buffer would be sent as NULL: an empty blob is not
        void* data = value.empty() ? static_cast<void*>(&empty) : const_cast<std::byte*>(value.data());
        set(index, MYSQL_TYPE_BLOB, data, value.size(), false);
    }
    void bind_date(int index, date value) override {
        param(index).time = to_mysql_date(value);
        set(index, MYSQL_TYPE_DATE, &param(index).time, 0, false);
    }
    void bind_timestamp(int index, micro_time value, bool with_micros) override {
        MYSQL_TIME& t = param(index).time;
        const auto day = floor<days>(value);
        const hh_mm_ss<microseconds> clock{value - day};
        t = to_mysql_date(year_month_day{day});
        t.hour = static_cast<unsigned>(clock.hours().count());
        t.minute = static_cast<unsigned>(clock.minutes().count());
        t.second = static_cast<unsigned>(clock.seconds().count());
        t.second_part = with_micros ? static_cast<unsigned long>(clock.subseconds().count()) : 0;
        t.time_type = MYSQL_TIMESTAMP_DATETIME;
        set(index, MYSQL_TYPE_DATETIME, &t, 0, false);
    }

    bool step() override {
        in_use_ = true;
        if (!executed_) execute();
        if (done_) return false;
        const int rc = mysql_stmt_fetch(stmt_);
        if (rc == MYSQL_NO_DATA || rc == 1) guard_->release(*this);  // a stream's end: the connection is free
        if (rc == MYSQL_NO_DATA) {
            done_ = true;
            return false;
        }
        if (rc == 1) { executed_ = false; mysql_detail::throw_stmt_error_and_reset(stmt_, sql_); }
        if (rc == MYSQL_DATA_TRUNCATED) fetch_long_values();
        return true;
    }
    void set_streaming(bool on) noexcept override { streaming_ = on; }
    void reset() noexcept override {
        if (executed_ && !columns_.empty()) mysql_stmt_free_result(stmt_);  // a stream's unread rows: read and dropped
        guard_->release(*this);
        streaming_ = false;
        executed_ = false;
        done_ = false;
        in_use_ = false;
    }
    std::int64_t affected_rows() override { return affected_; }
    std::int64_t last_insert_id() override { return insert_id_; }
    std::size_t buffered_rows() const noexcept override {
        return executed_ && !streaming_ && !columns_.empty() ? static_cast<std::size_t>(mysql_stmt_num_rows(stmt_)) : 0;
    }

    // A plain INSERT inside a transaction: multi-row INSERTs (mysql_batch.cpp); else row by row.
    void run_batch(std::size_t n, const std::function<void(std::size_t)>& bind,
                   const std::function<void(std::size_t, bool)>& after) override {
        if (batch_ && n > 1 && (db_->server_status & SERVER_STATUS_IN_TRANS) != 0) {
            in_use_ = true;
            const bool ran = batch_->run(
                stmt_, n,
                [&](std::size_t i) -> const MYSQL_BIND* {
                    bind(i);
                    return params_.data();
                },
                [&](std::size_t i, std::int64_t affected, std::int64_t id) {
                    affected_ = affected;
                    insert_id_ = id;
                    after(i, false);
                });
            if (ran) return reset();
        }
        cursor::run_batch(n, bind, after);
    }
    bool sends_ahead() const noexcept override { return batch_ != nullptr; }

    bool is_null(int column) override { return col(column).null != 0; }

    cell read_bool(int column, bool& out) override {
        std::int64_t v = 0;
        const result_slot& s = col(column);
        if (s.null) return cell::null;
        if (s.kind != slot_kind::integer && !is_decimal(s)) return cell::mismatch;
        const cell c = read_int64(column, v);
        if (c != cell::value) return c;
        if (v != 0 && v != 1) return cell::mismatch;
        out = v == 1;
        return cell::value;
    }
    cell read_int64(int column, std::int64_t& out) override {
        const result_slot& s = col(column);
        if (s.null) return cell::null;
        switch (s.kind) {
        case slot_kind::integer:
            if (s.is_unsigned && static_cast<unsigned long long>(s.fixed.integer) > INT64_MAX) return cell::mismatch;
            out = s.fixed.integer;
            return cell::value;
        case slot_kind::real32: return integral_real(s.fixed.real32, out);
        case slot_kind::real64: return integral_real(s.fixed.real64, out);
        case slot_kind::bytes:
            if (!is_decimal(s)) return cell::mismatch;
            return decimal_integer(bytes_of(s), out) ? cell::value : cell::mismatch;
        default: return cell::mismatch;
        }
    }
    cell read_uint64(int column, std::uint64_t& out) override {
        const result_slot& s = col(column);
        if (s.null) return cell::null;
        if (s.kind == slot_kind::integer && s.is_unsigned) {
            out = static_cast<std::uint64_t>(s.fixed.integer);
            return cell::value;
        }
        if (s.kind == slot_kind::bytes && is_decimal(s)) {
            return decimal_integer(bytes_of(s), out) ? cell::value : cell::mismatch;
        }
        std::int64_t v = 0;
        return unsigned_cell(read_int64(column, v), v, out);
    }
    cell read_double(int column, double& out) override {
        const result_slot& s = col(column);
        if (s.null) return cell::null;
        switch (s.kind) {
        case slot_kind::integer:
            out = s.is_unsigned ? static_cast<double>(static_cast<unsigned long long>(s.fixed.integer))
                                : static_cast<double>(s.fixed.integer);
            return cell::value;
        case slot_kind::real32: out = s.fixed.real32; return cell::value;
        case slot_kind::real64: out = s.fixed.real64; return cell::value;
        case slot_kind::bytes: return is_decimal(s) && parse_all(bytes_of(s), out) ? cell::value : cell::mismatch;
        default: return cell::mismatch;
        }
    }
    cell read_text(int column, std::string_view& out) override {
        result_slot& s = col(column);
        if (s.null) return cell::null;
        switch (s.kind) {
        case slot_kind::bytes: out = bytes_of(s); return cell::value;
        case slot_kind::integer:
            s.text = s.is_unsigned ? std::to_string(static_cast<unsigned long long>(s.fixed.integer)) : std::to_string(s.fixed.integer);
            break;
        case slot_kind::real32: s.text = sql::format_literal(static_cast<double>(s.fixed.real32)); break;
        case slot_kind::real64: s.text = sql::format_literal(s.fixed.real64); break;
        case slot_kind::temporal: {
            const MYSQL_TIME& t = s.fixed.time;
            if (is_date_field(s)) {
                date d;
                if (!temporal_date(t, d)) return cell::mismatch;
                s.text = sql::iso_date(d);
            } else {
                micro_time m;
                if (!temporal_timestamp(t, m)) return cell::mismatch;
                s.text = sql::iso_timestamp(m, t.second_part != 0);
            }
            break;
        }
        }
        out = s.text;
        return cell::value;
    }
    cell read_blob(int column, std::span<const std::byte>& out) override {
        const result_slot& s = col(column);
        if (s.null) return cell::null;
        if (s.kind != slot_kind::bytes) return cell::mismatch;
        out = {reinterpret_cast<const std::byte*>(s.bytes.data()), s.length};
        return cell::value;
    }
    cell read_date(int column, date& out) override {
        const result_slot& s = col(column);
        if (s.null) return cell::null;
        if (s.kind == slot_kind::temporal)
            return is_date_field(s) && temporal_date(s.fixed.time, out) ? cell::value : cell::mismatch;
        if (s.kind == slot_kind::bytes && !s.binary && !is_decimal(s)) return parse_iso_date(bytes_of(s), out) ? cell::value : cell::mismatch;
        return cell::mismatch;
    }
    cell read_timestamp(int column, micro_time& out) override {
        const result_slot& s = col(column);
        if (s.null) return cell::null;
        if (s.kind == slot_kind::temporal)
            return !is_date_field(s) && temporal_timestamp(s.fixed.time, out) ? cell::value : cell::mismatch;
        if (s.kind == slot_kind::bytes && !s.binary && !is_decimal(s))
            return parse_iso_timestamp(bytes_of(s), out) ? cell::value : cell::mismatch;
        return cell::mismatch;
    }
    std::string describe_cell(int column) override {
        result_slot& s = col(column);
        if (s.null) return "NULL";
        std::string_view text;
        switch (s.kind) {
        case slot_kind::integer: read_text(column, text); return "integer " + std::string(text);
        case slot_kind::real32:
        case slot_kind::real64: read_text(column, text); return "real " + std::string(text);
        case slot_kind::temporal:
            if (read_text(column, text) != cell::value) return "an invalid date or time";
            return (is_date_field(s) ? "date " : "timestamp ") + std::string(text);
        case slot_kind::bytes:
            if (is_decimal(s)) return "decimal " + codec::quote_for_message(bytes_of(s));
            if (s.binary) return "blob of " + std::to_string(s.length) + " bytes";
            return "text " + codec::quote_for_message(bytes_of(s));
        }
        return "a value";
    }
    const std::string& sql() const noexcept override { return sql_; }

private:
    // A parameter's own storage: MYSQL_BIND points into it until the statement runs.
    struct param_value {
        signed char tiny = 0;
        long long integer = 0;
        double real = 0;
        MYSQL_TIME time{};
        unsigned long length = 0;
        std::string copy;
    };

    // Parameter `index`'s storage; throws for an index the statement does not have.
    param_value& param(int index) {
        in_use_ = true;
        if (index < 1 || static_cast<std::size_t>(index) > params_.size())
            throw programming_error("reflorm: parameter " + std::to_string(index) + " does not exist; the statement has " +
                                        std::to_string(params_.size()),
                                    sql_);
        return values_[static_cast<std::size_t>(index - 1)];
    }
    void set(int index, enum_field_types type, void* buffer, std::size_t length, bool is_unsigned) {
        param_value& v = param(index);
        MYSQL_BIND& b = params_[static_cast<std::size_t>(index - 1)];
        v.length = static_cast<unsigned long>(length);
        b.buffer_type = type;
        b.buffer = buffer;
        b.buffer_length = v.length;
        b.length = &v.length;
        b.is_unsigned = is_unsigned;
    }
    result_slot& col(int column) {
        if (column < 0 || static_cast<std::size_t>(column) >= columns_.size())
            throw programming_error("reflorm: result column " + std::to_string(column) + " does not exist; the statement returns " +
                                        std::to_string(columns_.size()),
                                    sql_);
        return columns_[static_cast<std::size_t>(column)];
    }
    static bool is_decimal(const result_slot& s) { return s.type == MYSQL_TYPE_DECIMAL || s.type == MYSQL_TYPE_NEWDECIMAL; }
    static std::string_view bytes_of(const result_slot& s) { return {s.bytes.data(), s.length}; }
    static bool temporal_date(const MYSQL_TIME& t, date& out) {
        out = year{static_cast<int>(t.year)} / month{t.month} / day{t.day};
        return !t.neg && t.year >= 1 && out.ok();
    }
    static bool temporal_timestamp(const MYSQL_TIME& t, micro_time& out) {
        date d;
        if (!temporal_date(t, d) || t.hour > 23 || t.minute > 59 || t.second > 59 || t.second_part > 999999) return false;
        out = sys_days{d} + hours{t.hour} + minutes{t.minute} + seconds{t.second} + microseconds{t.second_part};
        return true;
    }

    void prepare_statement() {
        stmt_ = mysql_stmt_init(db_);
        if (!stmt_) throw_mysql_error(mysql_errno(db_), mysql_sqlstate(db_), mysql_error(db_), sql_);
        if (mysql_stmt_prepare(stmt_, sql_.data(), sql_.size()) != 0) {
            const std::string message = mysql_stmt_error(stmt_), state = mysql_stmt_sqlstate(stmt_);
            const unsigned code = mysql_stmt_errno(stmt_);
            mysql_stmt_close(std::exchange(stmt_, nullptr));  // no destructor runs for a constructor that throws
            throw_mysql_error(code, state.c_str(), message, sql_);
        }
    }
    bool run() {
        if (!stmt_) prepare_statement();  // its last preparing failed
        return (params_.empty() || mysql_stmt_bind_param(stmt_, params_.data()) == 0) && mysql_stmt_execute(stmt_) == 0;
    }
    // Runs the statement; a result set is stored on the client and its columns bound.
    void execute() {
        guard_->check();
        if (names_auto_increment_) settings_->consecutive.reset();
        bool ran = run();
        if (!ran && mysql_stmt_errno(stmt_) == 2057) {
            // CR_NEW_STMT_METADATA: a schema change altered the result's columns, and the client
            // keeps the old ones. Prepared again; a query runs once more, other statements ran.
            const std::string message = mysql_stmt_error(stmt_);
            mysql_stmt_close(std::exchange(stmt_, nullptr));  // drops the result left unread
            prepare_statement();
            const char* start = sql_.c_str() + std::min(sql_.size(), sql_.find_first_not_of(" \t\r\n("));
            if (strncasecmp(start, "SELECT", 6) != 0 && strncasecmp(start, "WITH", 4) != 0)
                throw operational_error(message + " (the statement ran; it is prepared anew for its next run)", sql_, 2057);
            ran = run();
        }
        if (!ran) throw_stmt_error(stmt_, sql_);
        executed_ = true;
        affected_ = static_cast<std::int64_t>(mysql_stmt_affected_rows(stmt_));
        insert_id_ = static_cast<std::int64_t>(mysql_stmt_insert_id(stmt_));
        bind_results();
        done_ = columns_.empty();
        if (!done_ && streaming_) return guard_->hold(*this);  // rows fetched from the server as step() reads them
        if (!done_ && mysql_stmt_store_result(stmt_) != 0) { executed_ = false; mysql_detail::throw_stmt_error_and_reset(stmt_, sql_); }
        if (!done_) affected_ = static_cast<std::int64_t>(mysql_stmt_num_rows(stmt_));  // RETURNING: the rows changed
    }
    // The result metadata of this execution (a parameter's type can change it), bound per column.
    void bind_results() {
        const unsigned n = mysql_stmt_field_count(stmt_);
        columns_.resize(n);
        results_.assign(n, MYSQL_BIND{});
        if (n == 0) return;
        MYSQL_RES* meta = mysql_stmt_result_metadata(stmt_);
        if (!meta) throw_stmt_error(stmt_, sql_);
        const MYSQL_FIELD* fields = mysql_fetch_fields(meta);
        for (unsigned i = 0; i < n; ++i) {
            result_slot& s = columns_[i];
            MYSQL_BIND& b = results_[i];
            s.type = fields[i].type;
            s.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) != 0;
            s.binary = fields[i].charsetnr == 63;
            switch (s.type) {
            case MYSQL_TYPE_TINY: case MYSQL_TYPE_SHORT: case MYSQL_TYPE_INT24: case MYSQL_TYPE_LONG:
            case MYSQL_TYPE_LONGLONG: case MYSQL_TYPE_YEAR:
                s.kind = slot_kind::integer;
                b.buffer_type = MYSQL_TYPE_LONGLONG;
                b.buffer = &s.fixed.integer;
                break;
            case MYSQL_TYPE_FLOAT:  // fetched as float: converting to double here is exact
                s.kind = slot_kind::real32;
                b.buffer_type = MYSQL_TYPE_FLOAT;
                b.buffer = &s.fixed.real32;
                break;
            case MYSQL_TYPE_DOUBLE:
                s.kind = slot_kind::real64;
                b.buffer_type = MYSQL_TYPE_DOUBLE;
                b.buffer = &s.fixed.real64;
                break;
            case MYSQL_TYPE_DATE: case MYSQL_TYPE_NEWDATE: case MYSQL_TYPE_DATETIME: case MYSQL_TYPE_TIMESTAMP:
                s.kind = slot_kind::temporal;
                b.buffer_type = s.type == MYSQL_TYPE_TIMESTAMP ? MYSQL_TYPE_TIMESTAMP : s.type == MYSQL_TYPE_DATETIME ? MYSQL_TYPE_DATETIME : MYSQL_TYPE_DATE;
                b.buffer = &s.fixed.time;
                break;
            default:  // text, blobs, DECIMAL, TIME, BIT, JSON, NULL: their bytes
                s.kind = slot_kind::bytes;
                if (s.bytes.size() < 256) s.bytes.resize(256);
                b.buffer_type = MYSQL_TYPE_BLOB;
                b.buffer = s.bytes.data();
                b.buffer_length = static_cast<unsigned long>(s.bytes.size());
                break;
            }
            b.is_unsigned = s.is_unsigned;
            b.length = &s.length;
            b.is_null = &s.null;
            b.error = &s.error;
        }
        mysql_free_result(meta);
        if (mysql_stmt_bind_result(stmt_, results_.data()) != 0) throw_stmt_error(stmt_, sql_);
    }
    // After MYSQL_DATA_TRUNCATED: the values longer than their buffers, fetched again whole.
    void fetch_long_values() {
        bool grown = false;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            result_slot& s = columns_[i];
            if (s.kind != slot_kind::bytes || s.null || s.length <= s.bytes.size()) continue;
            s.bytes.resize(s.length);
            MYSQL_BIND& b = results_[i];
            b.buffer = s.bytes.data();
            b.buffer_length = s.length;
            if (mysql_stmt_fetch_column(stmt_, &b, static_cast<unsigned>(i), 0) != 0) throw_stmt_error(stmt_, sql_);
            grown = true;
        }
        // The next rows are fetched into the grown buffers.
        if (grown && mysql_stmt_bind_result(stmt_, results_.data()) != 0) throw_stmt_error(stmt_, sql_);
    }

    MYSQL* db_;
    std::string sql_;
    MYSQL_STMT* stmt_ = nullptr;
    std::vector<MYSQL_BIND> params_;
    std::vector<param_value> values_;  // sized once: params_ points into it
    std::vector<MYSQL_BIND> results_;
    std::vector<result_slot> columns_;
    std::int64_t affected_ = 0;
    std::int64_t insert_id_ = 0;
    bool executed_ = false;
    bool done_ = false;
    bool in_use_ = false;
    bool streaming_ = false;
    bool names_auto_increment_ = false;
    mysql_detail::key_settings* settings_;
    stream_guard* guard_;  // the connection's
    std::unique_ptr<mysql_detail::multi_row_insert> batch_;  // for a plain INSERT
};

class mysql_connection final : public connection {
public:
    explicit mysql_connection(const url& u) {
        try {
            session_.open(soci::mysql, mysql_detail::connect_parameters(u));
        } catch (const soci::soci_error& e) {
            // SOCI's message is the server's ("Access denied for user ..."), never the connect string.
            std::string message = e.get_error_message();
            for (auto at = message.find(u.password); !u.password.empty() && at != std::string::npos; at = message.find(u.password, at))
                message.replace(at, u.password.size(), "***");
            throw operational_error("reflorm: cannot connect to '" + u.to_string() + "': " + message, {});
        }
        db_ = static_cast<soci::mysql_session_backend*>(session_.get_backend())->conn_;
        mysql_autocommit(db_, 1);
        // Strict: a value that does not fit is an error, never silently truncated or zeroed.
        // Identifiers are quoted with backticks (dialect/mysql.cpp), so no ANSI_QUOTES.
        // UTC: reflorm's timestamps, CURRENT_TIMESTAMP and TIMESTAMP columns alike.
        execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
                "NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'");
        server_.kind = backend::mysql;
        server_.version_text = mysql_get_server_info(db_);
        server_.mariadb = server_.version_text.find("MariaDB") != std::string::npos;
        const unsigned long v = mysql_get_server_version(db_);  // 101106
        server_.major = static_cast<int>(v / 10000);
        server_.minor = static_cast<int>(v / 100 % 100);
        server_.patch = static_cast<int>(v % 100);
    }
    ~mysql_connection() override {
        cursors_.clear();  // close statements before SOCI closes the handle
    }

    cursor& prepare(const std::string& sql) override {
        streams().check();
        return cursors_.get(sql, [&] { return std::make_unique<mysql_cursor>(db_, sql, settings_, streams()); });
    }
    void execute(const std::string& sql) override {
        streams().check();
        settings_.forget_if_named(sql);
        if (mysql_real_query(db_, sql.data(), sql.size()) != 0) fail(sql);
        // Statements here return no rows; a result set that comes anyway is read and dropped.
        for (;;) {
            if (MYSQL_RES* result = mysql_store_result(db_)) mysql_free_result(result);
            else if (mysql_field_count(db_) != 0) fail(sql);
            const int more = mysql_next_result(db_);
            if (more > 0) fail(sql);
            if (more < 0) break;
        }
    }
    void begin(begin_mode) override { execute("START TRANSACTION"); }
    bool ping() noexcept override { return mysql_ping(db_) == 0; }
    bool closed() const noexcept override { return mysql_detail::connection_lost(db_); }
    const server_info& server() const noexcept override { return server_; }
    const value_support& support() const noexcept override { return mysql_support; }

private:
    [[noreturn]] void fail(const std::string& sql) { throw_mysql_error(mysql_errno(db_), mysql_sqlstate(db_), mysql_error(db_), sql); }

    soci::session session_;
    MYSQL* db_ = nullptr;
    mysql_detail::key_settings settings_;  // before cursors_, which point to it
    statement_cache<mysql_cursor> cursors_{256};
    server_info server_;
};

}  // namespace

std::unique_ptr<connection> open_mysql(const url& u) {
    check_mysql_url(u);
    return std::make_unique<mysql_connection>(u);
}

}  // namespace reflorm::driver
