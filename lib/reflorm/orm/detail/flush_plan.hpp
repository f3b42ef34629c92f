#pragma once
// What a flush writes, as data: the unit of work plans batches (the SQL, the rows, and what to
// do with each row's result), an executor sends them. The planner (the session's flush steps
// and the registries) never touches a connection, so a sync executor (flush_executor) and an
// async one can drive the same plan. See docs/session.md#how-a-flush-runs.
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

/// One statement run once per row i in [0, rows) on one prepared statement (an executemany):
/// bind(cursor, i) binds row i, then on_row(i, matched) gets the number of rows it changed
/// (UPDATE, DELETE; the plan checks it). describe(i) gives row i's values for an error message.
struct statement_batch {
    std::function<const std::string&(const sql::compiler&)> sql;  // the text per dialect (cached per shape)
    std::size_t rows = 0;
    std::function<void(driver::cursor&, std::size_t)> bind;
    std::function<void(std::size_t, std::int64_t)> on_row;
    std::function<std::vector<std::string>(std::size_t)> describe;
};

/// INSERTs of `rows` new objects of one model, in order, as connection::insert_rows runs them:
/// before(i) fills row i's foreign keys from the parents written before it (it may run twice),
/// the values the database generated are written back into object(i), then on_row(i, shape).
/// needs_earlier_key(i): row i needs a key an earlier row of the batch generates.
struct insert_batch {
    std::size_t rows = 0;
    std::function<void*(std::size_t)> object;
    std::function<void(std::size_t)> before;
    std::function<void(std::size_t, const rows::insert_shape&)> on_row;
    std::function<bool(std::size_t)> needs_earlier_key;
    std::shared_ptr<void> owned;  // rows the batch holds itself (association rows)
    /// The model's typed INSERT path on a sync connection (send_inserts<T>).
    void (*send)(connection&, const insert_batch&) = nullptr;
};

template <class T>
void send_inserts(connection& c, const insert_batch& b) {
    c.insert_rows<T>(
        b.rows, [&](std::size_t i) -> T& { return *static_cast<T*>(b.object(i)); }, b.before, b.on_row, b.needs_earlier_key);
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
