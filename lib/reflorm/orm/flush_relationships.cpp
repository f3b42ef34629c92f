// The flush steps that walk a model's relationships (collect, the cascades, what follows a
// flush) and the checks over them (has_changes, a rollback's discard), compiled once over the
// model's relationship table (relationship_row, dependency.hpp; each model's table is built in cascades.hpp) rather than once per model and
// relationship (issue 13).
#include <reflorm/orm/session.hpp>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace reflorm::orm_detail {

namespace {

bool contains(const std::vector<void*>& list, const void* object) {
    return std::find(list.begin(), list.end(), object) != list.end();
}

/// Calls on_many(row, member) or on_one(row, member) for each loaded relationship member of
/// `object` (a model whose relationship table is `table`).
template <class OnMany, class OnOne>
void each_loaded_member(const model_relationships& table, void* object, OnMany&& on_many, OnOne&& on_one) {
    for (std::size_t i = 0; i < table.count; ++i) {
        const relationship_row& r = table.rows[i];
        void* m = r.member(object);
        if (r.is_collection) {
            auto& c = *static_cast<many_base*>(m);
            if (relationship_access::loaded(c)) on_many(r, c);
        } else {
            auto& o = *static_cast<one_base*>(m);
            if (relationship_access::loaded(o)) on_one(r, o);
        }
    }
}

}  // namespace

// ---- identity_map_common's steps ----------------------------------------------------------

bool identity_map_common::has_changes() const {
    const model_relationships& table = relationship_table();
    for (void* p : entry_pointers_) {
        const auto& e = *static_cast<const entry_core*>(p);
        if (e.state == entry_status::pending || e.state == entry_status::deleted) return true;
        if (e.state != entry_status::persistent) continue;
        void* object = object_of(e);
        if (!e.read_only && layout_.differs(object, e.snapshot)) return true;
        if (relationship_flush::relationships_changed(table, object)) return true;
    }
    return false;
}

void identity_map_common::discard_changes(session& s, entry_core& e) {
    void* object = object_of(e);
    if (!e.read_only) layout_.restore(object, e.snapshot);
    relationship_flush::discard_relationship_changes(s, relationship_table(), object);
}

void identity_map_common::take_as_stored(entry_core& e) {
    const persistence_ops& ops = row_ops();
    if (ops.key_changed(e)) throw_read_only_key_changed(table().model_name, join_key_values(ops.describe_snapshot_key(&e)));
    ops.store_snapshot(*this, e);
}

void identity_map_common::expire_relationships(entry_core& e) {
    relationship_flush::expire_relationships(relationship_table(), object_of(e));
}

bool identity_map_common::cascade_save(session& s, bool from_start) { return relationship_flush::cascade_save(s, *this, from_start); }
bool identity_map_common::cascade_delete(session& s) { return relationship_flush::cascade_delete(s, *this); }
void identity_map_common::collect(session& s) { relationship_flush::collect(s, *this); }
void identity_map_common::drop_deleted_targets(session& s) { relationship_flush::drop_deleted_targets(s, *this); }
void identity_map_common::finish_flush(session& s) { relationship_flush::finish_flush(s, *this); }

// ---- what the row steps compiled once need of the session -----------------------------------

void relationship_flush::fire(session& s, mapper_event event, std::size_t type, void* object) {
    if (s.factory_events_ && !s.factory_events_->per_model.empty()) s.factory_events_->fire(s, event, type, object);
    if (!s.events_.per_model.empty()) s.events_.fire(s, event, type, object);
}

// ---- relationship_flush's passes ------------------------------------------------------------

