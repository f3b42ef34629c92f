#pragma once
// What every loader strategy needs from the session: its registries (identity maps), its
// connection, and the relationship members' internals.
#include <reflorm/orm/detail/address_set.hpp>
#include <reflorm/orm/session.hpp>

#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <tuple>
#include <type_traits>
#include <vector>

namespace reflorm::orm_detail {

struct session_access {
    template <class T>
    static registry<T>& registry_of(session& s) {
        return s.registry<T>();
    }
    static void release_batch(session& s, std::shared_ptr<batch_block> b) noexcept { s.release_batch(std::move(b)); }
    template <class T>
    static std::shared_ptr<T> handle(const session& s, T* object) {
        return s.handle(object);
    }
    static bool flushing(const session& s) noexcept { return s.flushing_; }
    static void autoflush(session& s) { s.autoflush(); }
    /// See session::touch (yield_per batches).
    static void touch(session& s, const void* object) noexcept { s.touch(object); }
    template <class T>
    static void touch_all(session& s, const std::vector<T*>& objects) noexcept {
        if (s.current_batch())
            for (const T* object : objects) s.touch(object);
    }
};

/// The parent query of a level below a selectinload or joinedload: none, so no subqueryload.
struct no_parent_query {};

/// Marks the relationship Info of `owner` loaded and empty (noload).
template <class Info, class T>
void set_loaded_empty(T& owner) {
    auto& member = reflect::get<Info::field>(owner);
    if constexpr (Info::is_collection)
        relationship_access::set_items_loaded(member, {}, &Info::name);
    else
        relationship_access::set_loaded(member, static_cast<typename Info::target*>(nullptr), &Info::name);
}

/// Binds a key tuple's values as parameters index+1, index+2, ...
template <class Tuple>
void bind_key(driver::cursor& cursor, int& index, const Tuple& key) {
    std::apply([&](const auto&... value) { (codec::bind_value(cursor, ++index, value), ...); }, key);
}

/// Reads result columns first, first+1, ... into a key tuple.
template <class Tuple>
Tuple read_key(driver::cursor& cursor, int first) {
    Tuple key;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (codec::read_value(cursor, first + static_cast<int>(I), std::get<I>(key), "key"), ...);
    }(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
    return key;
}

/// SELECT <T's columns> FROM T WHERE <primary key> = key (which outlives the query), each row
/// handed to on_row.
template <class T, class OnRow>
std::unique_ptr<query_rows> primary_key_query(const identity_key_t<T>& key, OnRow on_row) {
    return make_keyed_query(sql::get_by_primary_key_statement<T>{},
                       [&key](driver::cursor& cursor) {
                           int index = 0;
                           bind_key(cursor, index, key);
                       },
                       [&key] { return describe_key_values<T>(key); }, std::move(on_row));
}

/// Objects whose relationship Info is not loaded yet, or expired, each once, in order.
template <class Info, class T>
std::vector<T*> unloaded(const std::vector<T*>& owners) {
    std::vector<T*> out;
    address_set seen;
    for (T* owner : owners)
        if (relationship_access::needs_load(reflect::get<Info::field>(*owner)) && seen.insert(owner)) out.push_back(owner);
    return out;
}

/// Whether a relationship of T loads with selectin by default (a query per batch).
template <class T>
inline constexpr bool default_selectin = []<std::size_t... R>(std::index_sequence<R...>) {
    return ((relationship_info_at<T, relationship_fields_v<T>[R]>::default_loader == loader_strategy::selectin) || ...);
}(std::make_index_sequence<relationship_fields_v<T>.size()>{});

/// Whether a relationship of T loads by default (relationship<...>.lazy(selectin or noload)): the
/// objects of a level need collecting for the level below only if so, or if options go below.
template <class T>
inline constexpr bool has_default_loaders = [] {
    return []<std::size_t... R>(std::index_sequence<R...>) {
        return ((relationship_info_at<T, relationship_fields_v<T>[R]>::default_loader != loader_strategy::raise) || ...);
    }(std::make_index_sequence<relationship_fields_v<T>.size()>{});
}();

/// Where each owner of a loader's step is, by key: the map from the owner's key to its place.
/// It depends on the key type only (most models share one), not on the target; its members are
/// kept out of line so that a program compiles them once per key type, not once per loader
/// (compile time, issue 13).
template <class Key>
class key_places {
public:
    static constexpr std::size_t none = static_cast<std::size_t>(-1);
    /// Forgets every owner and makes room for `owners`.
    [[gnu::noinline]] void reset(std::size_t owners) {
        places_.clear();
        places_.reserve(owners);
    }
    /// The owner at `place` has this key.
    [[gnu::noinline]] void expect(const Key& key, std::size_t place) { places_.emplace(key, place); }
    /// The place of the owner with this key, or `none`.
    [[gnu::noinline]] std::size_t find(const Key& key) const {
        const auto it = places_.find(key);
        return it == places_.end() ? none : it->second;
    }
    void clear() { places_ = {}; }

private:
    boost::unordered_flat_map<Key, std::size_t, boost::hash<Key>> places_;
};

/// The targets a loader found, grouped by owner: a list per owner, in the order of the step's
/// owners, found through key_places; each group is moved into its owner's relationship as it
/// stands. Untyped (each a target of the relationship): one class per key type.
template <class Key>
class grouped_targets {
public:
    /// Makes room for `owners` groups, all empty, and forgets any earlier ones.
    void reset(std::size_t owners) {
        places_.reset(owners);
        groups_.clear();
        groups_.resize(owners);
    }
    /// The owner at `place` (0 .. owners - 1) has this key.
    void expect(const Key& key, std::size_t place) { places_.expect(key, place); }
    /// Adds t to the group of the owner with this key; none (a parent the step does not load): nothing.
    void add(const Key& key, void* t) {
        if (const std::size_t place = places_.find(key); place != key_places<Key>::none) groups_[place].push_back(t);
    }
    /// The targets of the owner at `place`, moved out.
    std::vector<void*> take(std::size_t place) { return std::move(groups_[place]); }
    void clear() {
        places_.clear();
        groups_ = {};
    }

private:
    key_places<Key> places_;
    std::vector<std::vector<void*>> groups_;
};

/// A step's grouped_targets for owners of T: each owner expected at its place in `owners`.
template <class Key, class T>
void expect_owners(grouped_targets<Key>& found, const std::vector<T*>& owners) {
    found.reset(owners.size());
    for (std::size_t i = 0; i < owners.size(); ++i) found.expect(key_of(*owners[i]), i);
}

/// Every target the owners' relationship Info now refers to, each once: the owners of the next level.
template <class Info, class T>
std::vector<typename Info::target*> targets_of(const std::vector<T*>& owners) {
    std::vector<typename Info::target*> out;
    address_set seen;
    for (T* owner : owners) {
        const auto& member = reflect::get<Info::field>(*owner);
        if (!relationship_access::loaded(member)) continue;
        if constexpr (Info::is_collection) {
            for (auto* t : relationship_access::items(member))
                if (seen.insert(t)) out.push_back(t);
        } else if (auto* t = relationship_access::target(member); t && seen.insert(t)) {
            out.push_back(t);
        }
    }
    return out;
}

/// Sets `member` (relationship Info of `owner`) loaded with the targets found for it (each a
/// target, untyped), and their many-to-one back to `owner` where not loaded: a lazy load's and
/// a selectinload's or subqueryload's last step.
template <class Info, class Target, class Member, class T>
void set_found_targets(Member& member, T* owner, std::vector<void*> items) {
    if constexpr (Info::has_back && Info::kind != relationship_kind::many_to_many) {
        using back_info = relationship_info<Info::back>;
        if constexpr (!back_info::is_collection)
            for (void* child : items) {
                auto& back = static_cast<Target*>(child)->*Info::back;
                if (!relationship_access::loaded(back)) relationship_access::set_target_loaded(back, owner, &back_info::name);
            }
    }
    if constexpr (Info::is_collection)
        relationship_access::set_items_loaded(member, std::move(items), &Info::name);
    else
        relationship_access::set_target_loaded(member, items.empty() ? nullptr : items.front(), &Info::name);
}

/// Sets the loaded targets of each owner (`found`, reset with these owners), and the targets'
/// many-to-one back to the owner, which then needs no query of its own.
template <class Info, class T, class Key>
void assign_grouped(const std::vector<T*>& owners, grouped_targets<Key>& found) {
    using target = typename Info::target;
    for (std::size_t place = 0; place < owners.size(); ++place) {  // the owners found was reset with
        T* owner = owners[place];
        auto& member = reflect::get<Info::field>(*owner);
        std::vector<void*> items = found.take(place);
        set_found_targets<Info, target>(member, owner, std::move(items));
    }
}

/// Sets each owner's many-to-one target from the identity map, by the owner's foreign key.
template <class Info, class T>
void assign_by_foreign_key(session& s, const std::vector<T*>& owners) {
    using target = typename Info::target;
    auto& targets = session_access::registry_of<target>(s);
    for (T* owner : owners) {
        auto key = referenced_key<T, Info::foreign_key, target>(*owner);
        auto* e = key ? targets.find_key(*key) : nullptr;
        if (e) session_access::touch(s, e->object());  // may be an owner one level down
        relationship_access::set_loaded(reflect::get<Info::field>(*owner), e ? e->object() : nullptr, &Info::name);
    }
}

template <class Info>
struct check_loadable {
    static constexpr bool value = [] {
        if constexpr (Info::kind == relationship_kind::many_to_one)
            return references_primary_key<typename Info::owner, Info::foreign_key, typename Info::target>();
        else if constexpr (Info::kind == relationship_kind::many_to_many)
            return references_primary_key<typename Info::secondary, Info::foreign_key, typename Info::owner>() &&
                   references_primary_key<typename Info::secondary, Info::target_key, typename Info::target>();
        else
            return references_primary_key<typename Info::target, Info::foreign_key, typename Info::owner>();
    }();
    static_assert(value, "reflorm: eager loaders need the relationship's foreign key to reference the primary key of "
                         "the model it points at; load this relationship with session.load<&Model::member>(object)");
};

}  // namespace reflorm::orm_detail
