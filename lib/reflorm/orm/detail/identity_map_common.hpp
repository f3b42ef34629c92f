#pragma once
// What every model's identity map holds that does not depend on the model: where its nodes are,
// the objects given by handle, the vectors add_all took over, the snapshot arena. Not a
// template, and destroyed by code compiled once (orm/identity_map_common.cpp): inlined in every
// model's identity map, these members' constructors and destructors were a part of the compile
// time of every program that uses the session.
#include <reflorm/orm/detail/adopted_entries.hpp>
#include <reflorm/orm/detail/slot_pool.hpp>
#include <reflorm/orm/detail/snapshot_arena.hpp>
#include <reflorm/orm/session.hpp>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace reflorm::orm_detail {

// One model's nodes (node[capacity], filled in order): allocated once, never moved, freed by
// the model's identity map.
struct node_chunk {
    void* nodes;
    std::size_t size;
    std::size_t capacity;
};

// A piece of a yield_per block holding one model's nodes (the block frees them).
struct borrowed_piece {
    std::weak_ptr<batch_block> block;
    const batch_block* raw;
    std::size_t piece;
};

class identity_map_common : public registry_base {
protected:
    /// `loose_entry_bytes`: the size of the model's entry for an object not in a node.
    explicit identity_map_common(std::size_t loose_entry_bytes);
    ~identity_map_common() override;
    identity_map_common(const identity_map_common&) = delete;
    identity_map_common& operator=(const identity_map_common&) = delete;

    std::vector<borrowed_piece> borrowed_;
    snapshot_arena snapshots_;  // the entries' snapshots
    std::vector<node_chunk> chunks_;
    std::vector<std::pair<std::uintptr_t, std::size_t>> by_address_;  // chunk start, index in chunks_; sorted
    raw_slots loose_entries_;                                         // for objects not in a node
    boost::unordered_flat_map<const void*, void*> loose_;             // their tracked entries
    std::vector<std::shared_ptr<void>> adopted_;                      // handles given to track_pending: kept alive
    boost::unordered_flat_set<const void*> released_;  // loose objects let go of: detached (not transient) for state_of
    adopted_arrays arrays_;                            // add_all's vectors, kept whole
};

}  // namespace reflorm::orm_detail