bool relationship_flush::relationships_changed(const model_relationships& table, void* object) {
    for (std::size_t i = 0; i < table.count; ++i) {
        const relationship_row& r = table.rows[i];
        void* m = r.member(object);
        if (r.is_collection) {
            const auto& c = *static_cast<const many_base*>(m);
            if (!c.loaded_) continue;
            if (!c.owned_.empty()) return true;  // a new object given by value, even if taken out again
            if (!c.committed_known_ ? !c.items_.empty() : c.items_ != c.committed_) return true;
        } else {
            const auto& o = *static_cast<const one_base*>(m);
            if (!o.loaded_) continue;
            if (o.owned_) return true;
            if (!o.committed_known_ ? o.target_ != nullptr || o.assigned_  // set to nothing
                                    : o.target_ != o.committed_)
                return true;
        }
    }
    return false;
}

void relationship_flush::expire_relationships(const model_relationships& table, void* object) {
    for (std::size_t i = 0; i < table.count; ++i) {
        const relationship_row& r = table.rows[i];
        void* m = r.member(object);
        if (r.is_collection) relationship_access::expire(*static_cast<many_base*>(m));
        else relationship_access::expire(*static_cast<one_base*>(m));
    }
}

void relationship_flush::delete_new_children(session& s, const model_relationships& table, void* object) {
    for (std::size_t i = 0; i < table.count; ++i) {
        const relationship_row& r = table.rows[i];
        if ((r.kind != relationship_kind::one_to_many && r.kind != relationship_kind::one_to_one) || !r.deletes) continue;
        void* m = r.member(object);
        if (r.is_collection) {
            const auto& c = *static_cast<const many_base*>(m);
            if (!c.loaded_) continue;
            const std::vector<void*> children = c.items_;  // a copy: deleting a child may change the list
            for (void* child : children) r.mark_target_deleted(s, child);
        } else {
            const auto& o = *static_cast<const one_base*>(m);
            if (!o.loaded_) continue;
            if (o.target_) r.mark_target_deleted(s, o.target_);
        }
    }
}

void relationship_flush::discard_relationship_changes(session& s, const model_relationships& table, void* object) {
    for (std::size_t i = 0; i < table.count; ++i) {
        const relationship_row& r = table.rows[i];
        void* m = r.member(object);
        auto dropped = r.is_collection ? relationship_access::discard_changes(*static_cast<many_base*>(m))
                                       : relationship_access::discard_changes(*static_cast<one_base*>(m));
        for (auto& d : dropped) s.store_->discarded.push_back(std::move(d));
    }
}

bool relationship_flush::left_parent(const relationship_row& r, void* parent, const void* child) {
    if (!r.back) return false;
    void* b = r.back(parent);
    if (r.back_is_collection) {
        const auto& c = *static_cast<const many_base*>(b);
        if (!c.loaded_) return false;
        return (contains(c.committed_, child) || contains(c.removed_, child)) && !contains(c.items_, child);
    }
    const auto& o = *static_cast<const one_base*>(b);
    if (!o.loaded_) return false;
    return o.committed_ == child && o.target_ != child;
}

void relationship_flush::remove_from_back(const relationship_row& r, void* parent, void* child) {
    if (!r.back) return;
    void* b = r.back(parent);
    if (r.back_is_collection) {
        auto& c = *static_cast<many_base*>(b);
        if (!c.loaded_) return;
        c.items_.erase(std::remove(c.items_.begin(), c.items_.end(), child), c.items_.end());
    } else {
        auto& o = *static_cast<one_base*>(b);
        if (!o.loaded_) return;
        if (o.target_ == child) relationship_access::set_target(o, nullptr);
    }
}

void relationship_flush::populate_back(const relationship_row& r, void* parent, void* child, void* before) {
    if (!r.back) return;
    void* b = r.back(parent);
    if (r.back_is_collection) {
        auto& c = *static_cast<many_base*>(b);
        if (!c.loaded_) return;
        if (!contains(c.items_, child)) c.items_.push_back(child);
    } else {
        auto& o = *static_cast<one_base*>(b);
        if (!o.loaded_) return;
        relationship_access::set_target(o, child);
    }
    if (before && before != parent) remove_from_back(r, before, child);
}

