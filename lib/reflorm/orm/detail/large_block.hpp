#pragma once
// Memory for the session's large arrays (snapshot chunks, key slots, entries: at a million
// objects, each is megabytes, allocated and first touched within one flush or query). A block
// of 2 MiB or more is mapped on its own (Linux: mmap), 2 MiB-aligned and rounded up to 2 MiB,
// and marked MADV_HUGEPAGE, so that where transparent huge pages are enabled ("always" or
// "madvise") the kernel faults it in 2 MiB at a time: one page fault where there were 512,
// and fewer TLB misses. A fresh 4 KiB page cost 5-6 us in a fault on the benchmark's virtual
// machine: a million-row bulk insert spent a fifth of its time there. Smaller blocks, and every
// block elsewhere, come from operator new. Not a template: compiled once (orm/large_block.cpp).
#include <cstddef>

namespace reflorm::orm_detail {

/// `bytes` (> 0) aligned to `align` (a power of two, at most 2 MiB). Throws std::bad_alloc.
void* allocate_large(std::size_t bytes, std::size_t align);
/// Frees what allocate_large(bytes, align) gave, with the same arguments.
void free_large(void* p, std::size_t bytes, std::size_t align) noexcept;
/// operator new's aligned form when `align` exceeds its default alignment, else the plain one:
/// what allocate_large does below 2 MiB. Throws std::bad_alloc.
void* allocate_aligned(std::size_t bytes, std::size_t align);
/// Frees what allocate_aligned(…, align) gave.
void free_aligned(void* p, std::size_t align) noexcept;
/// A standard allocator over allocate_large, for the vectors that grow to megabytes.
template <class T>
struct large_allocator {
    using value_type = T;
    large_allocator() = default;
    template <class U>
    large_allocator(const large_allocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(allocate_large(n * sizeof(T), alignof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { free_large(p, n * sizeof(T), alignof(T)); }
    template <class U>
    bool operator==(const large_allocator<U>&) const noexcept { return true; }
};

}  // namespace reflorm::orm_detail
