#pragma once
// Pools of fixed-size slots for one model's identity map: the entries of objects not in a node
// (raw_slots), and the keys of objects read read_only (slot_pool, built on raw_slots).
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace reflorm::orm_detail {

/// Slots of `bytes` bytes (aligned for any scalar) that never move, in blocks that grow to
/// 32,768 slots, freed with the pool. It destroys nothing it holds: trivially destructible
/// contents, or an owner that destroys them (for_each). Not a template: a std::deque per model
/// cost its instantiation for every model (compile time).
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
    /// Calls f(void*) for every slot allocate() gave, in order.
    template <class F>
    void for_each(F f) const {
        for (const block& b : blocks_)
            for (std::size_t i = 0; i < b.size; ++i) f(b.data + bytes_ * i);
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

/// Slots of V (value-initialized) that never move, freed with the pool; a released slot is
/// handed out again as it is (the taker assigns it).
template <class V>
class slot_pool {
    static_assert(std::is_nothrow_default_constructible_v<V> && alignof(V) <= alignof(std::max_align_t),
                  "every slot raw_slots gives is constructed, and destroyed with the pool");

public:
    slot_pool() = default;
    slot_pool(const slot_pool&) = delete;
    slot_pool& operator=(const slot_pool&) = delete;
    ~slot_pool() {
        slots_.for_each([](void* v) { std::destroy_at(static_cast<V*>(v)); });
    }
    V* acquire() {
        if (!free_.empty()) {
            V* v = free_.back();
            free_.pop_back();
            return v;
        }
        return ::new (slots_.allocate()) V();
    }
    void release(V* v) noexcept {
        try {
            free_.push_back(v);
        } catch (...) {  // no memory to remember it: the slot stays unused until the pool goes
        }
    }

private:
    raw_slots slots_{sizeof(V)};
    std::vector<V*> free_;
};

}  // namespace reflorm::orm_detail
