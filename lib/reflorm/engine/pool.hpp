#pragma once
// The engine's connection pool: SQLAlchemy's QueuePool (pool_size, max_overflow, pool_timeout,
// pool_recycle, pool_pre_ping), its pool events and its status. The engine owns one; see
// docs/backends.md, "The connection pool".
#include <reflorm/engine/driver.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reflorm {

/// What engine::pool_status() reports, as SQLAlchemy's QueuePool size(), checkedout(),
/// overflow() and checkedin().
struct pool_status {
    std::size_t size = 0;         // engine_options::pool_size
    std::size_t checked_out = 0;  // connections handed out and not yet returned
    /// Connections beyond pool_size, as SQLAlchemy counts them: pool_size below zero before any
    /// connection exists (-5 for a new default pool), rising by one per connection opened.
    std::ptrdiff_t overflow = 0;
    std::size_t idle = 0;  // kept in the pool for reuse (SQLAlchemy's "checked in")

    /// As SQLAlchemy's QueuePool.status(): "Pool size: 5  Connections in pool: 1 Current
    /// Overflow: -3 Current Checked out connections: 1".
    std::string to_string() const;
};

/// What a pool listener is told (engine::add_pool_listener), as SQLAlchemy's PoolEvents.
enum class pool_event_kind : std::uint8_t {
    connect,     // a database connection was opened (before its first checkout)
    checkout,    // a connection was handed out by engine::connect()
    checkin,     // a connection came back (valid or not; then `connection` may be null)
    invalidate,  // a connection was found dead or unusable and is closed; see `reason`
};

struct pool_event {
    pool_event_kind kind;
    /// The pooled database connection: run session settings on it in a connect listener
    /// (`event.connection->execute("SET ...")`). Null at a checkin of a connection already closed.
    driver::connection* connection = nullptr;
    std::uint64_t connection_id = 0;  // 1, 2, ... per engine, in the order connections were opened
    /// invalidate: why ("pre-ping failed", "connection lost", "reset failed", "invalidated by
    /// connection::invalidate()"); empty for the other kinds.
    std::string_view reason;
    /// invalidate: the error that showed the connection unusable, if one did.
    std::exception_ptr error;
};
using pool_listener = std::function<void(const pool_event&)>;

namespace detail {

/// One pool slot: a database connection (null once closed, reopened at its next checkout)
/// and what the pool and the connection objects track about it.
struct pooled_connection {
    std::unique_ptr<driver::connection> driver;
    bool in_transaction = false;
    std::uint64_t checkouts = 0;  // how many times a connection object took it
    std::uint64_t owner = 0;      // the checkout that holds it now, 0 in the pool
    bool autocommit = false;          // isolation::autocommit in effect: no BEGIN/COMMIT/ROLLBACK
    bool isolation_changed = false;   // by connection::set_isolation_level: reset on return
    // Pool bookkeeping.
    std::uint64_t id = 0;                          // pool_event::connection_id of `driver`
    std::chrono::steady_clock::time_point opened;  // for pool_recycle
    std::uint64_t generation = 0;                  // the pool's dispose() count when opened
    bool invalid = false;                          // close at checkin: `reason`, `error`
    std::string reason;
    std::exception_ptr error;
};

/// Marks `pooled` to be closed at checkin, keeping the first reason given.
void invalidate_pooled(pooled_connection& pooled, std::string reason, std::exception_ptr error) noexcept;

/// Settings of the pool, from engine_options.
struct pool_settings {
    std::size_t size = 5;
    std::size_t max_overflow = 10;  // SIZE_MAX: no limit
    std::chrono::milliseconds timeout{30000};
    std::chrono::milliseconds recycle{0};  // 0: off
    bool pre_ping = false;
    bool lifo = false;
};

/// A QueuePool. Thread-safe. Checked-out connections are shared_ptrs whose deleter checks them
/// back in when the last holder (connection, transaction, result) lets go, so the pool must be
/// owned by a shared_ptr (they keep it alive). Nothing slow runs under the lock: connects,
/// pings, closes and listeners run outside it.
class pool : public std::enable_shared_from_this<pool> {
public:
    using opener = std::function<std::unique_ptr<driver::connection>()>;
    explicit pool(pool_settings settings) : settings_(settings), overflow_(-static_cast<std::ptrdiff_t>(settings.size)) {}
    ~pool();
    pool(const pool&) = delete;
    pool& operator=(const pool&) = delete;

    /// A connection: an idle one (replaced through `open` when recycled or invalidated, pinged
    /// first when pre_ping), or a new one while size + max_overflow allow, else the first one
    /// returned within the timeout. Throws timeout_error, or what `open` and connect/checkout
    /// listeners throw (the slot is given back first).
    std::shared_ptr<pooled_connection> checkout(const opener& open);
    /// Closes the idle connections; connections checked out now are closed when they return.
    void dispose() noexcept;
    pool_status status() const;

    std::size_t add_listener(std::size_t id, pool_listener listener);
    /// Whether `id` was a pool listener.
    bool remove_listener(std::size_t id);

private:
    using listeners = std::vector<std::pair<std::size_t, pool_listener>>;
    std::unique_ptr<pooled_connection> take(std::unique_lock<std::mutex>& lock);
    void checkin(pooled_connection* record) noexcept;
    void give_back(std::unique_ptr<pooled_connection> record, bool fresh_slot) noexcept;
    void reopen(pooled_connection& record, const opener& open);
    bool stale(const pooled_connection& record);
    void invalidate(pooled_connection& record, std::string reason, std::exception_ptr error, bool all_older) noexcept;
    void fire(pool_event_kind kind, pooled_connection& record, std::string_view reason = {}, std::exception_ptr error = {});
    std::shared_ptr<const listeners> current_listeners() const;
    std::size_t checked_out_locked() const noexcept;

    const pool_settings settings_;
    mutable std::mutex mutex_;
    std::condition_variable returned_;  // a connection came back, or a slot was freed
    std::deque<std::unique_ptr<pooled_connection>> idle_;
    std::ptrdiff_t overflow_;            // SQLAlchemy's _overflow: connections open - size
    std::uint64_t next_id_ = 1;
    std::uint64_t invalid_before_ = 0;   // connections with a smaller id are replaced at checkout
    std::uint64_t generation_ = 0;       // dispose() calls
    std::shared_ptr<const listeners> listeners_;
};

}  // namespace detail

}  // namespace reflorm
