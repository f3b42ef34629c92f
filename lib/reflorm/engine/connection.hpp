#pragma once
// Core-level execution: statements in, plain values out (std::vector<T>, std::optional<T>).
#include <reflorm/engine/engine.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/errors.hpp>
#include <reflorm/sql/select.hpp>
#include <reflorm/sql/table_sql.hpp>
#include <reflorm/sql/to_sql.hpp>

#include <array>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

namespace reflorm {

class transaction;

/// Moving row values between a model object and a cursor, column by column.
namespace rows {

/// Binds every column of `object` as parameters 1..n. A generated key equal to 0 is bound as
/// NULL; returns whether that happened.
template <class T>
bool bind(driver::cursor& cursor, const T& object) {
    constexpr const auto& table = schema::table_of<T>;
    constexpr const auto& fields = schema::column_fields_v<T>;
    bool generated = false;
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (
            [&] {
                const auto& value = reflect::get<fields[C]>(object);
                if constexpr (table.columns[C].autoincrement) {
                    if (value == 0) {
                        cursor.bind_null(static_cast<int>(C) + 1);
                        generated = true;
                        return;
                    }
                }
                codec::bind_value(cursor, static_cast<int>(C) + 1, value);
            }(),
            ...);
    }(std::make_index_sequence<fields.size()>{});
    return generated;
}

/// Reads the current row's columns 0..n-1 into a new model object.
template <class T>
T read_model(driver::cursor& cursor) {
    constexpr const auto& table = schema::table_of<T>;
    constexpr const auto& fields = schema::column_fields_v<T>;
    T object{};
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (codec::read_value(cursor, static_cast<int>(C), reflect::get<fields[C]>(object), table.columns[C].name), ...);
    }(std::make_index_sequence<fields.size()>{});
    return object;
}

/// "result column N" (1-based), for messages about values of unnamed result columns.
inline std::string_view result_column_name(std::size_t index) {
    static const auto names = [] {
        std::array<std::string, 64> out;
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = "result column " + std::to_string(i + 1);
        return out;
    }();
    return index < names.size() ? std::string_view(names[index]) : std::string_view("result column");
}

template <class T>
struct is_tuple : std::false_type {};
template <class... E>
struct is_tuple<std::tuple<E...>> : std::true_type {};

/// Reads the current row into a new T: a model (its columns 0..n-1), or a std::tuple (one
/// result column per element).
template <class T>
T read(driver::cursor& cursor) {
    if constexpr (is_tuple<T>::value) {
        T row{};
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (codec::read_value(cursor, static_cast<int>(I), std::get<I>(row), result_column_name(I)), ...);
        }(std::make_index_sequence<std::tuple_size_v<T>>{});
        return row;
    } else {
        return read_model<T>(cursor);
    }
}

/// Reads the current row into a new P, whose members take result columns 0..n-1 in order.
template <class P>
P read_projection(driver::cursor& cursor) {
    P object{};
    reflect::for_each_field_index<P>([&](auto i) {
        codec::read_value(cursor, static_cast<int>(i.value), reflect::get<i.value>(object), reflect::field_name_v<P, i.value>);
    });
    return object;
}

/// Reads the current row as Statement's result_type, by its row shape.
template <class Statement>
typename Statement::result_type read_result(driver::cursor& cursor) {
    using R = typename Statement::result_type;
    if constexpr (requires { Statement::result_shape; }) {
        if constexpr (Statement::result_shape == sql::row_shape::projection) return read_projection<R>(cursor);
        else return read<R>(cursor);
    } else {
        return read<R>(cursor);
    }
}

/// Writes a generated key into the object's autoincrement member.
template <class T>
void set_generated_key(T& object, std::int64_t key) {
    constexpr std::size_t column = schema::table_of<T>.autoincrement_column;
    if constexpr (column != schema::no_column) {
        auto& member = reflect::get<schema::column_fields_v<T>[column]>(object);
        member = static_cast<std::remove_cvref_t<decltype(member)>>(key);
    }
}

/// The object's column values as literals, for error messages.
template <class T>
std::vector<std::string> describe(const T& object) {
    constexpr const auto& fields = schema::column_fields_v<T>;
    std::vector<std::string> out;
    out.reserve(fields.size());
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (out.push_back(codec::format_for_message(reflect::get<fields[C]>(object))), ...);
    }(std::make_index_sequence<fields.size()>{});
    return out;
}

}  // namespace rows

