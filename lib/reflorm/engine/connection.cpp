#include <reflorm/engine/connection.hpp>

#include <iostream>

namespace reflorm {

connection::~connection() {
    if (!pooled_) return;  // moved from
    if (pooled_->in_transaction) {
        try {
            control("ROLLBACK");
        } catch (...) {
        }
        pooled_->in_transaction = false;
    }
    state_->release(std::move(pooled_));
}

driver::cursor& connection::prepare(const std::string& sql, std::size_t parameter_sets) {
    if (const auto listeners = state_->current_listeners())
        for (const auto& [id, listener] : *listeners) listener(execute_event{sql, parameter_sets});
    return pooled_->driver->prepare(sql);
}

void connection::control(const std::string& sql) {
    if (state_->options.echo) std::clog << "reflorm: " << sql << '\n';
    pooled_->driver->execute(sql);
}

void connection::execute(const std::string& sql) {
    if (const auto listeners = state_->current_listeners())
        for (const auto& [id, listener] : *listeners) listener(execute_event{sql, 1});
    pooled_->driver->execute(sql);
}

std::int64_t connection::last_insert_id() { return pooled_->driver->last_insert_id(); }
std::int64_t connection::changes() { return pooled_->driver->changes(); }

void connection::savepoint(const std::string& name) {
    if (!pooled_->in_transaction) throw invalid_request_error("reflorm: a SAVEPOINT needs an open transaction; begin() one first");
    control("SAVEPOINT " + name);
}
void connection::rollback_to_savepoint(const std::string& name) { control("ROLLBACK TO SAVEPOINT " + name); }
void connection::release_savepoint(const std::string& name) { control("RELEASE SAVEPOINT " + name); }

transaction connection::begin() {
    if (pooled_->in_transaction)
        throw invalid_request_error("reflorm: a transaction is already begun on this connection; commit or roll it back first");
    control("BEGIN");
    pooled_->in_transaction = true;
    return transaction(*this);
}

transaction::~transaction() {
    if (connection_) {
        try {
            rollback();
        } catch (...) {
        }
    }
}

void transaction::commit() {
    if (!connection_) throw invalid_request_error("reflorm: this transaction is no longer active");
    connection* c = std::exchange(connection_, nullptr);
    try {
        c->control("COMMIT");
    } catch (...) {
        // SQLite keeps the transaction open after a failed COMMIT: end it, so nothing lingers.
        try {
            c->control("ROLLBACK");
        } catch (...) {
        }
        c->pooled_->in_transaction = false;
        throw;
    }
    c->pooled_->in_transaction = false;
}

void transaction::rollback() {
    if (!connection_) throw invalid_request_error("reflorm: this transaction is no longer active");
    connection* c = std::exchange(connection_, nullptr);
    c->pooled_->in_transaction = false;
    c->control("ROLLBACK");
}

}  // namespace reflorm
