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
struct relationship_row;
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
    static void drop_gone_target(session& s, one_base& member, bool (*gone)(session&, const void*));
    static void drop_gone_items(session& s, many_base& member, bool (*gone)(session&, const void*));

    /// After a flush: what the member refers to now is what the database holds (committed).
    static void settle_target(session& s, one_base& member);
    static void settle_items(session& s, many_base& member);

    /// Keeps a many-to-many's other side (`back`, of an object this side adds or removes
    /// `owner` for) in step, as written: current and committed both; undone with the flush.
    static void mirror(session& s, many_base& back, void* owner, bool add);

    // ---- collect(), written once over per-relationship tables of functions --------------

    /// The state of an object's entry in its registry (registry<X>::status), or none.
    enum class target_state : int { none = -1, pending, persistent, deleted, gone, detached };
    template <class X>
    static target_state state_of(session& s, const void* object) {
        using status = typename registry<X>::status;
        static_assert(int(status::pending) == int(target_state::pending) && int(status::gone) == int(target_state::gone) &&
                      int(status::detached) == int(target_state::detached));
        const auto* e = s.template registry<X>().find(static_cast<const X*>(object));
        return e ? static_cast<target_state>(e->state) : target_state::none;
    }

    /// Records that `child`'s foreign key is synced from `parent` (by `sync`) before it is written.
    static void link(session& s, void* child, void* parent, void (*sync)(session&, void*, void*));

    /// A one-to-many or one-to-one, as collect() sees it.
    struct children_ops {
        target_state (*state)(session&, const void* child);
        bool (*key_matches)(const void* child, const void* owner);  // the child's key says owner
        void (*sync)(session&, void* child, void* owner);
        void (*set_back)(void* child, void* owner);
        void (*remove_child)(session&, void* owner, void* child);
    };
    /// Links the children `now` of `owner` to it, and schedules the removal of those taken out
    /// (`before`, known; and `removed`, for a collection: new objects taken out again).
    static void collect_children(session& s, const children_ops& ops, void* owner, bool owner_new, bool known,
                                 const std::vector<void*>& now, const std::vector<void*>& before, const std::vector<void*>* removed);

    /// A many-to-many, as collect() sees it.
    struct association_ops {
        target_state (*state)(session&, const void* target);
        many_base* (*back)(void* target);  // the other side's collection, or nullptr
        void (*plan_insert)(session&, void* owner, void* target, flush_batches&);
        void (*plan_delete)(session&, void* owner, void* target, flush_batches&);
        bool owner_first;  // the row's key lists the owner first
    };
    static void collect_associations(session& s, const association_ops& ops, std::size_t secondary, void* owner, bool owner_pending,
                                     bool known, const std::vector<void*>& now, const std::vector<void*>& before);
    /// A relationship with cascade save-update, as cascade_save() sees it.
    struct save_ops {
        target_state (*state)(session&, const void* target);
        void (*adopt)(session&, const std::shared_ptr<void>& target);  // the session tracks it, pending
        void (*check_reached)(session&, void* target, void*);         // after the cascade: it is in the session
    };
    /// The session tracks `object`, an X a relationship owned by value, as pending (one function
    /// per target model, shared by the relationships to it).
    template <class X>
    static void adopt(session& s, const std::shared_ptr<void>& object) {
        s.template registry<X>().track_pending(static_cast<X*>(object.get()), std::static_pointer_cast<X>(object), s);
    }
    /// The session adopts the new objects a relationship holds by value (`owned`) and those of
    /// its `targets` it owns; whether it adopted any. A target it does not own must be in the
    /// session once the cascade is complete (another relationship may own it by value).
    static bool save_targets(session& s, const save_ops& ops, const std::vector<std::shared_ptr<void>>& owned, void* const* targets,
                             std::size_t count, bool parent_deleted);

    /// A one-to-many or one-to-one of a deleted parent, as cascade_delete() sees it.
    struct delete_ops {
        target_state (*state)(session&, const void* child);
        void (*remove_child)(session&, void* parent, void* child);
        bool (*mark_deleted)(session&, void* child);  // with cascade delete; else nullptr
        void (*leave_child)(void* child, void* parent);  // without: unlinks it, or throws
    };
    /// The children of a deleted parent's loaded `collection`, and those taken out of it since
    /// the last flush (the committed ones, and new ones taken out before any flush: orphans of a
    /// parent whose own removals collect() does not see, since the parent is going).
    static void deleted_parent_lists(session& s, const many_base& collection, target_state (*state)(session&, const void*),
                                     std::vector<void*>& children, std::vector<void*>& removed);
    /// What deleting `parent` does to its `children` (deleted with it, or left unlinked) and to
    /// those `removed` from it; whether it marked any deleted.
    static bool delete_parent_of(session& s, const delete_ops& ops, void* parent, const std::vector<void*>& children,
                                 const std::vector<void*>& removed);

    /// The same association row whichever side lists it.
    static std::string association_key(std::size_t secondary, bool owner_first, const void* owner, const void* target);

    // ---- passes over one model's entries, compiled once over its relationship table ----------
    // (flush_relationships.cpp; identity_map_common's flush steps call them)

    /// The entry of `object` (an X) in the session's registry of X, or nullptr.
    template <class X>
    static const entry_core* find_entry(session& s, const void* object) {
        return s.template registry<X>().find(static_cast<const X*>(object));
    }
    /// session::mark_deleted of `object`, an X.
    template <class X>
    static bool mark_deleted(session& s, void* object) {
        return s.template mark_deleted<X>(*static_cast<X*>(object));
    }
    static bool relationships_changed(const model_relationships& table, void* object);
    static void discard_relationship_changes(session& s, const model_relationships& table, void* object);
    static void expire_relationships(const model_relationships& table, void* object);
    /// A pending `object` let go of by a delete (session::mark_deleted): the children its
    /// loaded one-to-many and one-to-one relationships with cascade delete hold go too.
    static void delete_new_children(session& s, const model_relationships& table, void* object);
    static void collect(session& s, identity_map_common& map);
    static bool cascade_save(session& s, identity_map_common& map, bool from_start);
    static bool cascade_delete(session& s, identity_map_common& map);
    static void drop_deleted_targets(session& s, identity_map_common& map);
    static void finish_flush(session& s, identity_map_common& map);

    // ---- what the row steps compiled once (persistence.cpp) need of the session -----------
    /// session::fire of an object of the model numbered `type`.
    static void fire(session& s, mapper_event event, std::size_t type, void* object);
    template <class F>
    static void push_undo(session& s, F f) {
        s.push_undo(std::move(f));
    }
    static flush_state& flush_state_of(session& s) noexcept { return *s.flush_state_; }
    static bool has_mapper_listeners(const session& s) noexcept { return s.has_mapper_listeners(); }

