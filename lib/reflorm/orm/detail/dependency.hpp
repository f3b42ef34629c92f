#pragma once
// Dependency processing: what the loaded relationships of one model's objects mean for the
// rows at flush (foreign keys to copy from parents, children removed from collections,
// association rows to add or drop), and keeping both sides of a back_populates in step.
// SQLAlchemy's dependency.py. No I/O here.
#include <reflorm/orm/detail/persistence.hpp>

#include <algorithm>
#include <vector>

namespace reflorm {
namespace orm_detail {

/// The flush steps on one loaded relationship member (one<X> or many<X>) that depend on its
/// type only: compiled once per member type, shared by every model with a relationship to X
/// (not once per model and relationship); for a collection, compiled once for all
/// (relationships.cpp; issue 13).
struct relationship_flush {
    /// Whether the session deleted the row of `object` (an X) in this flush.
    template <class X>
    static bool is_gone(session& s, const void* object) {
        const auto* te = s.template registry<X>().find(static_cast<const X*>(object));
        return te && te->state == registry<X>::status::gone;
    }

    /// As SQLAlchemy at flush: an object whose row was deleted leaves the loaded collections
    /// that hold it, and a loaded reference to it becomes nothing, in what the session shows
    /// and in what it takes the database to hold. Undone with the flush (committed only: the
    /// object is marked deleted again, and a rollback() puts it back with the committed list).
    template <class Member>
    static void drop_gone_targets(session& s, Member& member) {
        using target = typename Member::target_type;
        if constexpr (Member::is_collection) {
            drop_gone_items(s, member, &is_gone<target>);
        } else {
            const auto gone = [&](target* t) { return t && is_gone<target>(s, t); };
            target* now = relationship_access::target(member);
            target* before = relationship_access::committed(member);
            if (!gone(now) && !gone(before)) return;
            s.push_undo([&member, before, known = relationship_access::committed_known(member)] {
                relationship_access::restore_committed(member, before, known);
            });
            if (gone(now)) relationship_access::set_target(member, static_cast<target*>(nullptr));
            if (gone(before)) relationship_access::restore_committed(member, static_cast<target*>(nullptr), true);
        }
    }
    static void drop_gone_items(session& s, many_base& member, bool (*gone)(session&, const void*));

    /// After a flush: what the member refers to now is what the database holds (committed).
    template <class Member>
    static void settle(session& s, Member& member) {
        if constexpr (Member::is_collection) {
            settle_items(s, member);
        } else {
            const bool known = relationship_access::committed_known(member);
            auto before = relationship_access::committed(member);
            if (known && relationship_access::target(member) == before) return;
            s.push_undo([&member, before, known] { relationship_access::restore_committed(member, before, known); });
            relationship_access::mark_committed(member);
        }
    }
    static void settle_items(session& s, many_base& member);

    /// Keeps a many-to-many's other side (`back`, of an object this side adds or removes
    /// `owner` for) in step, as written: current and committed both; undone with the flush.
    static void mirror(session& s, many_base& back, void* owner, bool add);
};

template <class T>
class dependency_processor : public persistence<T> {
    using base = persistence<T>;

public:
    using typename base::entry;
    using typename base::status;
    // Redeclared, not used from the base: a using-declaration is not seen inside the generic
    // lambdas below (GCC 12).
    static constexpr const auto& table_info = schema::table_of<T>;
    using base::for_each_relationship;

protected:
    using base::entries_;

public:
    /// Sets the back_populates reference of `child` to nothing, if it points at `parent`.
    template <class info>
    static void clear_back(typename info::target& child, T* parent) {
        if constexpr (info::has_back) {
            auto& back = child.*info::back;
            if constexpr (!std::remove_cvref_t<decltype(back)>::is_collection)
                if (relationship_access::loaded(back) && relationship_access::target(back) == parent)
                    relationship_access::set_target(back, static_cast<T*>(nullptr));
        }
    }

    // ---- collecting foreign key syncs ----------------------------------------------------

