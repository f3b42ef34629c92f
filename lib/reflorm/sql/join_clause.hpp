#pragma once
// The JOIN clauses of a select: `JOIN target ON condition`, and the type-level bookkeeping of which
// tables the joins bring in (the FROM list leaves them out, and the joins follow their anchor).
#include <reflorm/sql/relationship_join.hpp>
#include <reflorm/sql/render_context.hpp>
#include <reflorm/sql/source.hpp>

#include <string>
#include <tuple>
#include <type_traits>

namespace reflorm::sql {

/// `table` or `table AS alias`.
template <class Source>
void render_source(render_context& ctx) {
    ctx.identifier(schema::table_of<typename Source::model_type>.name);
    if constexpr (!Source::alias_name.empty()) {
        ctx << " AS ";
        ctx.identifier(Source::alias_name);
    }
}

enum class join_kind { inner, left_outer };

/// `JOIN target ON condition` or `LEFT OUTER JOIN target ON condition`.
template <class Target, join_kind Kind, class On>
struct join_clause {
    using target = Target;
    using on_sources = typename sources_of<On>::type;
    On on;
    void render(render_context& ctx) const {
        ctx << (Kind == join_kind::inner ? " JOIN " : " LEFT OUTER JOIN ");
        render_source<Target>(ctx);
        ctx << " ON ";
        on.render(ctx);
    }
    template <class F>
    void for_each_parameter(F& f) const {
        on.for_each_parameter(f);
    }
    void shape(std::string& key) const
        requires has_shape<On>
    {
        on.shape(key);
    }
};

/// The first of a join's ON sources that is in the FROM list (else the FROM list's first).
template <class OnSources, class From>
struct join_anchor;
template <class From>
struct join_anchor<source_list<>, From> {
    using type = std::tuple_element_t<0, decltype([]<class... S>(source_list<S...>) { return std::tuple<S...>{}; }(From{}))>;
};
template <class O0, class... O, class From>
struct join_anchor<source_list<O0, O...>, From> {
    using type = std::conditional_t<contains_source_v<From, O0>, O0, typename join_anchor<source_list<O...>, From>::type>;
};

template <class Joins>
struct join_targets;
template <class... J>
struct join_targets<std::tuple<J...>> {
    using type = sources_t<joined_by<J>...>;
};

template <class List, class Excluded>
struct sources_without;
template <class Excluded>
struct sources_without<source_list<>, Excluded> {
    using type = source_list<>;
};
template <class S0, class... S, class Excluded>
struct sources_without<source_list<S0, S...>, Excluded> {
    using rest = typename sources_without<source_list<S...>, Excluded>::type;
    using type = std::conditional_t<contains_source_v<Excluded, S0>, rest,
                                    typename merge_sources<source_list<S0>, rest>::type>;
};

}  // namespace reflorm::sql
