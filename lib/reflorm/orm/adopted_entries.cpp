#include <reflorm/orm/detail/adopted_entries.hpp>
#include <reflorm/orm/detail/large_block.hpp>

#include <algorithm>
#include <functional>
#include <new>

namespace reflorm::orm_detail {

namespace {

std::size_t blocks_for(std::size_t count) noexcept { return (count + adopted_arrays::per_block - 1) / adopted_arrays::per_block; }

}  // namespace

adopted_arrays::~adopted_arrays() {
    for (const array& a : arrays_) {
        a.release(a.owner);
        free_large(a.entries, blocks_for(a.count) * block_bytes, block_bytes);
    }
}

std::byte* adopted_arrays::add(void* first, std::size_t count, std::size_t object_size, void* owner, void (*release)(void*)) {
    arrays_.reserve(arrays_.size() + 1);
    const std::size_t blocks = blocks_for(count);
    auto* entries = static_cast<std::byte*>(allocate_large(blocks * block_bytes, block_bytes));
    auto* objects = static_cast<std::byte*>(first);
    for (std::size_t b = 0; b < blocks; ++b) ::new (entries + b * block_bytes) std::byte*(objects + b * per_block * object_size);
    const auto pos = std::upper_bound(arrays_.begin(), arrays_.end(), objects,
                                      [](const std::byte* at, const array& a) { return std::less<const std::byte*>{}(at, a.first); });
    arrays_.insert(pos, array{objects, count, entries, owner, release});  // reserved: does not throw
    return entries;
}

void* adopted_arrays::entry_of(const void* object, std::size_t object_size) const noexcept {
    const auto* at = static_cast<const std::byte*>(object);
    auto it = std::upper_bound(arrays_.begin(), arrays_.end(), at,
                               [](const std::byte* x, const array& a) { return std::less<const std::byte*>{}(x, a.first); });
    if (it == arrays_.begin()) return nullptr;
    const array& a = *std::prev(it);
    const auto offset = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(at) - reinterpret_cast<std::uintptr_t>(a.first));
    const std::size_t i = offset / object_size;
    if (i >= a.count || offset % object_size != 0) return nullptr;
    return entry(a.entries, i);
}

}  // namespace reflorm::orm_detail
