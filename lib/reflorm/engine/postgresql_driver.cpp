// PostgreSQL through SOCI: SOCI's postgresql backend opens and owns the connection; statements
// run on the PGconn inside it as named prepared statements (PQprepare once per connection and
// SQL, PQexecPrepared per run, or single-row mode to stream rows: postgresql_results.hpp),
// because SOCI's own statements re-describe every execution and exchange values through its row
// layer. Parameters travel as text (bytea as binary), typed by their first binding; results come
// back in text format and are parsed by column type, strictly.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/iso_time.hpp>
#include <reflorm/engine/postgresql_results.hpp>
#include <reflorm/engine/statement_cache.hpp>
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/sql/literal.hpp>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace reflorm::driver {

namespace {

using postgresql::indeterminate;
using postgresql::result_handle;
using postgresql::stale_plan;
using postgresql::throw_error;

// Type OIDs (pg_type.dat): what a parameter is sent as, and how a result column is parsed.
enum oid : Oid {
    bool_oid = 16,
    bytea_oid = 17,
    int8_oid = 20,
    int2_oid = 21,
    int4_oid = 23,
    text_oid = 25,
    oid_oid = 26,
    float4_oid = 700,
    float8_oid = 701,
    bpchar_oid = 1042,
    varchar_oid = 1043,
    date_oid = 1082,
    timestamp_oid = 1114,
    timestamptz_oid = 1184,
    numeric_oid = 1700,
    uuid_oid = 2950,
    jsonb_oid = 3802,
};

// NaN and the infinities are float8 values; NUMERIC(20) holds unsigned 64-bit values.
constexpr value_support postgresql_support{.nan = true, .infinity = true, .uint64 = true};

template <class Int>
bool parse_integer(std::string_view text, Int& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

bool parse_double(std::string_view text, double& out) {
    if (text == "NaN") return out = std::numeric_limits<double>::quiet_NaN(), true;
    if (text == "Infinity") return out = std::numeric_limits<double>::infinity(), true;
    if (text == "-Infinity") return out = -std::numeric_limits<double>::infinity(), true;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

/// A NUMERIC's text as an integer, when it is one exactly ("42", "42.000"; not "42.5").
template <class Int>
bool integral_numeric(std::string_view text, Int& out) {
    const auto dot = text.find('.');
    if (dot != std::string_view::npos) {
        if (text.find_first_not_of('0', dot + 1) != std::string_view::npos) return false;
        text = text.substr(0, dot);
    }
    return parse_integer(text, out);
}

bool is_text_type(Oid type) { return type == text_oid || type == varchar_oid || type == bpchar_oid; }
bool is_integer_type(Oid type) { return type == int8_oid || type == int4_oid || type == int2_oid || type == oid_oid; }

class postgresql_connection;

class postgresql_cursor final : public cursor {
public:
    postgresql_cursor(postgresql_connection& owner, std::string sql, std::string name)
        : cursor(postgresql_support), owner_(&owner), sql_(std::move(sql)), name_(std::move(name)),
          changes_schema_(postgresql::changes_schema(sql_)) {}
    ~postgresql_cursor() override;

    bool in_use() const noexcept { return in_use_; }
    bool prepared() const noexcept { return prepared_; }
    /// After the connection's DEALLOCATE ALL: the name is free, the next run prepares again.
    void unprepare() noexcept { prepared_ = false; }

    void bind_null(int index) override { slot(index, 0).null = true; }
    void bind_bool(int index, bool value) override { slot(index, bool_oid).text = value ? "true" : "false"; }
    void bind_int64(int index, std::int64_t value) override { set_number(index, int8_oid, value); }
    void bind_uint64(int index, std::uint64_t value) override { set_number(index, numeric_oid, value); }
    void bind_double(int index, double value) override {
        auto& p = slot(index, float8_oid);
        if (std::isnan(value)) p.text = "NaN";
        else if (std::isinf(value)) p.text = value > 0 ? "Infinity" : "-Infinity";
        else {
            char buffer[32];
            const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;  // shortest exact
            p.text.assign(buffer, end);
        }
    }
    void bind_text(int index, std::string_view value) override { bind_text_copy(index, value); }
    void bind_text_copy(int index, std::string_view value) override {
        // Text parameters travel NUL-terminated, and PostgreSQL's text cannot hold NUL anyway.
        if (value.find('\0') != std::string_view::npos)
            throw data_error("reflorm: PostgreSQL text cannot hold a NUL character (parameter " + std::to_string(index) +
                                 "); store such values as a blob (bytea)",
                             sql_);
        slot(index, 0).text.assign(value);  // unknown: the server types it from the context
    }
    void bind_blob(int index, std::span<const std::byte> value) override {
        auto& p = slot(index, bytea_oid);
        p.text.assign(reinterpret_cast<const char*>(value.data()), value.size());
        p.binary = true;
    }
    void bind_date(int index, date value) override { slot(index, date_oid).text.assign(sql::iso_date_text(value).view()); }
    void bind_timestamp(int index, micro_time value, bool with_micros) override {
        slot(index, timestamp_oid).text.assign(sql::iso_timestamp_text(value, with_micros).view());
    }
    void bind_decimal(int index, std::string_view text) override { slot(index, numeric_oid).text.assign(text); }
    void bind_uuid(int index, std::string_view text) override { slot(index, uuid_oid).text.assign(text); }
    void bind_json(int index, std::string_view text) override { slot(index, jsonb_oid).text.assign(text); }

    bool step() override;
    void run_batch(std::size_t n, const std::function<void(std::size_t)>& bind,
                   const std::function<void(std::size_t, bool)>& after) override;
    bool sends_ahead() const noexcept override { return true; }
    void set_streaming(bool on) noexcept override { streaming_ = on; }
    void reset() noexcept override {
        stream_.close();  // a stream not read to the end: the rest dropped
        streaming_ = false;
        result_.reset();
        executed_ = false;
        row_ = -1;
        rows_ = 0;
        in_use_ = false;
    }
    std::int64_t affected_rows() override { return affected_; }
    std::size_t buffered_rows() const noexcept override { return streaming_ || stream_.open() ? 0 : static_cast<std::size_t>(rows_); }
    std::int64_t last_insert_id() override {
        throw unsupported_error("reflorm: PostgreSQL reports generated keys only through RETURNING [SQL: " + sql_ + "]");
    }

    bool is_null(int column) override { return PQgetisnull(result_.get(), row_, column) != 0; }

    cell read_bool(int column, bool& out) override {
        if (is_null(column)) return cell::null;
        const std::string_view text = value(column);
        const Oid type = PQftype(result_.get(), column);
        if (type == bool_oid) {
            out = text == "t";
            return cell::value;
        }
        std::int64_t v = 0;
        if (!is_integer_type(type) || !parse_integer(text, v) || (v != 0 && v != 1)) return cell::mismatch;
        out = v == 1;
        return cell::value;
    }
    cell read_int64(int column, std::int64_t& out) override { return read_integer(column, out); }
    cell read_uint64(int column, std::uint64_t& out) override { return read_integer(column, out); }
    cell read_double(int column, double& out) override {
        if (is_null(column)) return cell::null;
        const Oid type = PQftype(result_.get(), column);
        if (type != float8_oid && type != float4_oid && type != numeric_oid && !is_integer_type(type)) return cell::mismatch;
        return parse_double(value(column), out) ? cell::value : cell::mismatch;
    }
    cell read_text(int column, std::string_view& out) override {
        if (is_null(column)) return cell::null;
        if (PQftype(result_.get(), column) == bytea_oid) return cell::mismatch;
        out = value(column);
        return cell::value;
    }
    cell read_blob(int column, std::span<const std::byte>& out) override {
        if (is_null(column)) return cell::null;
        if (PQftype(result_.get(), column) != bytea_oid) return cell::mismatch;
        // Text format gives bytea as "\x" and hex digits.
        const std::string_view text = value(column);
        if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2) return cell::mismatch;
        auto& bytes = blob_buffer(column);
        bytes.resize((text.size() - 2) / 2);
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            unsigned v = 0;
            const char* digits = text.data() + 2 + 2 * i;
            if (std::from_chars(digits, digits + 2, v, 16).ptr != digits + 2) return cell::mismatch;
            bytes[i] = static_cast<std::byte>(v);
        }
        out = {bytes.data(), bytes.size()};
        return cell::value;
    }
    cell read_date(int column, date& out) override {
        if (is_null(column)) return cell::null;
        const Oid type = PQftype(result_.get(), column);
        if (type != date_oid && !is_text_type(type)) return cell::mismatch;
        return parse_iso_date(value(column), out) ? cell::value : cell::mismatch;
    }
    cell read_timestamp(int column, micro_time& out) override {
        if (is_null(column)) return cell::null;
        const Oid type = PQftype(result_.get(), column);
        std::string_view text = value(column);
        if (type == timestamptz_oid) {
            // The session runs in UTC (set at connect): the suffix is "+00".
            if (text.size() < 3 || text.substr(text.size() - 3) != "+00") return cell::mismatch;
            text.remove_suffix(3);
        } else if (type != timestamp_oid && !is_text_type(type)) {
            return cell::mismatch;
        }
        return parse_iso_timestamp(text, out) ? cell::value : cell::mismatch;
    }
    std::string describe_cell(int column) override {
        if (is_null(column)) return "NULL";
        const Oid type = PQftype(result_.get(), column);
        const std::string_view text = value(column);
        if (type == bytea_oid) return "bytea of " + std::to_string(text.size() > 2 ? (text.size() - 2) / 2 : 0) + " bytes";
        if (is_integer_type(type)) return "integer " + std::string(text);
        if (type == float4_oid || type == float8_oid) return "double " + std::string(text);
        if (type == numeric_oid) return "numeric " + std::string(text);
        if (type == bool_oid) return text == "t" ? "boolean true" : "boolean false";
        return "text " + codec::quote_for_message(text);
    }
    const std::string& sql() const noexcept override { return sql_; }

    /// Called by the connection when it closes first: nothing left to deallocate.
    void orphan() noexcept { owner_ = nullptr; }

private:
    struct parameter {
        std::string text;
        Oid type = 0;
        bool null = false;
        bool binary = false;
    };
    parameter& slot(int index, Oid type) {
        in_use_ = true;
        if (index < 1) throw programming_error("reflorm: parameter index " + std::to_string(index) + " out of range", sql_);
        if (static_cast<std::size_t>(index) > params_.size()) params_.resize(static_cast<std::size_t>(index));
        auto& p = params_[static_cast<std::size_t>(index - 1)];
        p.null = false;
        p.binary = false;
        p.type = type;
        return p;
    }
    template <class Int>
    void set_number(int index, Oid type, Int value) {
        auto& p = slot(index, type);
        char buffer[24];
        p.text.assign(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
    }
    std::string_view value(int column) const {
        return {PQgetvalue(result_.get(), row_, column), static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))};
    }
    template <class Int>
    cell read_integer(int column, Int& out) {
        if (is_null(column)) return cell::null;
        const std::string_view text = value(column);
        const Oid type = PQftype(result_.get(), column);
        if (is_integer_type(type)) return parse_integer(text, out) ? cell::value : cell::mismatch;
        if (type == numeric_oid) return integral_numeric(text, out) ? cell::value : cell::mismatch;
        if (type == bool_oid) return out = text == "t" ? 1 : 0, cell::value;
        if (type == float8_oid || type == float4_oid) {
            double d = 0;
            if (!parse_double(text, d) || d != std::trunc(d) || !(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                return cell::mismatch;
            if constexpr (std::is_unsigned_v<Int>) {
                if (d < 0) return cell::mismatch;
            }
            out = static_cast<Int>(d);
            return cell::value;
        }
        return cell::mismatch;
    }
    std::vector<std::byte>& blob_buffer(int column) {
        if (blobs_.size() <= static_cast<std::size_t>(column)) blobs_.resize(static_cast<std::size_t>(column) + 1);
        return blobs_[static_cast<std::size_t>(column)];
    }

    void prepare_once(PGconn* conn);
    /// Drops a stale plan: the name is retired (deallocated when the transaction allows) and the
    /// next run prepares the statement again under a new one.
    void forget_plan();
    /// Points wire_ at the bound values, as libpq takes them (valid while params_ is unchanged).
    void fill_wire();
    /// Runs the statement: its whole result, or when streaming its first row (single-row mode).
    PGresult* execute_prepared(PGconn* conn);
    /// Takes the result of one execution: throws its error, or makes its rows current.
    bool take_result(PGconn* conn, result_handle r);

    postgresql_connection* owner_;
    std::string sql_;
    std::string name_;
    bool changes_schema_;  // CREATE, ALTER, DROP: the connection's other plans may go stale
    bool prepared_ = false;
    std::vector<parameter> params_;
    struct {
        std::vector<const char*> values;
        std::vector<int> lengths;
        std::vector<int> formats;
    } wire_;  // kept between runs, so that running a prepared statement allocates nothing here
    result_handle result_;
    bool executed_ = false;
    bool streaming_ = false;         // set_streaming: the next run reads its rows through stream_
    postgresql::row_stream stream_;  // open from that run until its last row or reset()
    int row_ = -1;
    int rows_ = 0;
    std::int64_t affected_ = 0;
    bool in_use_ = false;
    std::vector<std::vector<std::byte>> blobs_;  // decoded bytea per column: each read refills, rows reuse them
};

class postgresql_connection final : public connection {
public:
    explicit postgresql_connection(const url& u) {
        try {
            session_.open(soci::postgresql, postgresql::connect_string(u));
        } catch (const soci::soci_error& e) {
            // libpq's messages name the host and the user, never the password.
            operational_error error("reflorm: cannot connect to '" + u.to_string() + "': " + e.get_error_message(), {});
            error.set_origin("08001", false);
            throw error;
        }
        conn_ = static_cast<soci::postgresql_session_backend*>(session_.get_backend())->conn_;
        PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // NOTICEs are not errors: keep stderr clean
        // What the value codec expects back: UTC instants, ISO dates, exact doubles.
        execute("SET TimeZone = 'UTC'");
        execute("SET DateStyle = 'ISO, YMD'");
        execute("SET extra_float_digits = 3");
        execute("SET client_encoding = 'UTF8'");
        server_.kind = backend::postgresql;
        const int v = PQserverVersion(conn_);  // 150004
        server_.major = v / 10000;
        server_.minor = v % 10000;
        const char* text = PQparameterStatus(conn_, "server_version");
        server_.version_text = text ? text : std::to_string(server_.major) + "." + std::to_string(server_.minor);
    }
    ~postgresql_connection() override {
        cursors_.clear();  // DEALLOCATE needs the connection: before SOCI closes it
    }

    cursor& prepare(const std::string& sql) override {
        streams().check();
        return cursors_.get(sql, [&] { return std::make_unique<postgresql_cursor>(*this, sql, next_name()); });
    }
    void execute(const std::string& sql) override {
        streams().check();
        deallocate_pending();
        result_handle r(PQexec(conn_, sql.c_str()));
        const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
            throw_error(conn_, r.get(), sql);
        if (postgresql::changes_schema(sql)) drop_plans();
    }
    void begin(begin_mode) override { execute("BEGIN"); }
    bool ping() noexcept override {  // an empty query: one round trip, nothing parsed
        const result_handle r(PQstatus(conn_) == CONNECTION_OK ? PQexec(conn_, "") : nullptr);
        return r && PQresultStatus(r.get()) == PGRES_EMPTY_QUERY;
    }
    bool closed() const noexcept override { return PQstatus(conn_) == CONNECTION_BAD; }
    const server_info& server() const noexcept override { return server_; }
    const value_support& support() const noexcept override { return postgresql_support; }

    PGconn* handle() const noexcept { return conn_; }
    std::string next_name() { return "reflorm_" + std::to_string(++statements_); }
    /// After DDL this connection ran: every prepared statement is dropped (one DEALLOCATE ALL,
    /// skipped when none is prepared) and prepared again at its next run, so that none fails
    /// with a stale plan, which inside a transaction would abort it. Prepared statements are
    /// not transactional: a rollback of the DDL leaves them dropped, and they prepare again.
    void drop_plans() {
        bool any = !retired_.empty();
        cursors_.for_each([&](const postgresql_cursor& c) { any = any || c.prepared(); });
        if (!any) return;
        result_handle r(PQexec(conn_, "DEALLOCATE ALL"));
        if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw_error(conn_, r.get(), "DEALLOCATE ALL");
        retired_.clear();
        cursors_.for_each([](postgresql_cursor& c) { c.unprepare(); });
    }
    /// A prepared statement to drop with DEALLOCATE at the next chance: not now, since the
    /// transaction may be aborted, where every command but ROLLBACK fails.
    void retire(std::string name) { retired_.push_back(std::move(name)); }
    void deallocate_pending() {
        if (retired_.empty() || PQtransactionStatus(conn_) == PQTRANS_INERROR) return;
        while (!retired_.empty()) {
            const std::string sql = "DEALLOCATE " + retired_.back();  // a name reflorm made: reflorm_<n>
            retired_.pop_back();  // tried once: a failure must not block every later statement
            result_handle r(PQexec(conn_, sql.c_str()));
            if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw_error(conn_, r.get(), sql);
        }
    }

private:
    soci::session session_;
    PGconn* conn_ = nullptr;
    std::vector<std::string> retired_;
    statement_cache<postgresql_cursor> cursors_{256};
    std::uint64_t statements_ = 0;
    server_info server_;
};

postgresql_cursor::~postgresql_cursor() {
    if (owner_) stream_.close();
    if (owner_ && prepared_) owner_->retire(std::move(name_));
}

void postgresql_cursor::prepare_once(PGconn* conn) {
    if (prepared_) return;
    // Typed by the first binding: an int64 as bigint, a text or NULL left for the server to infer.
    const auto n = static_cast<int>(params_.size());
    std::vector<Oid> types(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) types[i] = params_[i].null ? 0 : params_[i].type;
    // A failed PREPARE aborts the transaction it runs in: inside one, it runs in a savepoint, so
    // that the retry below can run and a refused statement leaves the transaction usable.
    const bool in_transaction = PQtransactionStatus(conn) == PQTRANS_INTRANS;
    if (in_transaction) owner_->execute("SAVEPOINT reflorm_prepare");
    result_handle r(PQprepare(conn, name_.c_str(), sql_.c_str(), n, types.data()));
    if (r && PQresultStatus(r.get()) != PGRES_COMMAND_OK && indeterminate(r.get())) {
        // A parameter the context does not type (`:note IS NULL`, a bare `SELECT $1`): as text.
        if (in_transaction) owner_->execute("ROLLBACK TO SAVEPOINT reflorm_prepare");
        for (auto& type : types)
            if (type == 0) type = text_oid;
        r = result_handle(PQprepare(conn, name_.c_str(), sql_.c_str(), n, types.data()));
    }
    const bool ok = r && PQresultStatus(r.get()) == PGRES_COMMAND_OK;
    if (in_transaction) {
        if (!ok) owner_->execute("ROLLBACK TO SAVEPOINT reflorm_prepare");
        owner_->execute("RELEASE SAVEPOINT reflorm_prepare");
    }
    if (!ok) throw_error(conn, r.get(), sql_);
    prepared_ = true;
}

void postgresql_cursor::forget_plan() {
    if (!prepared_) return;
    owner_->retire(std::exchange(name_, owner_->next_name()));
    prepared_ = false;
}

PGresult* postgresql_cursor::execute_prepared(PGconn* conn) {
    fill_wire();
    const int n = static_cast<int>(params_.size());
    if (!streaming_) return PQexecPrepared(conn, name_.c_str(), n, wire_.values.data(), wire_.lengths.data(), wire_.formats.data(), 0);
    stream_.start(conn, owner_->streams(), *this, name_.c_str(), n, wire_.values.data(), wire_.lengths.data(), wire_.formats.data());
    return stream_.next();
}

void postgresql_cursor::fill_wire() {
    const std::size_t n = params_.size();
    wire_.values.resize(n);
    wire_.lengths.resize(n);
    wire_.formats.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        wire_.values[i] = params_[i].null ? nullptr : params_[i].text.c_str();
        wire_.lengths[i] = static_cast<int>(params_[i].text.size());
        wire_.formats[i] = params_[i].binary ? 1 : 0;
    }
}

bool postgresql_cursor::take_result(PGconn* conn, result_handle r) {
    result_ = std::move(r);
    executed_ = true;
    const auto status = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && status != PGRES_SINGLE_TUPLE) {
        result_handle failed = std::move(result_);
        if (stale_plan(failed.get())) {
            forget_plan();
            postgresql::throw_stale_plan(failed.get(), sql_);
        }
        throw_error(conn, failed.get(), sql_);
    }
    rows_ = PQntuples(result_.get());
    const char* changed = PQcmdTuples(result_.get());
    affected_ = changed && *changed ? std::strtoll(changed, nullptr, 10) : 0;
    row_ = 0;
    return rows_ > 0;
}

bool postgresql_cursor::step() {
    in_use_ = true;
    if (executed_) return stream_.open() ? take_result(owner_->handle(), result_handle(stream_.next())) : ++row_ < rows_;
    PGconn* conn = owner_->handle();
    owner_->streams().check();
    owner_->deallocate_pending();
    prepare_once(conn);
    result_handle r(execute_prepared(conn));
    if (stale_plan(r.get()) && PQtransactionStatus(conn) == PQTRANS_IDLE) {
        // A schema change made the plan stale. Outside a transaction nothing ran and nothing
        // was aborted: prepared again, the statement runs once more (inside one, take_result
        // raises a retryable error, as the transaction is aborted).
        forget_plan();
        owner_->deallocate_pending();
        prepare_once(conn);
        r = result_handle(execute_prepared(conn));
    }
    const bool row = take_result(conn, std::move(r));
    if (changes_schema_) owner_->drop_plans();  // DDL run as a statement
    return row;
}

void postgresql_cursor::run_batch(std::size_t n, const std::function<void(std::size_t)>& bind,
                                  const std::function<void(std::size_t, bool)>& after) {
    PGconn* conn = owner_->handle();
    // Outside a transaction every row commits on its own, as on the other backends: no pipeline,
    // whose sync points would commit or roll back a window of rows together.
    if (n < 2 || PQtransactionStatus(conn) != PQTRANS_INTRANS) return cursor::run_batch(n, bind, after);
    // libpq's pipeline mode: up to `window` rows are sent before their results are read, so an
    // executemany costs a round trip per window, not per row. Bounded, so that neither side's
    // socket buffer fills while the other waits. The results are collected and pipeline mode is
    // left before after() runs, which may run statements of its own (session events).
    constexpr std::size_t window = 256;
    owner_->deallocate_pending();
    in_use_ = true;
    bind(0);
    prepare_once(conn);  // typed by row 0
    std::vector<result_handle> results;
    for (std::size_t first = 0; first < n; first += window) {
        const std::size_t last = std::min(n, first + window);
        prepare_once(conn);  // again, if an after() ran DDL, which drops every plan
        std::exception_ptr bind_failure;  // a value refused while binding: the rows sent before it still run
        results.clear();
        if (PQenterPipelineMode(conn) != 1) throw_error(conn, nullptr, sql_);
        std::size_t sent = first;
        try {
            for (std::size_t i = first; i < last; ++i, ++sent) {
                if (i > 0) bind(i);
                fill_wire();  // libpq copies the values into its output buffer at once
                if (PQsendQueryPrepared(conn, name_.c_str(), static_cast<int>(params_.size()), wire_.values.data(),
                                        wire_.lengths.data(), wire_.formats.data(), 0) != 1)
                    throw_error(conn, nullptr, sql_);
            }
        } catch (...) {
            bind_failure = std::current_exception();
        }
        const bool synced = PQpipelineSync(conn) == 1;
        // One result per row, each followed by a NULL, then the sync's. After a failing row the
        // server aborts the rest of the window (PGRES_PIPELINE_ABORTED).
        for (std::size_t i = first; synced && i < sent; ++i) {
            results.emplace_back(PQgetResult(conn));
            while (PGresult* extra = PQgetResult(conn)) PQclear(extra);
        }
        for (;;) {
            result_handle r(PQgetResult(conn));
            if (r ? PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC : PQstatus(conn) != CONNECTION_OK || !synced) break;
        }
        if (PQexitPipelineMode(conn) != 1 || !synced) throw_error(conn, nullptr, sql_);
        for (std::size_t k = 0; k < results.size(); ++k) {
            const bool row = take_result(conn, std::move(results[k]));  // throws the failing row's error
            after(first + k, row);
            reset();
        }
        if (bind_failure) std::rethrow_exception(bind_failure);
    }
}

}  // namespace

std::unique_ptr<connection> open_postgresql(const url& u) { return std::make_unique<postgresql_connection>(u); }
}  // namespace reflorm::driver