/// A connection checked out of an engine's pool. Not thread-safe. Statements run in
/// autocommit mode unless a transaction is begun; bulk inserts always run in one transaction.
class connection {
public:
    connection(connection&& other) noexcept = default;
    connection& operator=(connection&&) = delete;
    connection(const connection&) = delete;
    ~connection();

    const sql::compiler& dialect() const noexcept { return *state_->dialect; }

    /// Starts a transaction; the returned guard rolls it back unless committed.
    /// Throws invalid_request_error if one is already open on this connection.
    transaction begin();
    bool in_transaction() const noexcept { return pooled_->in_transaction; }

    /// Runs SQL text that has no parameters (DDL, PRAGMA). Never pass values in it: use
    /// statements, whose values are bound.
    void execute(const std::string& sql);

    /// INSERTs `object`; a 0 autoincrement key is generated and written back into it.
    /// Throws integrity_error on a violated constraint, data_error on an unstorable value.
    template <class T>
    void insert(T& object);

    /// INSERTs every object through one prepared statement, in one transaction (or, inside an
    /// open transaction, one SAVEPOINT): either all rows are written or none. Generated keys are
    /// written back; after a failure they are reset to 0. The error names the failing row.
    template <std::ranges::random_access_range Range>
    void insert_all(Range&& objects);

    /// Runs a statement that returns no rows (UPDATE, DELETE, INSERT built with reflorm::insert)
    /// and returns the number of rows it changed. Like every method here, throws only
    /// reflorm::error: unsupported_error for a feature the dialect lacks (RETURNING on MySQL),
    /// invalid_request_error for a statement mistake (an unbound text() parameter).
    template <class Statement>
    std::int64_t execute(const Statement& statement);

    /// Every row of a select, in order.
    template <class Statement>
    std::vector<typename Statement::result_type> all(const Statement& statement);

    /// The first row of a select, or nullopt.
    template <class Statement>
    std::optional<typename Statement::result_type> first(const Statement& statement);

    /// Exactly one row: throws no_result_found or multiple_results_found otherwise.
    template <class Statement>
    typename Statement::result_type one(const Statement& statement);

    /// The number of rows a select would return.
    template <class Statement>
    std::int64_t count(const Statement& statement);

    /// The T whose primary key is `key...` (one value per key column, in key order), or nullopt.
    template <class T, class... Key>
    std::optional<T> get(const Key&... key);

    /// Every row of a select, passed to `on_row` as it is read (no vector is built).
    template <class Statement, class OnRow>
    void for_each(const Statement& statement, OnRow&& on_row);

    // ---- building blocks for the ORM layer (the session), usable by anyone --------------

    /// Runs `sql` once per i in [0, n) on one prepared statement: `bind(cursor, i)` binds row
    /// i's values, then after the row has run `after(i)` is called (read last_insert_id()
    /// there). Listeners see one execute_event with parameter_sets = n. On failure the
    /// database_error carries `describe(i)` of the failing row as its parameters.
    template <class Bind, class After, class Describe>
    void execute_many(const std::string& sql, std::size_t n, Bind&& bind, After&& after, Describe&& describe);

    /// Runs `sql` after `bind(cursor)`, calling `on_row(cursor)` for each result row.
    /// `describe()` gives the bound values for the error message on failure.
    template <class Bind, class OnRow, class Describe>
    void query(const std::string& sql, Bind&& bind, OnRow&& on_row, Describe&& describe);

    /// The key generated by the last INSERT, and the rows changed by the last statement.
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
    connection(std::shared_ptr<detail::engine_state> state, std::shared_ptr<detail::pooled_connection> pooled)
        : state_(std::move(state)), pooled_(std::move(pooled)) {}

    driver::cursor& prepare(const std::string& sql, std::size_t parameter_sets);
    void control(const std::string& sql);  // BEGIN/COMMIT/ROLLBACK/SAVEPOINT: echoed, not counted

