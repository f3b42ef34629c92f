#pragma once
// Memory for one model's snapshots (snapshot_codec's bytes): records carved from chunks that
// grow to 2 MiB (large_block.hpp: huge pages), each with its capacity in a 4-byte header,
// reused through free lists per 8-byte size class. No per-record allocation or allocator
// header: a snapshot costs its bytes and 4 rounded up to 8 (16 at least). Records never move; a
// snapshot rewritten larger takes a new record.
#include <boost/unordered/unordered_flat_set.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace reflorm::orm_detail {

class snapshot_arena {
public:
    snapshot_arena() = default;
    snapshot_arena(const snapshot_arena&) = delete;
    snapshot_arena& operator=(const snapshot_arena&) = delete;
    ~snapshot_arena();

    /// A record of at least `bytes` bytes (its capacity may be larger). Throws std::bad_alloc.
    std::byte* allocate(std::size_t bytes);
    /// Gives a record back (nullptr is ignored).
    void release(std::byte* record) noexcept;
    /// The bytes `record` holds (at least what allocate was asked for).
    static std::size_t capacity(const std::byte* record) noexcept;

private:
    static constexpr std::size_t header = 4;
    static constexpr std::size_t granule = 8;
    static constexpr std::size_t pooled_classes = 128;  // records up to 1 KiB; larger ones are allocated alone

    struct chunk {
        std::byte* start;
        std::size_t bytes;
    };
    std::vector<chunk> chunks_;  // allocated with allocate_large
    boost::unordered_flat_set<std::byte*> singles_;  // larger records, allocated alone
    std::unique_ptr<std::byte*[]> free_;  // per size class: a list threaded through the free records
    std::byte* next_ = nullptr;
    std::byte* end_ = nullptr;
    std::size_t chunk_bytes_ = 4096;
};

}  // namespace reflorm::orm_detail
