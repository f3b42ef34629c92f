#include <reflorm/dialect/dialect.hpp>
#include <reflorm/engine/connection.hpp>
#include <reflorm/engine/engine.hpp>
#include <reflorm/engine/errors.hpp>

#include <algorithm>
#include <iostream>

namespace reflorm {

namespace detail {

std::unique_ptr<driver::connection> engine_state::open() {
    std::unique_ptr<driver::connection> opened;
    if (!url.in_memory()) {
        opened = driver::open(open_url);
    } else {
        // Called outside the pool's lock, by several threads at once: the anchor opens once.
        std::call_once(memory_once, [&] {
            static std::atomic<std::uint64_t> databases{0};
            memory_name = "/reflorm-memory-" + std::to_string(++databases);
            memory_anchor = driver::open_sqlite_memory(url, memory_name);
        });
        opened = driver::open_sqlite_memory(url, memory_name);
    }
    // The dialect follows the server: MariaDB 10.5+ has INSERT ... RETURNING, MySQL has not.
    if (const auto& server = opened->server(); server.kind == backend::mysql && server.mariadb &&
                                              (server.major > 10 || (server.major == 10 && server.minor >= 5)))
        dialect.store(&reflorm::dialect::mariadb(), std::memory_order_release);
    for (const auto& sql : setup_sql)
        if (!sql.empty()) opened->execute(sql);
    return opened;
}

std::shared_ptr<pooled_connection> engine_state::acquire() {
    return pool->checkout([this] { return open(); });
}

std::shared_ptr<const listener_set> engine_state::current_listeners() {
    std::lock_guard lock(mutex);
    return listeners;
}

namespace {

constexpr std::size_t echoed_rows = 10;  // an executemany's rows shown by echo, then the total

void append_values(std::string& out, const std::vector<std::string>& values, bool parenthesized) {
    if (parenthesized) out += '(';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ", ";
        out += values[i];
    }
    if (parenthesized) out += ')';
}

}  // namespace

void echo_statement(const execute_event& event) {
    std::string out = "reflorm: ";
    out += event.sql;
    out += '\n';
    if (event.parameter_sets == 1) {
        const auto values = event.parameters();
        if (!values.empty()) {
            out += "reflorm: [";
            append_values(out, values, false);
            out += "]\n";
        }
    } else {
        out += "reflorm: [";
        const std::size_t shown = std::min(event.parameter_sets, echoed_rows);
        for (std::size_t set = 0; set < shown; ++set) {
            if (set > 0) out += ", ";
            append_values(out, event.parameters(set), true);
        }
        if (shown < event.parameter_sets) out += ", ... " + std::to_string(event.parameter_sets) + " rows";
        out += "]\n";
    }
    std::clog << out;
}

void statement_watch::keep_parameters(parameters_ref describe) {
    kept_.clear();
    for (std::size_t set = 0; set < sets_; ++set) kept_.push_back(describe(set));
}

void statement_watch::fire_now(std::int64_t rowcount, parameters_ref describe) noexcept {
    const auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_);
    const auto listeners = std::move(listeners_);  // disarmed whatever a listener does
    const auto kept = [this](std::size_t set) { return set < kept_.size() ? kept_[set] : std::vector<std::string>{}; };
    const after_execute_event event(*sql_, sets_, rowcount, took, kept_.empty() ? describe : parameters_ref(kept));
    for (const auto& [id, listener] : *listeners) {
        try {
            listener(event);
        } catch (...) {
            // Dropped: see add_after_listener.
        }
    }
}

}  // namespace detail

connection engine::connect() { return connection(state_, state_->acquire()); }

std::size_t engine::add_pool_listener(pool_listener listener) {
    std::size_t id = 0;
    {
        std::lock_guard lock(state_->mutex);
        id = state_->next_listener_id++;
    }
    return state_->pool->add_listener(id, std::move(listener));
}

reflorm::pool_status engine::pool_status() const { return state_->pool->status(); }

void engine::dispose() noexcept { state_->pool->dispose(); }

namespace {

/// The listeners with `change` applied to a copy: what add and remove publish.
template <class Change>
void change_listeners(detail::engine_state& state, Change change) {
    std::lock_guard lock(state.mutex);
    detail::listener_set copy = state.listeners ? *state.listeners : detail::listener_set{};
    change(copy);
    state.listeners = copy.before.empty() && !copy.after ? nullptr : std::make_shared<const detail::listener_set>(std::move(copy));
}

}  // namespace

std::size_t engine::add_listener(execute_listener listener) {
    std::size_t id = 0;
    change_listeners(*state_, [&](detail::listener_set& set) {
        id = state_->next_listener_id++;
        set.before.emplace_back(id, std::move(listener));
    });
    return id;
}

std::size_t engine::add_after_listener(after_execute_listener listener) {
    std::size_t id = 0;
    change_listeners(*state_, [&](detail::listener_set& set) {
        id = state_->next_listener_id++;
        auto after = set.after ? *set.after : detail::after_execute_listeners{};
        after.emplace_back(id, std::move(listener));
        set.after = std::make_shared<const detail::after_execute_listeners>(std::move(after));
    });
    return id;
}

void engine::remove_listener(std::size_t id) {
    if (state_->pool->remove_listener(id)) return;
    change_listeners(*state_, [&](detail::listener_set& set) {
        std::erase_if(set.before, [&](const auto& entry) { return entry.first == id; });
        if (!set.after) return;
        auto after = *set.after;
        std::erase_if(after, [&](const auto& entry) { return entry.first == id; });
        set.after = after.empty() ? nullptr : std::make_shared<const detail::after_execute_listeners>(std::move(after));
    });
}

engine create_engine(std::string_view text, engine_options options) {
    auto state = std::make_shared<detail::engine_state>();
    state->url = parse_url(text);
    state->options = options;
    state->pool = std::make_shared<detail::pool>(detail::pool_settings{
        options.pool_size, options.max_overflow, options.pool_timeout,
        options.pool_recycle.value_or(std::chrono::milliseconds::zero()), options.pool_pre_ping, options.pool_use_lifo});
    switch (state->url.kind) {
    case backend::sqlite: state->dialect = &dialect::sqlite(); break;
    case backend::postgresql: state->dialect = &dialect::postgresql(); break;
    case backend::mysql: state->dialect = &dialect::mysql(); break;
    }
    driver::validate_url(state->url);  // fail early, not on connect(): a missing driver, a bad setting in the query
    state->open_url = options.connect_timeout ? detail::with_connect_timeout(state->url, *options.connect_timeout) : state->url;
    // These throw unsupported_error now for what the backend lacks.
    if (options.isolation_level) state->setup_sql[0] = detail::isolation_sql(state->url.kind, *options.isolation_level);
    if (options.statement_timeout) state->setup_sql[1] = detail::statement_timeout_sql(state->url.kind, *options.statement_timeout);
    engine result(std::move(state));
    if (options.echo) result.add_listener(&detail::echo_statement);
    return result;
}

statement_counter::statement_counter(engine& e) : engine_(e) {
    id_ = engine_.add_listener([count = count_, statements = statements_](const execute_event& event) {
        ++*count;
        statements->emplace_back(event.sql);
    });
}

statement_counter::~statement_counter() { engine_.remove_listener(id_); }

}  // namespace reflorm