    // The sql layer cannot see reflorm::error, so its two exceptions become reflorm errors here:
    // every failure a connection reports is then a reflorm::error.
    template <class F>
    static decltype(auto) translating_statement_errors(F&& f) {
        try {
            return f();
        } catch (const sql::unsupported_feature_error& e) {
            throw unsupported_error(e.what());
        } catch (const sql::statement_error& e) {
            throw invalid_request_error(e.what());
        }
    }
    /// The statement's cached SQL text for this connection's dialect.
    template <class Statement>
    const std::string& text_of(const Statement& statement) const {
        return translating_statement_errors([&]() -> const std::string& { return sql::statement_text(statement, dialect()); });
    }
    template <class Statement>
    void bind_parameters(driver::cursor& cursor, const Statement& statement) {
        translating_statement_errors([&] {
            int index = 0;
            auto bind = [&](const auto& value) { codec::bind_value(cursor, ++index, value); };
            statement.for_each_parameter(bind);
        });
    }
    template <class Statement>
    static std::vector<std::string> describe_parameters(const Statement& statement) {
        std::vector<std::string> out;
        auto describe = [&](const auto& value) { out.push_back(codec::format_for_message(value)); };
        statement.for_each_parameter(describe);
        return out;
    }

    // Resets a cursor when leaving scope, so the cached statement can run again.
    struct cursor_scope {
        driver::cursor& cursor;
        ~cursor_scope() { cursor.reset(); }
    };

    std::shared_ptr<detail::engine_state> state_;
    std::shared_ptr<detail::pooled_connection> pooled_;
};

/// A transaction on one connection. Destroyed without commit(), it rolls back.
class transaction {
public:
    transaction(transaction&& other) noexcept : connection_(std::exchange(other.connection_, nullptr)) {}
    transaction& operator=(transaction&&) = delete;
    ~transaction();

    /// COMMITs. If COMMIT fails (a deferred foreign key, say), rolls back and rethrows.
    void commit();
    void rollback();
    bool active() const noexcept { return connection_ != nullptr; }

private:
    friend class connection;
    explicit transaction(connection& c) : connection_(&c) {}
    connection* connection_;
};

template <class T>
void connection::insert(T& object) {
    const std::string& sql = sql::statement_text(sql::insert_row_statement<T>{}, dialect());
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    try {
        const bool generated = rows::bind(cursor, object);
        cursor.step();
        if (generated) rows::set_generated_key(object, pooled_->driver->last_insert_id());
    } catch (database_error& e) {
        e.attach(sql, rows::describe(object));
        throw;
    }
}

