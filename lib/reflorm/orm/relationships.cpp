// What relationship members and the session's flush steps on them do whatever the model:
// compiled once here rather than for each element type and each model (issue 13).
#include <reflorm/orm/session.hpp>

#include <algorithm>
#include <utility>

namespace reflorm::orm_detail {

// ---- many_base ----------------------------------------------------------------------------

many_base::many_base(const many_base& other, copy_function copy) : name_(other.name_) {
    loaded_ = other.loaded_;
    copied_ = other.copied_;
    if (!other.loaded_) return;
    std::vector<std::shared_ptr<void>> copies;
    for (void* item : other.items_) {
        const auto owned = std::find_if(other.owned_.begin(), other.owned_.end(), [&](const auto& o) { return o.get() == item; });
        if (owned == other.owned_.end()) {
            loaded_ = false;  // holds a session's objects: not kept alive by a copy
            copied_ = true;
            return;
        }
        copies.push_back(copy(owned->get()));  // a value: copied with it
    }
    for (auto& c : copies) items_.push_back(c.get());
    owned_ = std::move(copies);
}

many_base::many_base(many_base&& other) noexcept
    : items_(std::move(other.items_)), owned_(std::move(other.owned_)), committed_(std::move(other.committed_)),
      removed_(std::move(other.removed_)), name_(other.name_), loaded_(std::exchange(other.loaded_, true)),
      committed_known_(std::exchange(other.committed_known_, false)), copied_(std::exchange(other.copied_, false)),
      expired_(std::exchange(other.expired_, false)) {
    other.clear_all();
}

many_base& many_base::operator=(many_base&& other) noexcept {
    if (this != &other) {
        items_ = std::move(other.items_);
        owned_ = std::move(other.owned_);
        committed_ = std::move(other.committed_);
        removed_ = std::move(other.removed_);
        name_ = other.name_;
        loaded_ = std::exchange(other.loaded_, true);
        committed_known_ = std::exchange(other.committed_known_, false);
        copied_ = std::exchange(other.copied_, false);
        expired_ = std::exchange(other.expired_, false);
        other.clear_all();
    }
    return *this;
}

void many_base::copy_assign(const many_base& other, copy_function copy) {
    if (this != &other) {
        many_base c(other, copy);
        *this = std::move(c);
    }
}

many_base::~many_base() = default;

void many_base::clear_all() noexcept {
    items_.clear();
    owned_.clear();
    committed_.clear();
    removed_.clear();
}

void* many_base::push_owned(std::shared_ptr<void> owned) {
    require_loaded();
    expired_ = false;  // a changed collection is not reloaded over
    items_.push_back(owned.get());
    owned_.push_back(std::move(owned));
    return items_.back();
}

void many_base::push(void* object) {
    require_loaded();
    expired_ = false;
    items_.push_back(object);
}

bool many_base::remove(const void* object) {
    require_loaded();
    expired_ = false;
    for (auto it = items_.begin(); it != items_.end(); ++it)
        if (*it == object) {
            removed_.push_back(*it);
            items_.erase(it);
            return true;
        }
    return false;
}

bool many_base::contains(const void* object) const {
    for (void* item : checked())
        if (item == object) return true;
    return false;
}

void many_base::clear() {
    require_loaded();
    expired_ = false;
    removed_.insert(removed_.end(), items_.begin(), items_.end());
    items_.clear();
}

}  // namespace reflorm::orm_detail

