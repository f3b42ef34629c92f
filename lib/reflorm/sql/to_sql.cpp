#include <reflorm/sql/to_sql.hpp>

#include <array>
#include <deque>
#include <map>
#include <mutex>

namespace reflorm::sql {

render_context::select_scope::select_scope(render_context& ctx, std::span<const std::string_view> names)
    : ctx_(ctx), size_(ctx.from_names.size()), enclosing_(ctx.enclosing_froms) {
    ctx_.enclosing_froms = size_;
    ctx_.from_names.insert(ctx_.from_names.end(), names.begin(), names.end());
}

render_context::select_scope::~select_scope() {
    ctx_.from_names.resize(size_);
    ctx_.enclosing_froms = enclosing_;
}

bool render_context::correlated(std::string_view name) const {
    const auto end = from_names.begin() + static_cast<std::ptrdiff_t>(enclosing_froms);
    return std::find(from_names.begin(), end, name) != end;
}

void append_count(std::string& key, std::size_t n) { key += std::to_string(n); }

}  // namespace reflorm::sql

namespace reflorm::sql::detail {

struct statement_texts {
    std::array<std::string, dialect_count> fixed;
    std::array<std::once_flag, dialect_count> rendered;
    std::mutex mutex;
    std::array<std::map<std::string, std::string, std::less<>>, dialect_count> shaped;
};

namespace {

/// The texts of `slot`, made on first use. They live as long as the program (a statement may
/// run from a static destructor), reachable from here, so leak checkers do not count them.
statement_texts& texts_of(statement_slot& slot) {
    if (statement_texts* texts = slot.texts.load(std::memory_order_acquire)) return *texts;
    static std::mutex mutex;
    static auto* all = new std::deque<statement_texts>();
    std::lock_guard lock(mutex);
    statement_texts* texts = slot.texts.load(std::memory_order_relaxed);
    if (!texts) {
        texts = &all->emplace_back();
        slot.texts.store(texts, std::memory_order_release);
    }
    return *texts;
}

/// `statement` rendered by `render` for `dialect`.
std::string rendered(render_function render, const void* statement, const compiler& dialect) {
    render_context ctx{dialect};
    render(statement, ctx);
    return std::move(ctx.sql);
}

}  // namespace

const std::string& fixed_text(statement_slot& slot, const compiler& dialect, render_function render, const void* statement) {
    statement_texts& texts = texts_of(slot);
    const auto i = static_cast<std::size_t>(dialect.id());
    std::call_once(texts.rendered[i], [&] {
        texts.fixed[i] = rendered(render, statement, dialect);
        ++render_count();
    });
    return texts.fixed[i];
}

const std::string& shaped_text(statement_slot& slot, const compiler& dialect, std::string key, render_function render,
                               const void* statement) {
    statement_texts& texts = texts_of(slot);
    auto& cache = texts.shaped[static_cast<std::size_t>(dialect.id())];
    std::lock_guard lock(texts.mutex);
    auto found = cache.find(key);
    if (found == cache.end()) {
        found = cache.emplace(std::move(key), rendered(render, statement, dialect)).first;
        ++render_count();
    }
    return found->second;  // std::map nodes are stable
}

const std::string& cached_text(const statement_kind& kind, const void* statement, const compiler& dialect) {
    if (kind.shape) {
        std::string key;
        kind.shape(statement, key);
        if (!key.empty()) return shaped_text(*kind.slot, dialect, std::move(key), kind.render, statement);
    }
    return fixed_text(*kind.slot, dialect, kind.render, statement);
}

}  // namespace reflorm::sql::detail
