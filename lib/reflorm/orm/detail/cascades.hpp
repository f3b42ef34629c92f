#pragma once
// Cascades of one model: save-update (objects a relationship reaches join the session) and
// delete (what deleting an object does to the objects its relationships reach). The delete
// cascade asks for the relationships it must see (flush_state::loads) instead of loading them.
#include <reflorm/orm/detail/dependency.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace reflorm {
namespace orm_detail {

template <class T>
class cascade_processor : public dependency_processor<T> {
    using base = dependency_processor<T>;

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
    // ---- cascade save-update -------------------------------------------------------------

    bool cascade_save(session& s, bool from_start) override {
        if constexpr (base::relationship_fields.size() == 0)
            return false;  // no pass over the entries, and no code for one: nothing to reach
        else
            return cascade_save_along_relationships(s, from_start);
    }
    bool cascade_save_along_relationships(session& s, bool from_start) {
        if (from_start) cascaded_ = 0;
        bool adopted = false;
        // entries_ may grow while scanning (self-referential models): index, not iterators.
        for (; cascaded_ < entries_.size(); ++cascaded_) {
            entry& e = entries_[cascaded_];
            // Deleted ones too: what they hold by value is new, and is kept or deleted with them.
            if (e.state != status::pending && e.state != status::persistent && e.state != status::deleted) continue;
            for_each_relationship([&](auto field) {
                using info = relationship_info_at<T, decltype(field)::value>;
                if constexpr (has(info::cascades, cascade::save_update)) {
                    auto& member = reflect::get<info::field>(*e.object());
                    if (!relationship_access::loaded(member)) return;
                    const bool parent_deleted = e.state == status::deleted || e.delete_when_flushed;
                    // As SQLAlchemy's save-update cascade adds an appended object at once: a new
                    // object given by value joins the session with its owner even when it was
                    // taken out again before this flush (then it is written unlinked, or, with
                    // delete_orphan, not at all), and references to it stay valid.
                    const auto owned = relationship_access::all_owned(member);
                    if constexpr (info::is_collection) {
                        const auto& items = relationship_access::item_list(member);
                        adopted |= relationship_flush::save_targets(s, save_ops_of<info>, owned, items.data(), items.size(), parent_deleted);
                    } else {
                        void* const t = relationship_access::target(member);
                        adopted |= relationship_flush::save_targets(s, save_ops_of<info>, owned, &t, 1, parent_deleted);
                    }
                    relationship_access::release_owned(member);
                }
            });
        }
        return adopted;
    }

    /// A cascade check: `t`, reached by reference through `info`, must be in the session by now.
    template <class info>
    static void check_reached(session& s, void* t, void*) {
        using target = typename info::target;
        if (s.template registry<target>().find(static_cast<target*>(t))) return;
        throw_invalid_request({"reflorm: a ", schema::table_of<target>.model_name, " reached through ", info::name.model, "::",
                               info::name.member, " is not in this session; add it with session.add() first, or bring a detached object in "
                               "with session.merge()"});
    }

    // ---- cascade delete, and what deleting a parent does to its children -------------------

    bool cascade_delete(session& s) override {
        bool marked = false;
        if (base::may_hold_deleted_)
            for (std::size_t i = 0; i < entries_.size(); ++i)
                if (entries_[i].state == status::pending && entries_[i].delete_when_flushed) {
                    s.template mark_deleted<T>(*entries_[i].object());
                    marked = true;
                }
        marked = follow_expunged_parents(s) || marked;
        for (std::size_t i = 0; base::may_hold_deleted_ && i < entries_.size(); ++i) {
            entry& e = entries_[i];
            if (e.state != status::deleted || e.delete_cascaded) continue;
            if (request_cascade_loads(s, *e.object())) continue;  // again once they are loaded
            e.delete_cascaded = true;
            for_each_relationship([&](auto field) {
                using info = relationship_info_at<T, decltype(field)::value>;
                using target = typename info::target;
                auto& member = reflect::get<info::field>(*e.object());
                constexpr bool deletes = has(info::cascades, cascade::delete_);
                if constexpr (info::kind == relationship_kind::many_to_many) {
                    s.flush_state_->association_deletes.push_back({[](session&, void* object, void*, flush_batches& out) {
                                                                      base::template plan_delete_all_associations<info>(
                                                                          *static_cast<T*>(object), out);
                                                                  },
                                                                  &s, e.object(), nullptr});
                }
                if constexpr (info::kind == relationship_kind::many_to_one) {
                    if constexpr (deletes)
                        if (auto* t = relationship_access::target(member)) marked |= s.template mark_deleted<target>(*t);
                    return;
                }
                if constexpr (info::kind == relationship_kind::many_to_many) {
                    if constexpr (deletes)
                        for (void* t : relationship_access::item_list(member))
                            marked |= s.template mark_deleted<target>(*static_cast<target*>(t));
                    return;
                }
                if constexpr (info::kind == relationship_kind::one_to_many || info::kind == relationship_kind::one_to_one) {
                    // Children the session does not hold are loaded only when the ORM must act on
                    // them: not when the database does (ON DELETE CASCADE / SET NULL, as
                    // SQLAlchemy's passive_deletes).
                    if constexpr (database_acts_on_delete<info>()) {
                        if (!relationship_access::loaded(member)) return;
                    }
                    // Untyped lists: one std::vector type for all models.
                    std::vector<void*> children;
                    std::vector<void*> removed;  // taken out since the last flush: not deleted with it
                    if constexpr (info::is_collection) {
                        relationship_flush::deleted_parent_lists(s, member, &relationship_flush::state_of<target>, children, removed);
                    } else {
                        if (auto* t = relationship_access::target(member)) children.push_back(t);
                        if (auto* t = relationship_access::committed(member); t && t != relationship_access::target(member))
                            removed.push_back(t);
                    }
                    marked |= relationship_flush::delete_parent_of(s, delete_ops_of<info>, e.object(), children, removed);
                }
            });
        }
        return marked;
    }

