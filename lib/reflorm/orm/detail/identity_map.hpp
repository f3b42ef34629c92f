#pragma once
// One model's identity map: the objects a session holds (stored in pooled nodes beside their
// entry), each one's state and snapshot (the column values the database holds, as compact
// bytes in an arena of their own: an object read read_only keeps its key only), the map from
// primary key to object, and what transaction ends do to them. SQLAlchemy's identity map and
// instance state. What does not depend on the model (storage, lookup, tracking, the passes
// over every entry) is identity_map_common's, compiled once; this adds the model's types. The
// flush steps build on it: persistence.hpp, dependency.hpp, cascades.hpp.
#include <reflorm/orm/detail/entry_list.hpp>
#include <reflorm/orm/detail/identity_map_common.hpp>
#include <reflorm/orm/detail/key_index.hpp>
#include <reflorm/orm/detail/model_sql.hpp>
#include <reflorm/orm/detail/object_values.hpp>
#include <reflorm/orm/detail/slot_pool.hpp>
#include <reflorm/orm/detail/snapshot_codec.hpp>
#include <reflorm/orm/relationship_info.hpp>
#include <reflorm/orm/session.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace reflorm {
namespace orm_detail {

template <class T>
class identity_map : public identity_map_common {
public:
    using status = entry_status;
    using key_type = identity_key_t<T>;
    // The entry_core of an object of T (16 bytes), which knows where its object is: in its node,
    // in a loose_entry beside a pointer to it, or in an adopted_arrays block. Every entry is
    // constructed as this type, and code compiled once sees it as its entry_core.
    struct entry : entry_core {
        T* object() const noexcept {
            if (loose) return reinterpret_cast<const loose_entry*>(this)->object;
            if (adopted) return static_cast<T*>(adopted_arrays::object_of(this, sizeof(T)));
            return &reinterpret_cast<node*>(const_cast<entry*>(this))->object();
        }
        key_type* key_slot() const noexcept { return static_cast<key_type*>(key); }
    };
    static constexpr std::uint64_t sequence_mask = (std::uint64_t{1} << 48) - 1;
    static_assert(sizeof(entry) == adopted_arrays::entry_bytes, "an entry is a snapshot pointer and 8 bytes of state");
    static_assert(std::is_standard_layout_v<entry>);
    static constexpr const auto& table_info = schema::table_of<T>;
    static constexpr const auto& relationship_fields = relationship_fields_v<T>;
    using snapshot_codec = orm_detail::snapshot_codec<T>;

    const schema::table_info& table() const noexcept override { return table_info; }

    identity_map() : identity_map_common(layout) {}
    identity_map(const identity_map&) = delete;
    identity_map& operator=(const identity_map&) = delete;
    ~identity_map() override { destroy_chunks(); }

    /// The entry tracking `object`, any address (nullptr when the session does not track it).
    entry* find(const T* object) { return const_cast<entry*>(std::as_const(*this).find(object)); }
    const entry* find(const T* object) const { return static_cast<const entry*>(find_entry(object)); }
    entry* find_key(const key_type& key) { return static_cast<entry*>(identity_.find(key)); }

    /// Stores a new object (moved in) in a node of its own; not tracked yet.
    T* place(T&& value) { return &emplace(node_room(), std::move(value)).object(); }
    /// Tracks every object of `objects` as pending where the vector holds them (add_all): the
    /// registry keeps the vector, and their entries in an array beside it. Returns the first
    /// object (nullptr when empty). Throws std::bad_alloc with nothing tracked.
    T* adopt(std::vector<T>&& objects, session& s) {
        const std::size_t n = objects.size();
        if (n == 0) return nullptr;
        auto holder = std::make_unique<std::vector<T>>();
        entry_pointers_.reserve(entry_pointers_.size() + n);
        T* first = objects.data();
        std::byte* blocks = arrays_.add(first, n, sizeof(T), holder.get(), [](void* v) { delete static_cast<std::vector<T>*>(v); });
        *holder.release() = std::move(objects);  // nothing below throws
        for (std::size_t i = 0; i < n; ++i) {
            entry& e = *::new (adopted_arrays::entry(blocks, i)) entry{};
            if (!released_.empty()) released_.erase(first + i);  // an address let go of before, reused
            e.adopted = true;
            e.sequence = s.sequence_++ & sequence_mask;
            entry_pointers_.push_back(&e);
        }
        return first;
    }

    /// Tracks `object` as pending: one place() just stored (its node's entry), or one given by
    /// handle (`adopted`, kept alive by the session) or stored earlier and let go of since.
    entry& track_pending(T* object, std::shared_ptr<T> adopted, session& s) {
        reserve_entry();
        auto* e = static_cast<entry*>(placed_entry(object));
        if (!e) {
            e = &(::new (loose_entries_.allocate()) loose_entry{{}, object})->e;
            track_loose(*e, object, std::move(adopted));
        }
        track(*e, s.sequence_++ & sequence_mask);
        return *e;
    }