namespace reflorm::orm_detail {

// ---- relationship_flush -------------------------------------------------------------------

void relationship_flush::drop_gone_items(session& s, many_base& member, bool (*gone)(session&, const void*)) {
    const auto is_gone = [&](void* t) { return t && gone(s, t); };
    auto& items = relationship_access::item_list(member);
    const auto& committed = relationship_access::committed_list(member);
    if (std::none_of(items.begin(), items.end(), is_gone) && std::none_of(committed.begin(), committed.end(), is_gone)) return;
    s.push_undo([&member, before = committed, known = relationship_access::committed_known(member)] {
        relationship_access::restore_committed(member, before, known);
    });
    items.erase(std::remove_if(items.begin(), items.end(), is_gone), items.end());
    auto kept = committed;
    kept.erase(std::remove_if(kept.begin(), kept.end(), is_gone), kept.end());
    relationship_access::restore_committed(member, std::move(kept), relationship_access::committed_known(member));
}

void relationship_flush::settle_items(session& s, many_base& member) {
    const bool known = relationship_access::committed_known(member);
    auto before = relationship_access::committed_list(member);
    if (known && relationship_access::item_list(member) == before) {
        // Taken out and put back (or never written) since the last flush: what was removed is
        // settled now, also when the list is as it was.
        if (!relationship_access::removed_list(member).empty())
            s.push_undo([&member, removed = relationship_access::take_removed(member)]() mutable {
                relationship_access::restore_removed(member, std::move(removed));
            });
        return;
    }
    s.push_undo([&member, before = std::move(before), known, removed = relationship_access::removed_list(member)]() mutable {
        relationship_access::restore_committed(member, before, known);
        relationship_access::restore_removed(member, std::move(removed));
    });
    relationship_access::mark_committed(member);
}

}  // namespace reflorm::orm_detail

namespace reflorm::orm_detail {

// A rolled-back flush restores what the database holds (committed), never the user's edits
// made since: an element the mirror appended is taken out again, unless the user has.
void relationship_flush::mirror(session& s, many_base& back, void* owner, bool add) {
    if (!relationship_access::loaded(back)) return;
    auto& items = relationship_access::item_list(back);
    const bool appended = add && std::find(items.begin(), items.end(), owner) == items.end();
    s.push_undo([&back, owner, appended, committed = relationship_access::committed_list(back),
                 known = relationship_access::committed_known(back)] {
        if (appended) {
            auto& now = relationship_access::item_list(back);
            now.erase(std::remove(now.begin(), now.end(), owner), now.end());
        }
        relationship_access::restore_committed(back, committed, known);
    });
    if (add)
        relationship_access::append_committed(back, owner);
    else
        relationship_access::erase_committed(back, owner);
}

}  // namespace reflorm::orm_detail

namespace reflorm::orm_detail {

void relationship_flush::link(session& s, void* child, void* parent, void (*sync)(session&, void*, void*)) {
    flush_state& fs = *s.flush_state_;
    fs.links[child].push_back({sync, &s, child, parent});
    fs.parents[child].push_back(parent);
}

void relationship_flush::collect_children(session& s, const children_ops& ops, void* owner, bool owner_new, bool known,
                                          const std::vector<void*>& now, const std::vector<void*>& before,
                                          const std::vector<void*>* removed) {
    flush_state& fs = *s.flush_state_;
    for (void* child : now) {
        fs.linked.insert(child);
        const bool child_pending = ops.state(s, child) == target_state::pending;
        const bool added = !known || std::find(before.begin(), before.end(), child) == before.end();
        if (added || owner_new || child_pending || !ops.key_matches(child, owner)) {
            link(s, child, owner, ops.sync);
            ops.set_back(child, owner);
        }
    }
    if (removed) {
        // New objects taken out again before any flush: orphans never written. (A persistent
        // one put in and taken out again was never a member: nothing to do.)
        for (void* child : *removed) {
            const target_state state = ops.state(s, child);
            if ((state == target_state::none || state == target_state::pending) && std::find(now.begin(), now.end(), child) == now.end() &&
                std::find(before.begin(), before.end(), child) == before.end())
                fs.removals.push_back({ops.remove_child, &s, owner, child});
        }
    }
    if (!known) return;
    for (void* child : before) {
        if (std::find(now.begin(), now.end(), child) != now.end()) continue;
        fs.removals.push_back({ops.remove_child, &s, owner, child});
    }
}

void relationship_flush::collect_associations(session& s, const association_ops& ops, std::size_t secondary, void* owner,
                                              bool owner_pending, bool known, const std::vector<void*>& now,
                                              const std::vector<void*>& before) {
    flush_state& fs = *s.flush_state_;
    for (void* t : now) {
        const bool target_new = ops.state(s, t) == target_state::pending;
        if (known && std::find(before.begin(), before.end(), t) != before.end() && !owner_pending && !target_new) continue;
        if (ops.back) mirror(s, *ops.back(t), owner, true);
        if (!fs.association_rows.insert(association_key(secondary, ops.owner_first, owner, t)).second) continue;
        fs.association_inserts.push_back({ops.plan_insert, &s, owner, t});
    }
    if (!known) return;
    for (void* t : before) {
        if (std::find(now.begin(), now.end(), t) != now.end()) continue;
        if (ops.back) mirror(s, *ops.back(t), owner, false);
        if (!fs.association_rows.insert(association_key(secondary, ops.owner_first, owner, t)).second) continue;
        fs.association_deletes.push_back({ops.plan_delete, &s, owner, t});
    }
}

std::string relationship_flush::association_key(std::size_t secondary, bool owner_first, const void* owner, const void* target) {
    // The row is the same whichever side lists it: the two objects ordered by the secondary's
    // foreign key numbers.
    const void* first = owner_first ? owner : target;
    const void* second = owner_first ? target : owner;
    return std::to_string(secondary) + ':' + std::to_string(reinterpret_cast<std::uintptr_t>(first)) + ':' +
           std::to_string(reinterpret_cast<std::uintptr_t>(second));
}

}  // namespace reflorm::orm_detail