    void collect(session& s) override {
        // No pass over the entries, and no code for one, for a model without relationships.
        if constexpr (base::relationship_fields.size() > 0) collect_along_relationships(s);
    }
    void collect_along_relationships(session& s) {
        flush_state& fs = *s.flush_state_;
        for (entry& e : entries_) {
            if ((e.state != status::pending && e.state != status::persistent) || e.delete_when_flushed) continue;
            T* owner = e.object();
            const bool owner_pending = e.state == status::pending;
            for_each_relationship([&](auto field) {
                using info = relationship_info_at<T, decltype(field)::value>;
                using target = typename info::target;
                auto& member = reflect::get<info::field>(*owner);
                if (!relationship_access::loaded(member)) return;
                auto& targets = s.template registry<target>();
                const bool known = relationship_access::committed_known(member);

                if constexpr (info::kind == relationship_kind::many_to_one) {
                    target* t = relationship_access::target(member);
                    target* before = relationship_access::committed(member);
                    auto* te = t ? targets.find(t) : nullptr;
                    if (te && (te->state == registry<target>::status::deleted || te->state == registry<target>::status::gone || te->delete_when_flushed) &&
                        !left_parent<info>(*t, *owner)) {
                        // Its parent is being deleted: as through the collection side, the child goes
                        // with it (the parent's cascade delete) or stays pointing at nothing.
                        constexpr bool parent_deletes = [] {
                            if constexpr (info::has_back)
                                return has(relationship_info<info::back>::cascades, cascade::delete_);
                            else
                                return false;
                        }();
                        // (A NOT NULL key is left to the parent's own cascade, or to the database.)
                        if constexpr (parent_deletes) {
                            s.template mark_deleted<T>(*owner);
                        } else if constexpr (key_nullable<T, info::foreign_key>()) {
                            set_key_null<T, info::foreign_key>(*owner);
                            // Moved to that parent since the last flush: it left the one before.
                            if (before && before != t) remove_from_back<info>(*before, *owner);
                        }
                    } else if (t) {
                        const bool target_new = te && (te->state == registry<target>::status::pending || te->inserted_in_flush);
                        // A loaded relationship is what the key must say: synced when it changed, or
                        // when the key says otherwise (a rolled-back flush, a column set by hand).
                        if (!known || t != before || owner_pending || target_new || !key_matches<T, info::foreign_key, target>(*owner, *t)) {
                            fs.links[owner].push_back({[](session& s2, void* o, void* p) {
                                                           sync_key<T, info::foreign_key, target, info::post_update>(
                                                               s2, *static_cast<T*>(o), *static_cast<target*>(p));
                                                       },
                                                       &s, owner, t});
                            fs.parents[owner].push_back(t);
                            populate_back<info>(s, *t, *owner, before);
                        }
                    } else if ((known && before) || (!known && relationship_access::assigned_while_unloaded(member) &&
                                                     !key_is_null<T, info::foreign_key>(*owner))) {
                        // Set to nothing: also when it was set while unloaded (the key then says
                        // what it referred to), as every assignment is written.
                        if constexpr (key_nullable<T, info::foreign_key>()) {
                            if (!before && !owner_pending) before = held_target<info>(s, e);
                            set_key_null<T, info::foreign_key>(*owner);
                            if (before) remove_from_back<info>(*before, *owner);
                        } else {
                            throw_invalid_request({"reflorm: ", model_member<T>(info::field),
                                                   " was set to nothing, but its foreign key is NOT NULL; delete the ",
                                                   table_info.model_name, " instead, or point it at another object"});
                        }
                    }
                } else if constexpr (info::kind == relationship_kind::one_to_many || info::kind == relationship_kind::one_to_one) {
                    // Untyped lists: one std::vector type for all models.
                    std::vector<void*> now;
                    std::vector<void*> before;
                    if constexpr (info::is_collection) {
                        now = relationship_access::item_list(member);
                        before = relationship_access::committed_list(member);
                    } else {
                        if (auto* t = relationship_access::target(member)) now.push_back(t);
                        if (auto* t = relationship_access::committed(member)) before.push_back(t);
                    }
                    for (void* child_at : now) {
                        target* child = static_cast<target*>(child_at);
                        fs.linked.insert(child);
                        auto* ce = targets.find(child);
                        const bool child_pending = ce && ce->state == registry<target>::status::pending;
                        const bool added = !known || std::find(before.begin(), before.end(), child) == before.end();
                        if (added || owner_pending || e.inserted_in_flush || child_pending ||
                            !key_matches<target, info::foreign_key, T>(*child, *owner)) {
                            fs.links[child].push_back({[](session& s2, void* c, void* o) {
                                                           sync_key<target, info::foreign_key, T>(s2, *static_cast<target*>(c),
                                                                                                   *static_cast<T*>(o));
                                                       },
                                                       &s, child, owner});
                            fs.parents[child].push_back(owner);
                            set_back<info>(*child, owner);
                        }
                    }
                    if constexpr (info::is_collection) {
                        // New objects taken out again before any flush: orphans never written. (A
                        // persistent one put in and taken out again was never a member: nothing to do.)
                        for (void* child : relationship_access::removed_list(member)) {
                            const auto* ce = targets.find(static_cast<target*>(child));
                            if ((!ce || ce->state == registry<target>::status::pending) &&
                                std::find(now.begin(), now.end(), child) == now.end() &&
                                std::find(before.begin(), before.end(), child) == before.end())
                                fs.removals.push_back({&run_remove_child<info>, &s, owner, child});
                        }
                    }
                    if (!known) return;
                    for (void* child : before) {
                        if (std::find(now.begin(), now.end(), child) != now.end()) continue;
                        fs.removals.push_back({&run_remove_child<info>, &s, owner, child});
                    }
                } else {  // many_to_many
                    // Copies: keeping the other side in step may change these vectors.
                    const std::vector<void*> now = relationship_access::item_list(member);
                    const std::vector<void*> before = relationship_access::committed_list(member);
                    for (void* at : now) {
                        target* t = static_cast<target*>(at);
                        auto* te = targets.find(t);
                        const bool target_new = te && te->state == registry<target>::status::pending;
                        if (known && std::find(before.begin(), before.end(), t) != before.end() && !owner_pending && !target_new) continue;
                        if constexpr (info::has_back) mirror<info>(s, *t, owner, true);
                        if (!fs.association_rows.insert(association_key<info>(owner, t)).second) continue;
                        fs.association_inserts.push_back({[](session&, void* o, void* p, flush_batches& out) {
                                                              base::template plan_insert_association<info>(
                                                                  *static_cast<T*>(o), *static_cast<target*>(p), out);
                                                          },
                                                          &s, owner, t});
                    }
                    if (!known) return;
                    for (void* at : before) {
                        target* t = static_cast<target*>(at);
                        if (std::find(now.begin(), now.end(), at) != now.end()) continue;
                        if constexpr (info::has_back) mirror<info>(s, *t, owner, false);
                        if (!fs.association_rows.insert(association_key<info>(owner, t)).second) continue;
                        fs.association_deletes.push_back({[](session&, void* o, void* p, flush_batches& out) {
                                                              base::template plan_delete_association<info>(
                                                                  *static_cast<T*>(o), *static_cast<target*>(p), out);
                                                          },
                                                          &s, owner, t});
                    }
                }
            });
        }
    }

