#pragma once
// Every entry of one identity map, in the order its object joined the session (the flush
// inserts in that order); the entries themselves never move. A typed view of a vector of void*
// that identity_map_common keeps: one vector type for every model (a vector of a per-model type
// costs ~360 template specializations a model), and code over it compiled once.
#include <reflorm/orm/detail/large_block.hpp>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace reflorm::orm_detail {

/// The entries' addresses, megabytes at a million objects (large_block.hpp).
using entry_vector = std::vector<void*, large_allocator<void*>>;

template <class Entry>
class entry_list {
public:
    explicit entry_list(entry_vector& list) noexcept : list_(list) {}
    entry_list(const entry_list&) = delete;
    entry_list& operator=(const entry_list&) = delete;
    struct iterator {
        entry_vector::const_iterator at;
        Entry& operator*() const { return *static_cast<Entry*>(*at); }
        iterator& operator++() {
            ++at;
            return *this;
        }
        bool operator==(const iterator&) const = default;
    };
    iterator begin() const { return {list_.begin()}; }
    iterator end() const { return {list_.end()}; }
    std::size_t size() const noexcept { return list_.size(); }
    Entry& operator[](std::size_t i) const { return *static_cast<Entry*>(list_[i]); }
    void reserve(std::size_t n) { list_.reserve(n); }
    void reserve_one() {
        if (list_.size() == list_.capacity()) list_.reserve(std::max<std::size_t>(16, list_.size() * 2));
    }
    void push_back(Entry* e) { list_.push_back(e); }
    template <class F>
    void erase_if(F f) {
        std::erase_if(list_, [&](void* e) { return f(static_cast<const Entry*>(e)); });
    }

private:
    entry_vector& list_;
};

}  // namespace reflorm::orm_detail
