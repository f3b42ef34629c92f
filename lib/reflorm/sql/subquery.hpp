#pragma once
// Selects inside expressions, as SQLAlchemy's: `stmt.scalar_subquery()` (a one-column select
// used as a value), `exists(stmt)` / `!exists(stmt)`, and `e.in_(stmt)` (see predicates.hpp).
//
// Correlation is automatic, as in SQLAlchemy: a subquery that reads more than one table leaves
// out of its FROM the tables of the selects around it, so that
//
//     select(c<&Country::name>,
//            select(count()).select_from<City>().where(c<&City::country_code> == c<&Country::code>).scalar_subquery())
//
// renders the inner FROM as `city` alone and `country.code` refers to the outer row. The
// enclosing FROM names travel down the render_context (render_context::select_scope).
//
// These nodes take any statement with a result_type and a row shape (a select or a union); they
// expose no sources: the subquery's tables are not the enclosing select's FROM.
#include <reflorm/sql/errors.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/source.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace reflorm::sql {

/// A statement that returns rows: a select or a union of selects.
template <class S>
concept subquery_statement = requires(const S& s, render_context& ctx) {
    typename S::result_type;
    S::result_shape;
    s.render(ctx);
};

template <class T>
struct strip_optional {
    using type = T;
};
template <class T>
struct strip_optional<std::optional<T>> {
    using type = T;
};

template <class T>
struct is_one_tuple : std::false_type {};
template <class T>
struct is_one_tuple<std::tuple<T>> : std::true_type {};

/// Whether a statement selects exactly one expression: its rows are std::tuple<T>.
template <class S>
consteval bool selects_one_expression() {
    return is_one_tuple<typename S::result_type>::value;
}

template <class S>
struct check_one_column {
    static constexpr bool value = selects_one_expression<S>();
    static_assert(value,
                  "reflorm: a subquery used as a value (scalar_subquery(), in_()) must select exactly one expression: "
                  "write select(e).where(...), not select<T>() or select(e1, e2)");
};

/// The value type of a one-expression statement's column (without std::optional).
template <class S>
struct single_column_value {
    using type = void;
};
template <class S>
    requires(selects_one_expression<S>())
struct single_column_value<S> {
    using type = typename strip_optional<std::tuple_element_t<0, typename S::result_type>>::type;
};
template <class S>
using single_column_value_t = typename single_column_value<S>::type;

/// A select nested in an expression, rendered `<prefix>(SELECT ...)`. It adds no tables to the
/// enclosing FROM; its values and run-time shape are the select's.
template <class Select>
struct nested_select {
    using sources = source_list<>;
    Select select;

    void render_with(render_context& ctx, std::string_view prefix) const {
        ctx << prefix << "(";
        select.render(ctx);
        ctx << ")";
    }
    template <class F>
    void for_each_parameter(F& f) const {
        select.for_each_parameter(f);
    }
    void shape(std::string& key) const
        requires has_shape<Select>
    {
        select.shape(key);
    }
};

/// `(SELECT e FROM ...)` as a value: SQLAlchemy's scalar_subquery(). NULL when the select
/// finds no row, so it is read into std::optional.
template <class Select>
struct scalar_select : nested_select<Select> {
    static constexpr bool checked_ = check_one_column<Select>::value;  // says what is wrong itself
    using value_type = std::conditional_t<check_one_column<Select>::value, single_column_value_t<Select>, int>;
    static constexpr bool nullable = true;
    void render(render_context& ctx) const { this->render_with(ctx, ""); }
};

/// `EXISTS (SELECT ...)`, or `NOT EXISTS (SELECT ...)`.
template <class Select, bool Negated = false>
struct exists_predicate : nested_select<Select> {
    using value_type = bool;
    void render(render_context& ctx) const { this->render_with(ctx, Negated ? "NOT EXISTS " : "EXISTS "); }
};

/// `EXISTS (stmt)`: whether the select finds a row. Correlated to the enclosing select's
/// tables: `exists(select(c<&Order::id>).where(c<&Order::customer_id> == c<&Customer::id>))`.
template <subquery_statement Select>
exists_predicate<Select> exists(const Select& select) {
    return {{select}};
}
/// `NOT EXISTS (stmt)`.
template <class Select, bool Negated>
exists_predicate<Select, !Negated> operator!(const exists_predicate<Select, Negated>& e) {
    return {{e.select}};
}

/// `e IN (SELECT x ...)`, `e NOT IN (SELECT x ...)`: built by in_() / not_in() on a select of
/// one expression (predicates.hpp).
template <class E, class Select, bool Negated>
struct in_select {
    using value_type = bool;
    using sources = typename sources_of<E>::type;  // the tested expression's, not the subquery's
    E expression_;
    Select select;

    void render(render_context& ctx) const {
        expression_.render(ctx);
        ctx << (Negated ? " NOT IN (" : " IN (");
        select.render(ctx);
        ctx << ")";
    }
    template <class F>
    void for_each_parameter(F& f) const {
        expression_.for_each_parameter(f);
        select.for_each_parameter(f);
    }
    void shape(std::string& key) const
        requires(has_shape<E> || has_shape<Select>)
    {
        append_shape(expression_, key);
        append_shape(select, key);
    }
};

template <bool Negated, class E, class Select>
auto make_in_select(const E& e, const Select& select) {
    if constexpr (check_one_column<Select>::value)
        (void)check_comparable<typename E::value_type, single_column_value_t<Select>>::value;
    return in_select<E, Select, Negated>{e, select};
}

// ---- correlation ------------------------------------------------------------------------

/// The names of a list's sources, as render_context::select_scope takes them.
template <class List>
inline constexpr std::array<std::string_view, 0> source_names_v{};
template <class... S>
inline constexpr std::array<std::string_view, sizeof...(S)> source_names_v<source_list<S...>>{source_name<S>()...};

/// A subquery whose every table is in the FROM of the selects around it has nothing left to
/// read after auto-correlation; SQLAlchemy refuses it too.
[[noreturn]] inline void throw_correlated_away() {
    throw statement_error(
        "reflorm: every table in a subquery's FROM is also in the FROM of the select around it, so "
        "auto-correlation leaves the subquery no table; read the inner table through "
        "alias<T, \"name\"> so that it is not the outer one");
}

}  // namespace reflorm::sql

namespace reflorm {
using sql::exists;
}
