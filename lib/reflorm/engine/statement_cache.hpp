#pragma once
// A connection's prepared statements, bounded: least recently used first out, never one in use.
// Shared by the drivers (selectinload's IN lists alone come in up to 500 sizes, and a server
// keeps every prepared statement until it is closed).
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

namespace reflorm::driver {

/// Cursor must have `bool in_use() const`: bound or stepped and not yet reset.
template <class Cursor>
class statement_cache {
public:
    explicit statement_cache(std::size_t capacity) : capacity_(capacity) {}

    /// The cursor for `sql`, made by `make()` on a miss, or when the cached one is in use (a
    /// result still reading its rows while the same statement runs again): then the new copy
    /// is the one found from now on, and the old one leaves when evicted. When full, the least
    /// recently used cursor not in use is destroyed first (the cache grows past its capacity
    /// only while every cursor is in use, which open results and nested statements can cause).
    template <class Make>
    Cursor& get(const std::string& sql, Make&& make) {
        auto it = index_.find(sql);
        if (it != index_.end() && !it->second->cursor->in_use()) {
            order_.splice(order_.begin(), order_, it->second);
            return *it->second->cursor;
        }
        if (order_.size() >= capacity_) evict_one();
        order_.push_front(entry{sql, make()});
        index_.insert_or_assign(order_.front().sql, order_.begin());
        return *order_.front().cursor;
    }
    std::size_t size() const noexcept { return order_.size(); }
    /// Calls `f(cursor)` for every cursor cached, most recently used first.
    template <class F>
    void for_each(F&& f) {
        for (auto& e : order_) f(*e.cursor);
    }
    void clear() noexcept {
        index_.clear();
        order_.clear();
    }

private:
    struct entry {
        std::string sql;
        std::unique_ptr<Cursor> cursor;
    };
    void evict_one() {
        for (auto it = order_.end(); it != order_.begin();) {
            --it;
            if (it->cursor->in_use()) continue;
            if (auto found = index_.find(it->sql); found != index_.end() && found->second == it) index_.erase(found);
            order_.erase(it);
            return;
        }
    }

    std::size_t capacity_;
    std::list<entry> order_;  // most recently used first
    std::unordered_map<std::string, typename std::list<entry>::iterator> index_;
};

}  // namespace reflorm::driver