private:
    static void collect_reference(session& s, const relationship_row& r, const model_relationships& table, const entry_core& e,
                                  void* owner, bool owner_pending);
    static bool follow_expunged_parents(session& s, identity_map_common& map);
    static bool request_cascade_loads(session& s, const model_relationships& table, void* object);
    static bool left_parent(const relationship_row& r, void* parent, const void* child);
    static void populate_back(const relationship_row& r, void* parent, void* child, void* before);
    static void remove_from_back(const relationship_row& r, void* parent, void* child);
};

/// One relationship of a model as the passes compiled once see it (relationship_flush::collect,
/// cascade_save, ...): where the member is, its kind and options, and the functions that need
/// its types. One constant table per model (cascade_processor<T>::relationship_table,
/// cascades.hpp), replacing the
/// per-model loops each of those passes was (compile time, issue 13).
struct relationship_row {
    void* (*member)(void* owner);  // the member of `owner`, as its one_base or many_base
    void* (*back)(void* target);   // the target's back_populates member (one_base or many_base), or nullptr
    relationship_kind kind;
    bool is_collection;
    bool back_is_collection;
    bool save_update;     // cascade save_update
    bool deletes;         // cascade delete_
    bool database_acts;   // one-to-many or one-to-one whose rows the database deletes or unlinks
    bool parent_deletes;  // many-to-one whose other side deletes this object with its parent
    bool key_nullable;    // many-to-one whose foreign key can be NULL
    const relationship_name* name;
    std::string_view target_model;
    const entry_core* (*find_target)(session&, const void* target);
    bool (*is_gone)(session&, const void* target);
    bool (*mark_target_deleted)(session&, void* target);
    void (*load)(session&, void* owner);  // session::load_if_needed
    // A many-to-one's foreign key (functions over the owner and its target).
    bool (*key_matches)(const void* owner, const void* target);
    bool (*key_is_null)(const void* owner);
    void (*set_key_null)(void* owner);
    void (*sync)(session&, void* owner, void* target);
    void* (*held_target)(session&, const entry_core& e);
    // A many-to-many's association rows.
    void (*delete_all_associations)(session&, void* owner, void*, flush_batches&);
    std::size_t (*secondary)();
    const relationship_flush::children_ops* children;
    const relationship_flush::association_ops* associations;
    const relationship_flush::save_ops* save;
    const relationship_flush::delete_ops* delete_children;
};
/// A model's relationship table, and what its passes need of the model itself.
struct model_relationships {
    const relationship_row* rows;
    std::size_t count;
    bool (*mark_deleted)(session&, void* object);  // session::mark_deleted of an object of the model
    std::string_view model_name;
};