namespace reflorm::orm_detail {

void relationship_flush::deleted_parent_lists(session& s, const many_base& collection, target_state (*state)(session&, const void*),
                                              std::vector<void*>& children, std::vector<void*>& removed) {
    children = collection.items_;
    for (void* t : collection.committed_)
        if (std::find(children.begin(), children.end(), t) == children.end()) removed.push_back(t);
    for (void* t : collection.removed_) {
        if (state(s, t) == target_state::pending && std::find(children.begin(), children.end(), t) == children.end() &&
            std::find(removed.begin(), removed.end(), t) == removed.end())
            removed.push_back(t);
    }
}

bool relationship_flush::delete_parent_of(session& s, const delete_ops& ops, void* parent, const std::vector<void*>& children,
                                          const std::vector<void*>& removed) {
    bool marked = false;
    for (void* child : removed)
        if (!s.flush_state_->linked.contains(child)) ops.remove_child(s, parent, child);
    for (void* child : children) {
        const target_state state = ops.state(s, child);
        if (state == target_state::none || state == target_state::deleted || state == target_state::gone) continue;
        if (ops.mark_deleted)
            marked |= ops.mark_deleted(s, child);
        else if (!s.flush_state_->linked.contains(child))
            ops.leave_child(child, parent);
    }
    return marked;
}

}  // namespace reflorm::orm_detail

namespace reflorm::orm_detail {

bool relationship_flush::save_targets(session& s, const save_ops& ops, const std::vector<std::shared_ptr<void>>& owned,
                                      void* const* targets, std::size_t count, bool parent_deleted) {
    bool adopted = false;
    for (const auto& o : owned) {
        if (ops.state(s, o.get()) != target_state::none) continue;
        ops.adopt(s, o);
        adopted = true;
    }
    for (std::size_t i = 0; i < count; ++i) {
        void* t = targets[i];
        if (!t || ops.state(s, t) != target_state::none) continue;
        const auto o = std::find_if(owned.begin(), owned.end(), [&](const auto& p) { return p.get() == t; });
        if (o == owned.end()) {
            // A deleted parent may still list a child the session let go of (a pending child
            // deleted with it, then the flush rolled back): the parent's row goes, so that
            // reference writes nothing.
            if (parent_deleted) continue;
            // Another relationship may own it by value and adopt it later in this cascade:
            // checked once the cascade is complete.
            s.cascade_checks_.push_back({ops.check_reached, &s, t, nullptr});
            continue;
        }
        ops.adopt(s, *o);
        adopted = true;
    }
    return adopted;
}

}  // namespace reflorm::orm_detail

