#pragma once
// What every model's identity map holds and does that does not depend on the model: the
// entries' state, where its nodes are, the objects given by handle, the vectors add_all took
// over, the snapshot arena, and the code that finds, places, tracks and lets go of entries.
// Not a template, and compiled once (orm/identity_map_common.cpp) over the model's layout
// (sizes and a destructor): inlined in every model's identity map, this code was a part of the
// compile time of every program that uses the session.
#include <reflorm/orm/detail/adopted_entries.hpp>
#include <reflorm/orm/detail/entry_list.hpp>
#include <reflorm/orm/detail/slot_pool.hpp>
#include <reflorm/orm/detail/snapshot_arena.hpp>
#include <reflorm/orm/session.hpp>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reflorm::orm_detail {

enum class entry_status : std::uint8_t { pending, persistent, deleted, gone, detached };

/// An object's state in its identity map, 16 bytes: the object is found from where the entry
/// lives (in its node, in a loose entry beside a pointer to it, or in an adopted_arrays block),
/// not stored in it (identity_map<T>::entry::object).
struct entry_core {
    // Persistent (and deleted): the column values the database holds (snapshot_codec's bytes,
    // a record of the registry's arena); or, when key_only (read by a read_only query), its
    // primary key only (a slot of the model's key pool).
    union {
        std::byte* snapshot = nullptr;
        void* key;
    };
    // Packed into 8 bytes with the flags below: 2^48 objects joining one session is more than
    // any session holds over its life.
    std::uint64_t sequence : 48 = 0;  // 0: placed, not tracked yet
    entry_status state : 4 = entry_status::pending;
    bool expired : 1 = false;
    bool inserted_in_flush : 1 = false;
    bool delete_cascaded : 1 = false;
    bool delete_when_flushed : 1 = false;  // deleted, then its INSERT was rolled back: it has no row to delete
    bool released : 1 = false;  // detached by expunge/close (state_of: detached), not by a rollback (transient)
    bool loose : 1 = false;     // not in a node: found through loose_
    bool read_only : 1 = false;  // read by a read_only query: its changes are not tracked
    bool key_only : 1 = false;   // `key` is set, not `snapshot` (read_only, until a flush takes it as stored)
    bool adopted : 1 = false;    // in an adopted_arrays block: the object's home, as a node is
};
static_assert(sizeof(entry_core) == adopted_arrays::entry_bytes, "an entry is a snapshot pointer and 8 bytes of state");

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

/// How a model's objects are stored: a node is its entry, then the object at `object_offset`.
struct model_layout {
    std::size_t object_size;
    std::size_t node_size;
    std::size_t node_align;
    std::size_t object_offset;
    void (*destroy_nodes)(void* nodes, std::size_t count) noexcept;  // the objects of nodes[0, count)
    void* (*loose_object)(const entry_core& e) noexcept;             // the object of a loose entry
    bool has_relationships;
    // The snapshot codec's, for the passes compiled once (has_changes, discard).
    bool (*differs)(const void* object, const std::byte* snapshot);  // a column differs from the snapshot
    void (*restore)(void* object, const std::byte* snapshot);        // the columns from the snapshot
};

struct model_relationships;
struct persistence_ops;
enum class identity_step;

