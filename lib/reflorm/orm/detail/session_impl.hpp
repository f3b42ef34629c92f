#pragma once
// The session's member templates. Included by orm/session.hpp.
#include <reflorm/orm/detail/registry.hpp>

namespace reflorm {

template <class T>
orm_detail::registry<T>& session::registry() {
    static_assert(schema::table_of<T>.columns.size() > 0, "reflorm: the session works with models: T must be a model class");
    const std::size_t id = orm_detail::type_id<T>();
    auto& registries = store_->registries;
    if (registries.size() <= id) registries.resize(id + 1);
    // Not std::make_unique<registry<T>>: a std::unique_ptr of a per-model type costs ~500 template
    // specializations per model to compile (docs/session.md, Compile time).
    if (!registries[id]) registries[id] = std::unique_ptr<orm_detail::registry_base>(new orm_detail::registry<T>());
    return static_cast<orm_detail::registry<T>&>(*registries[id]);
}

template <class T>
    requires(!is_shared_ptr<std::remove_cvref_t<T>>)
std::shared_ptr<std::remove_cvref_t<T>> session::add(T&& object) {
    static_assert(!std::is_lvalue_reference_v<T>,
                  "reflorm: session.add() takes the object itself: pass std::move(object), a temporary, or a "
                  "std::shared_ptr handle; from a named variable it would add a copy, and later changes to that "
                  "variable would never reach the session (write add(T(object)) to add a copy on purpose)");
    using M = std::remove_cvref_t<T>;
    auto& r = registry<M>();
    M* placed = r.place(M(std::forward<T>(object)));
    r.track_pending(placed, nullptr, *this);
    cascade_added();
    return handle(placed);
}

template <class T>
std::shared_ptr<T> session::add(const std::shared_ptr<T>& object) {
    if (!object) throw invalid_request_error("reflorm: session.add() was given an empty handle");
    auto& r = registry<T>();
    if (auto* e = r.find(object.get())) {
        if (e->state == orm_detail::registry<T>::status::deleted || e->delete_when_flushed) r.undelete(*e);
        return object;
    }
    r.track_pending(object.get(), object, *this);
    cascade_added();
    return object;
}

template <class T>
added_objects<T> session::add_all(std::vector<T>&& objects) {
    const std::size_t n = objects.size();
    T* first = registry<T>().adopt(std::move(objects), *this);
    cascade_added();  // once for the whole batch
    return added_objects<T>(store_, first, n);
}

template <class T, class... KeyAndOptions>
std::shared_ptr<T> session::get(const KeyAndOptions&... key_and_options) {
    constexpr std::size_t keys = schema::table_of<T>.primary_key.size;
    static_assert(sizeof...(KeyAndOptions) >= keys && orm_detail::none_is_option<keys, KeyAndOptions...>(),
                  "reflorm: session.get<T>(key..., options...) takes one value per primary key column of T, in key "
                  "order, then loader options and execution options");
    const auto all = std::forward_as_tuple(key_and_options...);
    return [&]<std::size_t... K, std::size_t... O>(std::index_sequence<K...>, std::index_sequence<O...>) {
        using key_type = orm_detail::identity_key_t<T>;
        return get_with<T>(key_type{std::tuple_element_t<K, key_type>(std::get<K>(all))...}, std::get<keys + O>(all)...);
    }(std::make_index_sequence<keys>{}, std::make_index_sequence<sizeof...(KeyAndOptions) - keys>{});
}

template <class T>
void session::delete_(const T& object) {
    auto& r = registry<T>();
    auto* e = r.find(&object);
    using status = typename orm_detail::registry<T>::status;
    if (!e)
        throw invalid_request_error("reflorm: this " + std::string(schema::table_of<T>.model_name) +
                                    " is not in the session; only objects the session holds can be deleted");
    if (e->state == status::pending && e->delete_when_flushed) return;  // marked already
    if (e->state == status::pending)
        throw invalid_request_error("reflorm: this " + std::string(schema::table_of<T>.model_name) +
                                    " is pending (not yet flushed), so it has no row to delete; expunge() it instead");
    r.mark_deleted(*e, *this);
}

template <class T>
bool session::mark_deleted(T& object) {
    auto& r = registry<T>();
    auto* e = r.find(&object);
    using status = typename orm_detail::registry<T>::status;
    if (!e) return false;
    if (e->state == status::pending) {
        r.expunge(*e);  // never written: nothing to delete, and its delete-cascaded children neither
        if (flush_state_) flush_state_->expunged.insert(&object);
        orm_detail::relationship_flush::delete_new_children(*this, orm_detail::cascade_processor<T>::relationship_table, &object);
        return true;  // changed: the cascade loops run again for what it reached
    }
    if (e->state != status::persistent) return false;
    r.mark_deleted(*e, *this);
    return true;
}

template <class T>
std::shared_ptr<T> session::merge(const T& detached) {
    const auto key = orm_detail::key_of(detached);
    auto existing = std::apply([&](const auto&... value) { return get<T>(value...); }, key);
    if (existing) {
        orm_detail::copy_columns(*existing, detached);
        return existing;
    }
    T fresh{};
    orm_detail::copy_columns(fresh, detached);
    return add(std::move(fresh));
}

template <class T>
void session::expire(T& object) {
    if (auto* e = registry<T>().find(&object)) orm_detail::registry<T>::expire(*e);
}

template <class T>
void session::expunge(T& object) {
    auto& r = registry<T>();
    if (auto* e = r.find(&object)) r.expunge(*e);
}

template <class T>
object_state session::state_of(const T& object) {
    return registry<T>().state_of(&object);
}

template <class T>
std::vector<T*> session::deleted_objects() {
    return registry<T>().deleted_objects();
}

template <class T>
void session::undelete(T& object) {
    auto& r = registry<T>();
    if (auto* e = r.find(&object)) r.undelete(*e);
}

template <class Statement>
auto session::execute(const Statement& statement) {
    if constexpr (orm_detail::selects_objects<Statement>) {
        using R = typename Statement::result_type;
        using row = std::tuple<std::shared_ptr<R>>;
        auto objects = query_objects(statement);
        return std::move(objects).template map_rows<row>([](std::shared_ptr<R>&& object) { return row(std::move(object)); });
    } else if constexpr (orm_detail::selects_entities<Statement>) {
        return query_entities(statement);
    } else {
        autoflush();
        return connect().execute(statement);
    }
}

template <class Statement>
auto session::scalars(const Statement& statement) {
    if constexpr (orm_detail::selects_objects<Statement>) return query_objects(statement);
    else return execute(statement).scalars();
}

template <class T, class Range>
result<std::tuple<>> session::execute(const sql::insert_statement<T>&, Range&& rows) {
    autoflush();
    const auto n = static_cast<std::int64_t>(std::ranges::size(rows));
    connect().insert_all(std::forward<Range>(rows));
    return result<std::tuple<>>::of_rowcount(n);
}

template <auto Member, class T>
void session::load(T& object) {
    static_assert(reflect::data_member_pointer<Member>, "reflorm: session.load<&Model::member>(object) takes a pointer to a relationship member");
    static_assert(std::is_same_v<reflect::member_class_t<Member>, T>,
                  "reflorm: session.load<&Model::member>(object): object must be a Model");
    load_field<T, reflect::member_index_v<Member>>(object);
}

template <class Info, class T>
void session::load_if_needed(T& object) {
    if (orm_detail::relationship_access::needs_load(reflect::get<Info::field>(object))) load_field<T, Info::field>(object);
}

template <class T, std::size_t Field>
void session::load_field(T& object) {
    // An unresolved foreign key has stopped compilation with its check's message already.
    if constexpr (orm_detail::relationship_info_at<T, Field>::resolved) load_resolved<T, Field>(object);
}

}  // namespace reflorm
