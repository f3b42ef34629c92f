#pragma once
// Runs loader options over the objects a query returned, level by level. Included by
// orm/session.hpp.
#include <reflorm/orm/load_options.hpp>
#include <reflorm/orm/loading/selectin.hpp>
#include <reflorm/orm/loading/subquery.hpp>

namespace reflorm {
namespace orm_detail {

/// The query that produced a level's owners, for subqueryload: the user's statement at the top,
/// a subqueryload's statement below it, or none (below a selectinload).
struct no_parent_query {};

template <class Option>
struct check_subquery_parent {
    static constexpr bool value = sizeof(Option) == 0;  // dependent: fails only when instantiated
    static_assert(value, "reflorm: subqueryload needs the query that loaded its parents; below a selectinload there "
                         "is none (selectinload runs one query per batch): use selectinload at this level too");
};

template <class Option, class T>
struct check_option_owner {
    static constexpr bool value = std::is_same_v<reflect::member_class_t<Option::member>, T>;
    static_assert(value, "reflorm: a loader option names a relationship of another model than the objects it applies "
                         "to; chain options in relationship order (User -> orders -> items)");
};

template <class T, class Option, class ParentQuery>
void run_loader(session& s, const std::vector<T*>& owners, const Option& option, const ParentQuery& parent) {
    if constexpr (check_option_owner<Option, T>::value) {
        using info = relationship_info<Option::member>;
        using target = typename info::target;
        if constexpr (Option::strategy == loader_strategy::noload) {
            for (T* owner : unloaded<info>(owners)) {
                auto& member = reflect::get<info::field>(*owner);
                if constexpr (info::is_collection)
                    relationship_access::set_loaded(member, std::vector<target*>{}, &info::name);
                else
                    relationship_access::set_loaded(member, static_cast<target*>(nullptr), &info::name);
            }
        } else if constexpr (Option::strategy == loader_strategy::raise) {
            // Unloaded relationships raise when read: nothing to do.
        } else if constexpr (Option::strategy == loader_strategy::selectin) {
            const std::vector<target*> next = load_selectin<info>(s, owners, option.batch_size);
            std::apply([&](const auto&... child) { (run_loader(s, next, child, no_parent_query{}), ...); }, option.children);
        } else {
            if constexpr (std::is_same_v<ParentQuery, no_parent_query>) {
                static_assert(check_subquery_parent<Option>::value);
            } else {
                const subquery_load_statement<info, ParentQuery> statement{&parent, info::config.order};
                const std::vector<target*> next = load_subquery<info>(s, owners, statement);
                std::apply([&](const auto&... child) { (run_loader(s, next, child, statement), ...); }, option.children);
            }
        }
    }
}

}  // namespace orm_detail

template <class Statement, class... Options>
    requires(sizeof...(Options) > 0)
std::vector<std::shared_ptr<typename Statement::result_type>> session::scalars(const Statement& statement, const Options&... options) {
    auto objects = scalars(statement);
    std::vector<typename Statement::result_type*> owners;
    owners.reserve(objects.size());
    for (const auto& o : objects) owners.push_back(o.get());
    (orm_detail::run_loader(*this, owners, options, statement), ...);
    return objects;
}

}  // namespace reflorm
