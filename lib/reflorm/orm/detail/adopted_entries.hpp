#pragma once
// The entries of the objects of a vector that session.add_all() took over, 16 bytes each, as
// a node's: in 64 KiB blocks aligned to their size, the first 16 bytes of each holding the
// address of the block's first object, so that an entry finds its object from its own address
// (a pointer beside each entry would cost 8 bytes an object: 8 MB at a million).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace reflorm::orm_detail {

template <class Entry, class T>
class adopted_entries {
public:
    static constexpr std::size_t block_bytes = std::size_t{1} << 16;
    static constexpr std::size_t per_block = block_bytes / sizeof(Entry) - 1;  // slot 0: the header
    static_assert(sizeof(Entry) >= sizeof(T*) && block_bytes % sizeof(Entry) == 0);

    /// Default-constructed entries for the `n` objects from `first` on. Throws std::bad_alloc.
    adopted_entries(T* first, std::size_t n) : blocks_((n + per_block - 1) / per_block) {
        region_ = static_cast<std::byte*>(::operator new(blocks_ * block_bytes, std::align_val_t{block_bytes}));
        for (std::size_t b = 0; b < blocks_; ++b) ::new (region_ + b * block_bytes) T*(first + b * per_block);
        for (std::size_t i = 0; i < n; ++i) ::new (static_cast<void*>(&(*this)[i])) Entry();
    }
    adopted_entries(adopted_entries&& other) noexcept : region_(std::exchange(other.region_, nullptr)), blocks_(other.blocks_) {}
    adopted_entries& operator=(adopted_entries&& other) noexcept {
        std::swap(region_, other.region_);
        std::swap(blocks_, other.blocks_);
        return *this;
    }
    ~adopted_entries() {
        static_assert(std::is_trivially_destructible_v<Entry>);
        if (region_) ::operator delete(region_, std::align_val_t{block_bytes});
    }

    Entry& operator[](std::size_t i) const noexcept {
        return *std::launder(reinterpret_cast<Entry*>(region_ + i / per_block * block_bytes + (1 + i % per_block) * sizeof(Entry)));
    }
    /// The object of an entry made here, from the entry's address alone.
    static T* object_of(const Entry* e) noexcept {
        const auto at = reinterpret_cast<std::uintptr_t>(e);
        const std::uintptr_t block = at & ~(std::uintptr_t{block_bytes} - 1);
        T* first = *std::launder(reinterpret_cast<T* const*>(block));
        return first + ((at - block) / sizeof(Entry) - 1);
    }

private:
    std::byte* region_ = nullptr;
    std::size_t blocks_ = 0;
};

}  // namespace reflorm::orm_detail
