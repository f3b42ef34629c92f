#pragma once
// Loader options, with SQLAlchemy's names, given to a statement's options() (or to
// session.get() and session.load()):
//
//   session.scalars(select<User>().where(...).options(
//       reflorm::selectinload<&User::orders>().selectinload<&Order::items>(),
//       reflorm::subqueryload<&User::addresses>()));
//
// Each names a relationship member and a strategy; chained calls apply to the targets of the
// relationship before them (User -> orders -> items). See docs/relationships.md.
#include <cstddef>
#include <tuple>

namespace reflorm {

enum class loader_strategy {
    joined,        // LEFT OUTER JOIN to the target in the same SELECT
    joined_inner,  // JOIN (inner) to the target in the same SELECT
    selectin,  // one SELECT ... WHERE key IN (...) per batch of parents
    subquery,  // one SELECT joined to the parent query, re-run as a subquery
    raise,     // not loaded: reading it throws not_loaded_error (what an unloaded relationship does)
    noload,    // loaded and empty, with no SQL
};

template <auto Member, loader_strategy Strategy, class... Children>
struct load_option;

namespace orm_detail {
template <class O>
inline constexpr bool is_load_option = false;
template <auto Member, loader_strategy Strategy, class... Children>
inline constexpr bool is_load_option<load_option<Member, Strategy, Children...>> = true;
}  // namespace orm_detail

namespace orm_detail {
template <auto Member, loader_strategy Strategy>
using leaf_option = load_option<Member, Strategy>;
}

/// One relationship's loader, and the loaders of its targets' relationships (Children).
template <auto Member, loader_strategy Strategy, class... Children>
struct load_option {
    static constexpr auto member = Member;
    static constexpr loader_strategy strategy = Strategy;
    /// Parent keys per SELECT for selectin (SQLAlchemy's default, 500).
    std::size_t batch_size = 500;
    std::tuple<Children...> children{};

    template <auto Next, bool InnerJoin = false>
    auto joinedload() const {
        return with(orm_detail::leaf_option<Next, InnerJoin ? loader_strategy::joined_inner : loader_strategy::joined>{});
    }
    template <auto Next>
    auto selectinload(std::size_t batch = 500) const {
        return with(orm_detail::leaf_option<Next, loader_strategy::selectin>{batch});
    }
    template <auto Next>
    auto subqueryload() const {
        return with(orm_detail::leaf_option<Next, loader_strategy::subquery>{});
    }
    template <auto Next>
    auto raiseload() const {
        return with(orm_detail::leaf_option<Next, loader_strategy::raise>{});
    }
    template <auto Next>
    auto noload() const {
        return with(orm_detail::leaf_option<Next, loader_strategy::noload>{});
    }
    /// Adds fully built options for the targets' relationships, as siblings at the level below
    /// this one (SQLAlchemy's Load.options()): `selectinload<&A::bs>().options(selectinload<&B::cs>(),
    /// joinedload<&B::d>())` loads both cs and d of every B.
    template <class... Options>
        requires(sizeof...(Options) > 0)
    auto options(const Options&... more) const {
        return load_option<Member, Strategy, Children..., Options...>{
            batch_size, std::tuple_cat(children, std::tuple<Options...>{more...})};
    }

private:
    template <class Child>
    auto with(const Child& child) const {
        // A chain applies to the innermost relationship: `a.selectinload<b>().selectinload<c>()`
        // loads c under b, as SQLAlchemy's chained options do.
        if constexpr (sizeof...(Children) == 0) {
            return load_option<Member, Strategy, Child>{batch_size, std::tuple<Child>{child}};
        } else {
            auto last = std::get<sizeof...(Children) - 1>(children).with_nested(child);
            return replace_last(last);
        }
    }
    template <class Child>
    auto with_nested(const Child& child) const {
        return with(child);
    }
    template <class Last>
    auto replace_last(const Last& last) const {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return load_option<Member, Strategy, std::tuple_element_t<I, std::tuple<Children...>>..., Last>{
                batch_size, std::tuple<std::tuple_element_t<I, std::tuple<Children...>>..., Last>{std::get<I>(children)..., last}};
        }(std::make_index_sequence<sizeof...(Children) - 1>{});
    }
    template <auto, loader_strategy, class...>
    friend struct load_option;
};

/// Loads the relationship in the same SELECT, through a LEFT OUTER JOIN to the target under an
/// anonymous alias (an inner JOIN with InnerJoin = true), as SQLAlchemy's joinedload: no extra
/// statement. Rows are de-duplicated by identity; with LIMIT, OFFSET or DISTINCT and a joined
/// collection, the query becomes a subquery so that the limit counts parents.
template <auto Member, bool InnerJoin = false>
load_option<Member, InnerJoin ? loader_strategy::joined_inner : loader_strategy::joined> joinedload() {
    return {};
}
/// Loads the relationship with one extra SELECT per batch of `batch_size` parent keys
/// (`WHERE fk IN (...)`), as SQLAlchemy's selectinload (batches of 500 by default). No SELECT
/// when no parent has a key to look up.
template <auto Member>
load_option<Member, loader_strategy::selectin> selectinload(std::size_t batch_size = 500) {
    return {batch_size};
}
/// Loads the relationship with one SELECT that joins the target to the parent query, re-run as
/// a subquery (its WHERE, ORDER BY and LIMIT/OFFSET kept), as SQLAlchemy's subqueryload.
template <auto Member>
load_option<Member, loader_strategy::subquery> subqueryload() {
    return {};
}
/// Leaves the relationship unloaded, so reading it throws not_loaded_error (SQLAlchemy's
/// raiseload). This is what a relationship without a loader does; the option states it.
template <auto Member>
load_option<Member, loader_strategy::raise> raiseload() {
    return {};
}
/// Marks the relationship loaded and empty with no SQL, as SQLAlchemy's noload.
template <auto Member>
load_option<Member, loader_strategy::noload> noload() {
    return {};
}

}  // namespace reflorm
