#pragma once
// Core-level execution: statements in, results out (engine/result.hpp), rows as plain values.
#include <reflorm/engine/engine.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/insert_plan.hpp>
#include <reflorm/engine/result.hpp>
#include <reflorm/engine/row_reader.hpp>
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/errors.hpp>
#include <reflorm/sql/select.hpp>
#include <reflorm/sql/table_sql.hpp>
#include <reflorm/sql/to_sql.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

namespace reflorm {

class transaction;


/// A connection checked out of an engine's pool. Not thread-safe. Statements run in
/// autocommit mode unless a transaction is begun; bulk inserts always run in one transaction.
class connection {
public:
    connection(connection&& other) noexcept = default;
    connection& operator=(connection&&) = delete;
    connection(const connection&) = delete;
    ~connection();

    const sql::compiler& dialect() const noexcept { return *state_->dialect.load(std::memory_order_acquire); }
    /// What the backend stores (NaN, infinities, unsigned 64-bit values above INT64_MAX); the
    /// value codec refuses the rest with a data_error before binding (docs/backends.md).
    const driver::value_support& support() const noexcept { return pooled_->driver->support(); }

    /// Starts a transaction; the returned guard rolls it back unless committed. `mode` defaults
    /// to the engine's (engine_options::begin_immediate); SQLite's BEGIN IMMEDIATE takes the
    /// write lock at once, waiting out the busy timeout, so that a transaction that reads and
    /// then writes cannot fail with "database is locked". Throws invalid_request_error if a
    /// transaction is already open on this connection.
    transaction begin();
    transaction begin(driver::begin_mode mode);
    bool in_transaction() const noexcept { return pooled_->in_transaction; }
    /// Sets this connection's isolation level until it returns to the pool, where it is put
    /// back to the engine's (engine_options::isolation_level), as SQLAlchemy's
    /// connection.execution_options(isolation_level=...). Throws invalid_request_error inside a
    /// transaction, unsupported_error for a level SQLite lacks, database_error from the server.
    void set_isolation_level(isolation level);
    /// Marks the database connection unusable, as SQLAlchemy's Connection.invalidate(): the pool
    /// closes it when it returns (an invalidate pool event) instead of handing it out again.
    void invalidate() noexcept;

    /// Runs SQL text as it is, with no parameters and no result (DDL, PRAGMA, SET), as
    /// SQLAlchemy 2.0's Connection.exec_driver_sql: a separate name, so that text is never
    /// mistaken for a statement (statements, text() included, go to execute()). Never write
    /// values into it: use statements, whose values are bound. Throws database_error.
    void exec_driver_sql(const std::string& sql);

    /// INSERTs `object`. What the database generates is written back into it: a 0
    /// autoincrement key, and the server_default of an empty std::optional member (see
    /// engine/insert_plan.hpp for the rule). Throws integrity_error on a violated constraint,
    /// data_error on a value the backend cannot store (naming the column).
    template <class T>
    void insert(T& object);

    /// INSERTs every object, rows of one shape through one prepared statement (an
    /// executemany), in one transaction (or, inside an open transaction, one SAVEPOINT): either
    /// all rows are written or none. Generated values are written back; after a failure they
    /// are reset (keys to 0, server-default members to empty). The error names the failing row.
    template <std::ranges::random_access_range Range>
    void insert_all(Range&& objects);

    /// Runs a statement and returns its result (SQLAlchemy 2.0's Connection.execute): the rows
    /// of a select, of a text().columns<...>() or of a RETURNING clause, read lazily as the
    /// result is iterated (`.all()`, `.one()`, `.scalar_one()`, ..., see engine/result.hpp), or
    /// for UPDATE, DELETE and INSERT without RETURNING no rows and `.rowcount()`. A select with
    /// execution_options({.stream_results = true}) streams its rows from the server; until that
    /// result is read to the end or closed, this connection runs nothing else (every statement,
    /// begin, commit and rollback throw invalid_request_error; docs/queries.md). Rows are
    /// models, std::tuples or structs, as the statement says (`result_type`). Like every method
    /// here, throws only reflorm::error: database_error subclasses carrying the SQL and the bound
    /// values, unsupported_error for a feature the dialect lacks (RETURNING on MySQL),
    /// invalid_request_error for a statement mistake (an unbound text() parameter).
    template <class Statement>
    result<rows::row_of<Statement>> execute(const Statement& statement);
    /// As execute() for a statement with rows, whose rows the caller reads from the cursor
    /// itself: each row is the cursor, on that row until the next one is fetched (nullptr at the
    /// end). One result class for every statement: the session's yield_per reads objects
    /// straight into its identity map, with no result<T> compiled per model (issue 13).
    template <class Statement>
    result<driver::cursor*> execute_at_cursor(const Statement& statement);
    /// execute(statement).scalar(): the first column of the first row, or nothing.
    template <class Statement>
    auto scalar(const Statement& statement) {
        return execute(statement).scalar();
    }
    /// execute(statement).scalars(): the rows' first columns, as SQLAlchemy's Connection.scalars.
    template <class Statement>
    auto scalars(const Statement& statement) {
        return execute(statement).scalars();
    }

