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
    static constexpr const auto& table_info = schema::table_of<T>;

    // ---- the functions of relationship_row for the cascades (relationship_flush::cascade_save
    // and cascade_delete, compiled once, walk the relationships) ------------------------------

    /// A cascade check: `t`, reached by reference through `info`, must be in the session by now.
    template <class info>
    static void check_reached(session& s, void* t, void*) {
        using target = typename info::target;
        if (s.template registry<target>().find(static_cast<target*>(t))) return;
        throw_invalid_request({"reflorm: a ", schema::table_of<target>.model_name, " reached through ", info::name.model, "::",
                               info::name.member, " is not in this session; add it with session.add() first, or bring a detached object in "
                               "with session.merge()"});
    }

    /// The association rows of a deleted `object`'s many-to-many `info`, deleted (a flush_plan_step).
    template <class info>
    static void delete_all_associations(session&, void* object, void*, flush_batches& out) {
        base::template plan_delete_all_associations<info>(*static_cast<T*>(object), out);
    }

    /// Children the session does not hold are loaded only when the ORM must act on them: not
    /// when the database does (ON DELETE CASCADE / SET NULL, as SQLAlchemy's passive_deletes).
    template <class info>
    static constexpr bool database_acts_on_delete() {
        constexpr auto on_delete = schema::table_of<typename info::target>.foreign_keys[info::foreign_key].on_delete;
        return on_delete == referential_action::cascade || on_delete == referential_action::set_null;
    }

    /// Whether the delete cascade of an object must see relationship `info` loaded.
    template <class info>
    static constexpr bool must_see() {
        if constexpr (info::kind == relationship_kind::one_to_many || info::kind == relationship_kind::one_to_one)
            return !database_acts_on_delete<info>();  // to delete or unlink the children
        else
            return has(info::cascades, cascade::delete_);  // to delete the targets
    }
    template <class info>
    static void load_relationship(session& s, void* object) {
        s.template load_if_needed<info>(*static_cast<T*>(object));
    }

protected:
    // ---- the cascades' tables of functions of each relationship ---------------------------

    template <class info>
    static constexpr relationship_flush::save_ops save_ops_of{&relationship_flush::state_of<typename info::target>,
                                                              &relationship_flush::adopt<typename info::target>, &check_reached<info>};

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
        has(info::cascades, cascade::delete_) ? &relationship_flush::mark_deleted<typename info::target> : nullptr, &leave_child<info>};

    /// Relationship `info` of T as the passes compiled once see it.
    template <class info>
    static consteval relationship_row row_of() {
        using target = typename info::target;
        relationship_row r{};
        r.member = &base::template member_of<info>;
        r.kind = info::kind;
        r.is_collection = info::is_collection;
        if constexpr (info::has_back) {
            r.back = &base::template back_member<info>;
            r.back_is_collection = reflect::member_value_t<info::back>::is_collection;
        }
        r.save_update = has(info::cascades, cascade::save_update);
        r.deletes = has(info::cascades, cascade::delete_);
        r.name = &info::name;
        r.target_model = schema::table_of<target>.model_name;
        r.find_target = &relationship_flush::find_entry<target>;
        r.is_gone = &relationship_flush::is_gone<target>;
        if constexpr (has(info::cascades, cascade::delete_)) r.mark_target_deleted = &relationship_flush::mark_deleted<target>;
        if constexpr (must_see<info>()) r.load = &load_relationship<info>;
        if constexpr (has(info::cascades, cascade::save_update)) r.save = &save_ops_of<info>;
        if constexpr (info::kind == relationship_kind::many_to_one) {
            if constexpr (info::has_back) r.parent_deletes = has(relationship_info<info::back>::cascades, cascade::delete_);
            r.key_nullable = key_nullable<T, info::foreign_key>();
            r.key_matches = &base::template owner_key_matches<info>;
            r.key_is_null = &base::template owner_key_is_null<info>;
            r.sync = &base::template sync_parent_key<info>;
            if constexpr (key_nullable<T, info::foreign_key>()) {
                r.set_key_null = &base::template set_owner_key_null<info>;
                r.held_target = &base::template held_target<info>;
            }
        } else if constexpr (info::kind == relationship_kind::many_to_many) {
            r.delete_all_associations = &delete_all_associations<info>;
            r.secondary = &type_id<typename info::secondary>;
            r.associations = &base::template association_ops_of<info>;
        } else {
            r.database_acts = database_acts_on_delete<info>();
            r.children = &base::template children_ops_of<info>;
            r.delete_children = &delete_ops_of<info>;
        }
        return r;
    }

public:
    static constexpr auto relationship_rows = []<std::size_t... R>(std::index_sequence<R...>) {
        return std::array<relationship_row, sizeof...(R)>{row_of<relationship_info_at<T, base::relationship_fields[R]>>()...};
    }(std::make_index_sequence<base::relationship_fields.size()>{});
    static constexpr model_relationships relationship_table{relationship_rows.data(), relationship_rows.size(),
                                                            &relationship_flush::mark_deleted<T>, table_info.model_name};
};

}  // namespace orm_detail
}  // namespace reflorm
