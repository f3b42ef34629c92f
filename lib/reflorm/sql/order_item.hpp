#pragma once
// `expression ASC|DESC [NULLS FIRST|LAST]` in ORDER BY, and asc()/desc() for any expression:
// as members of columns, aggregates, functions and arithmetic (`count().desc()`), and as free
// functions (`reflorm::desc(expr)`), as SQLAlchemy offers both.
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/source.hpp>

namespace reflorm::sql {

enum class sort_direction { asc, desc };
enum class nulls_order { unspecified, first, last };

/// `expression ASC|DESC [NULLS FIRST|LAST]` in ORDER BY.
template <class E, sort_direction Direction, nulls_order Nulls = nulls_order::unspecified>
struct order_item {  // unconstrained: column_ref is incomplete where it names this
    using sources = typename sources_of<E>::type;
    E expression_;

    void render(render_context& ctx) const {
        constexpr std::string_view direction = Direction == sort_direction::asc ? " ASC" : " DESC";
        if constexpr (Nulls == nulls_order::unspecified) {
            expression_.render(ctx);
            ctx << direction;
        } else {
            ctx.dialect.order_nulls(ctx, fragment(expression_), Direction == sort_direction::desc, Nulls == nulls_order::first);
        }
    }
    // NULLS FIRST/LAST may render the expression twice (MySQL), so it is offered only on columns,
    // which bind nothing; other items bind their expression's values once.
    template <class F>
    void for_each_parameter(F& f) const {
        expression_.for_each_parameter(f);
    }
    void shape(std::string& key) const
        requires has_shape<E>
    {
        expression_.shape(key);
    }

    /// NULLs before other values (emulated with `IS NULL` on MySQL).
    constexpr order_item<E, Direction, nulls_order::first> nulls_first() const requires(Nulls == nulls_order::unspecified && requires { E::is_column; }) {
        return {expression_};
    }
    /// NULLs after other values (emulated with `IS NULL` on MySQL).
    constexpr order_item<E, Direction, nulls_order::last> nulls_last() const
        requires(Nulls == nulls_order::unspecified && requires { E::is_column; }) {
        return {expression_};
    }
};

/// `e ASC` / `e DESC` for any expression, as SQLAlchemy's asc(e) / desc(e).
template <expression E>
constexpr order_item<E, sort_direction::asc> asc(const E& e) {
    return {e};
}
template <expression E>
constexpr order_item<E, sort_direction::desc> desc(const E& e) {
    return {e};
}

}  // namespace reflorm::sql

namespace reflorm {
using sql::asc;
using sql::desc;
}  // namespace reflorm
