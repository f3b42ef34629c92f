#pragma once
// One model's part of a session: its objects, identity map and snapshots, and the flush steps
// that need the model's type (cascades, foreign key syncs, INSERT/UPDATE/DELETE). Included by
// orm/session.hpp after the session class.
//
// Why it is over 600 lines (1,393): one class template whose flush steps (cascade, foreign key
// sync, INSERT/UPDATE, DELETE) all read and write its private entries and maps, so a split by
// step needs those steps as friends or the state opened to the session. It is not split now
// because issue 13 item 3 replaces these steps with a planned, I/O-free flush (batches of SQL
// and row results, executed elsewhere): the split follows that plan's seams (identity map,
// dependency processing, persistence) instead of today's, which would be moved twice.
#include <reflorm/orm/detail/object_values.hpp>
#include <reflorm/orm/relationship_info.hpp>
#include <reflorm/orm/session.hpp>
#include <reflorm/sql/table_sql.hpp>

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace reflorm {
namespace orm_detail {

/// DELETE of one association row: Secondary's foreign keys ToOwner and ToTarget, both matched.
template <class Secondary, std::size_t ToOwner, std::size_t ToTarget>
struct delete_association_statement {
    static constexpr schema::column_list columns = [] {
        schema::column_list list;
        for (auto c : schema::table_of<Secondary>.foreign_keys[ToOwner].columns.view()) list.push_back(c);
        for (auto c : schema::table_of<Secondary>.foreign_keys[ToTarget].columns.view()) list.push_back(c);
        return list;
    }();
    void render(sql::render_context& ctx) const { sql::render_delete_where(ctx, schema::table_of<Secondary>, columns); }
};

/// SELECT of T by arbitrary columns (a foreign key that references a unique, non-key column).
template <class T, const schema::column_list& Columns>
struct select_where_statement {
    void render(sql::render_context& ctx) const { sql::render_select_where(ctx, schema::table_of<T>, Columns); }
};

template <class T, std::size_t Key>
inline constexpr const schema::column_list& foreign_key_columns = schema::table_of<T>.foreign_keys[Key].columns;
template <class T, std::size_t Key>
inline constexpr const schema::column_list& foreign_key_target_columns = schema::table_of<T>.foreign_keys[Key].target_columns;
template <class T>
inline constexpr const schema::column_list& primary_key_columns = schema::table_of<T>.primary_key;

template <class T>
std::string model_member(std::size_t field) {
    std::string out(schema::table_of<T>.model_name);
    reflect::for_each_field_index<T>([&](auto i) {
        if (i.value == field) out += "::" + std::string(reflect::field_name_v<T, i.value>);
    });
    return out;
}

template <class T>
class registry final : public registry_base {
public:
    enum class status : std::uint8_t { pending, persistent, deleted, gone, detached };
    struct entry {
        T* object = nullptr;
        snapshot_t<T> snapshot{};  // column values as the database holds them (persistent)
        std::uint64_t sequence = 0;  // 0: placed, not tracked yet
        status state = status::pending;
        bool expired : 1 = false;
        bool inserted_in_flush : 1 = false;
        bool delete_cascaded : 1 = false;
        bool delete_when_flushed : 1 = false;  // deleted, then its INSERT was rolled back: it has no row to delete
        bool released : 1 = false;  // detached by expunge/close (state_of: detached), not by a rollback (transient)
        bool loose : 1 = false;     // not in a node: found through loose_
        bool read_only : 1 = false;  // read by a read_only query: its snapshot holds the key only, until a flush
    };
    using key_type = identity_key_t<T>;
    static constexpr const auto& table_info = schema::table_of<T>;
    static constexpr const auto& relationship_fields = relationship_fields_v<T>;

    const schema::table_info& table() const noexcept override { return table_info; }

    registry() = default;
    registry(const registry&) = delete;
    registry& operator=(const registry&) = delete;
    ~registry() override {
        for (const chunk& c : chunks_) {
            std::destroy_n(c.nodes, c.size);
            std::allocator<node>{}.deallocate(c.nodes, c.capacity);
        }
    }

    /// The entry tracking `object`, any address (nullptr when the session does not track it).
    entry* find(const T* object) { return const_cast<entry*>(std::as_const(*this).find(object)); }
    const entry* find(const T* object) const {
        if (!loose_.empty())
            if (auto it = loose_.find(object); it != loose_.end()) return it->second;
        const node* n = node_of(object);
        return n && n->e.sequence != 0 && n->e.state != status::detached ? &n->e : nullptr;
    }
    entry* find_key(const key_type& key) {
        auto it = identity_.find(key);
        return it == identity_.end() ? nullptr : it->second;
    }

    /// Stores a new object (moved in) in a node of its own; not tracked yet.
    T* place(T&& value) { return &emplace_node(std::move(value)).object; }
    /// Room for `n` more tracked objects (add_all): one chunk of nodes, one entry list growth.
    void reserve(std::size_t n) {
        entries_.reserve(entries_.size() + n);
        next_capacity_ = std::max(next_capacity_, n);
    }

    /// Tracks `object` as pending: one place() just stored (its node's entry), or one given by
    /// handle (`adopted`, kept alive by the session) or stored earlier and let go of since.
    entry& track_pending(T* object, std::shared_ptr<T> adopted, session& s) {
        entries_.reserve_one();
        released_.erase(object);
        node* n = node_of(object);
        entry* e = nullptr;
        if (n && n->e.sequence == 0) {
            e = &n->e;
        } else {
            if (n) n->e.released = false;  // its old entry stays detached; a rollback makes it transient again
            if (adopted) adopted_.push_back(std::move(adopted));
            e = &loose_entries_.emplace_back();
            e->object = object;
            e->loose = true;
            loose_[object] = e;
        }
        e->state = status::pending;
        e->sequence = s.sequence_++;
        entries_.push_back(e);
        return *e;
    }

    /// The session's object for a row just read: the one it holds (overwritten when expired and
    /// unchanged, or by a populate_existing query), or a new persistent one.
    T* materialize(T&& row, session& s) {
        // One probe: the slot is filled below, or erased if storing the object throws.
        const auto [slot, fresh] = identity_.try_emplace(key_of(row), nullptr);
        if (!fresh) {
            entry* e = slot->second;
            // A read_only object's changes are not kept: overwritten when expired, and when a
            // query that tracks its objects reads it (tracked from then on).
            const bool take_over = e->read_only && !s.read_only_;
            if (populate(s, *e) || take_over || (e->expired && (e->read_only || !differs(*e->object, e->snapshot)))) {
                copy_columns(*e->object, row);
                e->snapshot = e->read_only && !take_over ? key_snapshot_of(*e->object) : snapshot_of(*e->object);
                e->read_only = e->read_only && !take_over;
                e->expired = false;
            }
            return e->object;
        }
        try {
            entries_.reserve_one();
            node& n = emplace_node(std::move(row));
            entry& e = n.e;
            e.state = status::persistent;
            e.snapshot = s.read_only_ ? key_snapshot_of(n.object) : snapshot_of(n.object);
            e.read_only = s.read_only_;
            mark_unloaded(n.object);
            e.sequence = s.sequence_++;  // tracked from here: nothing below throws
            entries_.push_back(&e);
            slot->second = &e;
            if (s.populating_) s.populating_->insert(&n.object);
            return &n.object;
        } catch (...) {
            identity_.erase(slot);
            throw;
        }
    }

    /// Whether a populate_existing query still has to overwrite this object (it does so once).
    static bool to_populate(const session& s, const entry& e) { return s.populating_ && !s.populating_->contains(e.object); }
    /// Marks the object overwritten by the populate_existing query, its relationships expired
    /// so that the query's options reload them; false when there is none, or it was already.
    bool populate(session& s, entry& e) {
        if (!s.populating_ || !s.populating_->insert(e.object).second) return false;
        for_each_relationship([&](auto field) { relationship_access::expire(reflect::get<decltype(field)::value>(*e.object)); });
        return true;
    }

    static void mark_unloaded(T& object) {
        for_each_relationship([&](auto field) {
            using info = relationship_info_at<T, decltype(field)::value>;
            relationship_access::set_unloaded(reflect::get<info::field>(object), &info::name);
        });
    }

    void expunge(entry& e) {
        if (e.state == status::persistent || e.state == status::deleted) identity_.erase(key_of_entry(e));
        untrack(e, true);
        e.state = status::detached;
    }
    void mark_deleted(entry& e, session& s) {
        if (e.state != status::persistent) return;
        e.state = status::deleted;
        e.delete_cascaded = false;
        (void)s;
    }
    void undelete(entry& e) {
        if (e.state == status::deleted) e.state = status::persistent;
        e.delete_when_flushed = false;
    }

    bool is_dirty(const entry& e) const { return !e.read_only && differs(*e.object, e.snapshot); }

    bool has_changes() const override {
        for (const entry& e : entries_) {
            if (e.state == status::pending || e.state == status::deleted) return true;
            if (e.state == status::persistent && ((!e.read_only && differs(*e.object, e.snapshot)) || relationships_changed(*e.object)))
                return true;
        }
        return false;
    }

    template <class F>
    static void for_each_relationship(F&& f) {
        [&]<std::size_t... R>(std::index_sequence<R...>) {
            (f(std::integral_constant<std::size_t, relationship_fields[R]>{}), ...);
        }(std::make_index_sequence<relationship_fields.size()>{});
    }

    static bool relationships_changed(const T& object) {
        bool changed = false;
        for_each_relationship([&](auto field) {
            auto& member = reflect::get<decltype(field)::value>(object);
            if (!relationship_access::loaded(member)) return;
            if (relationship_access::owns_any(member)) {
                changed = true;  // a new object given by value, even if taken out again
            } else if (!relationship_access::committed_known(member)) {
                if constexpr (std::remove_cvref_t<decltype(member)>::is_collection)
                    changed = changed || !relationship_access::items(member).empty();
                else
                    changed = changed || relationship_access::target(member) != nullptr ||
                              relationship_access::assigned_while_unloaded(member);  // set to nothing
            } else if constexpr (std::remove_cvref_t<decltype(member)>::is_collection) {
                changed = changed || relationship_access::items(member) != relationship_access::committed(member);
            } else {
                changed = changed || relationship_access::target(member) != relationship_access::committed(member);
            }
        });
        return changed;
    }

    // ---- cascade save-update -------------------------------------------------------------

    bool cascade_save(session& s, bool from_start) override {
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
                    auto& member = reflect::get<info::field>(*e.object);
                    if (!relationship_access::loaded(member)) return;
                    using target = typename info::target;
                    auto& targets = s.template registry<target>();
                    const bool parent_deleted = e.state == status::deleted || e.delete_when_flushed;
                    const auto visit = [&](target* t) {
                        if (!t || targets.find(t)) return;
                        std::shared_ptr<target> owned = relationship_access::owned(member, t);
                        if (!owned) {
                            // A deleted parent may still list a child the session let go of (a
                            // pending child deleted with it, then the flush rolled back): the
                            // parent's row goes, so that reference writes nothing.
                            if (parent_deleted) return;
                            // Another relationship may own it by value and adopt it later in this
                            // cascade: checked once the cascade is complete.
                            s.cascade_checks_.push_back([&s, t] {
                                if (s.template registry<target>().find(t)) return;
                                throw invalid_request_error("reflorm: a " + std::string(schema::table_of<target>.model_name) +
                                                                " reached through " + model_member<T>(info::field) +
                                                                " is not in this session; add it with session.add() first, "
                                                                "or bring a detached object in with session.merge()");
                            });
                            return;
                        }
                        targets.track_pending(t, std::move(owned), s);
                        adopted = true;
                    };
                    // As SQLAlchemy's save-update cascade adds an appended object at once: a new
                    // object given by value joins the session with its owner even when it was
                    // taken out again before this flush (then it is written unlinked, or, with
                    // delete_orphan, not at all), and references to it stay valid.
                    for (auto& owned : relationship_access::all_owned(member)) {
                        if (targets.find(owned.get())) continue;
                        targets.track_pending(owned.get(), owned, s);
                        adopted = true;
                    }
                    if constexpr (info::is_collection)
                        for (auto* t : relationship_access::items(member)) visit(t);
                    else
                        visit(relationship_access::target(member));
                    relationship_access::release_owned(member);
                }
            });
        }
        return adopted;
    }

    // ---- cascade delete, and what deleting a parent does to its children -------------------

    bool cascade_delete(session& s) override {
        bool marked = false;
        for (std::size_t i = 0; i < entries_.size(); ++i)
            if (entries_[i].state == status::pending && entries_[i].delete_when_flushed) {
                s.template mark_deleted<T>(*entries_[i].object);
                marked = true;
            }
        marked = follow_expunged_parents(s) || marked;
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            entry& e = entries_[i];
            if (e.state != status::deleted || e.delete_cascaded) continue;
            if (request_cascade_loads(s, *e.object)) continue;  // again once they are loaded
            e.delete_cascaded = true;
            for_each_relationship([&](auto field) {
                using info = relationship_info_at<T, decltype(field)::value>;
                using target = typename info::target;
                auto& member = reflect::get<info::field>(*e.object);
                constexpr bool deletes = has(info::cascades, cascade::delete_);
                if constexpr (info::kind == relationship_kind::many_to_many) {
                    s.flush_state_->association_deletes.push_back(
                        [object = e.object](flush_batches& out) { plan_delete_all_associations<info>(*object, out); });
                }
                if constexpr (info::kind == relationship_kind::many_to_one) {
                    if constexpr (deletes)
                        if (auto* t = relationship_access::target(member)) marked |= s.template mark_deleted<target>(*t);
                    return;
                }
                if constexpr (info::kind == relationship_kind::many_to_many) {
                    if constexpr (deletes)
                        for (auto* t : relationship_access::items(member)) marked |= s.template mark_deleted<target>(*t);
                    return;
                }
                if constexpr (info::kind == relationship_kind::one_to_many || info::kind == relationship_kind::one_to_one) {
                    // Children the session does not hold are loaded only when the ORM must act on
                    // them: not when the database does (ON DELETE CASCADE / SET NULL, as
                    // SQLAlchemy's passive_deletes).
                    if constexpr (database_acts_on_delete<info>()) {
                        if (!relationship_access::loaded(member)) return;
                    }
                    std::vector<target*> children;
                    std::vector<target*> removed;  // taken out since the last flush: not deleted with it
                    if constexpr (info::is_collection) {
                        children = relationship_access::items(member);
                        for (target* t : relationship_access::committed(member))
                            if (std::find(children.begin(), children.end(), t) == children.end()) removed.push_back(t);
                        // New objects taken out before any flush: orphans of a parent whose own
                        // removals collect() does not see, since the parent is going.
                        for (target* t : relationship_access::removed(member)) {
                            const auto* te = s.template registry<target>().find(t);
                            if (te && te->state == registry<target>::status::pending &&
                                std::find(children.begin(), children.end(), t) == children.end() &&
                                std::find(removed.begin(), removed.end(), t) == removed.end())
                                removed.push_back(t);
                        }
                    } else {
                        if (auto* t = relationship_access::target(member)) children.push_back(t);
                        if (auto* t = relationship_access::committed(member); t && t != relationship_access::target(member))
                            removed.push_back(t);
                    }
                    auto& targets = s.template registry<target>();
                    for (target* child : removed)
                        if (!s.flush_state_->linked.contains(child)) remove_child<info>(s, *e.object, *child);
                    for (target* child : children) {
                        auto* ce = targets.find(child);
                        if (!ce || ce->state == registry<target>::status::deleted || ce->state == registry<target>::status::gone) continue;
                        if constexpr (deletes) {
                            marked |= s.template mark_deleted<target>(*child);
                        } else if (!s.flush_state_->linked.contains(child)) {
                            // Without cascade delete the children stay, pointing at nothing.
                            if constexpr (key_nullable<target, info::foreign_key>()) {
                                if (key_matches<target, info::foreign_key>(*child, *e.object)) set_key_null<target, info::foreign_key>(*child);
                                clear_back<info>(*child, e.object);
                            } else {
                                throw invalid_request_error(
                                    "reflorm: deleting this " + std::string(table_info.model_name) + " would leave the " +
                                    std::string(schema::table_of<target>.model_name) + " rows of " + model_member<T>(info::field) +
                                    " pointing at nothing, and their foreign key is NOT NULL; give the relationship "
                                    "reflorm::cascade::delete_ (or delete_orphan), or delete or move those rows first");
                            }
                        }
                    }
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
                    auto& member = reflect::get<info::field>(*e.object);
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
                        marked = s.template mark_deleted<T>(*e.object) || marked;
                    } else if constexpr (key_nullable<T, info::foreign_key>()) {
                        set_key_null<T, info::foreign_key>(*e.object);
                        relationship_access::set_target(member, static_cast<target*>(nullptr));
                    } else {
                        throw invalid_request_error("reflorm: " + model_member<T>(info::field) + " refers to a new " +
                                                    std::string(schema::table_of<target>.model_name) +
                                                    " that this flush does not write (its parent is being deleted), and its foreign "
                                                    "key is NOT NULL; delete this object too, or point it at another one");
                    }
                }
            });
            if (e.state == status::detached) marked = true;
        }
        return marked;
    }

    /// Sets the back_populates reference of `child` to nothing, if it points at `parent`.
    template <class info>
    static void clear_back(typename info::target& child, T* parent) {
        if constexpr (info::has_back) {
            auto& back = child.*info::back;
            if constexpr (!std::remove_cvref_t<decltype(back)>::is_collection)
                if (relationship_access::loaded(back) && relationship_access::target(back) == parent) relationship_access::set_target(back, static_cast<T*>(nullptr));
        }
    }

    template <class info>
    static void plan_delete_all_associations(T& owner, flush_batches& out) {
        using secondary = typename info::secondary;
        struct statement {
            void render(sql::render_context& ctx) const {
                sql::render_delete_where(ctx, schema::table_of<secondary>, foreign_key_columns<secondary, info::foreign_key>);
            }
        };
        out.push_back(statement_batch{
            .sql = [](const sql::compiler& d) -> const std::string& { return sql::statement_text(statement{}, d); },
            .rows = 1,
            .bind = [&owner](driver::cursor& cursor,
                             std::size_t) { bind_columns<T, foreign_key_target_columns<secondary, info::foreign_key>>(cursor, owner, 1); },
            .on_row = [](std::size_t, std::int64_t) {},
            .describe = [&owner](std::size_t) { return describe_columns<T, foreign_key_target_columns<secondary, info::foreign_key>>(owner); },
        });
    }

    // ---- collecting foreign key syncs ----------------------------------------------------

    void collect(session& s) override {
        flush_state& fs = *s.flush_state_;
        for (entry& e : entries_) {
            if ((e.state != status::pending && e.state != status::persistent) || e.delete_when_flushed) continue;
            T* owner = e.object;
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
                            fs.links[owner].push_back([&s, owner, t] { sync_key<T, info::foreign_key, target, info::post_update>(s, *owner, *t); });
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
                            throw invalid_request_error("reflorm: " + model_member<T>(info::field) +
                                                        " was set to nothing, but its foreign key is NOT NULL; delete the " +
                                                        std::string(table_info.model_name) + " instead, or point it at another object");
                        }
                    }
                } else if constexpr (info::kind == relationship_kind::one_to_many || info::kind == relationship_kind::one_to_one) {
                    std::vector<target*> now;
                    std::vector<target*> before;
                    if constexpr (info::is_collection) {
                        now = relationship_access::items(member);
                        before = relationship_access::committed(member);
                    } else {
                        if (auto* t = relationship_access::target(member)) now.push_back(t);
                        if (auto* t = relationship_access::committed(member)) before.push_back(t);
                    }
                    for (target* child : now) {
                        fs.linked.insert(child);
                        auto* ce = targets.find(child);
                        const bool child_pending = ce && ce->state == registry<target>::status::pending;
                        const bool added = !known || std::find(before.begin(), before.end(), child) == before.end();
                        if (added || owner_pending || e.inserted_in_flush || child_pending ||
                            !key_matches<target, info::foreign_key, T>(*child, *owner)) {
                            fs.links[child].push_back([&s, owner, child] { sync_key<target, info::foreign_key, T>(s, *child, *owner); });
                            fs.parents[child].push_back(owner);
                            set_back<info>(*child, owner);
                        }
                    }
                    if constexpr (info::is_collection) {
                        // New objects taken out again before any flush: orphans never written. (A
                        // persistent one put in and taken out again was never a member: nothing to do.)
                        for (target* child : relationship_access::removed(member)) {
                            const auto* ce = targets.find(child);
                            if ((!ce || ce->state == registry<target>::status::pending) &&
                                std::find(now.begin(), now.end(), child) == now.end() &&
                                std::find(before.begin(), before.end(), child) == before.end())
                                fs.removals.push_back([&s, owner, child] { remove_child<info>(s, *owner, *child); });
                        }
                    }
                    if (!known) return;
                    for (target* child : before) {
                        if (std::find(now.begin(), now.end(), child) != now.end()) continue;
                        fs.removals.push_back([&s, owner, child] { remove_child<info>(s, *owner, *child); });
                    }
                } else {  // many_to_many
                    // Copies: keeping the other side in step may change these vectors.
                    const std::vector<target*> now = relationship_access::items(member);
                    const std::vector<target*> before = relationship_access::committed(member);
                    for (target* t : now) {
                        auto* te = targets.find(t);
                        const bool target_new = te && te->state == registry<target>::status::pending;
                        if (known && std::find(before.begin(), before.end(), t) != before.end() && !owner_pending && !target_new) continue;
                        if constexpr (info::has_back) mirror<info>(s, *t, owner, true);
                        if (!fs.association_rows.insert(association_key<info>(owner, t)).second) continue;
                        fs.association_inserts.push_back([owner, t](flush_batches& out) { plan_insert_association<info>(*owner, *t, out); });
                    }
                    if (!known) return;
                    for (target* t : before) {
                        if (std::find(now.begin(), now.end(), t) != now.end()) continue;
                        if constexpr (info::has_back) mirror<info>(s, *t, owner, false);
                        if (!fs.association_rows.insert(association_key<info>(owner, t)).second) continue;
                        fs.association_deletes.push_back([owner, t](flush_batches& out) { plan_delete_association<info>(*owner, *t, out); });
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
            const auto key = referenced_key<T, info::foreign_key, target>(database_values(e));
            auto* te = key ? s.template registry<target>().find_key(*key) : nullptr;
            return te ? te->object : nullptr;
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
        auto& back = other.*info::back;
        if (!relationship_access::loaded(back)) return;
        auto& items = relationship_access::items(back);
        const bool appended = add && std::find(items.begin(), items.end(), owner) == items.end();
        s.push_undo([&back, owner, appended, committed = relationship_access::committed(back),
                     known = relationship_access::committed_known(back)] {
            if (appended) {
                auto& now = relationship_access::items(back);
                now.erase(std::remove(now.begin(), now.end(), owner), now.end());
            }
            relationship_access::restore_committed(back, committed, known);
        });
        if (add)
            relationship_access::append_committed(back, owner);
        else
            relationship_access::erase_committed(back, owner);
    }

    /// Whether `child` was taken out of `parent`'s loaded back collection (the removal, not the
    /// parent's deletion, then decides what happens to it).
    template <class info>
    static bool left_parent(typename info::target& parent, const T& child) {
        if constexpr (info::has_back) {
            const auto& back = parent.*info::back;
            if (!relationship_access::loaded(back)) return false;
            const auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), &child) != list.end(); };
            if constexpr (std::remove_cvref_t<decltype(back)>::is_collection)
                return (in(relationship_access::committed(back)) || in(relationship_access::removed(back))) &&
                       !in(relationship_access::items(back));
            else
                return relationship_access::committed(back) == &child && relationship_access::target(back) != &child;
        } else {
            return false;
        }
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
                s.flush_state_->post_updates.push_back([&s, &child, &parent](flush_batches& out) {
                    copy_key<Child, Key>(child, parent);
                    s.template registry<Child>().plan_post_update(s, child, out);
                });
                return;
            }
        }
        if (pe->state == registry<Parent>::status::pending) {
            if constexpr (key_nullable<Child, Key>()) {
                s.flush_state_->post_updates.push_back([&s, &child, &parent](flush_batches& out) {
                    copy_key<Child, Key>(child, parent);
                    s.template registry<Child>().plan_post_update(s, child, out);
                });
                return;
            } else {
                throw invalid_request_error("reflorm: circular dependency: a " + std::string(schema::table_of<Child>.model_name) +
                                            " must be inserted after its " + std::string(schema::table_of<Parent>.model_name) +
                                            ", which must be inserted after it; make one of the foreign keys nullable (std::optional)");
            }
        }
        if (!key_matches<Child, Key>(child, parent)) copy_key<Child, Key>(child, parent);
    }

    /// UPDATE of a row inserted in this flush whose circular foreign key became known later.
    void plan_post_update(session& s, T& object, flush_batches& out) {
        entry* e = find(&object);
        if (!e || e->state != status::persistent) return;
        plan_update_rows(s, {e}, /*fire_events=*/false, out);
    }

    /// Keeps the other side in step: `child` was linked to `parent` through a many-to-one.
    template <class info>
    static void populate_back(session& s, typename info::target& parent, T& child, typename info::target* before) {
        if constexpr (info::has_back) {
            auto& back = parent.*info::back;
            using back_type = std::remove_cvref_t<decltype(back)>;
            if (!relationship_access::loaded(back)) return;
            if constexpr (back_type::is_collection) {
                auto& items = relationship_access::items(back);
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
                auto& items = relationship_access::items(back);
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
            throw invalid_request_error("reflorm: a " + std::string(schema::table_of<target>.model_name) + " was removed from " +
                                        model_member<T>(info::field) +
                                        ", but its foreign key is NOT NULL; delete it, move it to another parent, or give "
                                        "the relationship reflorm::cascade::delete_orphan");
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

    template <class info>
    static void plan_insert_association(T& owner, typename info::target& target, flush_batches& out) {
        using secondary = typename info::secondary;
        auto row = std::make_shared<secondary>();
        copy_key<secondary, info::foreign_key>(*row, owner);
        copy_key<secondary, info::target_key>(*row, target);
        out.push_back(insert_batch{
            .rows = 1,
            .object = [row = row.get()](std::size_t) -> void* { return row; },
            .before = [](std::size_t) {},
            .on_row = [](std::size_t, const rows::insert_shape&) {},
            .needs_earlier_key = [](std::size_t) { return false; },
            .owned = std::move(row),
            .send = &send_inserts<secondary>,
        });
    }

    template <class info>
    static void plan_delete_association(T& owner, typename info::target& target, flush_batches& out) {
        using secondary = typename info::secondary;
        using statement = delete_association_statement<secondary, info::foreign_key, info::target_key>;
        constexpr int owner_columns = static_cast<int>(foreign_key_columns<secondary, info::foreign_key>.size);
        out.push_back(statement_batch{
            .sql = [](const sql::compiler& d) -> const std::string& { return sql::statement_text(statement{}, d); },
            .rows = 1,
            .bind =
                [&owner, &target](driver::cursor& cursor, std::size_t) {
                    bind_columns<T, foreign_key_target_columns<secondary, info::foreign_key>>(cursor, owner, 1);
                    bind_columns<typename info::target, foreign_key_target_columns<secondary, info::target_key>>(cursor, target,
                                                                                                                1 + owner_columns);
                },
            .on_row = [](std::size_t, std::int64_t) {},
            .describe =
                [&owner, &target](std::size_t) {
                    auto values = describe_columns<T, foreign_key_target_columns<secondary, info::foreign_key>>(owner);
                    for (auto& value : describe_columns<typename info::target, foreign_key_target_columns<secondary, info::target_key>>(target))
                        values.push_back(std::move(value));
                    return values;
                },
        });
    }

    // ---- INSERT and UPDATE ---------------------------------------------------------------

    void run_links(session& s, T* object) {
        auto& links = s.flush_state_->links;
        auto it = links.find(object);
        if (it == links.end()) return;
        for (auto& link : it->second) link();
    }

    /// Pending rows in the order they were added, parents first within a self-referential model.
    std::vector<entry*> insert_order(session& s) {
        std::vector<entry*> pending;
        for (entry& e : entries_)
            if (e.state == status::pending) pending.push_back(&e);
        if (pending.size() < 2) return pending;
        bool self_referential = false;
        for (const auto& fk : table_info.foreign_keys) self_referential = self_referential || &fk.target() == &table_info;
        if (!self_referential) return pending;
        // Depth-first: each row after the pending rows of its own model it refers to.
        auto& parents = s.flush_state_->parents;
        std::vector<entry*> ordered;
        ordered.reserve(pending.size());
        std::unordered_map<const void*, int> mark;  // 1 visiting, 2 placed
        std::function<void(entry*)> visit = [&](entry* e) {
            int& m = mark[e->object];
            if (m != 0) return;  // placed, or a cycle (handled by a post-update)
            m = 1;
            if (auto it = parents.find(e->object); it != parents.end())
                for (const void* p : it->second)
                    if (entry* pe = find(static_cast<const T*>(p)); pe && pe->state == status::pending) visit(pe);
            mark[e->object] = 2;
            ordered.push_back(e);
        };
        for (entry* e : pending) visit(e);
        return ordered;
    }

    void plan_inserts(session& s, flush_batches& out) override {
        // Foreign keys of rows that stay: set from their (already written) parents.
        for (entry& e : entries_)
            if (e.state == status::persistent) run_links(s, e.object);

        auto rows = std::make_shared<std::vector<entry*>>(insert_order(s));
        if (rows->empty()) return;
        // before_insert for every row first, as SQLAlchemy's mapper events run: listeners may
        // still change the rows, and the INSERTs are shaped after them.
        for (entry* e : *rows) s.fire(session::mapper_event::before_insert, *e->object);
        identity_.reserve(identity_.size() + rows->size());
        // One undo record for the batch, registered before the first row: a row that fails
        // leaves those before it in the list, undone if the transaction rolls back.
        auto inserted = std::make_shared<std::vector<std::pair<entry*, rows::insert_shape>>>();
        inserted->reserve(rows->size());
        s.push_undo([this, inserted] {
            for (auto it = inserted->rbegin(); it != inserted->rend(); ++it) undo_insert(*it->first, it->second);
        });
        out.push_back(insert_batch{
            .rows = rows->size(),
            .object = [rows](std::size_t i) -> void* { return (*rows)[i]->object; },
            .before = [this, &s, rows](std::size_t i) { run_links(s, (*rows)[i]->object); },
            .on_row =
                [this, &s, rows, inserted](std::size_t i, const rows::insert_shape& shape) {
                    entry& e = *(*rows)[i];
                    e.state = status::persistent;
                    e.inserted_in_flush = true;
                    e.expired = false;
                    e.snapshot = snapshot_of(*e.object);
                    identity_[key_of(*e.object)] = &e;
                    inserted->emplace_back(&e, shape);
                    s.fire(session::mapper_event::after_insert, *e.object);
                },
            .needs_earlier_key =
                [this, &s, rows](std::size_t i) {
                    // A row whose parent (same model) is inserted earlier in this batch needs its key.
                    const auto& parents = s.flush_state_->parents;
                    const auto it = parents.find((*rows)[i]->object);
                    if (it == parents.end()) return false;
                    for (const void* p : it->second)
                        if (const entry* pe = find(static_cast<const T*>(p)); pe && pe->state == status::pending) return true;
                    return false;
                },
            .owned = nullptr,
            .send = &send_inserts<T>,
        });
    }

    void plan_updates(session& s, flush_batches& out) override {
        std::vector<entry*> changed;
        for (entry& e : entries_)
            if (e.state == status::persistent && !e.inserted_in_flush && differs(*e.object, e.snapshot)) changed.push_back(&e);
        plan_update_rows(s, changed, true, out);
    }

    /// Makes a row inserted by a rolled-back flush pending again (or detached, if it was deleted
    /// since: with the insert undone there is nothing to delete).
    void undo_insert(entry& e, const rows::insert_shape& shape) {
        identity_.erase(key_of_snapshot(e.snapshot));  // the key as inserted
        rows::forget_generated(*e.object, shape);       // a retry leaves them to the database again
        e.inserted_in_flush = false;
        // Deleted since: with the INSERT undone there is no row to delete, but the object is still
        // marked; the next flush lets it go with its cascades, and what refers to it follows.
        e.delete_when_flushed = e.state == status::deleted;
        e.state = status::pending;
    }

    /// UPDATEs the changed columns of `rows`, one executemany per set of changed columns.
    /// As SQLAlchemy: rows in primary key order (the key the database holds), so that
    /// concurrent sessions take row locks in one order; consecutive rows with the same changed
    /// columns share one executemany.
    void plan_update_rows(session& s, const std::vector<entry*>& rows, bool fire_events, flush_batches& out) {
        if (rows.empty()) return;
        if (fire_events)
            for (entry* e : rows) s.fire(session::mapper_event::before_update, *e->object);
        std::vector<std::pair<entry*, std::string>> changed;
        changed.reserve(rows.size());
        std::string mask;
        for (entry* e : rows)
            if (changed_columns(*e->object, e->snapshot, mask)) changed.emplace_back(e, mask);
        std::stable_sort(changed.begin(), changed.end(),
                         [](const auto& a, const auto& b) { return key_of_snapshot(a.first->snapshot) < key_of_snapshot(b.first->snapshot); });
        struct group {
            std::string columns;  // '0'/'1' per column
            std::vector<entry*> rows;
        };
        std::vector<std::shared_ptr<group>> groups;
        for (auto& [e, columns] : changed) {
            if (groups.empty() || groups.back()->columns != columns) groups.push_back(std::make_shared<group>(group{std::move(columns), {}}));
            groups.back()->rows.push_back(e);
        }
        for (auto& g : groups)
            out.push_back(statement_batch{
                .sql = [g](const sql::compiler& d) -> const std::string& {
                    return sql::statement_text(sql::update_changed_statement<T>{g->columns}, d);
                },
                .rows = g->rows.size(),
                .bind = [g](driver::cursor& cursor, std::size_t i) { bind_update(cursor, *g->rows[i], g->columns); },
                .on_row = [this, &s, g, fire_events](std::size_t i, std::int64_t matched) { updated(s, *g->rows[i], matched, fire_events); },
                .describe = [g](std::size_t i) { return describe_update(*g->rows[i], g->columns); },
            });
    }

    /// Row `e` was UPDATEd, matching `matched` rows: its snapshot (and identity key) follow.
    void updated(session& s, entry& e, std::int64_t matched, bool fire_events) {
        if (matched != 1)
            throw stale_data_error("reflorm: UPDATE of " + std::string(table_info.name) + " row " +
                                   describe_key<T>(key_of_snapshot(e.snapshot)) + " expected to match 1 row, matched " +
                                   std::to_string(matched) + "; another transaction changed or deleted it");
        const key_type old_key = key_of_snapshot(e.snapshot);
        s.push_undo([this, &e, before = e.snapshot] {
            identity_.erase(key_of(*e.object));
            e.snapshot = before;
            identity_[key_of_snapshot(before)] = &e;
        });
        e.snapshot = snapshot_of(*e.object);
        if (const key_type new_key = key_of(*e.object); !(new_key == old_key)) {
            identity_.erase(old_key);
            identity_[new_key] = &e;
        }
        if (fire_events) s.fire(session::mapper_event::after_update, *e.object);
    }

    /// The values an UPDATE binds, in order: the changed columns, then the key it matches.
    static std::vector<std::string> describe_update(const entry& e, std::string_view columns) {
        std::vector<std::string> out;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            ((columns[C] == '1' ? out.push_back(codec::format_column_for_message<T, C>(column<const T, C>(*e.object))) : void()), ...);
        }(std::make_index_sequence<schema::column_fields_v<T>.size()>{});
        for (auto& key : describe_key_values<T>(key_of_snapshot(e.snapshot))) out.push_back(std::move(key));
        return out;
    }

    static key_type key_of_snapshot(const snapshot_t<T>& values) {
        return [&]<std::size_t... K>(std::index_sequence<K...>) {
            return key_type{std::get<table_info.primary_key.items[K]>(values)...};
        }(std::make_index_sequence<table_info.primary_key.size>{});
    }
    key_type key_of_entry(const entry& e) const {
        return e.state == status::persistent || e.state == status::deleted ? key_of_snapshot(e.snapshot) : key_of(*e.object);
    }

    static void bind_update(driver::cursor& cursor, const entry& e, std::string_view columns) {
        int index = 0;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            ((columns[C] == '1' ? codec::bind_value(cursor, ++index, column<const T, C>(*e.object)) : void()), ...);
        }(std::make_index_sequence<schema::column_fields_v<T>.size()>{});
        bind_snapshot_key(cursor, index, e);  // the WHERE clause names the row by the key it has in the database
    }

    // ---- DELETE --------------------------------------------------------------------------

    void order_deletes(session& s) override {
        delete_rows_.clear();
        for (entry& e : entries_)
            if (e.state == status::deleted) delete_rows_.push_back(&e);
        if (delete_rows_.empty()) return;
        // Primary key order (as UPDATEs), then children before parents within the model.
        std::stable_sort(delete_rows_.begin(), delete_rows_.end(),
                         [](const entry* a, const entry* b) { return key_of_snapshot(a->snapshot) < key_of_snapshot(b->snapshot); });
        order_children_first(delete_rows_);
        auto& positions = s.flush_state_->delete_position;
        for (entry* e : delete_rows_) positions.emplace(e->object, positions.size());
    }

    void plan_null_keys_into_earlier_deletes(session& s, flush_batches& out) override {
        if (delete_rows_.empty()) return;
        const auto& positions = s.flush_state_->delete_position;
        [&]<std::size_t... F>(std::index_sequence<F...>) {
            (
                [&] {
                    constexpr const auto& fk = table_info.foreign_keys[F];
                    if constexpr (key_nullable<T, F>()) {
                        using target = schema::foreign_key_target_t<T, F>;
                        if constexpr (references_primary_key<T, F, target>()) {
                            auto& targets = s.template registry<target>();
                            std::vector<entry*> rows;
                            for (entry* e : delete_rows_) {
                                const auto key = referenced_key<T, F, target>(database_values(*e));
                                auto* te = key ? targets.find_key(*key) : nullptr;
                                if (!te) continue;
                                const auto at = positions.find(te->object);
                                // post_update: whenever the target goes too; else only where the
                                // target's DELETE comes first (a cycle).
                                if (at != positions.end() && (post_update_on_key<T, F>() || at->second < positions.at(e->object)))
                                    rows.push_back(e);
                            }
                            plan_null_key_columns(std::move(rows), fk.columns, out);
                        }
                    }
                }(),
                ...);
        }(std::make_index_sequence<table_info.foreign_keys.size()>{});
    }

    /// UPDATE rows SET <columns> = NULL by the key the database holds (the rows are deleted next).
    static void plan_null_key_columns(std::vector<entry*> rows, const schema::column_list& columns, flush_batches& out) {
        if (rows.empty()) return;
        auto mask = std::make_shared<std::string>(table_info.columns.size(), '0');
        for (auto c : columns.view()) (*mask)[c] = '1';
        auto held = std::make_shared<std::vector<entry*>>(std::move(rows));
        const auto nulls = static_cast<int>(columns.size);
        out.push_back(statement_batch{
            .sql = [mask](const sql::compiler& d) -> const std::string& {
                return sql::statement_text(sql::update_changed_statement<T>{*mask}, d);
            },
            .rows = held->size(),
            .bind =
                [held, nulls](driver::cursor& cursor, std::size_t i) {
                    for (int k = 1; k <= nulls; ++k) cursor.bind_null(k);
                    bind_snapshot_key(cursor, nulls, *(*held)[i]);
                },
            .on_row = [](std::size_t, std::int64_t) {},
            .describe =
                [held, nulls](std::size_t i) {
                    std::vector<std::string> values(static_cast<std::size_t>(nulls), "NULL");
                    for (auto& key : describe_key_values<T>(key_of_snapshot((*held)[i]->snapshot))) values.push_back(std::move(key));
                    return values;
                },
        });
    }

    /// Binds the key the database holds for `e` (its snapshot's) as parameters after+1, after+2, ...
    static void bind_snapshot_key(driver::cursor& cursor, int after, const entry& e) {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            int index = after;
            (codec::bind_value(cursor, ++index, std::get<table_info.primary_key.items[K]>(e.snapshot)), ...);
        }(std::make_index_sequence<table_info.primary_key.size>{});
    }

    void plan_deletes(session& s, flush_batches& out) override {
        auto rows = std::make_shared<std::vector<entry*>>(std::move(delete_rows_));
        delete_rows_.clear();
        if (rows->empty()) return;
        for (entry* e : *rows) s.fire(session::mapper_event::before_delete, *e->object);
        out.push_back(statement_batch{
            .sql = [](const sql::compiler& d) -> const std::string& {
                return sql::statement_text(sql::delete_by_primary_key_statement<T>{}, d);
            },
            .rows = rows->size(),
            .bind = [rows](driver::cursor& cursor, std::size_t i) { bind_snapshot_key(cursor, 0, *(*rows)[i]); },
            .on_row = [this, &s, rows](std::size_t i, std::int64_t matched) { deleted(s, *(*rows)[i], matched); },
            .describe = [rows](std::size_t i) { return describe_key_values<T>(key_of_snapshot((*rows)[i]->snapshot)); },
        });
    }

    /// Row `e` was DELETEd, matching `matched` rows: it leaves the identity map (until a rollback).
    void deleted(session& s, entry& e, std::int64_t matched) {
        if (matched != 1)
            throw stale_data_error("reflorm: DELETE of " + std::string(table_info.name) + " row " +
                                   describe_key<T>(key_of_snapshot(e.snapshot)) + " expected to match 1 row, matched " +
                                   std::to_string(matched) + "; another transaction deleted it");
        identity_.erase(key_of_snapshot(e.snapshot));
        e.state = status::gone;
        s.flush_state_->deleted_rows = true;
        s.push_undo([this, &e] {
            e.state = status::deleted;
            e.delete_cascaded = false;
            identity_[key_of_snapshot(e.snapshot)] = &e;
        });
        s.fire(session::mapper_event::after_delete, *e.object);
    }

    /// The object as the database holds it (its snapshot), for what must follow the rows.
    static T database_values(const entry& e) {
        T values{};
        restore_columns(values, e.snapshot);
        return values;
    }

    /// Within a self-referential model, rows that refer to other deleted rows go first (by the
    /// keys the database holds, not those changed in memory).
    void order_children_first(std::vector<entry*>& rows) {
        std::vector<entry*> ordered;
        std::unordered_map<const entry*, int> mark;
        std::unordered_map<const entry*, std::vector<entry*>> children;  // parent -> deleted children
        [&]<std::size_t... F>(std::index_sequence<F...>) {
            (
                [&] {
                    if constexpr (references<T>(table_info.foreign_keys[F]) && references_primary_key<T, F, T>())
                        for (entry* e : rows)
                            if (auto key = referenced_key<T, F, T>(database_values(*e)))
                                if (entry* parent = find_key(*key); parent && parent != e && parent->state == status::deleted)
                                    children[parent].push_back(e);
                }(),
                ...);
        }(std::make_index_sequence<table_info.foreign_keys.size()>{});
        if (children.empty()) return;
        std::function<void(entry*)> visit = [&](entry* e) {
            if (mark[e]) return;
            mark[e] = 1;
            for (entry* child : children[e]) visit(child);
            ordered.push_back(e);
        };
        for (entry* e : rows) visit(e);
        rows = std::move(ordered);
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
                using info = relationship_info_at<T, decltype(field)::value>;
                using target = typename info::target;
                auto& member = reflect::get<info::field>(*e.object);
                if (!relationship_access::loaded(member)) return;
                auto& targets = s.template registry<target>();
                const auto gone = [&](target* t) {
                    const auto* te = t ? targets.find(t) : nullptr;
                    return te && te->state == registry<target>::status::gone;
                };
                if constexpr (info::is_collection) {
                    auto& items = relationship_access::items(member);
                    const auto& committed = relationship_access::committed(member);
                    if (std::none_of(items.begin(), items.end(), gone) && std::none_of(committed.begin(), committed.end(), gone)) return;
                    s.push_undo([&member, before = committed, known = relationship_access::committed_known(member)] {
                        relationship_access::restore_committed(member, before, known);
                    });
                    items.erase(std::remove_if(items.begin(), items.end(), gone), items.end());
                    auto kept = committed;
                    kept.erase(std::remove_if(kept.begin(), kept.end(), gone), kept.end());
                    relationship_access::restore_committed(member, std::move(kept), relationship_access::committed_known(member));
                } else {
                    target* now = relationship_access::target(member);
                    target* before = relationship_access::committed(member);
                    if (!gone(now) && !gone(before)) return;
                    s.push_undo([&member, before, known = relationship_access::committed_known(member)] {
                        relationship_access::restore_committed(member, before, known);
                    });
                    if (gone(now)) relationship_access::set_target(member, static_cast<target*>(nullptr));
                    if (gone(before)) relationship_access::restore_committed(member, static_cast<target*>(nullptr), true);
                }
            });
        }
    }

    void finish_flush(session& s) override {
        for (entry& e : entries_) {
            if (e.state != status::persistent) continue;
            e.inserted_in_flush = false;
            for_each_relationship([&](auto field) {
                auto& member = reflect::get<decltype(field)::value>(*e.object);
                if (!relationship_access::loaded(member)) return;
                const bool known = relationship_access::committed_known(member);
                auto before = relationship_access::committed(member);
                using member_type = std::remove_cvref_t<decltype(member)>;
                if constexpr (member_type::is_collection) {
                    if (known && relationship_access::items(member) == before) {
                        // Taken out and put back (or never written) since the last flush: what
                        // was removed is settled now, also when the list is as it was.
                        if (!relationship_access::removed(member).empty())
                            s.push_undo([&member, removed = relationship_access::take_removed(member)]() mutable {
                                relationship_access::restore_removed(member, std::move(removed));
                            });
                        return;
                    }
                } else {
                    if (known && relationship_access::target(member) == before) return;
                }
                if constexpr (member_type::is_collection) {
                    s.push_undo([&member, before = std::move(before), known, removed = relationship_access::removed(member)]() mutable {
                        relationship_access::restore_committed(member, before, known);
                        relationship_access::restore_removed(member, std::move(removed));
                    });
                } else {
                    s.push_undo([&member, before = std::move(before), known] { relationship_access::restore_committed(member, before, known); });
                }
                relationship_access::mark_committed(member);
            });
        }
    }

    void begin_flush() override {
        for (entry& e : entries_) {
            e.delete_cascaded = false;
            if (e.read_only && (e.state == status::persistent || e.state == status::deleted)) take_as_stored(e);
        }
    }
    /// A read_only object's values are what the flush takes the database to hold (its changes
    /// are not written), its key excepted: a changed key is an error.
    void take_as_stored(entry& e) {
        if (!(key_of(*e.object) == key_of_snapshot(e.snapshot)))
            throw invalid_request_error("reflorm: the primary key of a " + std::string(table_info.model_name) + " " +
                                        describe_key<T>(key_of_snapshot(e.snapshot)) +
                                        " read with execution_options{.read_only = true} was changed; a read_only object's "
                                        "changes are never written: read it again without read_only to change it");
        e.snapshot = snapshot_of(*e.object);
    }

    void expire_all() override {
        for (entry& e : entries_)
            if (e.state == status::persistent) expire(e);
    }
    /// The next query or get() reloads the columns, and the next load the relationships, as
    /// SQLAlchemy expires both (here they stay readable until then).
    static void expire(entry& e) {
        e.expired = true;
        for_each_relationship([&](auto field) { relationship_access::expire(reflect::get<decltype(field)::value>(*e.object)); });
    }

    void discard(session& s, std::uint64_t since) override {
        for (entry& e : entries_) {
            switch (e.state) {
            case status::pending:
                if (e.sequence >= since) {
                    untrack(e, false);
                    e.state = status::detached;
                }
                break;
            case status::deleted:
                e.state = status::persistent;
                [[fallthrough]];
            case status::persistent:
                if (!e.read_only) restore_columns(*e.object, e.snapshot);  // read_only: as they are, expired
                for_each_relationship([&](auto field) {
                    for (auto& dropped : relationship_access::discard_changes(reflect::get<decltype(field)::value>(*e.object)))
                        s.store_->discarded.push_back(std::move(dropped));
                });
                e.expired = true;
                break;
            default:
                break;
            }
        }
    }

    void detach_all() override {
        for (entry& e : entries_) {
            if (e.state == status::pending || e.state == status::persistent || e.state == status::deleted || e.state == status::gone)
                untrack(e, true);
            e.state = status::detached;
        }
        identity_.clear();
    }

    void forget_deleted() override {
        for (entry& e : entries_)
            if (e.state == status::gone) {
                untrack(e, true);
                e.state = status::detached;
            }
    }

    object_state state_of(const T* object) const {
        const entry* e = find(object);
        if (!e) {
            const node* n = node_of(object);
            return released_.contains(object) || (n && n->e.released) ? object_state::detached : object_state::transient;
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
        for (entry& e : entries_)
            if (e.state == status::deleted || (e.state == status::pending && e.delete_when_flushed)) out.push_back(e.object);
        return out;
    }

private:
    // An object the session stores (add() by value, a row read) and its entry, side by side.
    struct node {
        T object;
        entry e;
        explicit node(T&& value) : object(std::move(value)) { e.object = &object; }
        node(const node&) = delete;
        node& operator=(const node&) = delete;
    };
    // Nodes never move: a chunk is allocated once, filled in order, freed with the registry.
    struct chunk {
        node* nodes;
        std::size_t size;
        std::size_t capacity;
    };
    static constexpr std::size_t first_chunk = 64;
    static constexpr std::size_t max_chunk = std::size_t{1} << 15;  // nodes; more only on reserve()

    node& emplace_node(T&& value) {
        if (chunks_.empty() || chunks_.back().size == chunks_.back().capacity) add_chunk();
        chunk& c = chunks_.back();
        node* n = std::construct_at(c.nodes + c.size, std::move(value));
        ++c.size;
        return *n;
    }
    void add_chunk() {
        const std::size_t capacity =
            std::max(next_capacity_, chunks_.empty() ? first_chunk : std::min(chunks_.back().capacity * 2, max_chunk));
        chunks_.reserve(chunks_.size() + 1);
        by_address_.reserve(by_address_.size() + 1);
        node* nodes = std::allocator<node>{}.allocate(capacity);
        chunks_.push_back({nodes, 0, capacity});
        next_capacity_ = 0;
        const auto at = reinterpret_cast<std::uintptr_t>(nodes);
        const auto pos = std::upper_bound(by_address_.begin(), by_address_.end(), at,
                                          [](std::uintptr_t a, const auto& c) { return a < c.first; });
        by_address_.insert(pos, {at, chunks_.size() - 1});
    }
    /// The node holding `object` at its start, if one of this registry's chunks does.
    const node* node_of(const T* object) const {
        const auto at = reinterpret_cast<std::uintptr_t>(object);
        auto it = std::upper_bound(by_address_.begin(), by_address_.end(), at, [](std::uintptr_t a, const auto& c) { return a < c.first; });
        if (it == by_address_.begin()) return nullptr;
        const chunk& c = chunks_[std::prev(it)->second];
        const std::size_t i = (at - std::prev(it)->first) / sizeof(node);
        return i < c.size && &c.nodes[i].object == object ? &c.nodes[i] : nullptr;
    }
    node* node_of(const T* object) { return const_cast<node*>(std::as_const(*this).node_of(object)); }
    /// find() stops returning e; state_of says detached when `released`, transient otherwise.
    void untrack(entry& e, bool released) {
        e.released = released;
        if (!e.loose) return;
        if (auto it = loose_.find(e.object); it != loose_.end() && it->second == &e) loose_.erase(it);
        if (released) released_.insert(e.object);
    }

    // Every entry, in the order its object joined the session; the entries do not move.
    class entry_list {
    public:
        struct iterator {
            typename std::vector<entry*>::const_iterator at;
            entry& operator*() const { return **at; }
            iterator& operator++() {
                ++at;
                return *this;
            }
            bool operator==(const iterator&) const = default;
        };
        iterator begin() const { return {list_.begin()}; }
        iterator end() const { return {list_.end()}; }
        std::size_t size() const noexcept { return list_.size(); }
        entry& operator[](std::size_t i) const { return *list_[i]; }
        void reserve(std::size_t n) { list_.reserve(n); }
        void reserve_one() {
            if (list_.size() == list_.capacity()) list_.reserve(std::max<std::size_t>(16, list_.size() * 2));
        }
        void push_back(entry* e) { list_.push_back(e); }

    private:
        std::vector<entry*> list_;
    };

    std::vector<chunk> chunks_;
    std::vector<std::pair<std::uintptr_t, std::size_t>> by_address_;  // chunk start, index in chunks_; sorted
    std::size_t next_capacity_ = 0;                                     // reserve()'s size for the next chunk
    std::deque<entry> loose_entries_;                                   // for objects not in a node
    boost::unordered_flat_map<const T*, entry*> loose_;                 // their tracked entries
    std::vector<std::shared_ptr<T>> adopted_;                           // handles given to track_pending: kept alive
    entry_list entries_;
    boost::unordered_flat_map<key_type, entry*, boost::hash<key_type>> identity_;
    boost::unordered_flat_set<const T*> released_;  // loose objects let go of: detached (not transient) for state_of
    std::size_t cascaded_ = 0;
    std::vector<entry*> delete_rows_;  // this flush's rows to DELETE, in order (order_deletes)
};

}  // namespace orm_detail
}  // namespace reflorm
