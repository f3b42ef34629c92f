// The QueuePool: what SQLAlchemy 1.4/2.0's QueuePool and _ConnectionRecord do (sqlalchemy/pool/
// impl.py, base.py), kept in one lock with a condition variable instead of a Queue.
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/pool.hpp>

#include <cstdint>
#include <cstdio>

namespace reflorm {

std::string pool_status::to_string() const {
    return "Pool size: " + std::to_string(size) + "  Connections in pool: " + std::to_string(idle) +
           " Current Overflow: " + std::to_string(overflow) + " Current Checked out connections: " + std::to_string(checked_out);
}

namespace detail {

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
    char out[32];
    std::snprintf(out, sizeof out, "%.2f", static_cast<double>(d.count()) / 1000.0);
    return out;
}

}  // namespace

void invalidate_pooled(pooled_connection& pooled, std::string reason, std::exception_ptr error) noexcept {
    if (pooled.invalid) return;  // the first reason is the one reported
    pooled.invalid = true;
    pooled.reason = std::move(reason);
    pooled.error = std::move(error);
}

pool::~pool() = default;  // idle connections close with idle_

std::size_t pool::checked_out_locked() const noexcept {
    // SQLAlchemy's checkedout(): maxsize - qsize + overflow.
    return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(settings_.size) - static_cast<std::ptrdiff_t>(idle_.size()) + overflow_);
}

pool_status pool::status() const {
    std::lock_guard lock(mutex_);
    return {settings_.size, checked_out_locked(), overflow_, idle_.size()};
}

std::shared_ptr<pooled_connection> pool::checkout(const opener& open) {
    std::unique_ptr<pooled_connection> record;
    bool created = false;  // a new slot: given up on failure, not kept empty
    bool replace = false;  // recycled, disposed or invalidated since it was opened
    {
        std::unique_lock lock(mutex_);
        using clock = std::chrono::steady_clock;
        const auto deadline = settings_.timeout >= std::chrono::hours(24 * 365 * 100) ? clock::time_point::max()  // "forever"
                                                                                      : clock::now() + settings_.timeout;
        for (;;) {
            if (!idle_.empty()) {
                if (settings_.lifo) {
                    record = std::move(idle_.back());
                    idle_.pop_back();
                } else {
                    record = std::move(idle_.front());
                    idle_.pop_front();
                }
                replace = record->driver && (record->id < invalid_before_ ||
                                             (settings_.recycle.count() > 0 &&
                                              std::chrono::steady_clock::now() - record->opened > settings_.recycle));
                break;
            }
            if (settings_.max_overflow == SIZE_MAX || overflow_ < static_cast<std::ptrdiff_t>(settings_.max_overflow)) {
                ++overflow_;
                record = std::make_unique<pooled_connection>();
                created = true;
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                const std::size_t out = checked_out_locked();
                throw timeout_error("reflorm: no connection became free within pool_timeout " + seconds_text(settings_.timeout) +
                                        " s: the pool's limit of pool_size " + std::to_string(settings_.size) + " + max_overflow " +
                                        std::to_string(settings_.max_overflow) + " is reached, with " + std::to_string(out) +
                                        " connections checked out (current overflow " + std::to_string(overflow_) + ")",
                                    settings_.size, overflow_, out);
            }
            returned_.wait_until(lock, deadline);
        }
    }
    // Outside the lock: a slow connect or ping must not hold up other checkouts.
    try {
        if (!record->driver || replace) {
            reopen(*record, open);
        } else if (settings_.pre_ping && !record->driver->ping()) {
            // As SQLAlchemy: a failed ping means the server went away, so every connection
            // opened before this one is replaced too; a fresh connection is not pinged.
            invalidate(*record, "pre-ping failed", nullptr, true);
            reopen(*record, open);
        }
        fire(pool_event_kind::checkout, *record);
    } catch (...) {
        give_back(std::move(record), created);
        throw;
    }
    return std::shared_ptr<pooled_connection>(record.release(), [self = shared_from_this()](pooled_connection* p) { self->checkin(p); });
}

