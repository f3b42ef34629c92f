#pragma once
// A pool of fixed-size slots for one model's identity map (the keys of objects read read_only).
#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace reflorm::orm_detail {

/// Slots of V (value-initialized) that never move, freed with the pool; a released slot is
/// handed out again as it is (the taker assigns it).
template <class V>
class slot_pool {
public:
    slot_pool() = default;
    slot_pool(const slot_pool&) = delete;
    slot_pool& operator=(const slot_pool&) = delete;
    ~slot_pool() {
        for (const chunk& c : chunks_) {
            std::destroy_n(c.slots, c.size);
            std::allocator<V>{}.deallocate(c.slots, c.capacity);
        }
    }
    V* acquire() {
        if (!free_.empty()) {
            V* v = free_.back();
            free_.pop_back();
            return v;
        }
        if (chunks_.empty() || chunks_.back().size == chunks_.back().capacity) {
            const std::size_t capacity = chunks_.empty() ? 64 : std::min<std::size_t>(chunks_.back().capacity * 2, std::size_t{1} << 15);
            chunks_.reserve(chunks_.size() + 1);
            V* slots = std::allocator<V>{}.allocate(capacity);
            chunks_.push_back({slots, 0, capacity});
        }
        chunk& c = chunks_.back();
        V* v = std::construct_at(c.slots + c.size);
        ++c.size;
        return v;
    }
    void release(V* v) noexcept {
        try {
            free_.push_back(v);
        } catch (...) {  // no memory to remember it: the slot stays unused until the pool goes
        }
    }

private:
    struct chunk {
        V* slots;
        std::size_t size;
        std::size_t capacity;
    };
    std::vector<chunk> chunks_;
    std::vector<V*> free_;
};

}  // namespace reflorm::orm_detail