template <std::ranges::random_access_range Range>
void connection::insert_all(Range&& objects) {
    using T = std::ranges::range_value_t<Range>;
    const std::size_t size = std::ranges::size(objects);
    if (size == 0) return;
    const std::string& sql = sql::statement_text(sql::insert_row_statement<T>{}, dialect());

    const bool own_transaction = !in_transaction();
    control(own_transaction ? "BEGIN" : "SAVEPOINT reflorm_insert_all");
    if (own_transaction) pooled_->in_transaction = true;
    std::vector<std::size_t> generated;
    std::size_t row = 0;
    const auto undo = [&] {
        try {
            control(own_transaction ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT reflorm_insert_all");
            if (!own_transaction) control("RELEASE SAVEPOINT reflorm_insert_all");
        } catch (...) {
        }
        if (own_transaction) pooled_->in_transaction = false;
        for (std::size_t i : generated) rows::set_generated_key(objects[i], 0);
    };
    try {
        driver::cursor& cursor = prepare(sql, size);
        cursor_scope scope{cursor};
        for (auto& object : objects) {
            const bool generated_key = rows::bind(cursor, object);
            cursor.step();
            cursor.reset();
            if (generated_key) {
                rows::set_generated_key(object, pooled_->driver->last_insert_id());
                generated.push_back(row);
            }
            ++row;
        }
    } catch (database_error& e) {
        undo();
        e.attach(sql, rows::describe(objects[row]), "row " + std::to_string(row + 1) + " of " + std::to_string(size));
        throw;
    } catch (...) {
        undo();
        throw;
    }
    try {
        control(own_transaction ? "COMMIT" : "RELEASE SAVEPOINT reflorm_insert_all");
        if (own_transaction) pooled_->in_transaction = false;
    } catch (...) {
        undo();
        throw;
    }
}

template <class Statement>
std::int64_t connection::execute(const Statement& statement) {
    const std::string& sql = text_of(statement);
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    try {
        bind_parameters(cursor, statement);
        while (cursor.step()) {
        }
        return pooled_->driver->changes();
    } catch (database_error& e) {
        e.attach(sql, describe_parameters(statement));
        throw;
    }
}

template <class Statement>
std::vector<typename Statement::result_type> connection::all(const Statement& statement) {
    using R = typename Statement::result_type;
    const std::string& sql = text_of(statement);
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    std::vector<R> result;
    try {
        bind_parameters(cursor, statement);
        while (cursor.step()) result.push_back(rows::read_result<Statement>(cursor));
    } catch (database_error& e) {
        e.attach(sql, describe_parameters(statement));
        throw;
    }
    return result;
}

template <class Statement, class OnRow>
void connection::for_each(const Statement& statement, OnRow&& on_row) {
    const std::string& sql = text_of(statement);
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    try {
        bind_parameters(cursor, statement);
        while (cursor.step()) on_row(rows::read_result<Statement>(cursor));
    } catch (database_error& e) {
        e.attach(sql, describe_parameters(statement));
        throw;
    }
}

template <class Bind, class After, class Describe>
void connection::execute_many(const std::string& sql, std::size_t n, Bind&& bind, After&& after, Describe&& describe) {
    if (n == 0) return;
    driver::cursor& cursor = prepare(sql, n);
    cursor_scope scope{cursor};
    std::size_t row = 0;
    try {
        for (; row < n; ++row) {
            bind(cursor, row);
            while (cursor.step()) {
            }
            cursor.reset();
            after(row);
        }
    } catch (database_error& e) {
        e.attach(sql, describe(row), n > 1 ? "row " + std::to_string(row + 1) + " of " + std::to_string(n) : std::string());
        throw;
    }
}

template <class Bind, class OnRow, class Describe>
void connection::query(const std::string& sql, Bind&& bind, OnRow&& on_row, Describe&& describe) {
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    try {
        bind(cursor);
        while (cursor.step()) on_row(cursor);
    } catch (database_error& e) {
        e.attach(sql, describe());
        throw;
    }
}

template <class Statement>
std::optional<typename Statement::result_type> connection::first(const Statement& statement) {
    const std::string& sql = text_of(statement);
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    try {
        bind_parameters(cursor, statement);
        if (cursor.step()) return rows::read_result<Statement>(cursor);
        return std::nullopt;
    } catch (database_error& e) {
        e.attach(sql, describe_parameters(statement));
        throw;
    }
}

template <class Statement>
typename Statement::result_type connection::one(const Statement& statement) {
    using R = typename Statement::result_type;
    const std::string& sql = text_of(statement);
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    std::optional<R> result;
    bool more = false;
    try {
        bind_parameters(cursor, statement);
        if (cursor.step()) {
            result = rows::read_result<Statement>(cursor);
            more = cursor.step();
        }
    } catch (database_error& e) {
        e.attach(sql, describe_parameters(statement));
        throw;
    }
    if (!result) throw no_result_found("reflorm: one() found no row for: " + sql);
    if (more) throw multiple_results_found("reflorm: one() found more than one row for: " + sql);
    return std::move(*result);
}

template <class Statement>
std::int64_t connection::count(const Statement& statement) {
    const sql::count_statement<Statement> counting{statement};
    const std::string& sql = text_of(counting);
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    try {
        bind_parameters(cursor, counting);
        cursor.step();
        return cursor.get_int64(0);
    } catch (database_error& e) {
        e.attach(sql, describe_parameters(counting));
        throw;
    }
}

template <class T, class... Key>
std::optional<T> connection::get(const Key&... key) {
    constexpr const auto& table = schema::table_of<T>;
    static_assert(sizeof...(Key) == table.primary_key.size,
                  "reflorm: get<T>(key...) takes one value per primary key column of T, in key order");
    const std::string& sql = sql::statement_text(sql::get_by_primary_key_statement<T>{}, dialect());
    driver::cursor& cursor = prepare(sql, 1);
    cursor_scope scope{cursor};
    // Each key value is converted to its key member's type, so the text form matches storage.
    const auto keys = [&]<std::size_t... K>(std::index_sequence<K...>) {
        return std::tuple<reflect::field_type_t<T, schema::column_fields_v<T>[table.primary_key.items[K]]>...>{
            reflect::field_type_t<T, schema::column_fields_v<T>[table.primary_key.items[K]]>(key)...};
    }(std::index_sequence_for<Key...>{});
    try {
        std::apply([&](const auto&... value) {
            int index = 0;
            (codec::bind_value(cursor, ++index, value), ...);
        }, keys);
        if (cursor.step()) return rows::read<T>(cursor);
        return std::nullopt;
    } catch (database_error& e) {
        std::vector<std::string> parameters;
        std::apply([&](const auto&... value) { (parameters.push_back(codec::format_for_message(value)), ...); }, keys);
        e.attach(sql, std::move(parameters));
        throw;
    }
}

}  // namespace reflorm