    /// The number of rows a select would return.
    template <class Statement>
    std::int64_t count(const Statement& statement);

    /// The T whose primary key is `key...` (one value per key column, in key order), or nullopt.
    template <class T, class... Key>
    std::optional<T> get(const Key&... key);

    // ---- building blocks for the ORM layer (the session), usable by anyone --------------

    /// Runs `sql` once per i in [0, n) on one prepared statement (the driver's run_batch):
    /// `bind(cursor, i)` binds row i's values, then after the row has run `after(i)` is called
    /// (read changes() there). Listeners see one execute_event with parameter_sets = n. On
    /// failure the database_error carries `describe(i)` of the failing row as its parameters.
    template <class Bind, class After, class Describe>
    void execute_many(const std::string& sql, std::size_t n, Bind&& bind, After&& after, Describe&& describe);

    /// INSERTs object(i) (a T&) for i in [0, n) in order, consecutive rows of the same shape
    /// (rows::shape_of) through one prepared statement. before(i) runs just before row i is
    /// bound (the session fills foreign keys there), after(i, shape) once its generated values
    /// are written back. `starts_run(i)`, true when row i needs a value an earlier row of the
    /// call generates, ends a run there on drivers that send rows ahead. Does not begin a
    /// transaction; the error names the failing row and shows the values it bound. before(i) must
    /// be idempotent: when a listener reads the execute_event's parameters, it runs once more,
    /// before the event, so that the values shown are those bound.
    template <class T, class Object, class Before, class After, class StartsRun>
    void insert_rows(std::size_t n, Object&& object, Before&& before, After&& after, StartsRun&& starts_run);

    /// Runs `sql` after `bind(cursor)`, calling `on_row(cursor)` for each result row.
    /// `describe()` gives the bound values for the error message on failure.
    template <class Bind, class OnRow, class Describe>
    void query(const std::string& sql, Bind&& bind, OnRow&& on_row, Describe&& describe);

    /// The key generated by the last INSERT, and the rows changed by the last statement, of the
    /// statement this connection ran last (each statement keeps its own).
    std::int64_t last_insert_id();
    std::int64_t changes();

    /// SAVEPOINT / ROLLBACK TO SAVEPOINT / RELEASE SAVEPOINT `name` (an identifier reflorm
    /// chose, never user input). Inside a transaction only.
    void savepoint(const std::string& name);
    void rollback_to_savepoint(const std::string& name);
    void release_savepoint(const std::string& name);

private:
    friend class engine;
    friend class transaction;
    connection(std::shared_ptr<detail::engine_state> state, std::shared_ptr<detail::pooled_connection> pooled);

    /// Fires the execute listeners, then prepares `sql`. `parameters(set)` describes the values
    /// of parameter set `set` for a listener that asks (execute_event::parameters). Arms `watch`
    /// when an after listener is registered: the caller fires it once the statement has run.
    driver::cursor& prepare(const std::string& sql, std::size_t parameter_sets, parameters_ref parameters,
                            detail::statement_watch& watch);
    /// execute()'s part that is the same for every statement (connection.cpp, compiled once):
    /// renders (cached) the SQL of `statement`, of the type `codec` describes, prepares it, binds
    /// it, streams the rows when `stream`, and steps to the first row, or, for a statement
    /// without rows, through all of them (`stepped`). A database_error carries the SQL and the
    /// statement's values; the cursor is reset then.
    struct started {
        driver::cursor* cursor;
        bool has_row;
        std::int64_t stepped;
        const std::string* sql;
    };
    started start(const codec::statement_codec& codec, const void* statement, bool stream, bool returns_rows,
                  detail::statement_watch& watch);
    /// execute() and execute_at_cursor() of a statement with rows: the rows read by `read`
    /// (compiled per row type, not per statement).
    template <class Row>
    result<Row> run_rows(const codec::statement_codec& codec, const void* statement, bool stream, bool counts_rows,
                         Row (*read)(driver::cursor&));
    /// run_rows for execute_at_cursor(), compiled once (connection.cpp).
    result<driver::cursor*> run_at_cursor(const codec::statement_codec& codec, const void* statement, bool stream, bool counts_rows);
    /// execute() of a statement without rows: the rows it changed.
    std::int64_t run_without_rows(const codec::statement_codec& codec, const void* statement);
    /// count()'s statement run, as start.
    std::int64_t count_erased(const codec::statement_codec& codec, const void* statement);
    void control(const std::string& sql);  // COMMIT/ROLLBACK/SAVEPOINT: echoed, not counted
    void echo(const std::string& sql);     // what control() prints, for statements run otherwise

