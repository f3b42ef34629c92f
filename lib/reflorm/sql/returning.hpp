#pragma once
// `RETURNING t.a, t.b` after INSERT, UPDATE or DELETE (SQLite 3.35+, PostgreSQL; MariaDB has it
// for some statements, MySQL for none). A statement with a RETURNING clause has
// `result_type = std::tuple<member types...>`, so connection::execute returns its rows;
// a nullable column's element is std::optional.
#include <reflorm/sql/errors.hpp>
#include <reflorm/sql/statement_parts.hpp>

#include <string>
#include <tuple>

namespace reflorm::sql {

/// The absent RETURNING clause.
struct no_returning {
    void render(render_context&, bool = false) const {}
};

template <class... Columns>
struct returning_clause {
    /// `in_update`: the clause ends an UPDATE.
    void render(render_context& ctx, bool in_update = false) const {
        if (!(in_update ? ctx.dialect.supports_update_returning() : ctx.dialect.supports_returning()))
            ctx.dialect.unsupported(in_update ? "UPDATE ... RETURNING" : "RETURNING clause",
                                    "run the statement with connection::execute() and read a generated key through "
                                    "LAST_INSERT_ID() instead (connection::insert(object) writes it back into the object), "
                                    "or select the changed rows afterwards");
        ctx << " RETURNING ";
        bool first = true;
        ((ctx << (first ? "" : ", "), first = false,
          ctx.qualified(schema::table_of<typename Columns::model_type>.name, column_name_of<Columns>())),
         ...);
    }
};

/// A statement's result_type: none without RETURNING (such a statement runs with
/// connection::execute), the tuple of the returned columns' member types with it.
template <class Returning>
struct returning_result {};
template <class... Columns>
struct returning_result<returning_clause<Columns...>> {
    using result_type = std::tuple<typename Columns::member_type...>;
};

template <class Returning>
struct check_no_returning_yet {
    static constexpr bool value = std::is_same_v<Returning, no_returning>;
    static_assert(value, "reflorm: a statement has one RETURNING clause; list every column in one returning() call");
};

/// The RETURNING clause of columns `Columns` of T, checked to be T's own columns.
template <class T, class... Columns>
constexpr auto make_returning() {
    static_assert(sizeof...(Columns) > 0, "reflorm: returning() needs at least one column, c<&T::member>");
    if constexpr ((check_own_column<T, Columns>::value && ...)) return returning_clause<Columns...>{};
    else return no_returning{};  // a check has reported the mistake; add no follow-on errors
}

}  // namespace reflorm::sql
