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
/// statement_text of a non-empty shape key: cached per key and dialect.
template <class Statement>
const std::string& shaped_statement_text(const Statement& statement, const compiler& dialect, std::string key) {
    static std::mutex mutex;
    static std::array<std::map<std::string, std::string, std::less<>>, dialect_count> texts;
    auto& cache = texts[static_cast<std::size_t>(dialect.id())];
    std::lock_guard lock(mutex);
    auto found = cache.find(key);
    if (found == cache.end()) {
        found = cache.emplace(std::move(key), to_sql(statement, dialect)).first;
        ++render_count();
    }
    return found->second;  // std::map nodes are stable
}
}  // namespace detail

/// The SQL text of Statement's shape for `dialect`, rendered on first use and kept for the
/// life of the program: later executions with new values only bind them. A runtime_shaped
/// statement is cached per distinct shape key; an empty key takes the fixed shape's slot (no
/// lock, no map).
template <class Statement>
const std::string& statement_text(const Statement& statement, const compiler& dialect) {
    if constexpr (runtime_shaped<Statement>) {
        std::string key;
        statement.shape(key);
        if (!key.empty()) return detail::shaped_statement_text(statement, dialect, std::move(key));
    }
    static std::array<std::string, dialect_count> texts;
    static std::array<std::once_flag, dialect_count> rendered;
    const auto i = static_cast<std::size_t>(dialect.id());
    std::call_once(rendered[i], [&] {
        texts[i] = to_sql(statement, dialect);
        ++render_count();
    });
    return texts[i];
}

}  // namespace reflorm::sql
