#pragma once
// What a flush writes, as data: the unit of work plans batches (the SQL, the rows, and what to
// do with each row's result), an executor sends them. The planner (the session's flush steps
// and the registries) never touches a connection, so a sync executor (executor.hpp) and an
// async one can drive the same plan. See docs/session.md, "How a flush runs".
#include <reflorm/engine/connection.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace reflorm {
class session;
}

namespace reflorm::orm_detail {

/// The rows of one statement run once per row i in [0, rows) on one prepared statement (an
/// executemany), and what to do with each row's result. One small class per kind of batch:
/// a virtual call costs less compile time than one std::function per callback.
class statement_rows {
public:
    virtual ~statement_rows() = default;
    /// The statement's text for `dialect` (cached per shape).
    virtual const std::string& sql(const sql::compiler& dialect) const = 0;
    virtual void bind(driver::cursor& cursor, std::size_t i) const = 0;
    /// Row i ran and changed `matched` rows (UPDATE, DELETE): the plan checks it.
    virtual void on_row(std::size_t /*i*/, std::int64_t /*matched*/) {}
    /// Row i's values as literals, for an error message.
    virtual std::vector<std::string> describe(std::size_t i) const = 0;
};
struct statement_batch {
    std::size_t rows = 0;
    std::unique_ptr<statement_rows> plan;
};

/// INSERTs of new objects of one model, in order, as connection::insert_rows runs them:
/// before(i) fills row i's foreign keys from the parents written before it (it may run twice),
/// the values the database generated are written back into object(i), then on_row(i, shape).
class insert_rows_plan {
public:
    virtual ~insert_rows_plan() = default;
    virtual void* object(std::size_t i) const = 0;
    virtual void before(std::size_t /*i*/) {}
    virtual void on_row(std::size_t /*i*/, const rows::insert_shape& /*shape*/) {}
    /// Row i needs a key an earlier row of the batch generates.
    virtual bool needs_earlier_key(std::size_t /*i*/) const { return false; }
};
struct insert_batch {
    std::size_t rows = 0;
    std::unique_ptr<insert_rows_plan> plan;
    /// The model's typed INSERT path on a sync connection (send_inserts<T>).
    void (*send)(connection&, std::size_t rows, insert_rows_plan&) = nullptr;
};

template <class T>
void send_inserts(connection& c, std::size_t n, insert_rows_plan& plan) {
    c.insert_rows<T>(
        n, [&](std::size_t i) -> T& { return *static_cast<T*>(plan.object(i)); }, [&](std::size_t i) { plan.before(i); },
        [&](std::size_t i, const rows::insert_shape& shape) { plan.on_row(i, shape); },
        [&](std::size_t i) { return plan.needs_earlier_key(i); });
}

using flush_batch = std::variant<statement_batch, insert_batch>;
using flush_batches = std::vector<flush_batch>;

/// A relationship the planner must see before it can go on (a child the delete cascade acts
/// on): the executor loads it with the session's loader, then planning resumes.
struct load_request {
    void (*load)(session&, void* object);
    void* object;
};

}  // namespace reflorm::orm_detail
