#pragma once
// Pools of fixed-size slots for one model's identity map: the keys of objects read read_only
// (slot_pool), and the entries of objects not in a node (raw_slots).
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
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

/// Slots of `bytes` bytes (aligned for any scalar) that never move, in blocks that grow to
/// 32,768 slots, freed with the pool. What they hold must be trivially destructible. Not a
/// template: a std::deque per model cost its instantiation for every model (compile time).
class raw_slots {
public:
    explicit raw_slots(std::size_t bytes) : bytes_(bytes) {}
    raw_slots(const raw_slots&) = delete;
    raw_slots& operator=(const raw_slots&) = delete;
    ~raw_slots() {
        for (const block& b : blocks_) ::operator delete(b.data);
    }
    /// Uninitialized room for one slot. Throws std::bad_alloc.
    void* allocate() {
        if (blocks_.empty() || blocks_.back().size == blocks_.back().capacity) {
            const std::size_t capacity = blocks_.empty() ? 16 : std::min<std::size_t>(blocks_.back().capacity * 2, std::size_t{1} << 15);
            blocks_.reserve(blocks_.size() + 1);
            blocks_.push_back({static_cast<std::byte*>(::operator new(capacity * bytes_)), 0, capacity});
        }
        block& b = blocks_.back();
        return b.data + bytes_ * b.size++;
    }

private:
    struct block {
        std::byte* data;
        std::size_t size;
        std::size_t capacity;
    };
    std::size_t bytes_;
    std::vector<block> blocks_;
};

}  // namespace reflorm::orm_detail
