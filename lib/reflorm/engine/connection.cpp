#include <reflorm/engine/connection.hpp>

#include <iostream>

namespace reflorm {

connection::connection(std::shared_ptr<detail::engine_state> state, std::shared_ptr<detail::pooled_connection> pooled)
    : state_(std::move(state)), pooled_(std::move(pooled)) {
    checkout_ = ++pooled_->checkouts;
    pooled_->owner = checkout_;
    pooled_->autocommit = state_->options.isolation_level == isolation::autocommit;
}

connection::~connection() {
    if (!pooled_) return;  // moved from
    if (pooled_->in_transaction && !pooled_->autocommit) {
        try {
            control("ROLLBACK");
        } catch (...) {
            // Its state is unknown: the pool closes it rather than hand it out again.
            detail::invalidate_pooled(*pooled_, "reset failed: the ROLLBACK of a transaction left open failed", std::current_exception());
        }
    }
    pooled_->in_transaction = false;
    if (pooled_->isolation_changed) {  // back to the engine's level, as SQLAlchemy on return
        try {
            const auto& level = state_->options.isolation_level;
            const std::string sql = level && *level != isolation::autocommit ? detail::isolation_sql(state_->url.kind, *level)
                                                                             : detail::default_isolation_sql(state_->url.kind);
            pooled_->driver->execute(sql);
        } catch (...) {
            detail::invalidate_pooled(*pooled_, "reset failed: the isolation level could not be restored", std::current_exception());
        }
        pooled_->isolation_changed = false;
    }
    pooled_->owner = 0;  // a transaction object that outlives this connection sees it
    pooled_.reset();     // back to the pool once a result or transaction still holding it ends
}

void connection::set_isolation_level(isolation level) {
    if (pooled_->in_transaction)
        throw invalid_request_error(std::string("reflorm: cannot set the isolation level to ") + to_string(level) +
                                    " inside a transaction; commit or roll it back first");
    const std::string sql = detail::isolation_sql(state_->url.kind, level);
    echo(sql);
    if (!sql.empty()) pooled_->driver->execute(sql);
    pooled_->autocommit = level == isolation::autocommit;
    pooled_->isolation_changed = true;
}

void connection::invalidate() noexcept {
    detail::invalidate_pooled(*pooled_, "invalidated by connection::invalidate()", nullptr);
}

driver::cursor& connection::prepare(const std::string& sql, std::size_t parameter_sets, parameters_ref parameters,
                                    detail::statement_watch& watch) {
    if (const auto listeners = state_->current_listeners()) {
        for (const auto& [id, listener] : listeners->before) listener(execute_event{sql, parameter_sets, parameters});
        if (listeners->after) watch.arm(listeners->after, sql, parameter_sets);
    }
    driver::cursor& cursor = pooled_->driver->prepare(sql);
    last_cursor_ = &cursor;
    return cursor;
}

connection::started connection::start(const codec::statement_codec& codec, const void* statement, bool stream, bool returns_rows,
                                      detail::statement_watch& watch) {
    const std::string& sql = codec::statement_sql(*codec.text, statement, dialect());
    const auto describe = [&](std::size_t) { return codec::describe_statement(codec, statement); };
    driver::cursor& cursor = prepare(sql, 1, describe, watch);
    bool has_row = false;
    std::int64_t stepped = 0;  // rows of a text() without columns<...>(), for the after event
    try {
        codec::bind_statement(codec, cursor, statement);
        if (stream) cursor.set_streaming(true);
        has_row = cursor.step();
        if (!returns_rows)
            for (; has_row; ++stepped) has_row = cursor.step();  // a text() without columns<...>() that returned rows
        else if (watch.armed())
            watch.keep_parameters(describe);  // the result may outlive the statement
    } catch (database_error& e) {
        cursor.reset();
        codec::attach_described(e, sql, [&] { return describe(0); });
        throw;
    } catch (...) {
        cursor.reset();
        throw;
    }
    return {&cursor, has_row, stepped, &sql};
}

result<driver::cursor*> connection::run_at_cursor(const codec::statement_codec& codec, const void* statement, bool stream,
                                                  bool counts_rows) {
    return run_rows<driver::cursor*>(codec, statement, stream, counts_rows, [](driver::cursor& cursor) { return &cursor; });
}

std::int64_t connection::run_without_rows(const codec::statement_codec& codec, const void* statement) {
    detail::statement_watch watch;
    const started run = start(codec, statement, false, false, watch);
    const std::int64_t changed = run.cursor->affected_rows();
    run.cursor->reset();
    watch.fire(run.stepped > 0 ? run.stepped : changed, [&](std::size_t) { return codec::describe_statement(codec, statement); });
    return changed;
}

std::int64_t connection::count_erased(const codec::statement_codec& codec, const void* statement) {
    const std::string& sql = codec::statement_sql(*codec.text, statement, dialect());
    const auto describe = [&](std::size_t) { return codec::describe_statement(codec, statement); };
    detail::statement_watch watch;
    driver::cursor& cursor = prepare(sql, 1, describe, watch);
    cursor_scope scope{cursor};
    try {
        codec::bind_statement(codec, cursor, statement);
        cursor.step();
        std::int64_t n = 0;
        codec::read_value(cursor, 0, n, "count(*)");
        watch.fire(1, describe);
        return n;
    } catch (database_error& e) {
        codec::attach_described(e, sql, [&] { return describe(0); });
        throw;
    }
}

void connection::echo(const std::string& sql) {
    if (state_->options.echo) std::clog << "reflorm: " << sql << '\n';
}

void connection::control(const std::string& sql) {
    echo(sql);
    pooled_->driver->execute(sql);
}

void connection::exec_driver_sql(const std::string& sql) {
    detail::statement_watch watch;
    if (const auto listeners = state_->current_listeners()) {
        for (const auto& [id, listener] : listeners->before) listener(execute_event{sql, 1});
        if (listeners->after) watch.arm(listeners->after, sql, 1);
    }
    pooled_->driver->execute(sql);
    watch.fire(-1);  // the driver reports no row count for SQL run as it is
}

std::int64_t connection::last_insert_id() { return last_cursor_ ? last_cursor_->last_insert_id() : 0; }
std::int64_t connection::changes() { return last_cursor_ ? last_cursor_->affected_rows() : 0; }

void connection::savepoint(const std::string& name) {
    if (!pooled_->in_transaction) throw invalid_request_error("reflorm: a SAVEPOINT needs an open transaction; begin() one first");
    control("SAVEPOINT " + name);
}
void connection::rollback_to_savepoint(const std::string& name) { control("ROLLBACK TO SAVEPOINT " + name); }
void connection::release_savepoint(const std::string& name) { control("RELEASE SAVEPOINT " + name); }

transaction connection::begin() {
    return begin(state_->options.begin_immediate ? driver::begin_mode::immediate : driver::begin_mode::deferred);
}

transaction connection::begin(driver::begin_mode mode) {
    if (pooled_->in_transaction)
        throw invalid_request_error("reflorm: a transaction is already begun on this connection; commit or roll it back first");
    if (!pooled_->autocommit) {  // AUTOCOMMIT: no transaction block, each statement commits
        echo(mode == driver::begin_mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
        pooled_->driver->begin(mode);
    }
    pooled_->in_transaction = true;
    return transaction(state_, pooled_, checkout_);
}

bool transaction::active() const noexcept { return pooled_ && pooled_->owner == checkout_ && pooled_->in_transaction; }

detail::pooled_connection& transaction::own(const char* what) {
    if (active()) pooled_->driver->streams().check();  // before the transaction's state changes
    if (!active()) {
        pooled_.reset();
        throw invalid_request_error(std::string("reflorm: cannot ") + what +
                                    ": this transaction is no longer active (it ended, or its connection was closed, which "
                                    "rolled it back)");
    }
    return *pooled_;
}

transaction::~transaction() {
    if (active()) {
        try {
            rollback();
        } catch (...) {
        }
    }
}

void transaction::commit() {
    detail::pooled_connection& c = own("commit");
    const auto ended = std::move(pooled_);  // this transaction ends whatever happens
    if (c.autocommit) {
        c.in_transaction = false;
        return;
    }
    if (state_->options.echo) std::clog << "reflorm: COMMIT\n";
    try {
        c.driver->execute("COMMIT");
    } catch (...) {
        // SQLite keeps the transaction open after a failed COMMIT: end it, so nothing lingers.
        try {
            c.driver->execute("ROLLBACK");
        } catch (...) {
            detail::invalidate_pooled(c, "reset failed: the ROLLBACK after a failed COMMIT failed", std::current_exception());
        }
        c.in_transaction = false;
        throw;
    }
    c.in_transaction = false;
}

void transaction::rollback() {
    detail::pooled_connection& c = own("roll back");
    const auto ended = std::move(pooled_);
    c.in_transaction = false;
    if (c.autocommit) return;
    if (state_->options.echo) std::clog << "reflorm: ROLLBACK\n";
    c.driver->execute("ROLLBACK");
}

}  // namespace reflorm

namespace reflorm {

void connection::insert_rows_erased(const insert_model_ops& ops, std::size_t n, insert_source& source) {
    // The first row without its after(): the failing one, for the error. Counted from after(),
    // not bind(): a driver that sends ahead binds later rows before an earlier one fails.
    std::size_t row = 0;
    const std::string* sql = nullptr;
    rows::insert_layout layout;
    try {
        for (std::size_t start = 0; start < n;) {
            // A run: consecutive rows of one shape (the whole call, usually).
            const rows::insert_shape shape = ops.shape(source.object(start));
            layout = rows::layout_of(*ops.table, shape, dialect());
            sql = &sql::detail::table_statement_text(ops.statements[static_cast<std::size_t>(sql::table_statement::insert_shape)],
                                                     *ops.table, sql::table_statement::insert_shape, layout.omitted, layout.returned,
                                                     dialect());
            std::size_t end = start + 1;
            while (end < n && ops.shape(source.object(end)) == shape) ++end;
            // A listener reading the values runs before() first, so that it sees the foreign keys
            // the session fills in (before() is idempotent; see insert_rows).
            const auto describe = [&](std::size_t k) {
                source.before(start + k);
                return ops.describe(source.object(start + k), layout);
            };
            detail::statement_watch watch;
            driver::cursor& cursor = prepare(*sql, end - start, describe, watch);
            if (cursor.sends_ahead())  // a row that needs an earlier row's key waits for it
                for (std::size_t i = start + 1; i < end; ++i)
                    if (source.starts_run(i)) {
                        end = i;
                        break;
                    }
            cursor_scope scope{cursor};
            row = start;
            std::int64_t inserted = 0;  // for the after event only
            cursor.run_batch(
                end - start,
                [&](std::size_t k) {
                    source.before(start + k);
                    ops.bind(cursor, source.object(start + k), layout);
                },
                [&](std::size_t k, bool returned_row) {
                    row = start + k;
                    void* target = source.object(row);
                    if (!layout.returned.empty()) {
                        if (!returned_row) throw operational_error("reflorm: the INSERT returned no row to read generated values from", *sql);
                        ops.read(cursor, target, layout.returned);
                    }
                    if (layout.key_by_id) ops.set_key(target, cursor.last_insert_id());
                    if (!layout.selected.empty()) read_defaults_back(ops, target, layout.selected);
                    source.after(row, shape);
                    ++row;
                    if (watch.armed()) inserted += cursor.affected_rows();
                });
            watch.fire(inserted, describe);
            start = end;
        }
    } catch (database_error& e) {
        row = std::min(row, n - 1);
        codec::attach_described(e, sql ? *sql : std::string(), [&] { return ops.describe(source.object(row), layout); },
                                n > 1 ? "row " + std::to_string(row + 1) + " of " + std::to_string(n) : std::string());
        throw;
    }
}

void connection::read_defaults_back(const insert_model_ops& ops, void* object, const std::string& columns) {
    // No RETURNING (MySQL): the values the database filled in, selected by the row's key.
    const std::string& sql =
        sql::detail::table_statement_text(ops.statements[static_cast<std::size_t>(sql::table_statement::select_columns_by_key)],
                                          *ops.table, sql::table_statement::select_columns_by_key, columns, {}, dialect());
    const auto describe = [&](std::size_t) { return ops.describe_key(object); };
    detail::statement_watch watch;
    driver::cursor& cursor = prepare(sql, 1, describe, watch);
    cursor_scope scope{cursor};
    ops.bind_key(cursor, object);
    if (!cursor.step()) throw operational_error("reflorm: the row just inserted was not found to read its server defaults", sql);
    ops.read(cursor, object, columns);
    watch.fire(1, describe);
}

}  // namespace reflorm