void relationship_flush::collect_reference(session& s, const relationship_row& r, const model_relationships& table, const entry_core& e,
                                           void* owner, bool owner_pending) {
    auto& member = *static_cast<one_base*>(r.member(owner));
    if (!member.loaded_) return;
    const bool known = member.committed_known_;
    void* t = member.target_;
    void* before = member.committed_;
    const entry_core* te = t ? r.find_target(s, t) : nullptr;
    if (te && (te->state == entry_status::deleted || te->state == entry_status::gone || te->delete_when_flushed) &&
        !left_parent(r, t, owner)) {
        // Its parent is being deleted: as through the collection side, the child goes with it
        // (the parent's cascade delete) or stays pointing at nothing.
        // (A NOT NULL key is left to the parent's own cascade, or to the database.)
        if (r.parent_deletes) {
            table.mark_deleted(s, owner);
        } else if (r.key_nullable) {
            r.set_key_null(owner);
            // Moved to that parent since the last flush: it left the one before.
            if (before && before != t) remove_from_back(r, before, owner);
        }
    } else if (t) {
        const bool target_new = te && (te->state == entry_status::pending || te->inserted_in_flush);
        // A loaded relationship is what the key must say: synced when it changed, or when the
        // key says otherwise (a rolled-back flush, a column set by hand).
        if (!known || t != before || owner_pending || target_new || !r.key_matches(owner, t)) {
            link(s, owner, t, r.sync);
            populate_back(r, t, owner, before);
        }
    } else if ((known && before) || (!known && member.assigned_ && !r.key_is_null(owner))) {
        // Set to nothing: also when it was set while unloaded (the key then says what it
        // referred to), as every assignment is written.
        if (r.key_nullable) {
            if (!before && !owner_pending) before = r.held_target(s, e);
            r.set_key_null(owner);
            if (before) remove_from_back(r, before, owner);
        } else {
            throw_invalid_request({"reflorm: ", r.name->model, "::", r.name->member,
                                   " was set to nothing, but its foreign key is NOT NULL; delete the ", table.model_name,
                                   " instead, or point it at another object"});
        }
    }
}

void relationship_flush::collect(session& s, identity_map_common& map) {
    const model_relationships& table = map.relationship_table();
    if (table.count == 0) return;  // no pass over the entries for a model without relationships
    for (void* p : map.entry_pointers_) {
        auto& e = *static_cast<entry_core*>(p);
        if ((e.state != entry_status::pending && e.state != entry_status::persistent) || e.delete_when_flushed) continue;
        void* owner = map.object_of(e);
        const bool owner_pending = e.state == entry_status::pending;
        for (std::size_t i = 0; i < table.count; ++i) {
            const relationship_row& r = table.rows[i];
            if (r.kind == relationship_kind::many_to_one) {
                collect_reference(s, r, table, e, owner, owner_pending);
                continue;
            }
            void* m = r.member(owner);
            if (r.kind == relationship_kind::many_to_many) {
                auto& c = *static_cast<many_base*>(m);
                if (!c.loaded_) continue;
                // Copies: keeping the other side in step may change these vectors.
                const std::vector<void*> now = c.items_;
                const std::vector<void*> before = c.committed_;
                collect_associations(s, *r.associations, r.secondary(), owner, owner_pending, c.committed_known_, now, before);
                continue;
            }
            // One-to-many or one-to-one.
            std::vector<void*> now;
            std::vector<void*> before;
            const std::vector<void*>* removed = nullptr;
            bool known;
            if (r.is_collection) {
                auto& c = *static_cast<many_base*>(m);
                if (!c.loaded_) continue;
                known = c.committed_known_;
                now = c.items_;
                before = c.committed_;
                removed = &c.removed_;
            } else {
                auto& o = *static_cast<one_base*>(m);
                if (!o.loaded_) continue;
                known = o.committed_known_;
                if (o.target_) now.push_back(o.target_);
                if (o.committed_) before.push_back(o.committed_);
            }
            collect_children(s, *r.children, owner, owner_pending || e.inserted_in_flush, known, now, before, removed);
        }
    }
}