    /// The session's object for a row just read: the one it holds (overwritten when expired and
    /// unchanged, or by a populate_existing query), or a new persistent one.
    T* materialize(T&& row, session& s) {
        // One probe: the slot is filled below, or erased if storing the object throws.
        const auto [slot, fresh] = identity_.try_emplace(key_of(row));
        if (!fresh) {
            entry* e = static_cast<entry*>(slot->value);
            // A read_only object's changes are not kept: overwritten when expired, and when a
            // query that tracks its objects reads it (tracked from then on).
            const bool take_over = e->read_only && !s.read_only_;
            if (populate(s, *e) || take_over || (e->expired && (e->read_only || !snapshot_codec::differs(*e->object(), e->snapshot)))) {
                copy_columns(*e->object(), row);
                if (e->read_only && !take_over) set_key(*e);
                else store_snapshot(*e);
                e->read_only = e->read_only && !take_over;
                e->expired = false;
            }
            s.touch(e->object());
            return e->object();
        }
        try {
            reserve_entry();
            batch_block* batch = s.current_batch();
            node& n = emplace(batch ? borrowed_node_room(*batch) : node_room(), std::move(row));
            entry& e = n.e;
            if (s.read_only_) set_key(e);  // throws only before the entry is tracked
            else store_snapshot(e);
            e.state = status::persistent;
            e.read_only = s.read_only_;
            may_hold_read_only_ = may_hold_read_only_ || s.read_only_;
            mark_unloaded(n.object());
            e.sequence = s.sequence_++ & sequence_mask;  // tracked from here: nothing below throws
            entries_.push_back(&e);
            slot->value = &e;
            if (s.populating_) s.populating_->insert(&n.object());
            return &n.object();
        } catch (...) {
            identity_.erase(slot);
            throw;
        }
    }

    /// Whether a populate_existing query still has to overwrite this object (it does so once).
    static bool to_populate(const session& s, const entry& e) { return s.populating_ && !s.populating_->contains(e.object()); }
    /// Marks the object overwritten by the populate_existing query, its relationships expired
    /// so that the query's options reload them; false when there is none, or it was already.
    bool populate(session& s, entry& e) {
        if (!s.populating_ || !s.populating_->insert(e.object()).second) return false;
        for_each_relationship([&](auto field) { relationship_access::expire(reflect::get<decltype(field)::value>(*e.object())); });
        return true;
    }

    static void mark_unloaded(T& object) {
        for_each_relationship([&](auto field) {
            using info = relationship_info_at<T, decltype(field)::value>;
            relationship_access::set_unloaded(reflect::get<info::field>(object), &info::name);
        });
    }

    void expunge(entry& e) {
        forget_identity(e);
        untrack(e, true);
        e.state = status::detached;
    }
    void mark_deleted(entry& e, session& s) {
        if (e.state != status::persistent) return;
        may_hold_deleted_ = true;
        e.state = status::deleted;
        e.delete_cascaded = false;
        (void)s;
    }
    void undelete(entry& e) {
        if (e.state == status::deleted) e.state = status::persistent;
        e.delete_when_flushed = false;
    }

    bool is_dirty(const entry& e) const { return !e.read_only && snapshot_codec::differs(*e.object(), e.snapshot); }

    template <class F>
    static void for_each_relationship(F&& f) {
        [&]<std::size_t... R>(std::index_sequence<R...>) {
            (f(std::integral_constant<std::size_t, relationship_fields[R]>{}), ...);
        }(std::make_index_sequence<relationship_fields.size()>{});
    }

    static key_type key_of_snapshot(const std::byte* values) {
        return [&]<std::size_t... K>(std::index_sequence<K...>) {
            return key_type{snapshot_codec::template get<table_info.primary_key.items[K]>(values)...};
        }(std::make_index_sequence<table_info.primary_key.size>{});
    }
    /// The key the database holds for a persistent (or deleted) entry.
    static key_type stored_key(const entry& e) { return e.key_only ? *e.key_slot() : key_of_snapshot(e.snapshot); }
    key_type key_of_entry(const entry& e) const {
        return e.state == status::persistent || e.state == status::deleted ? stored_key(e) : key_of(*e.object());
    }

    /// Takes the object's columns as what the database holds: its snapshot, written into the
    /// entry's record when it has room, else into a new one (a key_only entry's key let go).
    void store_snapshot(entry& e) {
        const std::size_t bytes = snapshot_codec::size(*e.object());
        if constexpr (snapshot_codec::write_may_throw) {
            // Encoded aside first: a failure leaves the entry's snapshot as it was.
            std::string encoded(bytes, '\0');
            snapshot_codec::write(*e.object(), reinterpret_cast<std::byte*>(encoded.data()));
            restore_snapshot(e, encoded);
        } else {
            snapshot_codec::write(*e.object(), snapshot_room(e, bytes));
        }
    }
    void restore_snapshot(entry& e, const std::string& saved) {
        std::memcpy(snapshot_room(e, saved.size()), saved.data(), saved.size());
    }
    /// Keeps the object's key as the one the database holds (read_only): in a slot of its own,
    /// or in the snapshot the entry has already, which an undo record may still refer to.
    void set_key(entry& e) {
        if (e.key_only) {
            *e.key_slot() = key_of(*e.object());
        } else if (e.snapshot) {
            store_snapshot(e);
        } else {
            key_type* slot = keys_.acquire();
            *slot = key_of(*e.object());
            e.key = slot;
            e.key_only = true;
        }
    }