namespace reflorm::orm_detail {

// ---- one_base -----------------------------------------------------------------------------

one_base::one_base(const one_base& other, copy_function copy) : name_(other.name_) {
    loaded_ = other.loaded_;
    copied_ = other.copied_;
    if (!other.loaded_ || !other.target_) return;
    if (other.owned_ && other.owned_.get() == other.target_) {
        owned_ = copy(other.owned_.get());  // a value: copied with it
        target_ = owned_.get();
        return;
    }
    if (other.watched_ && !other.alive_.expired()) {  // a handle the user gave: still alive
        target_ = other.target_;
        watched_ = true;
        alive_ = other.alive_;
        return;
    }
    loaded_ = false;  // a session's object: not kept alive by a copy
    copied_ = true;
}

one_base::one_base(one_base&& other) noexcept
    : target_(std::exchange(other.target_, nullptr)), owned_(std::move(other.owned_)), committed_(std::exchange(other.committed_, nullptr)),
      name_(other.name_), loaded_(std::exchange(other.loaded_, true)), committed_known_(std::exchange(other.committed_known_, false)),
      copied_(std::exchange(other.copied_, false)), expired_(std::exchange(other.expired_, false)),
      assigned_(std::exchange(other.assigned_, false)), watched_(std::exchange(other.watched_, false)), alive_(std::move(other.alive_)) {}

one_base& one_base::operator=(one_base&& other) noexcept {
    if (this != &other) {
        target_ = std::exchange(other.target_, nullptr);
        owned_ = std::move(other.owned_);
        committed_ = std::exchange(other.committed_, nullptr);
        name_ = other.name_;
        loaded_ = std::exchange(other.loaded_, true);
        committed_known_ = std::exchange(other.committed_known_, false);
        copied_ = std::exchange(other.copied_, false);
        expired_ = std::exchange(other.expired_, false);
        assigned_ = std::exchange(other.assigned_, false);
        watched_ = std::exchange(other.watched_, false);
        alive_ = std::move(other.alive_);
    }
    return *this;
}

void one_base::copy_assign(const one_base& other, copy_function copy) {
    if (this != &other) {
        one_base c(other, copy);
        *this = std::move(c);
    }
}

one_base::~one_base() = default;

void one_base::assign(void* target, std::shared_ptr<void> owned) {
    assigned_ = assigned_ || !loaded_ || expired_;  // the relationship, not the key, says the truth now
    target_ = target;
    owned_ = std::move(owned);
    loaded_ = true;
    copied_ = false;
    expired_ = false;  // what the user set is not reloaded over
    unwatch();
}

// ---- relationship_flush on a one<X> ----------------------------------------------------------

void relationship_flush::drop_gone_target(session& s, one_base& member, bool (*gone_at)(session&, const void*)) {
    const auto gone = [&](void* t) { return t && gone_at(s, t); };
    void* now = member.target_;
    void* before = member.committed_;
    if (!gone(now) && !gone(before)) return;
    s.push_undo([&member, before, known = member.committed_known_] { relationship_access::restore_committed(member, before, known); });
    if (gone(now)) relationship_access::set_target(member, nullptr);
    if (gone(before)) relationship_access::restore_committed(member, nullptr, true);
}

void relationship_flush::settle_target(session& s, one_base& member) {
    const bool known = member.committed_known_;
    void* before = member.committed_;
    if (known && member.target_ == before) return;
    s.push_undo([&member, before, known] { relationship_access::restore_committed(member, before, known); });
    relationship_access::mark_committed(member);
}

void relationship_access::set_items_loaded(many_base& r, std::vector<void*> items, const relationship_name* name) {
    r.items_ = std::move(items);
    r.owned_.clear();
    r.loaded_ = true;
    r.copied_ = false;
    r.expired_ = false;
    r.removed_.clear();
    r.name_ = name;
    r.committed_ = r.items_;
    r.committed_known_ = true;
}

}  // namespace reflorm::orm_detail