bool relationship_flush::cascade_save(session& s, identity_map_common& map, bool from_start) {
    const model_relationships& table = map.relationship_table();
    if (table.count == 0) return false;  // nothing to reach
    if (from_start) map.cascaded_ = 0;
    bool adopted = false;
    // The entries may grow while scanning (self-referential models): index, not iterators.
    for (; map.cascaded_ < map.entry_pointers_.size(); ++map.cascaded_) {
        auto& e = *static_cast<entry_core*>(map.entry_pointers_[map.cascaded_]);
        // Deleted ones too: what they hold by value is new, and is kept or deleted with them.
        if (e.state != entry_status::pending && e.state != entry_status::persistent && e.state != entry_status::deleted) continue;
        void* owner = map.object_of(e);
        for (std::size_t i = 0; i < table.count; ++i) {
            const relationship_row& r = table.rows[i];
            if (!r.save_update) continue;
            void* m = r.member(owner);
            const bool parent_deleted = e.state == entry_status::deleted || e.delete_when_flushed;
            // As SQLAlchemy's save-update cascade adds an appended object at once: a new object
            // given by value joins the session with its owner even when it was taken out again
            // before this flush (then it is written unlinked, or, with delete_orphan, not at
            // all), and references to it stay valid.
            if (r.is_collection) {
                auto& c = *static_cast<many_base*>(m);
                if (!c.loaded_) continue;
                const auto owned = relationship_access::all_owned(c);
                const auto& items = c.items_;
                adopted |= save_targets(s, *r.save, owned, items.data(), items.size(), parent_deleted);
                c.owned_.clear();
            } else {
                auto& o = *static_cast<one_base*>(m);
                if (!o.loaded_) continue;
                const auto owned = relationship_access::all_owned(o);
                void* const t = o.target_;
                adopted |= save_targets(s, *r.save, owned, &t, 1, parent_deleted);
                o.owned_.reset();
            }
        }
    }
    return adopted;
}

bool relationship_flush::request_cascade_loads(session& s, const model_relationships& table, void* object) {
    bool requested = false;
    for (std::size_t i = 0; i < table.count; ++i) {
        const relationship_row& r = table.rows[i];
        if (!r.load) continue;  // the cascade need not see it
        void* m = r.member(object);
        const bool needs_load = r.is_collection ? relationship_access::needs_load(*static_cast<many_base*>(m))
                                                : relationship_access::needs_load(*static_cast<one_base*>(m));
        if (!needs_load) continue;
        s.flush_state_->loads.push_back({r.load, object});
        requested = true;
    }
    return requested;
}

bool relationship_flush::follow_expunged_parents(session& s, identity_map_common& map) {
    // A new object this flush's cascade let go of (a pending child of a deleted parent) takes
    // the objects that refer to it by many-to-one with it, as a deleted parent does its
    // children (collect() saw it still pending, or saw nothing: it runs before the cascade).
    const model_relationships& table = map.relationship_table();
    if (table.count == 0) return false;
    const auto& expunged = s.flush_state_->expunged;
    if (expunged.empty()) return false;
    bool marked = false;
    for (std::size_t i = 0; i < map.entry_pointers_.size(); ++i) {
        auto& e = *static_cast<entry_core*>(map.entry_pointers_[i]);
        if (e.state != entry_status::pending && e.state != entry_status::persistent) continue;
        void* object = map.object_of(e);
        for (std::size_t k = 0; k < table.count; ++k) {
            const relationship_row& r = table.rows[k];
            if (r.kind != relationship_kind::many_to_one) continue;
            auto& member = *static_cast<one_base*>(r.member(object));
            if (!member.loaded_) continue;
            void* t = member.target_;
            if (!t || !expunged.contains(t) || r.find_target(s, t)) continue;
            if (r.parent_deletes) {
                marked = table.mark_deleted(s, object) || marked;
            } else if (r.key_nullable) {
                r.set_key_null(object);
                relationship_access::set_target(member, nullptr);
            } else {
                throw_invalid_request({"reflorm: ", r.name->model, "::", r.name->member, " refers to a new ", r.target_model,
                                       " that this flush does not write (its parent is being deleted), and its foreign "
                                       "key is NOT NULL; delete this object too, or point it at another one"});
            }
        }
        if (e.state == entry_status::detached) marked = true;
    }
    return marked;
}