    /// The object as the database holds it (its snapshot), for what must follow the rows.
    static T database_values(const entry& e) {
        T values{};
        snapshot_codec::restore(values, e.snapshot);
        return values;
    }

    /// The next query or get() reloads the columns, and the next load the relationships, as
    /// SQLAlchemy expires both (here they stay readable until then).
    static void expire(entry& e) {
        e.expired = true;
        for_each_relationship([&](auto field) { relationship_access::expire(reflect::get<decltype(field)::value>(*e.object())); });
    }

    void clear_identity() noexcept override { identity_.clear(); }

    object_state state_of(const T* object) const {
        const entry* e = find(object);
        if (!e) {
            const entry_core* home = home_entry(object);
            return released_.contains(object) || (home && home->released) ? object_state::detached : object_state::transient;
        }
        switch (e->state) {
        case status::pending: return e->delete_when_flushed ? object_state::deleted : object_state::pending;
        case status::persistent: return object_state::persistent;
        case status::deleted:
        case status::gone: return object_state::deleted;
        default: return object_state::detached;
        }
    }

    std::vector<T*> deleted_objects() {
        std::vector<T*> out;
        if (!may_hold_deleted_) return out;
        for (entry& e : entries_)
            if (e.state == status::deleted || (e.state == status::pending && e.delete_when_flushed)) out.push_back(e.object());
        return out;
    }

protected:
    entry_list<entry> entries_{entry_pointers_};  // every entry, in the order its object joined the session
    key_index<key_type, void*> identity_;  // to entry*; void*: one index type per key type (compile time)

private:
    // An object the session stores (add() by value, a row read) after its entry. Standard
    // layout, the entry first: a node's address is its entry's (entry::object).
    struct node {
        entry e;
        alignas(T) std::byte storage[sizeof(T)];
        explicit node(T&& value) { std::construct_at(reinterpret_cast<T*>(storage), std::move(value)); }
        node(const node&) = delete;
        node& operator=(const node&) = delete;
        ~node() { std::destroy_at(&object()); }
        T& object() noexcept { return *std::launder(reinterpret_cast<T*>(storage)); }
        const T& object() const noexcept { return *std::launder(reinterpret_cast<const T*>(storage)); }
    };
    static_assert(std::is_standard_layout_v<node>);
    // An entry for an object not in a node (given by handle, or re-added after it was let go).
    struct loose_entry {
        entry e;
        T* object;
    };
    static_assert(std::is_trivially_destructible_v<loose_entry> && alignof(loose_entry) <= alignof(std::max_align_t) &&
                  sizeof(loose_entry) == sizeof(entry_core) + sizeof(void*));

    static void destroy_nodes(void* nodes, std::size_t count) noexcept { std::destroy_n(static_cast<node*>(nodes), count); }
    static void* loose_object(const entry_core& e) noexcept {
        return reinterpret_cast<const loose_entry*>(&static_cast<const entry&>(e))->object;
    }
    static bool differs(const void* object, const std::byte* snapshot) {
        return snapshot_codec::differs(*static_cast<const T*>(object), snapshot);
    }
    static void restore(void* object, const std::byte* snapshot) { snapshot_codec::restore(*static_cast<T*>(object), snapshot); }
    static constexpr model_layout layout{sizeof(T),      sizeof(node),   alignof(node), offsetof(node, storage),
                                         &destroy_nodes, &loose_object, relationship_fields.size() != 0,
                                         &differs,       &restore};

    /// Constructs a node holding `value` in `room` (node_room, borrowed_node_room).
    static node& emplace(room r, T&& value) {
        node* n = std::construct_at(static_cast<node*>(r.at), std::move(value));
        ++*r.size;
        return *n;
    }
    /// The entry's snapshot record, with room for `bytes` (throws std::bad_alloc, the entry as
    /// it was).
    std::byte* snapshot_room(entry& e, std::size_t bytes) {
        if (e.key_only) {
            std::byte* record = snapshots_.allocate(bytes);
            keys_.release(e.key_slot());
            e.key_only = false;
            e.snapshot = record;
        } else if (!e.snapshot || snapshot_arena::capacity(e.snapshot) < bytes) {
            std::byte* record = snapshots_.allocate(bytes);
            snapshots_.release(e.snapshot);
            e.snapshot = record;
        }
        return e.snapshot;
    }
    void forget_identity(entry_core& e) override {
        if (e.state == status::persistent || e.state == status::deleted) identity_.erase(key_of_entry(static_cast<entry&>(e)));
    }
    void release_key(void* key) noexcept override { keys_.release(static_cast<key_type*>(key)); }

    slot_pool<key_type> keys_;  // key_only entries' keys
};

}  // namespace orm_detail
}  // namespace reflorm
