// Through session.hpp, as every other user: it declares what identity_map_common.hpp builds on.
#include <reflorm/orm/session.hpp>

#include <reflorm/orm/detail/identity_map_common.hpp>

#include <algorithm>
#include <iterator>
#include <new>

namespace reflorm::orm_detail {

identity_map_common::identity_map_common(const model_layout& layout)
    : layout_(layout), loose_entries_(sizeof(entry_core) + sizeof(void*)) {}

identity_map_common::~identity_map_common() = default;

// Not allocate_large: node chunks mapped apart left the heap's holes to a result's growing
// handle vector, and raised read_all's peak memory past 2x raw's (docs/session.md).
void* identity_map_common::allocate_nodes(std::size_t count) const { return allocate_aligned(count * layout_.node_size, layout_.node_align); }

void identity_map_common::free_nodes(void* nodes) const noexcept { free_aligned(nodes, layout_.node_align); }

void identity_map_common::destroy_chunks() noexcept {
    for (const node_chunk& c : chunks_) {
        layout_.destroy_nodes(c.nodes, c.size);
        free_nodes(c.nodes);
    }
    chunks_.clear();
}

void identity_map_common::destroy_piece(batch_block::piece& p) noexcept {
    // The block keeps the object store, and so this registry, alive until it is gone.
    const auto& self = static_cast<const identity_map_common&>(*p.owner);
    self.layout_.destroy_nodes(p.nodes, p.size);
    self.free_nodes(p.nodes);
}

void identity_map_common::adopt_chunk(node_chunk c) {
    chunks_.reserve(chunks_.size() + 1);
    by_address_.reserve(by_address_.size() + 1);
    chunks_.push_back(c);
    const auto at = reinterpret_cast<std::uintptr_t>(c.nodes);
    const auto pos = std::upper_bound(by_address_.begin(), by_address_.end(), at,
                                      [](std::uintptr_t a, const auto& chunk) { return a < chunk.first; });
    by_address_.insert(pos, {at, chunks_.size() - 1});
}

identity_map_common::room identity_map_common::new_chunk_room() {
    const std::size_t capacity = chunks_.empty() ? first_chunk : std::min(chunks_.back().capacity * 2, max_chunk);
    chunks_.reserve(chunks_.size() + 1);
    by_address_.reserve(by_address_.size() + 1);
    void* nodes = allocate_nodes(capacity);
    adopt_chunk({nodes, 0, capacity});  // cannot throw: room reserved above
    node_chunk& c = chunks_.back();
    return {static_cast<std::byte*>(c.nodes) + layout_.node_size * c.size, &c.size};
}

identity_map_common::room identity_map_common::borrowed_node_room(batch_block& b) {
    batch_block::piece* p = nullptr;
    for (auto& q : b.pieces)
        if (q.owner == this) p = &q;
    if (!p || p->size == p->capacity) {
        const std::size_t capacity = p ? std::min(p->capacity * 2, std::max(max_chunk, b.rows)) : std::max<std::size_t>(b.rows, 16);
        std::erase_if(borrowed_, [](const borrowed_piece& x) { return x.block.expired(); });
        b.pieces.reserve(b.pieces.size() + 1);
        borrowed_.reserve(borrowed_.size() + 1);
        void* nodes = allocate_nodes(capacity);
        b.pieces.push_back({this, nodes, 0, capacity, capacity * layout_.node_size, &destroy_piece});
        borrowed_.push_back({b.weak_from_this(), &b, b.pieces.size() - 1});
        p = &b.pieces.back();
    }
    return {static_cast<std::byte*>(p->nodes) + layout_.node_size * p->size, &p->size};
}

entry_core* identity_map_common::node_of(const void* object) const {
    const auto at = reinterpret_cast<std::uintptr_t>(object);
    auto it = std::upper_bound(by_address_.begin(), by_address_.end(), at, [](std::uintptr_t a, const auto& c) { return a < c.first; });
    if (it != by_address_.begin()) {
        const node_chunk& c = chunks_[std::prev(it)->second];
        const std::size_t i = (at - std::prev(it)->first) / layout_.node_size;
        auto* node = static_cast<std::byte*>(c.nodes) + i * layout_.node_size;
        if (i < c.size && node + layout_.object_offset == object) return reinterpret_cast<entry_core*>(node);
    }
    for (const borrowed_piece& b : borrowed_) {
        if (b.block.expired()) continue;
        const batch_block::piece& p = b.raw->pieces[b.piece];
        const auto start = reinterpret_cast<std::uintptr_t>(p.nodes);
        if (at - start >= p.size * layout_.node_size) continue;
        auto* node = static_cast<std::byte*>(p.nodes) + (at - start) / layout_.node_size * layout_.node_size;
        return node + layout_.object_offset == object ? reinterpret_cast<entry_core*>(node) : nullptr;
    }
    return nullptr;
}

entry_core* identity_map_common::home_entry(const void* object) const {
    if (entry_core* e = node_of(object)) return e;
    if (arrays_.empty()) return nullptr;
    return std::launder(static_cast<entry_core*>(arrays_.entry_of(object, layout_.object_size)));
}

entry_core* identity_map_common::find_entry(const void* object) const {
    if (!loose_.empty())
        if (auto it = loose_.find(object); it != loose_.end()) return static_cast<entry_core*>(it->second);
    entry_core* home = home_entry(object);
    return home && home->sequence != 0 && home->state != entry_status::detached ? home : nullptr;
}

entry_core* identity_map_common::placed_entry(const void* object) {
    released_.erase(object);
    entry_core* home = home_entry(object);
    if (home && home->sequence == 0) return home;
    if (home) home->released = false;  // its old entry stays detached; a rollback makes it transient again
    return nullptr;
}

void identity_map_common::track_loose(entry_core& e, const void* object, std::shared_ptr<void> adopted) {
    if (adopted) adopted_.push_back(std::move(adopted));
    e.loose = true;
    loose_[object] = &e;
}

void identity_map_common::untrack(entry_core& e, bool released) {
    e.released = released;
    if (!e.loose) return;
    const void* object = layout_.loose_object(e);
    if (auto it = loose_.find(object); it != loose_.end() && it->second == &e) loose_.erase(it);
    if (released) released_.insert(object);
}

void identity_map_common::release_slots(entry_core& e) noexcept {
    if (e.key_only) release_key(e.key);
    else if (e.snapshot) snapshots_.release(e.snapshot);
    e.snapshot = nullptr;
    e.key_only = false;
}

void identity_map_common::release_batch(batch_block& b, bool keep) {
    std::erase_if(borrowed_, [&](const borrowed_piece& x) {
        if (x.block.expired()) return true;
        if (x.raw != &b) return false;
        batch_block::piece& p = b.pieces[x.piece];
        auto* nodes = static_cast<std::byte*>(p.nodes);
        for (std::size_t i = 0; i < p.size; ++i) {
            auto& e = *reinterpret_cast<entry_core*>(nodes + i * layout_.node_size);
            if (e.sequence != 0 && e.state != entry_status::detached) {  // expunged
                forget_identity(e);
                untrack(e, true);
                e.state = entry_status::detached;
            }
        }
        const auto lo = reinterpret_cast<std::uintptr_t>(nodes), hi = lo + p.bytes;
        std::erase_if(entry_pointers_, [&](const void* e) { return reinterpret_cast<std::uintptr_t>(e) - lo < hi - lo; });
        if (keep) adopt_chunk({nodes, p.size, p.capacity});
        else  // no undo record refers to them: their slots serve the next batch
            for (std::size_t i = 0; i < p.size; ++i) release_slots(*reinterpret_cast<entry_core*>(nodes + i * layout_.node_size));
        return keep;  // kept: a node of this registry's now; else found while the block lives (detached)
    });
}

void identity_map_common::begin_flush() {
    if (!may_hold_deleted_ && !may_hold_read_only_) return;  // nothing below applies: no pass over every entry
    for (void* p : entry_pointers_) {
        auto& e = *static_cast<entry_core*>(p);
        e.delete_cascaded = false;
        if (e.read_only && (e.state == entry_status::persistent || e.state == entry_status::deleted)) take_as_stored(e);
    }
}

void identity_map_common::expire_all() {
    for (void* p : entry_pointers_) {
        auto& e = *static_cast<entry_core*>(p);
        if (e.state != entry_status::persistent) continue;
        e.expired = true;
        if (layout_.has_relationships) expire_relationships(e);
    }
}

void identity_map_common::discard(session& s, std::uint64_t since) {
    for (void* p : entry_pointers_) {
        auto& e = *static_cast<entry_core*>(p);
        switch (e.state) {
        case entry_status::pending:
            if (e.sequence >= since) {
                untrack(e, false);
                e.state = entry_status::detached;
            }
            break;
        case entry_status::deleted:
            e.state = entry_status::persistent;
            [[fallthrough]];
        case entry_status::persistent:
            discard_changes(s, e);
            e.expired = true;
            break;
        default:
            break;
        }
    }
}

void identity_map_common::detach_all() {
    for (void* p : entry_pointers_) {
        auto& e = *static_cast<entry_core*>(p);
        if (e.state == entry_status::pending || e.state == entry_status::persistent || e.state == entry_status::deleted ||
            e.state == entry_status::gone)
            untrack(e, true);
        e.state = entry_status::detached;
    }
    clear_identity();
}

void identity_map_common::forget_deleted() {
    if (!may_hold_deleted_) return;
    bool deleted_left = false;  // deleted after the flush (in an after_flush listener, say)
    for (void* p : entry_pointers_) {
        auto& e = *static_cast<entry_core*>(p);
        if (e.state == entry_status::gone) {
            untrack(e, true);
            e.state = entry_status::detached;
        }
        deleted_left = deleted_left || e.state == entry_status::deleted || e.delete_when_flushed;
    }
    may_hold_deleted_ = deleted_left;
}

void identity_map_common::throw_read_only_key_changed(std::string_view model, const std::string& key) {
    throw invalid_request_error("reflorm: the primary key of a " + std::string(model) + " " + key +
                                " read with execution_options{.read_only = true} was changed; a read_only object's "
                                "changes are never written: read it again without read_only to change it");
}

}  // namespace reflorm::orm_detail
