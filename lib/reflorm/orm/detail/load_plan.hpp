#pragma once
// What a load reads, as data. Every loader (the main SELECT of session.execute() and get(),
// selectinload, subqueryload, a lazy load, refresh) is a SELECT plus a row consumer
// (query_rows). The levels of a load are steps (load_step): a step plans its SELECTs from what
// the session holds, and once they ran applies them and names the steps of the level below.
// The executor (executor.hpp) runs both; no loader touches a connection, so a sync executor and
// an async one drive the same loaders. See docs/session.md, "How a load runs".
#include <reflorm/engine/connection.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace reflorm {
class session;
}

namespace reflorm::orm_detail {

/// One SELECT of a loader: its text, its bound values and what to do with each result row.
class query_rows {
public:
    virtual ~query_rows() = default;
    /// The statement's text for `dialect` (cached per shape). Throws what rendering throws
    /// (a statement_error for a construct the dialect lacks).
    virtual const std::string& sql(const sql::compiler& dialect) const = 0;
    virtual void bind(driver::cursor& cursor) const = 0;
    virtual void on_row(driver::cursor& cursor) = 0;
    /// The bound values as literals, for an error message and the execute event.
    virtual std::vector<std::string> describe() const = 0;
};
using query_list = std::vector<std::unique_ptr<query_rows>>;

class load_step;
using load_steps = std::vector<std::unique_ptr<load_step>>;

/// One level of one loader option (or of a relationship's default loader) over a set of owners.
/// The executor runs plan(), the SELECTs it planned, then finish(); then the steps finish()
/// named, before any step after this one (depth first, in the order options were given, as the
/// session always loaded). A step lives until the whole load ends: a subqueryload below it
/// nests its statement.
class load_step {
public:
    virtual ~load_step() = default;
    /// Appends the SELECTs this level needs, planned from what the session holds now: none when
    /// every owner is loaded already. May change the session without I/O (noload).
    virtual void plan(session& s, query_list& queries) = 0;
    /// After those SELECTs ran: sets the owners' relationships and appends the steps of the
    /// level below to `next`, in order.
    virtual void finish(session& s, load_steps& next) = 0;
};

/// The text, binding and description of a query_rows from a statement of any type, through its
/// codec::statement_codec: compiled once, not per statement type (compile time, issue 13).
/// Base is query_rows, or a row reader deriving from it. Holds a pointer: the statement
/// outlives the query.
template <class Base>
class codec_query : public Base {
public:
    template <class Statement, class... Args>
    explicit codec_query(const Statement* statement, Args&&... args)
        : Base(std::forward<Args>(args)...), codec_(&codec::codec_of<Statement>), statement_(statement) {}
    const std::string& sql(const sql::compiler& dialect) const override {
        return codec::statement_sql(*codec_->text, statement_, dialect);
    }
    void bind(driver::cursor& cursor) const override { codec::bind_statement(*codec_, cursor, statement_); }
    std::vector<std::string> describe() const override { return codec::describe_statement(*codec_, statement_); }

private:
    const codec::statement_codec* codec_;
    const void* statement_;
};

/// A statement whose parameters it binds itself (a select<T>() and what wraps it), read by `on_row`.
/// Holds a pointer: the statement outlives the query.
template <class Statement, class OnRow>
class statement_query final : public codec_query<query_rows> {
public:
    statement_query(const Statement* statement, OnRow on_row) : codec_query<query_rows>(statement), on_row_(std::move(on_row)) {}
    void on_row(driver::cursor& cursor) override { on_row_(cursor); }

private:
    OnRow on_row_;
};

/// keyed_query's part that needs no template: the text of the statement it holds.
class keyed_query_text : public query_rows {
public:
    keyed_query_text(const sql::detail::statement_kind& kind, const void* statement) : kind_(&kind), statement_(statement) {}
    keyed_query_text(const keyed_query_text&) = delete;
    keyed_query_text& operator=(const keyed_query_text&) = delete;
    // As statement_query: a shape the dialect cannot render is the user's typed error.
    const std::string& sql(const sql::compiler& dialect) const override { return codec::statement_sql(*kind_, statement_, dialect); }

private:
    const sql::detail::statement_kind* kind_;
    const void* statement_;  // the derived keyed_query's own member
};

/// A statement of `n` keys (a selectinload batch, a get by primary key) whose values `bind`
/// binds and `describe` shows, read by `on_row`.
template <class Statement, class Bind, class Describe, class OnRow>
class keyed_query final : public keyed_query_text {
public:
    keyed_query(Statement statement, Bind bind, Describe describe, OnRow on_row)
        : keyed_query_text(sql::detail::kind_of<Statement>, &statement_),
          statement_(std::move(statement)),
          bind_(std::move(bind)),
          describe_(std::move(describe)),
          on_row_(std::move(on_row)) {}
    void bind(driver::cursor& cursor) const override { bind_(cursor); }
    void on_row(driver::cursor& cursor) override { on_row_(cursor); }
    std::vector<std::string> describe() const override { return describe_(); }

private:
    Statement statement_;
    Bind bind_;
    Describe describe_;
    OnRow on_row_;
};

template <class Statement, class Bind, class Describe, class OnRow>
std::unique_ptr<query_rows> make_keyed_query(Statement statement, Bind bind, Describe describe, OnRow on_row) {
    return std::unique_ptr<query_rows>(
        new keyed_query<Statement, Bind, Describe, OnRow>(std::move(statement), std::move(bind), std::move(describe), std::move(on_row)));
}

}  // namespace reflorm::orm_detail
