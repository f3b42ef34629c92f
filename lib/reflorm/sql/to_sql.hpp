#pragma once
// Rendering a statement to SQL text, and the per-shape cache of that text.
#include <reflorm/sql/render_context.hpp>

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>

namespace reflorm::sql {

/// The SQL text of `statement` for `dialect`, with placeholders for its bound values.
/// Needs no connection: for tests, logging and debugging.
template <class Statement>
std::string to_sql(const Statement& statement, const compiler& dialect) {
    render_context ctx{dialect};
    statement.render(ctx);
    return std::move(ctx.sql);
}

/// Counts every rendering done through statement_text, so tests can show that a statement's
/// text is rendered once per shape and dialect, not once per execution.
inline std::atomic<std::size_t>& render_count() {
    static std::atomic<std::size_t> count{0};
    return count;
}

/// Statements whose text also depends on run-time sizes (the length of an IN list, the number
/// of rows of a multi-row VALUES) describe them by appending to a key: `void shape(std::string&) const`.
template <class Statement>
concept runtime_shaped = requires(const Statement& s, std::string& key) { s.shape(key); };

namespace detail {
struct statement_texts;  // to_sql.cpp
/// Where one statement type keeps its texts: filled on first use, so that a statement type
/// costs no static initialisation guard and no exit-time destructor (compile time, code size).
struct statement_slot {
    std::atomic<statement_texts*> texts{nullptr};
};
/// Renders a statement into a context the cache made (to_sql.cpp): the context's making and
/// its text's taking are compiled once, not per statement type.
using render_function = void (*)(const void* statement, render_context& ctx);
template <class Statement>
void render_erased(const void* statement, render_context& ctx) {
    static_cast<const Statement*>(statement)->render(ctx);
}
template <class Statement>
void shape_erased(const void* statement, std::string& key) {
    static_cast<const Statement*>(statement)->shape(key);
}
/// What the text cache needs of one statement type, as data (a constant per type, no code):
/// where its texts live, how to render it, and how to read its shape key (nullptr: fixed shape).
struct statement_kind {
    statement_slot* slot;
    render_function render;
    void (*shape)(const void* statement, std::string& key);
};
template <class Statement>
inline constinit statement_slot slot_of{};
template <class Statement>
consteval statement_kind make_kind() {
    if constexpr (runtime_shaped<Statement>) return {&slot_of<Statement>, &render_erased<Statement>, &shape_erased<Statement>};
    else return {&slot_of<Statement>, &render_erased<Statement>, nullptr};
}
template <class Statement>
inline constexpr statement_kind kind_of = make_kind<Statement>();
// The caching itself needs no template (compiled once, in to_sql.cpp): only the rendering
// is the statement's own.
const std::string& fixed_text(statement_slot& slot, const compiler& dialect, render_function render, const void* statement);
const std::string& shaped_text(statement_slot& slot, const compiler& dialect, std::string key, render_function render,
                               const void* statement);
/// The cached text of `statement`, of the type `kind` describes (statement_text's lookup).
const std::string& cached_text(const statement_kind& kind, const void* statement, const compiler& dialect);
}  // namespace detail

/// The SQL text of Statement's shape for `dialect`, rendered on first use and kept for the
/// life of the program: later executions with new values only bind them. A runtime_shaped
/// statement is cached per distinct shape key (under a lock); an empty key takes the fixed
/// shape's slot (no lock, no map).
template <class Statement>
const std::string& statement_text(const Statement& statement, const compiler& dialect) {
    return detail::cached_text(detail::kind_of<Statement>, &statement, dialect);
}

}  // namespace reflorm::sql