void pool::reopen(pooled_connection& record, const opener& open) {
    record.driver.reset();  // a recycled one: closed before its replacement opens
    record.invalid = false;
    record.reason.clear();
    record.error = nullptr;
    record.in_transaction = false;
    record.driver = open();
    record.opened = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        record.id = next_id_++;
        record.generation = generation_;
    }
    try {
        fire(pool_event_kind::connect, record);
    } catch (...) {
        record.driver.reset();  // its setup did not finish: never handed out
        throw;
    }
}

void pool::checkin(pooled_connection* returned) noexcept {
    std::unique_ptr<pooled_connection> record(returned);
    record->owner = 0;
    if (record->driver) {
        // A lost connection invalidates those opened before it (the server restarted, say), as
        // SQLAlchemy does on a disconnect error; a failed reset invalidates only this one.
        const bool lost = record->driver->closed();
        if (record->invalid || lost)
            invalidate(*record, record->invalid ? record->reason : "connection lost", record->error, lost);
        else if (record->in_transaction || record->driver->streams().held())
            invalidate(*record, "returned in an unknown state", nullptr, false);
    }
    try {
        fire(pool_event_kind::checkin, *record);
    } catch (...) {  // a checkin listener's error has nowhere to go
    }
    give_back(std::move(record), false);
}

void pool::give_back(std::unique_ptr<pooled_connection> record, bool created) noexcept {
    std::unique_ptr<pooled_connection> closing;
    {
        std::lock_guard lock(mutex_);
        const bool room = settings_.size == 0 || idle_.size() < settings_.size;
        if (!created && room && record->generation == generation_) {
            idle_.push_back(std::move(record));
        } else {
            --overflow_;  // as QueuePool._do_return_conn: closed when the pool is full
            closing = std::move(record);
        }
    }
    returned_.notify_one();
    closing.reset();  // outside the lock: closing a server connection is a round trip
}

void pool::invalidate(pooled_connection& record, std::string reason, std::exception_ptr error, bool all_older) noexcept {
    try {
        fire(pool_event_kind::invalidate, record, reason, error);
    } catch (...) {
    }
    record.driver.reset();
    record.invalid = false;
    record.in_transaction = false;
    if (!all_older) return;
    std::lock_guard lock(mutex_);
    // SQLAlchemy's Pool._invalidate: only when this connection is newer than the last invalidation.
    if (record.id >= invalid_before_) invalid_before_ = next_id_;
}

void pool::dispose() noexcept {
    std::deque<std::unique_ptr<pooled_connection>> closing;
    {
        std::lock_guard lock(mutex_);
        closing.swap(idle_);
        overflow_ -= static_cast<std::ptrdiff_t>(closing.size());
        ++generation_;
    }
    returned_.notify_all();
    closing.clear();
}

void pool::fire(pool_event_kind kind, pooled_connection& record, std::string_view reason, std::exception_ptr error) {
    const auto current = current_listeners();
    if (!current) return;
    const pool_event event{kind, record.driver.get(), record.id, reason, std::move(error)};
    for (const auto& [id, listener] : *current) listener(event);
}

std::shared_ptr<const pool::listeners> pool::current_listeners() const {
    std::lock_guard lock(mutex_);
    return listeners_;
}

std::size_t pool::add_listener(std::size_t id, pool_listener listener) {
    std::lock_guard lock(mutex_);
    auto copy = listeners_ ? *listeners_ : listeners{};
    copy.emplace_back(id, std::move(listener));
    listeners_ = std::make_shared<const listeners>(std::move(copy));
    return id;
}

bool pool::remove_listener(std::size_t id) {
    std::lock_guard lock(mutex_);
    if (!listeners_) return false;
    auto copy = *listeners_;
    if (std::erase_if(copy, [&](const auto& entry) { return entry.first == id; }) == 0) return false;
    listeners_ = copy.empty() ? nullptr : std::make_shared<const listeners>(std::move(copy));
    return true;
}

}  // namespace detail

}  // namespace reflorm