    /// Children the session does not hold are loaded only when the ORM must act on them: not
    /// when the database does (ON DELETE CASCADE / SET NULL, as SQLAlchemy's passive_deletes).
    template <class info>
    static constexpr bool database_acts_on_delete() {
        constexpr auto on_delete = schema::table_of<typename info::target>.foreign_keys[info::foreign_key].on_delete;
        return on_delete == referential_action::cascade || on_delete == referential_action::set_null;
    }

    /// Asks for the relationships of a deleted `object` that its delete cascade must see and the
    /// session has not loaded; false when there are none (the cascade can act on it now).
    static bool request_cascade_loads(session& s, T& object) {
        bool requested = false;
        for_each_relationship([&](auto field) {
            using info = relationship_info_at<T, decltype(field)::value>;
            constexpr bool must_see = [] {
                if constexpr (info::kind == relationship_kind::one_to_many || info::kind == relationship_kind::one_to_one)
                    return !database_acts_on_delete<info>();  // to delete or unlink the children
                else
                    return has(info::cascades, cascade::delete_);  // to delete the targets
            }();
            if constexpr (must_see) {
                if (!relationship_access::needs_load(reflect::get<info::field>(object))) return;
                s.flush_state_->loads.push_back({&load_relationship<info>, &object});
                requested = true;
            }
        });
        return requested;
    }
    template <class info>
    static void load_relationship(session& s, void* object) {
        s.template load_if_needed<info>(*static_cast<T*>(object));
    }

    /// A new object this flush's cascade let go of (a pending child of a deleted parent) takes
    /// the objects that refer to it by many-to-one with it, as a deleted parent does its
    /// children (collect() saw it still pending, or saw nothing: it runs before the cascade).
    bool follow_expunged_parents(session& s) {
        if constexpr (base::relationship_fields.size() == 0)
            return false;
        else
            return follow_expunged_parents_along_relationships(s);
    }
    bool follow_expunged_parents_along_relationships(session& s) {
        const auto& expunged = s.flush_state_->expunged;
        if (expunged.empty()) return false;
        bool marked = false;
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            entry& e = entries_[i];
            if (e.state != status::pending && e.state != status::persistent) continue;
            for_each_relationship([&](auto field) {
                using info = relationship_info_at<T, decltype(field)::value>;
                if constexpr (info::kind == relationship_kind::many_to_one) {
                    using target = typename info::target;
                    auto& member = reflect::get<info::field>(*e.object());
                    if (!relationship_access::loaded(member)) return;
                    target* t = relationship_access::target(member);
                    if (!t || !expunged.contains(t) || s.template registry<target>().find(t)) return;
                    constexpr bool parent_deletes = [] {
                        if constexpr (info::has_back)
                            return has(relationship_info<info::back>::cascades, cascade::delete_);
                        else
                            return false;
                    }();
                    if constexpr (parent_deletes) {
                        marked = s.template mark_deleted<T>(*e.object()) || marked;
                    } else if constexpr (key_nullable<T, info::foreign_key>()) {
                        set_key_null<T, info::foreign_key>(*e.object());
                        relationship_access::set_target(member, static_cast<target*>(nullptr));
                    } else {
                        throw_invalid_request({"reflorm: ", info::name.model, "::", info::name.member, " refers to a new ",
                                               schema::table_of<target>.model_name,
                                               " that this flush does not write (its parent is being deleted), and its foreign "
                                               "key is NOT NULL; delete this object too, or point it at another one"});
                    }
                }
            });
            if (e.state == status::detached) marked = true;
        }
        return marked;
    }

protected:
    std::size_t cascaded_ = 0;  // entries cascade_save has visited this round

    // ---- the cascades' tables of functions of each relationship ---------------------------

    template <class info>
    static constexpr relationship_flush::save_ops save_ops_of{&relationship_flush::state_of<typename info::target>,
                                                              &relationship_flush::adopt<typename info::target>, &check_reached<info>};

    template <class X>
    static bool mark_deleted_erased(session& s, void* object) {
        return s.template mark_deleted<X>(*static_cast<X*>(object));
    }
    /// Without cascade delete the children of a deleted parent stay, pointing at nothing.
    template <class info>
    static void leave_child(void* child_at, void* parent_at) {
        using target = typename info::target;
        target& child = *static_cast<target*>(child_at);
        T& parent = *static_cast<T*>(parent_at);
        if constexpr (key_nullable<target, info::foreign_key>()) {
            if (key_matches<target, info::foreign_key>(child, parent)) set_key_null<target, info::foreign_key>(child);
            base::template clear_back<info>(child, &parent);
        } else {
            throw_invalid_request({"reflorm: deleting this ", table_info.model_name, " would leave the ",
                                   schema::table_of<target>.model_name, " rows of ", info::name.model, "::", info::name.member,
                                   " pointing at nothing, and their foreign key is NOT NULL; give the "
                                   "relationship reflorm::cascade::delete_ (or delete_orphan), or delete or "
                                   "move those rows first"});
        }
    }
    template <class info>
    static constexpr relationship_flush::delete_ops delete_ops_of{
        &relationship_flush::state_of<typename info::target>, &base::template run_remove_child<info>,
        has(info::cascades, cascade::delete_) ? &mark_deleted_erased<typename info::target> : nullptr, &leave_child<info>};
};

}  // namespace orm_detail
}  // namespace reflorm
