#pragma once
// Loads of one object: the lazy load of one relationship (session.load<&T::m>(object), the
// delete cascade's load, a relationship read in the session) and refresh(). Each is a step
// (load_plan.hpp) the executor runs: the SELECT it needs, if any, and what it sets from the rows.
// Included by orm/session.hpp.
#include <reflorm/orm/loading/apply.hpp>

namespace reflorm {
namespace orm_detail {

/// The lazy load of relationship Field of `object`: no SELECT for a NULL foreign key or a target
/// the identity map holds; else the target(s) by the foreign key, and the children's many-to-one
/// back to `object`.
template <class T, std::size_t Field>
class lazy_load_step final : public load_step {
    using info = relationship_info_at<T, Field>;
    using target = typename info::target;
    static constexpr std::size_t fk = info::foreign_key;

public:
    explicit lazy_load_step(T& object) : object_(object) {}

    void plan(session& s, query_list& queries) override {
        auto& targets = session_access::registry_of<target>(s);
        auto& member = reflect::get<Field>(object_);
        const auto read = [this, &targets, session_ptr = &s](driver::cursor& cursor) {
            found_.push_back(targets.materialize(rows::read_model<target>(cursor), *session_ptr));
        };
        if constexpr (info::kind == relationship_kind::many_to_one) {
            if (key_is_null<T, fk>(object_)) {
                relationship_access::set_loaded(member, static_cast<target*>(nullptr), &info::name);
                done_ = true;
            } else if constexpr (references_primary_key<T, fk, target>()) {
                key_ = *referenced_key<T, fk, target>(object_);
                using status = typename registry<target>::status;
                if (auto* e = targets.find_key(key_); e && !e->expired && e->state == status::persistent) {
                    relationship_access::set_loaded(member, e->object(), &info::name);
                    done_ = true;
                } else {
                    queries.push_back(primary_key_query<target>(key_, read));
                }
            } else {
                constexpr const auto& columns = foreign_key_columns<T, fk>;
                queries.push_back(make_keyed_query(
                    select_where_statement<target, foreign_key_target_columns<T, fk>>{},
                    [this](driver::cursor& cursor) { bind_columns<T, columns>(cursor, object_, 1); },
                    [this] { return describe_columns<T, columns>(object_); }, read));
            }
        } else if constexpr (info::kind == relationship_kind::many_to_many) {
            using statement = sql::select_through_statement<target, typename info::secondary, info::target_key, fk,
                                                            typename info::config_type::order_by_type>;
            constexpr const auto& owner_columns = foreign_key_target_columns<typename info::secondary, fk>;
            queries.push_back(make_keyed_query(
                statement{info::config.order}, [this](driver::cursor& cursor) { bind_columns<T, owner_columns>(cursor, object_, 1); },
                [this] { return describe_columns<T, owner_columns>(object_); }, read));
        } else {
            using statement = sql::select_by_foreign_key_statement<target, fk, typename info::config_type::order_by_type>;
            constexpr const auto& parent_columns = foreign_key_target_columns<target, fk>;
            queries.push_back(make_keyed_query(
                statement{info::config.order}, [this](driver::cursor& cursor) { bind_columns<T, parent_columns>(cursor, object_, 1); },
                [this] { return describe_columns<T, parent_columns>(object_); }, read));
        }
    }

    void finish(session&, load_steps&) override {
        if (done_) return;
        auto& member = reflect::get<Field>(object_);
        if constexpr (info::kind == relationship_kind::one_to_many || info::kind == relationship_kind::one_to_one)
            set_found_targets<info, target>(member, &object_, std::move(found_));  // and the children's many-to-one back
        else if constexpr (info::is_collection)
            relationship_access::set_items_loaded(member, std::move(found_), &info::name);
        else
            relationship_access::set_target_loaded(member, found_.empty() ? nullptr : found_.front(), &info::name);
    }

private:
    T& object_;
    bool done_ = false;
    std::conditional_t<info::kind == relationship_kind::many_to_one, identity_key_t<target>, std::tuple<>> key_{};
    std::vector<void*> found_;  // each a target
};

/// Throws invalid_request_error: session.load<&T::m>(object) of an object the session does not
/// hold. Compiled once (orm/loaders.cpp), as is run_lazy_load.
[[noreturn]] void throw_load_of_untracked(std::string_view model, std::string_view member);
/// Runs the step of a lazy load of `object`: autoflushes first (not while flushing: the delete
/// cascade loads during the flush), then the step and the steps it names.
void run_lazy_load(session& s, const void* object, std::unique_ptr<load_step> step);

}  // namespace orm_detail

template <class T, std::size_t Field>
void session::load_resolved(T& object) {
    if (!registry<T>().find(&object))
        orm_detail::throw_load_of_untracked(schema::table_of<T>.model_name, reflect::field_name_v<T, Field>);
    orm_detail::run_lazy_load(*this, &object, std::unique_ptr<orm_detail::load_step>(new orm_detail::lazy_load_step<T, Field>(object)));
}

template <class T>
void session::refresh(T& object) {
    auto& r = registry<T>();
    auto* e = r.find(&object);
    using status = typename orm_detail::registry<T>::status;
    if (!e || e->state != status::persistent)
        throw invalid_request_error("reflorm: refresh() needs a persistent object of this session (one that has a row)");
    const auto key = r.stored_key(*e);
    std::optional<T> row;
    orm_detail::executor{*this}.query(*orm_detail::primary_key_query<T>(key, [&](driver::cursor& cursor) { row = rows::read_model<T>(cursor); }));
    if (!row)
        throw invalid_request_error("reflorm: refresh() found no row for this " + std::string(schema::table_of<T>.model_name) + " " +
                                    orm_detail::describe_key<T>(key) + "; it was deleted");
    orm_detail::copy_columns(object, *row);
    r.store_snapshot(*e);
    e->expired = false;
    // Unflushed relationship changes are discarded too; the next load reloads them.
    orm_detail::registry<T>::for_each_relationship([&](auto field) {
        auto& member = reflect::get<decltype(field)::value>(object);
        for (auto& dropped : orm_detail::relationship_access::discard_changes(member)) store_->discarded.push_back(std::move(dropped));
        orm_detail::relationship_access::expire(member);
    });
}

}  // namespace reflorm
