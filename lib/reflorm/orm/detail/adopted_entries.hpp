#pragma once
// The vectors session.add_all() took over, one model's, and the 16-byte entries of their
// objects. An entry sits in a 64 KiB block aligned to its size whose first 16 bytes hold the
// address of the block's first object, so that it finds its object from its own address (a
// pointer beside each entry would cost 8 bytes an object: 8 MB at a million). Not a template:
// the identity map of every model shares this code (compile time); it passes the sizes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace reflorm::orm_detail {

class adopted_arrays {
public:
    static constexpr std::size_t entry_bytes = 16;
    static constexpr std::size_t block_bytes = std::size_t{1} << 16;
    static constexpr std::size_t per_block = block_bytes / entry_bytes - 1;  // slot 0: the header

    adopted_arrays() = default;
    adopted_arrays(const adopted_arrays&) = delete;
    adopted_arrays& operator=(const adopted_arrays&) = delete;
    ~adopted_arrays();

    /// Room for the entries of `count` (> 0) objects of `object_size` bytes from `first`, which
    /// the caller constructs at entry(returned, i), and takes `owner`, which holds their
    /// storage, over: `release(owner)` when this is destroyed. Throws std::bad_alloc, nothing
    /// taken.
    std::byte* add(void* first, std::size_t count, std::size_t object_size, void* owner, void (*release)(void*));
    /// Where the entry of object i goes, in the blocks add() returned.
    static void* entry(std::byte* blocks, std::size_t i) noexcept {
        return blocks + i / per_block * block_bytes + (1 + i % per_block) * entry_bytes;
    }
    /// The entry of `object`, if one of the arrays holds it (at an object's start); else nullptr.
    void* entry_of(const void* object, std::size_t object_size) const noexcept;
    bool empty() const noexcept { return arrays_.empty(); }

    /// The object of an entry made here, from the entry's address alone.
    static void* object_of(const void* entry, std::size_t object_size) noexcept {
        const auto at = reinterpret_cast<std::uintptr_t>(entry);
        const std::uintptr_t block = at & ~(std::uintptr_t{block_bytes} - 1);
        std::byte* first = *reinterpret_cast<std::byte* const*>(block);
        return first + ((at - block) / entry_bytes - 1) * object_size;
    }

private:
    struct array {
        std::byte* first;
        std::size_t count;
        std::byte* entries;  // the blocks, block_bytes each, aligned to block_bytes
        void* owner;
        void (*release)(void*);
    };
    std::vector<array> arrays_;  // by `first`
};

}  // namespace reflorm::orm_detail