    // insert_rows' model-independent loop (connection.cpp), compiled once rather than per model:
    // the model's part through insert_model_ops, the caller's callbacks through insert_source.
    struct insert_model_ops {
        const schema::table_info* table;
        sql::detail::statement_slot* statements;  // the model's sql::detail::table_slots
        rows::insert_shape (*shape)(const void* object);
        void (*bind)(driver::cursor& cursor, const void* object, const rows::insert_layout& layout);
        void (*read)(driver::cursor& cursor, void* object, const std::string& mask);
        void (*set_key)(void* object, std::int64_t key);
        std::vector<std::string> (*describe)(const void* object, const rows::insert_layout& layout);
        void (*bind_key)(driver::cursor& cursor, const void* object);  // the primary key, as parameters 1, 2, ...
        std::vector<std::string> (*describe_key)(const void* object);
    };
    template <class T>
    static const insert_model_ops& insert_ops();
    class insert_source {
    public:
        virtual void* object(std::size_t i) = 0;
        virtual void before(std::size_t i) = 0;
        virtual void after(std::size_t i, const rows::insert_shape& shape) = 0;
        virtual bool starts_run(std::size_t i) = 0;

    protected:
        ~insert_source() = default;
    };
    void insert_rows_erased(const insert_model_ops& ops, std::size_t n, insert_source& source);
    /// Without RETURNING (MySQL): reads back the server defaults `columns` of the row just inserted.
    void read_defaults_back(const insert_model_ops& ops, void* object, const std::string& columns);

    // Resets a cursor when leaving scope, so the cached statement can run again.
    struct cursor_scope {
        driver::cursor& cursor;
        ~cursor_scope() { cursor.reset(); }
    };

    std::shared_ptr<detail::engine_state> state_;
    std::shared_ptr<detail::pooled_connection> pooled_;
    std::uint64_t checkout_ = 0;            // this connection's turn with pooled_ (see transaction)
    driver::cursor* last_cursor_ = nullptr;  // the statement run last, for changes()
};

/// A transaction on one connection. Destroyed without commit(), it rolls back. It shares the
/// connection's state rather than pointing at the connection object, so it is safe to move the
/// connection, or to end it first: then the connection has rolled the transaction back, and
/// commit() and rollback() throw invalid_request_error.
class transaction {
public:
    transaction(transaction&& other) noexcept = default;
    transaction& operator=(transaction&&) = delete;
    ~transaction();

    /// COMMITs. If COMMIT fails (a deferred foreign key, say), rolls back and rethrows.
    void commit();
    void rollback();
    /// Whether it can still be committed or rolled back.
    bool active() const noexcept;

private:
    friend class connection;
    transaction(std::shared_ptr<detail::engine_state> state, std::shared_ptr<detail::pooled_connection> pooled, std::uint64_t checkout)
        : state_(std::move(state)), pooled_(std::move(pooled)), checkout_(checkout) {}
    /// The pooled connection, if this transaction is still its own; else throws.
    detail::pooled_connection& own(const char* what);
    std::shared_ptr<detail::engine_state> state_;
    std::shared_ptr<detail::pooled_connection> pooled_;  // released when the transaction ends
    std::uint64_t checkout_ = 0;
};

template <class T>
const connection::insert_model_ops& connection::insert_ops() {
    static constexpr insert_model_ops ops{
        &schema::table_of<T>,
        sql::detail::table_slots<T>,
        [](const void* o) { return rows::shape_of(*static_cast<const T*>(o)); },
        [](driver::cursor& cursor, const void* o, const rows::insert_layout& layout) {
            rows::bind_insert(cursor, *static_cast<const T*>(o), layout);
        },
        [](driver::cursor& cursor, void* o, const std::string& mask) { rows::read_flagged(cursor, *static_cast<T*>(o), mask); },
        [](void* o, std::int64_t key) { rows::set_generated_key(*static_cast<T*>(o), key); },
        [](const void* o, const rows::insert_layout& layout) { return rows::describe_insert(*static_cast<const T*>(o), layout); },
        [](driver::cursor& cursor, const void* o) {
            constexpr const auto& table = schema::table_of<T>;
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                int index = 0;
                (codec::bind_value(cursor, ++index,
                                   reflect::get<schema::column_fields_v<T>[table.primary_key.items[K]]>(*static_cast<const T*>(o))),
                 ...);
            }(std::make_index_sequence<table.primary_key.size>{});
        },
        [](const void* o) {
            constexpr const auto& table = schema::table_of<T>;
            return [&]<std::size_t... K>(std::index_sequence<K...>) {
                return std::vector<std::string>{codec::format_column_for_message<T, table.primary_key.items[K]>(
                    reflect::get<schema::column_fields_v<T>[table.primary_key.items[K]]>(*static_cast<const T*>(o)))...};
            }(std::make_index_sequence<table.primary_key.size>{});
        },
    };
    return ops;
}

