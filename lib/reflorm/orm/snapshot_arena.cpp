#include <reflorm/orm/detail/snapshot_arena.hpp>
#include <reflorm/orm/detail/large_block.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>

namespace reflorm::orm_detail {

namespace {
// A record starts 8-aligned with its capacity (payload bytes) as a uint32; the caller gets the
// payload after it (read and written with memcpy only). A free record keeps its header and
// threads its class's free list through its payload.
std::uint32_t read_header(const std::byte* payload) noexcept {
    std::uint32_t capacity;
    std::memcpy(&capacity, payload - 4, 4);
    return capacity;
}
}  // namespace

snapshot_arena::~snapshot_arena() {
    for (const chunk& c : chunks_) free_large(c.start, c.bytes, granule);
    for (std::byte* s : singles_) delete[] s;
}

std::byte* snapshot_arena::allocate(std::size_t bytes) {
    const std::size_t total = std::max<std::size_t>(granule * 2, (bytes + header + granule - 1) / granule * granule);
    if (total > UINT32_MAX) throw std::bad_alloc();
    const std::uint32_t capacity = static_cast<std::uint32_t>(total - header);
    std::byte* start = nullptr;
    const std::size_t size_class = total / granule;
    if (size_class >= pooled_classes) {
        singles_.reserve(singles_.size() + 1);
        start = new std::byte[total];
        singles_.insert(start);
    } else if (free_ && free_[size_class]) {
        start = free_[size_class];
        std::byte* after;
        std::memcpy(&after, start + header, sizeof after);
        free_[size_class] = after;
    } else {
        if (static_cast<std::size_t>(end_ - next_) < total) {
            chunks_.reserve(chunks_.size() + 1);
            const std::size_t size = std::max(chunk_bytes_, total);
            chunks_.push_back({static_cast<std::byte*>(allocate_large(size, granule)), size});
            next_ = chunks_.back().start;
            end_ = next_ + size;
            chunk_bytes_ = std::min<std::size_t>(chunk_bytes_ * 2, std::size_t{2} << 20);
        }
        start = next_;
        next_ += total;
    }
    std::memcpy(start, &capacity, header);
    return start + header;
}

void snapshot_arena::release(std::byte* record) noexcept {
    if (!record) return;
    std::byte* start = record - header;
    const std::size_t size_class = (read_header(record) + header) / granule;
    if (size_class >= pooled_classes) {
        if (singles_.erase(start)) delete[] start;
        return;
    }
    if (!free_) {
        free_.reset(new (std::nothrow) std::byte*[pooled_classes]());
        if (!free_) return;  // no memory to remember it: unused until the arena goes
    }
    std::memcpy(start + header, &free_[size_class], sizeof(std::byte*));
    free_[size_class] = start;
}

std::size_t snapshot_arena::capacity(const std::byte* record) noexcept { return read_header(record); }

}  // namespace reflorm::orm_detail