template <class T>
class dependency_processor : public persistence<T> {
    using base = persistence<T>;

public:
    using typename base::entry;
    using typename base::status;
    static constexpr const auto& table_info = schema::table_of<T>;

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

    // ---- the functions of relationship_row that need the relationship's types -------------

    /// The object the database row of `e` refers to through many-to-one `info`, if the session
    /// holds it (to keep its back collection in step when the reference was never loaded).
    template <class info>
    static void* held_target(session& s, const entry_core& core) {
        const entry& e = static_cast<const entry&>(core);
        using target = typename info::target;
        if constexpr (references_primary_key<T, info::foreign_key, target>()) {
            const auto key = referenced_key<T, info::foreign_key, target>(base::database_values(e));
            auto* te = key ? s.template registry<target>().find_key(*key) : nullptr;
            return te ? te->object() : nullptr;
        } else {
            return nullptr;
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
                                   info::name.model, "::", info::name.member,
                                   ", but its foreign key is NOT NULL; delete it, move it to another parent, or give the "
                                   "relationship reflorm::cascade::delete_orphan"});
        }
    }

    // ---- relationship_row's functions, and the tables of functions of each relationship ------

    /// A relationship member (at `m`) as its one_base or many_base.
    template <class Member>
    static void* member_base(Member& m) {
        if constexpr (Member::is_collection) return static_cast<void*>(static_cast<many_base*>(&m));
        else return static_cast<void*>(static_cast<one_base*>(&m));
    }
    template <class info>
    static void* member_of(void* owner) {
        return member_base(reflect::get<info::field>(*static_cast<T*>(owner)));
    }
    template <class info>
    static void* back_member(void* target) {
        return member_base(static_cast<typename info::target*>(target)->*info::back);
    }
    template <class info>
    static bool owner_key_matches(const void* owner, const void* target) {
        return key_matches<T, info::foreign_key, typename info::target>(*static_cast<const T*>(owner),
                                                                        *static_cast<const typename info::target*>(target));
    }
    template <class info>
    static bool owner_key_is_null(const void* owner) {
        return key_is_null<T, info::foreign_key>(*static_cast<const T*>(owner));
    }
    template <class info>
    static void set_owner_key_null(void* owner) {
        set_key_null<T, info::foreign_key>(*static_cast<T*>(owner));
    }

    template <class info>
    static void sync_parent_key(session& s, void* owner, void* parent) {
        sync_key<T, info::foreign_key, typename info::target, info::post_update>(s, *static_cast<T*>(owner),
                                                                                 *static_cast<typename info::target*>(parent));
    }
    template <class info>
    static bool child_key_matches(const void* child, const void* owner) {
        return key_matches<typename info::target, info::foreign_key, T>(*static_cast<const typename info::target*>(child),
                                                                         *static_cast<const T*>(owner));
    }
    template <class info>
    static void sync_child_key(session& s, void* child, void* owner) {
        sync_key<typename info::target, info::foreign_key, T>(s, *static_cast<typename info::target*>(child), *static_cast<T*>(owner));
    }
    template <class info>
    static void set_back_erased(void* child, void* owner) {
        set_back<info>(*static_cast<typename info::target*>(child), static_cast<T*>(owner));
    }
    template <class info>
    static constexpr relationship_flush::children_ops children_ops_of{&relationship_flush::state_of<typename info::target>,
                                                                      &child_key_matches<info>, &sync_child_key<info>,
                                                                      &set_back_erased<info>, &run_remove_child<info>};

    template <class info>
    static many_base* back_of(void* target) {
        return &(static_cast<typename info::target*>(target)->*info::back);
    }
    template <class info>
    static void plan_insert_association_erased(session&, void* owner, void* target, flush_batches& out) {
        base::template plan_insert_association<info>(*static_cast<T*>(owner), *static_cast<typename info::target*>(target), out);
    }
    template <class info>
    static void plan_delete_association_erased(session&, void* owner, void* target, flush_batches& out) {
        base::template plan_delete_association<info>(*static_cast<T*>(owner), *static_cast<typename info::target*>(target), out);
    }
    template <class info>
    static constexpr relationship_flush::association_ops association_ops_of{
        &relationship_flush::state_of<typename info::target>, [] {
            if constexpr (info::has_back)
                return &back_of<info>;
            else
                return static_cast<many_base* (*)(void*)>(nullptr);
        }(),
        &plan_insert_association_erased<info>, &plan_delete_association_erased<info>, info::foreign_key < info::target_key};
};

}  // namespace orm_detail
}  // namespace reflorm