template <class T, class Object, class Before, class After, class StartsRun>
void connection::insert_rows(std::size_t n, Object&& object, Before&& before, After&& after, StartsRun&& starts_run) {
    struct source final : insert_source {
        Object& object_;
        Before& before_;
        After& after_;
        StartsRun& starts_run_;
        source(Object& o, Before& b, After& a, StartsRun& s) : object_(o), before_(b), after_(a), starts_run_(s) {}
        void* object(std::size_t i) override { return std::addressof(static_cast<T&>(object_(i))); }
        void before(std::size_t i) override { before_(i); }
        void after(std::size_t i, const rows::insert_shape& shape) override { after_(i, shape); }
        bool starts_run(std::size_t i) override { return starts_run_(i); }
    } rows_source{object, before, after, starts_run};
    insert_rows_erased(insert_ops<T>(), n, rows_source);
}

template <class T>
void connection::insert(T& object) {
    insert_rows<T>(
        1, [&](std::size_t) -> T& { return object; }, [](std::size_t) {}, [](std::size_t, const rows::insert_shape&) {},
        [](std::size_t) { return false; });
}

template <std::ranges::random_access_range Range>
void connection::insert_all(Range&& objects) {
    using T = std::ranges::range_value_t<Range>;
    const std::size_t size = std::ranges::size(objects);
    if (size == 0) return;
    const bool own_transaction = !in_transaction();
    if (own_transaction) {
        pooled_->driver->begin(state_->options.begin_immediate ? driver::begin_mode::immediate : driver::begin_mode::deferred);
        echo("BEGIN");
        pooled_->in_transaction = true;
    } else {
        control("SAVEPOINT reflorm_insert_all");
    }
    std::vector<std::pair<std::size_t, rows::insert_shape>> generated;  // what to take back on failure
    const auto undo = [&] {
        try {
            control(own_transaction ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT reflorm_insert_all");
            if (!own_transaction) control("RELEASE SAVEPOINT reflorm_insert_all");
        } catch (...) {
        }
        if (own_transaction) pooled_->in_transaction = false;
        for (const auto& [i, shape] : generated) rows::forget_generated(objects[i], shape);
    };
    try {
        insert_rows<T>(
            size, [&](std::size_t i) -> T& { return objects[i]; }, [](std::size_t) {},
            [&](std::size_t i, const rows::insert_shape& shape) {
                if (shape.key_generated || shape.defaults) generated.emplace_back(i, shape);
            },
            [](std::size_t) { return false; });
        control(own_transaction ? "COMMIT" : "RELEASE SAVEPOINT reflorm_insert_all");
        if (own_transaction) pooled_->in_transaction = false;
    } catch (...) {
        undo();
        throw;
    }
}

template <class Statement>
result<rows::row_of<Statement>> connection::execute(const Statement& statement) {
    using row = rows::row_of<Statement>;
    if constexpr (rows::returns_rows<Statement>) {
        bool stream = false;
        if constexpr (requires { statement.get_execution_options(); })
            stream = statement.get_execution_options().stream_results.value_or(false);
        return run_rows<row>(codec::codec_of<Statement>, &statement, stream, rows::counts_rows<Statement>, &rows::read_result<Statement>);
    } else {
        return result<row>::of_rowcount(run_without_rows(codec::codec_of<Statement>, &statement));
    }
}

template <class Statement>
result<driver::cursor*> connection::execute_at_cursor(const Statement& statement) {
    static_assert(rows::returns_rows<Statement>, "reflorm: execute_at_cursor reads rows: the statement must return rows");
    bool stream = false;
    if constexpr (requires { statement.get_execution_options(); })
        stream = statement.get_execution_options().stream_results.value_or(false);
    return run_at_cursor(codec::codec_of<Statement>, &statement, stream, rows::counts_rows<Statement>);
}

template <class Row>
result<Row> connection::run_rows(const codec::statement_codec& codec, const void* statement, bool stream, bool counts_rows,
                                 Row (*read)(driver::cursor&)) {
    detail::statement_watch watch;
    const started run = start(codec, statement, stream, true, watch);
    return result<Row>(pooled_, *run.cursor, read, run.has_row, counts_rows, run.sql, std::move(watch));
}

template <class Bind, class After, class Describe>
void connection::execute_many(const std::string& sql, std::size_t n, Bind&& bind, After&& after, Describe&& describe) {
    if (n == 0) return;
    detail::statement_watch watch;
    driver::cursor& cursor = prepare(sql, n, describe, watch);
    cursor_scope scope{cursor};
    std::size_t row = 0;
    std::int64_t changed = 0;  // for the after event only
    try {
        cursor.run_batch(
            n,
            [&](std::size_t i) { bind(cursor, i); },
            [&](std::size_t i, bool) {
                row = i;
                if (watch.armed()) changed += cursor.affected_rows();
                after(i);
                row = i + 1;  // the first row without its after() is the failing one (see insert_rows)
            });
        watch.fire(changed, describe);
    } catch (database_error& e) {
        row = std::min(row, n - 1);
        codec::attach_described(e, sql, [&] { return describe(row); },
                                n > 1 ? "row " + std::to_string(row + 1) + " of " + std::to_string(n) : std::string());
        throw;
    }
}

template <class Bind, class OnRow, class Describe>
void connection::query(const std::string& sql, Bind&& bind, OnRow&& on_row, Describe&& describe) {
    const auto described = [&](std::size_t) { return describe(); };
    detail::statement_watch watch;
    driver::cursor& cursor = prepare(sql, 1, described, watch);
    cursor_scope scope{cursor};
    try {
        bind(cursor);
        std::int64_t read = 0;
        for (; cursor.step(); ++read) on_row(cursor);
        watch.fire(read, described);
    } catch (database_error& e) {
        codec::attach_described(e, sql, describe);
        throw;
    }
}

template <class Statement>
std::int64_t connection::count(const Statement& statement) {
    const sql::count_statement<Statement> counting{statement};
    return count_erased(codec::codec_of<sql::count_statement<Statement>>, &counting);
}

template <class T, class... Key>
std::optional<T> connection::get(const Key&... key) {
    constexpr const auto& table = schema::table_of<T>;
    static_assert(sizeof...(Key) == table.primary_key.size,
                  "reflorm: get<T>(key...) takes one value per primary key column of T, in key order");
    const std::string& sql = sql::statement_text(sql::get_by_primary_key_statement<T>{}, dialect());
    // Each key value is converted to its key member's type, so the text form matches storage.
    const auto keys = [&]<std::size_t... K>(std::index_sequence<K...>) {
        return std::tuple<reflect::field_type_t<T, schema::column_fields_v<T>[table.primary_key.items[K]]>...>{
            reflect::field_type_t<T, schema::column_fields_v<T>[table.primary_key.items[K]]>(key)...};
    }(std::index_sequence_for<Key...>{});
    const auto describe = [&](std::size_t) {
        return [&]<std::size_t... K>(std::index_sequence<K...>) {
            return std::vector<std::string>{codec::format_column_for_message<T, table.primary_key.items[K]>(std::get<K>(keys))...};
        }(std::index_sequence_for<Key...>{});
    };
    detail::statement_watch watch;
    driver::cursor& cursor = prepare(sql, 1, describe, watch);
    cursor_scope scope{cursor};
    try {
        std::apply([&](const auto&... value) {
            int index = 0;
            (codec::bind_value(cursor, ++index, value), ...);
        }, keys);
        if (cursor.step()) {
            std::optional<T> found(rows::read<T>(cursor));
            watch.fire(1, describe);
            return found;
        }
        watch.fire(0, describe);
        return std::nullopt;
    } catch (database_error& e) {
        codec::attach_described(e, sql, [&] { return describe(0); });
        throw;
    }
}

}  // namespace reflorm