bool relationship_flush::cascade_delete(session& s, identity_map_common& map) {
    const model_relationships& table = map.relationship_table();
    auto& entries = map.entry_pointers_;
    bool marked = false;
    if (map.may_hold_deleted_)
        for (std::size_t i = 0; i < entries.size(); ++i) {
            auto& e = *static_cast<entry_core*>(entries[i]);
            if (e.state == entry_status::pending && e.delete_when_flushed) {
                table.mark_deleted(s, map.object_of(e));
                marked = true;
            }
        }
    marked = follow_expunged_parents(s, map) || marked;
    for (std::size_t i = 0; map.may_hold_deleted_ && i < entries.size(); ++i) {
        auto& e = *static_cast<entry_core*>(entries[i]);
        if (e.state != entry_status::deleted || e.delete_cascaded) continue;
        void* object = map.object_of(e);
        if (request_cascade_loads(s, table, object)) continue;  // again once they are loaded
        e.delete_cascaded = true;
        for (std::size_t k = 0; k < table.count; ++k) {
            const relationship_row& r = table.rows[k];
            void* m = r.member(object);
            if (r.kind == relationship_kind::many_to_many) {
                s.flush_state_->association_deletes.push_back({r.delete_all_associations, &s, object, nullptr});
                if (r.deletes)
                    for (void* t : static_cast<many_base*>(m)->items_) marked |= r.mark_target_deleted(s, t);
                continue;
            }
            if (r.kind == relationship_kind::many_to_one) {
                if (r.deletes)
                    if (void* t = static_cast<one_base*>(m)->target_) marked |= r.mark_target_deleted(s, t);
                continue;
            }
            // One-to-many or one-to-one. Children the session does not hold are loaded only
            // when the ORM must act on them: not when the database does (ON DELETE CASCADE /
            // SET NULL, as SQLAlchemy's passive_deletes).
            std::vector<void*> children;
            std::vector<void*> removed;  // taken out since the last flush: not deleted with it
            if (r.is_collection) {
                const auto& c = *static_cast<many_base*>(m);
                if (r.database_acts && !c.loaded_) continue;
                deleted_parent_lists(s, c, r.delete_children->state, children, removed);
            } else {
                const auto& o = *static_cast<one_base*>(m);
                if (r.database_acts && !o.loaded_) continue;
                if (o.target_) children.push_back(o.target_);
                if (o.committed_ && o.committed_ != o.target_) removed.push_back(o.committed_);
            }
            marked |= delete_parent_of(s, *r.delete_children, object, children, removed);
        }
    }
    return marked;
}

void relationship_flush::drop_deleted_targets(session& s, identity_map_common& map) {
    const model_relationships& table = map.relationship_table();
    if (table.count == 0) return;
    for (void* p : map.entry_pointers_) {
        auto& e = *static_cast<entry_core*>(p);
        if (e.state == entry_status::detached) continue;
        each_loaded_member(
            table, map.object_of(e), [&](const relationship_row& r, many_base& c) { drop_gone_items(s, c, r.is_gone); },
            [&](const relationship_row& r, one_base& o) { drop_gone_target(s, o, r.is_gone); });
    }
}

void relationship_flush::finish_flush(session& s, identity_map_common& map) {
    const model_relationships& table = map.relationship_table();
    for (void* p : map.entry_pointers_) {
        auto& e = *static_cast<entry_core*>(p);
        if (e.state != entry_status::persistent) continue;
        e.inserted_in_flush = false;
        if (table.count == 0) continue;
        each_loaded_member(
            table, map.object_of(e), [&](const relationship_row&, many_base& c) { settle_items(s, c); },
            [&](const relationship_row&, one_base& o) { settle_target(s, o); });
    }
}

}  // namespace reflorm::orm_detail
