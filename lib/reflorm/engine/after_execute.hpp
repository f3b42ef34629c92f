#pragma once
// The after-execute event (as SQLAlchemy's after_cursor_execute): a statement's SQL, values,
// duration and row count once it has run, and the watch that times one statement for it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace reflorm {

/// A non-owning reference to a callable `std::vector<std::string>(std::size_t set)` (a
/// function_ref): what execute_event::parameters calls. It never allocates; it is valid only as
/// long as the callable it refers to, which is the statement's own call.
class parameters_ref {
public:
    parameters_ref() noexcept = default;
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, parameters_ref>)
    parameters_ref(const F& describe) noexcept  // NOLINT: implicit, as a function_ref
        : object_(&describe), call_([](const void* object, std::size_t set) { return (*static_cast<const F*>(object))(set); }) {}
    std::vector<std::string> operator()(std::size_t set) const { return call_ ? call_(object_, set) : std::vector<std::string>{}; }

private:
    const void* object_ = nullptr;
    std::vector<std::string> (*call_)(const void*, std::size_t) = nullptr;
};

/// What a listener learns once a statement has run, as SQLAlchemy's after_cursor_execute
/// (engine::add_after_listener). A statement that fails (its execution, or the read of a row,
/// throws a database_error) fires no after event, as in SQLAlchemy, where handle_error sees it.
struct after_execute_event {
    std::string_view sql;            // with placeholders, as execute_event::sql
    std::size_t parameter_sets = 1;  // rows of an executemany (bulk insert), else 1
    /// INSERT, UPDATE, DELETE: the rows they changed (an executemany's total over its rows).
    /// A select, or any statement returning rows (RETURNING, text().columns<...>()): the rows
    /// read from it, counted when the result is read to the end or closed (a result closed
    /// after 3 rows reports 3). -1 for SQL run by exec_driver_sql, whose count is not known
    /// (DB-API's rowcount for DDL).
    std::int64_t rowcount = -1;
    /// Wall time (steady_clock) from just after the before-execute listeners ran (the statement
    /// is then prepared, bound and run) to the moment its row count is known: for a statement
    /// without rows, when the server has answered; for a result read row by row (a Core
    /// execute() result, buffered or streamed), when its last row was read or it was closed or
    /// destroyed, so that time includes what the caller did between rows.
    std::chrono::nanoseconds duration{0};

    after_execute_event(std::string_view sql_text, std::size_t sets, std::int64_t rows, std::chrono::nanoseconds took,
                        parameters_ref values) noexcept
        : sql(sql_text), parameter_sets(sets), rowcount(rows), duration(took), values_(values) {}

    /// The values bound for parameter set `set`, as execute_event::parameters (secret ones
    /// '***'; formatted when called; valid during the listener call only). The values of a
    /// Core result's statement were formatted when it ran, since the statement may be gone
    /// when its result ends.
    std::vector<std::string> parameters(std::size_t set = 0) const { return values_(set); }

private:
    parameters_ref values_;
};
using after_execute_listener = std::function<void(const after_execute_event&)>;

namespace detail {

using after_execute_listeners = std::vector<std::pair<std::size_t, after_execute_listener>>;

/// One statement's after event in waiting. Armed by connection::prepare only when an after
/// listener is registered: otherwise it never reads the clock, and firing it is one test.
/// Destroyed without fire() (the statement failed), it fires nothing.
class statement_watch {
public:
    bool armed() const noexcept { return listeners_ != nullptr; }
    /// Starts the clock. `sql` must outlive the watch (statement texts are cached).
    void arm(std::shared_ptr<const after_execute_listeners> listeners, const std::string& sql, std::size_t sets) noexcept {
        listeners_ = std::move(listeners);
        sql_ = &sql;
        sets_ = sets;
        start_ = std::chrono::steady_clock::now();
    }
    void disarm() noexcept { listeners_.reset(); }
    /// Formats every parameter set now, for an event that fires after the statement is gone.
    /// Throws what formatting throws.
    void keep_parameters(parameters_ref describe);
    /// Calls the listeners once with `rowcount`, the values from `describe` (or those kept),
    /// and the time since arm(); then disarms. What a listener throws is dropped: the
    /// statement has run, and the event may fire from a destructor (a result closed unread).
    void fire(std::int64_t rowcount, parameters_ref describe = {}) noexcept {
        if (listeners_) fire_now(rowcount, describe);
    }

private:
    void fire_now(std::int64_t rowcount, parameters_ref describe) noexcept;
    std::shared_ptr<const after_execute_listeners> listeners_;
    const std::string* sql_ = nullptr;
    std::size_t sets_ = 1;
    std::chrono::steady_clock::time_point start_{};
    std::vector<std::vector<std::string>> kept_;
};

}  // namespace detail
}  // namespace reflorm