class identity_map_common : public registry_base {
public:
    // Flush steps over the model's relationships (its relationship table), and has_changes:
    // compiled once (flush_relationships.cpp), not once per model.
    bool has_changes() const override;
    bool cascade_save(session& s, bool from_start) override;
    bool cascade_delete(session& s) override;
    void collect(session& s) override;
    void drop_deleted_targets(session& s) override;
    void finish_flush(session& s) override;
    // The row steps over the model's persistence_ops (persistence.cpp), as plain functions.
    void plan_updates(session& s, flush_batches& out) override;
    void order_deletes(session& s) override;
    void plan_deletes(session& s, flush_batches& out) override;
    /// The flush's pending rows (entries) to INSERT, in the order they were added (`order`,
    /// when given, puts parents first within a self-referential model), before_insert fired for
    /// each; first the foreign keys of the persistent rows are set from their (already written)
    /// parents.
    entry_vector rows_to_insert(session& s, entry_vector (*order)(identity_map_common&, session&, entry_vector));
    /// UPDATEs the changed columns of `rows` (entries), one executemany per set of changed
    /// columns. As SQLAlchemy: rows in primary key order (the key the database holds), so that
    /// concurrent sessions take row locks in one order; consecutive rows with the same changed
    /// columns share one executemany (plan_update_batches).
    void plan_update_rows(session& s, std::vector<void*> rows, bool fire_events, flush_batches& out);
    /// Row `e` was UPDATEd, matching `matched` rows: its snapshot (and identity key) follow.
    void row_updated(session& s, entry_core& e, std::int64_t matched, bool fire_events);
    /// Row `e` was DELETEd, matching `matched` rows: it leaves the identity map (until a rollback).
    void row_deleted(session& s, entry_core& e, std::int64_t matched);
    // What a rollback of the flush does to a row it wrote (undo records).
    void undo_update(entry_core& e, const std::string& before);
    void undo_delete(entry_core& e);
    /// Makes a row inserted by a rolled-back flush pending again (or detached, if it was
    /// deleted since: with the insert undone there is nothing to delete).
    void undo_insert(entry_core& e, const rows::insert_shape& shape);

protected:
    friend struct relationship_flush;
    explicit identity_map_common(const model_layout& layout);
    ~identity_map_common() override;
    identity_map_common(const identity_map_common&) = delete;
    identity_map_common& operator=(const identity_map_common&) = delete;

    /// The entry tracking `object` (nullptr when the session does not track it).
    entry_core* find_entry(const void* object) const;
    /// The entry kept where `object` is stored (its node's, or its adopted_arrays block's),
    /// whatever its state; nullptr for an object stored elsewhere (given by handle).
    entry_core* home_entry(const void* object) const;
    /// The node holding `object` at its start (one of this registry's chunks, or of a yield_per
    /// block that is still alive), as its entry; else nullptr.
    entry_core* node_of(const void* object) const;

    /// Room for one more node, in this registry's chunks, or in the yield_per batch `b`: the
    /// caller constructs the node `at`, then counts it (++*size).
    struct room {
        void* at;
        std::size_t* size;
    };
    room node_room() {
        if (!chunks_.empty())  // inline: a row read takes this path (read_all)
            if (node_chunk& c = chunks_.back(); c.size < c.capacity)
                return {static_cast<std::byte*>(c.nodes) + layout_.node_size * c.size, &c.size};
        return new_chunk_room();
    }
    room borrowed_node_room(batch_block& b);
    /// Frees this registry's chunks; their objects must be destroyed by then (destroy_nodes).
    void destroy_chunks() noexcept;

    /// Tracking an object as pending (identity_map<T>::track_pending constructs the entries,
    /// as their own type): room for one more entry in the list first; then the entry of
    /// `object`'s node if it is placed and not tracked yet, else nullptr (a loose entry is
    /// needed: given by handle, or stored earlier and let go of since); track_loose() records
    /// one; track() stamps the entry with `sequence` and lists it.
    void reserve_entry() {
        if (entry_pointers_.size() == entry_pointers_.capacity()) entry_pointers_.reserve(std::max<std::size_t>(16, entry_pointers_.size() * 2));
    }
    entry_core* placed_entry(const void* object);
    void track_loose(entry_core& e, const void* object, std::shared_ptr<void> adopted);
    void track(entry_core& e, std::uint64_t sequence) noexcept {
        e.state = entry_status::pending;
        e.sequence = sequence;
        entry_pointers_.push_back(&e);  // room reserved (reserve_entry)
    }

    /// find() stops returning e; state_of says detached when `released`, transient otherwise.
    void untrack(entry_core& e, bool released);
    /// Lets go of the entry's snapshot or key slot.
    void release_slots(entry_core& e) noexcept;
    void release_batch(batch_block& b, bool keep) override;

