#include <reflorm/orm/detail/large_block.hpp>

#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__linux__) && defined(MADV_HUGEPAGE)
#define REFLORM_HUGE_PAGES 1
#else
#define REFLORM_HUGE_PAGES 0
#endif

namespace reflorm::orm_detail {

namespace {

constexpr std::size_t huge_page = std::size_t{2} << 20;

bool mapped(std::size_t bytes) noexcept { return REFLORM_HUGE_PAGES && bytes >= huge_page; }
[[maybe_unused]] std::size_t mapped_bytes(std::size_t bytes) noexcept { return (bytes + huge_page - 1) / huge_page * huge_page; }

}  // namespace

void* allocate_aligned(std::size_t bytes, std::size_t align) {
    if (align > __STDCPP_DEFAULT_NEW_ALIGNMENT__) return ::operator new(bytes, std::align_val_t{align});
    return ::operator new(bytes);
}

void free_aligned(void* p, std::size_t align) noexcept {
    if (align > __STDCPP_DEFAULT_NEW_ALIGNMENT__) ::operator delete(p, std::align_val_t{align});
    else ::operator delete(p);
}

void* allocate_large(std::size_t bytes, std::size_t align) {
    if (!mapped(bytes)) return allocate_aligned(bytes, align);
#if REFLORM_HUGE_PAGES
    if (bytes > SIZE_MAX - 2 * huge_page) throw std::bad_alloc();
    const std::size_t size = mapped_bytes(bytes);
    // Mapped with a huge page's worth to spare, then trimmed to a 2 MiB-aligned range: mmap
    // aligns to 4 KiB only.
    void* raw = ::mmap(nullptr, size + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + huge_page - 1) & ~(std::uintptr_t{huge_page} - 1);
    if (aligned > start) ::munmap(raw, aligned - start);
    if (const std::uintptr_t tail = start + size + huge_page - (aligned + size); tail > 0)
        ::munmap(reinterpret_cast<void*>(aligned + size), tail);
    ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // advice: ignored where THP is off
    return reinterpret_cast<void*>(aligned);
#else
    throw std::bad_alloc();  // not reached: mapped() is false
#endif
}

void free_large(void* p, std::size_t bytes, std::size_t align) noexcept {
    if (!p) return;
    if (!mapped(bytes)) return free_aligned(p, align);
#if REFLORM_HUGE_PAGES
    ::munmap(p, mapped_bytes(bytes));
#endif
}

}  // namespace reflorm::orm_detail