    /// The object the database row of `e` refers to through many-to-one `info`, if the session
    /// holds it (to keep its back collection in step when the reference was never loaded).
    template <class info>
    static typename info::target* held_target(session& s, const entry& e) {
        using target = typename info::target;
        if constexpr (references_primary_key<T, info::foreign_key, target>()) {
            const auto key = referenced_key<T, info::foreign_key, target>(base::database_values(e));
            auto* te = key ? s.template registry<target>().find_key(*key) : nullptr;
            return te ? te->object() : nullptr;
        } else {
            return nullptr;
        }
    }

    /// Keeps a many-to-many's other side in step with a row this side adds or removes (as
    /// written: current and committed both), undone with the flush if it fails.
    /// A rolled-back flush restores what the database holds (committed), never the user's edits
    /// made since: an element the mirror appended is taken out again, unless the user has.
    template <class info>
    static void mirror(session& s, typename info::target& other, T* owner, bool add) {
        relationship_flush::mirror(s, other.*info::back, owner, add);
    }

    /// Whether `child` was taken out of `parent`'s loaded back collection (the removal, not the
    /// parent's deletion, then decides what happens to it).
    template <class info>
    static bool left_parent(typename info::target& parent, const T& child) {
        if constexpr (info::has_back) {
            auto& back = parent.*info::back;
            if (!relationship_access::loaded(back)) return false;
            const auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), &child) != list.end(); };
            if constexpr (std::remove_cvref_t<decltype(back)>::is_collection)
                return (in(relationship_access::committed_list(back)) || in(relationship_access::removed_list(back))) &&
                       !in(relationship_access::item_list(back));
            else
                return relationship_access::committed(back) == &child && relationship_access::target(back) != &child;
        } else {
            return false;
        }
    }

    /// A flush_step running remove_child<info>(owner, child).
    template <class info>
    static void run_remove_child(session& s, void* owner, void* child) {
        remove_child<info>(s, *static_cast<T*>(owner), *static_cast<typename info::target*>(child));
    }
    /// A flush_plan_step writing parent's key into child's Key by an UPDATE after the inserts.
    template <class Child, std::size_t Key, class Parent>
    static void post_update(session& s, void* child, void* parent, flush_batches& out) {
        Child& c = *static_cast<Child*>(child);
        copy_key<Child, Key>(c, *static_cast<Parent*>(parent));
        s.template registry<Child>().plan_post_update(s, c, out);
    }

    /// Copies parent's key into child's foreign key Key now (the parent has a row), or after
    /// the inserts for a circular reference through a nullable key.
    template <class Child, std::size_t Key, class Parent, bool PostUpdate = false>
    static void sync_key(session& s, Child& child, Parent& parent) {
        auto* pe = s.template registry<Parent>().find(&parent);
        if (!pe) return;  // let go of (a pending parent deleted by cascade): it has no key to give
        if constexpr (PostUpdate) {
            // Written by its own UPDATE after the INSERTs when the target is new in this flush.
            if (pe->state == registry<Parent>::status::pending || pe->inserted_in_flush) {
                auto* ce = s.template registry<Child>().find(&child);
                if (ce && ce->state == registry<Child>::status::pending) set_key_null<Child, Key>(child);
                s.flush_state_->post_updates.push_back({&post_update<Child, Key, Parent>, &s, &child, &parent});
                return;
            }
        }
        if (pe->state == registry<Parent>::status::pending) {
            if constexpr (key_nullable<Child, Key>()) {
                s.flush_state_->post_updates.push_back({&post_update<Child, Key, Parent>, &s, &child, &parent});
                return;
            } else {
                throw_invalid_request({"reflorm: circular dependency: a ", schema::table_of<Child>.model_name,
                                       " must be inserted after its ", schema::table_of<Parent>.model_name,
                                       ", which must be inserted after it; make one of the foreign keys nullable (std::optional)"});
            }
        }
        if (!key_matches<Child, Key>(child, parent)) copy_key<Child, Key>(child, parent);
    }

    /// Keeps the other side in step: `child` was linked to `parent` through a many-to-one.
    template <class info>
    static void populate_back(session& s, typename info::target& parent, T& child, typename info::target* before) {
        if constexpr (info::has_back) {
            auto& back = parent.*info::back;
            using back_type = std::remove_cvref_t<decltype(back)>;
            if (!relationship_access::loaded(back)) return;
            if constexpr (back_type::is_collection) {
                auto& items = relationship_access::item_list(back);
                if (std::find(items.begin(), items.end(), &child) == items.end()) items.push_back(&child);
            } else {
                relationship_access::set_target(back, &child);
            }
            if (before && before != &parent) remove_from_back<info>(*before, child);
        }
        (void)s;
    }
    template <class info>
    static void remove_from_back(typename info::target& parent, T& child) {
        if constexpr (info::has_back) {
            auto& back = parent.*info::back;
            using back_type = std::remove_cvref_t<decltype(back)>;
            if (!relationship_access::loaded(back)) return;
            if constexpr (back_type::is_collection) {
                auto& items = relationship_access::item_list(back);
                items.erase(std::remove(items.begin(), items.end(), &child), items.end());
            } else if (relationship_access::target(back) == &child) {
                relationship_access::set_target(back, static_cast<T*>(nullptr));
            }
        }
    }
    /// Keeps the other side in step: `child` is in `parent`'s collection (or one-to-one).
    template <class info>
    static void set_back(typename info::target& child, T* parent) {
        if constexpr (info::has_back) {
            auto& back = child.*info::back;
            if constexpr (!std::remove_cvref_t<decltype(back)>::is_collection)
                if (relationship_access::loaded(back)) relationship_access::set_target(back, parent);
        }
    }

    /// A child left `parent`'s collection: deleted (delete_orphan), or its key set to NULL.
    template <class info>
    static void remove_child(session& s, T& parent, typename info::target& child) {
        using target = typename info::target;
        flush_state& fs = *s.flush_state_;
        if (fs.linked.contains(&child)) return;  // moved to another parent
        auto* ce = s.template registry<target>().find(&child);
        if (!ce) return;
        if (ce->state == registry<target>::status::pending) {
            // A new object taken out again: an orphan is never written, others are written unlinked.
            if constexpr (has(info::cascades, cascade::delete_orphan)) s.template mark_deleted<target>(child);
            return;
        }
        if (ce->state != registry<target>::status::persistent) return;
        if constexpr (has(info::cascades, cascade::delete_orphan)) {
            s.template mark_deleted<target>(child);
        } else if constexpr (key_nullable<target, info::foreign_key>()) {
            if (key_matches<target, info::foreign_key>(child, parent)) set_key_null<target, info::foreign_key>(child);
            clear_back<info>(child, &parent);
        } else {
            throw_invalid_request({"reflorm: a ", schema::table_of<target>.model_name, " was removed from ",
                                   model_member<T>(info::field),
                                   ", but its foreign key is NOT NULL; delete it, move it to another parent, or give the "
                                   "relationship reflorm::cascade::delete_orphan"});
        }
    }

    template <class info>
    static std::string association_key(T* owner, typename info::target* target) {
        // The row is the same whichever side lists it: order the two objects by the secondary's
        // foreign key numbers.
        const void* first = info::foreign_key < info::target_key ? static_cast<const void*>(owner) : target;
        const void* second = info::foreign_key < info::target_key ? static_cast<const void*>(target) : owner;
        return std::to_string(type_id<typename info::secondary>()) + ':' + std::to_string(reinterpret_cast<std::uintptr_t>(first)) +
               ':' + std::to_string(reinterpret_cast<std::uintptr_t>(second));
    }

    // ---- after a flush, and at transaction ends --------------------------------------------

    /// As SQLAlchemy at flush: an object whose row was deleted leaves the loaded collections
    /// that hold it, and a loaded reference to it becomes nothing, in what the session shows
    /// and in what it takes the database to hold. Undone with the flush (committed only: the
    /// object is marked deleted again, and a rollback() puts it back with the committed list).
    void drop_deleted_targets(session& s) override {
        for (entry& e : entries_) {
            if (e.state == status::detached) continue;
            for_each_relationship([&](auto field) {
                auto& member = reflect::get<decltype(field)::value>(*e.object());
                if (relationship_access::loaded(member)) relationship_flush::drop_gone_targets(s, member);
            });
        }
    }

    void finish_flush(session& s) override {
        for (entry& e : entries_) {
            if (e.state != status::persistent) continue;
            e.inserted_in_flush = false;
            for_each_relationship([&](auto field) {
                auto& member = reflect::get<decltype(field)::value>(*e.object());
                if (relationship_access::loaded(member)) relationship_flush::settle(s, member);
            });
        }
    }
};

}  // namespace orm_detail
}  // namespace reflorm