    // The passes over every entry at a flush's start and a transaction's end.
    void begin_flush() override;
    void expire_all() override;
    void discard(session& s, std::uint64_t since) override;
    /// Rollback of a persistent entry: its columns as the database holds them (a read_only
    /// object's as they are, expired), its relationships' changes dropped.
    void discard_changes(session& s, entry_core& e);
    void detach_all() override;
    void forget_deleted() override;

    /// Throws invalid_request_error: the primary key `key` of a `model` read read_only was
    /// changed (take_as_stored).
    [[noreturn]] static void throw_read_only_key_changed(std::string_view model, const std::string& key);

    /// What the model's identity map does with a key: forget the identity of a persistent or
    /// deleted entry, and give a key_only entry's slot back.
    virtual void forget_identity(entry_core& e) = 0;
    virtual void release_key(void* key) noexcept = 0;
    virtual void clear_identity() noexcept = 0;
    // What those passes do to one entry (flush_relationships.cpp, over the model's tables).
    /// A read_only object's values are what the flush takes the database to hold (its changes
    /// are not written), its key excepted: a changed key is an error.
    void take_as_stored(entry_core& e);
    void expire_relationships(entry_core& e);
    /// The model's relationship table (registry<T>), for the passes compiled once.
    virtual const model_relationships& relationship_table() const noexcept = 0;
    /// The model's row operations (persistence<T>::ops()), for the row steps compiled once.
    virtual const persistence_ops& row_ops() const noexcept = 0;

    /// Gives the entry's snapshot the bytes `saved` (an undo record's): in its record when it
    /// has room, else in a new one (a key_only entry's key let go). Throws std::bad_alloc, the
    /// entry as it was. (identity_map<T> has its own inline copy for the rows it reads.)
    void restore_saved_snapshot(entry_core& e, const std::string& saved);

    /// The object of entry `e` (identity_map<T>::entry::object, untyped).
    void* object_of(const entry_core& e) const noexcept {
        if (e.loose) return layout_.loose_object(e);
        if (e.adopted) return adopted_arrays::object_of(&e, layout_.object_size);
        return reinterpret_cast<std::byte*>(const_cast<entry_core*>(&e)) + layout_.object_offset;
    }

    const model_layout& layout_;
    entry_vector entry_pointers_;  // entries_ (identity_map<T>) views it
    std::vector<borrowed_piece> borrowed_;
    snapshot_arena snapshots_;  // the entries' snapshots
    std::vector<node_chunk> chunks_;
    std::vector<std::pair<std::uintptr_t, std::size_t>> by_address_;  // chunk start, index in chunks_; sorted
    raw_slots loose_entries_;                                         // for objects not in a node
    boost::unordered_flat_map<const void*, void*> loose_;             // their tracked entries
    std::vector<std::shared_ptr<void>> adopted_;                      // handles given to track_pending: kept alive
    boost::unordered_flat_set<const void*> released_;  // loose objects let go of: detached (not transient) for state_of
    adopted_arrays arrays_;                            // add_all's vectors, kept whole
    // Set when an entry is deleted (or marked delete_when_flushed; deleted and gone come only
    // after it), cleared by a commit that finds none left: false lets the delete steps skip
    // their pass over every entry. Likewise for read_only entries (never cleared).
    bool may_hold_deleted_ = false;
    bool may_hold_read_only_ = false;
    std::size_t cascaded_ = 0;                           // entries cascade_save has visited this round
    std::vector<void*> delete_rows_;  // this flush's rows (entries) to DELETE, in order (order_deletes)

private:
    void adopt_chunk(node_chunk c);
    room new_chunk_room();
    void* allocate_nodes(std::size_t count) const;
    void free_nodes(void* nodes) const noexcept;
    static void destroy_piece(batch_block::piece& p) noexcept;
    static constexpr std::size_t first_chunk = 64;
    static constexpr std::size_t max_chunk = std::size_t{1} << 15;  // nodes
};

}  // namespace reflorm::orm_detail
