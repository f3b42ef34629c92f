#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/postgresql_results.hpp>

#include <cctype>

namespace reflorm::driver::postgresql {

namespace {

template <class Error>
[[noreturn]] void raise_with_state(Error error, const std::string& state) {
    error.set_origin(state, state == "40001" || state == "40P01");  // serialization failure, deadlock
    throw error;
}

std::string server_message(PGconn* conn, const PGresult* result) {
    std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
    if (message.empty() && conn) message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    if (message.rfind("ERROR:  ", 0) == 0) message.erase(0, 8);
    return message;
}

}  // namespace

void throw_error(PGconn* conn, const PGresult* result, const std::string& sql) {
    const std::string message = server_message(conn, result);
    const char* state_field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string state = state_field ? state_field : (PQstatus(conn) == CONNECTION_BAD ? "08006" : "");
    const char* constraint_field = result ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr;
    const std::string constraint = constraint_field ? constraint_field : "";
    using kind = integrity_error::kind;
    if (state.rfind("23", 0) == 0) {
        kind k = kind::other;
        if (state == "23505") {
            const bool primary = constraint.size() > 5 && constraint.compare(constraint.size() - 5, 5, "_pkey") == 0;
            k = primary ? kind::primary_key : kind::unique;
        } else if (state == "23503") {
            k = kind::foreign_key;
        } else if (state == "23502") {
            k = kind::not_null;
        } else if (state == "23514") {
            k = kind::check;
        }
        raise_with_state(integrity_error(k, message, sql), state);
    }
    if (state.rfind("22", 0) == 0) raise_with_state(data_error(message, sql), state);
    if (state.rfind("42", 0) == 0 || state == "0A000" || state == "26000") raise_with_state(programming_error(message, sql), state);
    raise_with_state(operational_error(message, sql), state);
}

void row_stream::start(PGconn* conn, stream_guard& guard, const cursor& holder, const char* name, int n,
                       const char* const* values, const int* lengths, const int* formats) {
    in_transaction_ = PQtransactionStatus(conn) != PQTRANS_IDLE;
    if (PQsendQueryPrepared(conn, name, n, values, lengths, formats, 0) != 1) throw_error(conn, nullptr, holder.sql());
    conn_ = conn;
    guard_ = &guard;
    holder_ = &holder;
    guard.hold(holder);
    if (PQsetSingleRowMode(conn) != 1) {  // only fails when called at the wrong time: never here
        close();
        throw operational_error("reflorm: libpq refused single-row mode for a streamed result", holder.sql());
    }
}

PGresult* row_stream::next() {
    if (!conn_) return nullptr;
    PGresult* r = PQgetResult(conn_);
    if (!r || PQresultStatus(r) != PGRES_SINGLE_TUPLE) end();
    return r;
}

void row_stream::end() noexcept {
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    guard_->release(*holder_);
    conn_ = nullptr;
}

void row_stream::close() noexcept {
    if (!conn_) return;
    // The rows received already are dropped without waiting: a short result often ends there,
    // and then there is nothing to cancel (bounded: a fast server could keep them coming).
    for (int received_rows = 0; received_rows < 4096 && PQconsumeInput(conn_) == 1 && PQisBusy(conn_) == 0; ++received_rows) {
        PGresult* received = PQgetResult(conn_);
        if (!received) return end();
        PQclear(received);
    }
    if (!in_transaction_) {
        if (PGcancel* cancel = PQgetCancel(conn_)) {
            char message[256];
            (void)PQcancel(cancel, message, sizeof message);  // on failure, the rest is read below
            PQfreeCancel(cancel);
        }
    }
    end();
}

bool indeterminate(const PGresult* result) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    return state && std::string_view(state) == "42P18";
}

bool stale_plan(const PGresult* result) {
    if (!result || PQresultStatus(result) != PGRES_FATAL_ERROR) return false;
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const char* function = PQresultErrorField(result, PG_DIAG_SOURCE_FUNCTION);
    return state && function && std::string_view(state) == "0A000" && std::string_view(function) == "RevalidateCachedQuery";
}

void throw_stale_plan(const PGresult* result, const std::string& sql) {
    operational_error error("reflorm: the statement's prepared plan went stale after a schema change (PostgreSQL: " +
                                server_message(nullptr, result) +
                                "), and the server aborted the transaction; the statement is prepared anew at its next "
                                "run, so retrying the transaction will succeed",
                            sql);
    error.set_origin("0A000", true);
    throw error;
}

bool changes_schema(std::string_view sql) {
    std::size_t i = 0;
    for (;;) {  // past spaces and comments, as a migration script writes them
        while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
        if (sql.substr(i, 2) == "--") {
            const std::size_t end = sql.find('\n', i);
            i = end == std::string_view::npos ? sql.size() : end + 1;
        } else if (sql.substr(i, 2) == "/*") {
            const std::size_t end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else {
            break;
        }
    }
    std::string word;
    for (; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])) && word.size() < 7; ++i)
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
    return word == "CREATE" || word == "ALTER" || word == "DROP";
}

}  // namespace reflorm::driver::postgresql
