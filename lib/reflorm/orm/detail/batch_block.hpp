#pragma once
// The block a yield_per batch's objects live in, apart from the session's object store.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace reflorm::orm_detail {

class registry_base;
struct object_store;

/// The objects one batch of a yield_per query materialized (its loader options' too), stored
/// apart from the object store so that they are freed with the batch: their handles share
/// ownership of the block, which keeps the store alive for what they point at outside it.
struct batch_block : std::enable_shared_from_this<batch_block> {
    // One model's nodes, allocated and laid out by its identity map.
    struct piece {
        registry_base* owner;
        void* nodes;
        std::size_t size, capacity, bytes;
        void (*destroy)(piece&);
    };
    batch_block(std::shared_ptr<object_store> store, std::size_t rows) : store(std::move(store)), rows(rows) {}
    ~batch_block() {
        for (piece& p : pieces) p.destroy(p);
    }
    bool owns(const void* object) const {
        const auto at = reinterpret_cast<std::uintptr_t>(object);
        for (const piece& p : pieces)
            if (at >= reinterpret_cast<std::uintptr_t>(p.nodes) && at < reinterpret_cast<std::uintptr_t>(p.nodes) + p.bytes) return true;
        return false;
    }
    std::shared_ptr<object_store> store;  // what its objects point at outside it
    std::size_t rows;                   // yield_per: the first piece's capacity
    std::vector<piece> pieces;
    std::uint64_t undo_mark = 0;  // session::undo_pushed_ when the batch began
    bool pinned = false;          // an object outside it may point into it: its nodes go to the store
    bool released = false;        // out of the session (session::release_batch ran)
};

}  // namespace reflorm::orm_detail
