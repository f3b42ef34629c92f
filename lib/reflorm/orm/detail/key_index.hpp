#pragma once
// The identity map's index from primary key to entry: open addressing with linear probing, in
// one array of {key, entry pointer} slots. A single integer key is placed by its low bits, so
// that rows read in key order (a table scan, a range) fill the array front to back instead of
// touching a random cache line each (at 1M rows that was a fifth of read_all's time), and keys
// that crowd one stretch (a stride that is a multiple of the size) switch the index to a mixed
// hash. Other keys always use the mixed hash. No tombstones: erase shifts back what follows.
#include <reflorm/orm/detail/large_block.hpp>

#include <boost/container_hash/hash.hpp>

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace reflorm::orm_detail {

template <class Key>
struct single_integer_key : std::false_type {};
template <class I>
struct single_integer_key<std::tuple<I>> : std::bool_constant<std::is_integral_v<I>> {};

/// Maps Key to a non-null Value (a pointer); nullptr marks a free slot.
template <class Key, class Value>
class key_index {
public:
    struct slot {
        Key key{};
        Value value = nullptr;
    };

    std::size_t size() const noexcept { return size_; }
    /// Slots allocated (a power of two, or 0).
    std::size_t capacity() const noexcept { return slots_.size(); }

    /// Room for `n` keys without growing (throws std::bad_alloc, the index as it was).
    void reserve(std::size_t n) {
        if (n > limit()) rehash(capacity_for(n), mixed_);
    }
    void clear() noexcept {
        slots_ = {};
        size_ = 0;
        mixed_ = !locality;
    }

    /// The value stored for `key`, or nullptr.
    Value find(const Key& key) const noexcept {
        if (slots_.empty()) return nullptr;
        for (std::size_t i = home(key);; i = (i + 1) & mask()) {
            const slot& s = slots_[i];
            if (!s.value) return nullptr;
            if (s.key == key) return s.value;
        }
    }
    /// The slot for `key`: the one holding it (false), or a new one with a null value (true)
    /// that the caller fills or gives back with erase(). Throws std::bad_alloc, the index as it
    /// was. The slot stays valid until the next insertion or erase.
    std::pair<slot*, bool> try_emplace(Key&& key) {
        if (size_ + 1 > limit()) rehash(capacity_for(size_ + 1), mixed_);
        for (;;) {
            std::size_t i = home(key), probes = 0;
            for (; slots_[i].value; i = (i + 1) & mask(), ++probes)
                if (slots_[i].key == key) return {&slots_[i], false};
            if (probes > crowded && !mixed_) {
                rehash(slots_.size(), true);  // a stride the low bits cannot spread
                continue;
            }
            if (probes > crowded && size_ * 2 > slots_.size()) {
                rehash(slots_.size() * 2, true);
                continue;
            }
            slots_[i].key = std::move(key);
            ++size_;
            return {&slots_[i], true};
        }
    }
    /// Stores `value` for `key`, replacing what was there.
    void assign(Key key, Value value) { try_emplace(std::move(key)).first->value = value; }
    /// Removes `key` if present.
    void erase(const Key& key) noexcept {
        if (slots_.empty()) return;
        for (std::size_t i = home(key);; i = (i + 1) & mask()) {
            if (!slots_[i].value) return;
            if (slots_[i].key == key) return erase(&slots_[i]);
        }
    }
    /// Removes the key of a slot try_emplace gave (filled or not).
    void erase(slot* at) noexcept {
        std::size_t hole = static_cast<std::size_t>(at - slots_.data());
        --size_;
        at->value = nullptr;
        // Backward shift: a later slot moves into the hole unless its home lies after the hole
        // (cyclically), where a probe from that home would no longer pass the hole.
        for (std::size_t i = (hole + 1) & mask(); slots_[i].value; i = (i + 1) & mask()) {
            const std::size_t h = home(slots_[i].key);
            if (((i - h) & mask()) >= ((i - hole) & mask())) {
                slots_[hole] = std::move(slots_[i]);
                slots_[i].value = nullptr;
                hole = i;
            }
        }
    }

private:
    using slot_vector = std::vector<slot, large_allocator<slot>>;  // megabytes at a million keys
    static constexpr bool locality = single_integer_key<Key>::value;
    static constexpr std::size_t crowded = 32;  // probes past a key's home before it counts as crowded

    std::size_t mask() const noexcept { return slots_.size() - 1; }
    // Keys held before growing: locality, 31/32 of the slots (keys read in order leave no
    // gaps); mixed, 3/4. One slot at least stays free: probes end at a free slot.
    static std::size_t max_load(std::size_t capacity, bool mixed) noexcept {
        return mixed ? capacity / 4 * 3 : capacity - capacity / 32 - 1;
    }
    std::size_t limit() const noexcept { return slots_.empty() ? 0 : max_load(slots_.size(), mixed_); }
    std::size_t capacity_for(std::size_t n) const noexcept {
        std::size_t c = 16;
        while (max_load(c, mixed_) < n) c *= 2;
        return c;
    }
    std::size_t home(const Key& key) const noexcept {
        std::uint64_t h;
        if constexpr (locality) {
            h = static_cast<std::uint64_t>(std::get<0>(key));
            if (!mixed_) return static_cast<std::size_t>(h) & mask();
        } else {
            h = boost::hash<Key>{}(key);
        }
        h *= 0x9e3779b97f4a7c15ULL;  // Fibonacci hashing: the high bits mix all of h
        return static_cast<std::size_t>(h ^ (h >> 29)) & mask();
    }
    // Throws std::bad_alloc before anything moves (keys move without throwing).
    void rehash(std::size_t capacity, bool mixed) {
        static_assert(std::is_nothrow_move_assignable_v<Key>);
        slot_vector old(capacity);
        old.swap(slots_);
        mixed_ = mixed;
        for (slot& s : old) {
            if (!s.value) continue;
            std::size_t i = home(s.key);
            while (slots_[i].value) i = (i + 1) & mask();
            slots_[i] = std::move(s);
        }
    }

    slot_vector slots_;
    std::size_t size_ = 0;
    bool mixed_ = !locality;
};

}  // namespace reflorm::orm_detail
