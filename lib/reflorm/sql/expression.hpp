#pragma once
// What every expression node provides, and the bound-parameter node that carries values.
// A node renders SQL text that depends only on its type and the dialect, never on values,
// so a statement's text can be rendered once per shape; values reach the database only as
// bound parameters, visited in rendering order by for_each_parameter.
#include <reflorm/reflect/type_name.hpp>
#include <reflorm/schema/column_type.hpp>
#include <reflorm/sql/render_context.hpp>

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

namespace reflorm::sql {

/// A node of the expression tree: `value_type` is the C++ type of the SQL value it yields.
template <class E>
concept expression = requires(const E& e, render_context& ctx) {
    typename E::value_type;
    e.render(ctx);
};

/// A value sent as a bound parameter.
template <class V>
struct bound_parameter {
    using value_type = V;
    V value;
    void render(render_context& ctx) const { ctx.parameter(); }
    template <class F>
    void for_each_parameter(F& f) const {
        f(value);
    }
};

/// The second argument a parameter visitor receives with a value bound for a secret column
/// (reflorm::secret, schema/options.hpp) or a password-like text() parameter, when it accepts
/// one: describing visitors print '***' then, while binding visitors, which take the value
/// alone, bind it unchanged.
struct secret_tag {};
template <class F, class V>
void visit_parameter(F& f, const V& value, bool secret) {
    if constexpr (std::is_invocable_v<F&, const V&, secret_tag>) {
        if (secret) return f(value, secret_tag{});
    }
    f(value);
}

/// An expression whose value comes from a secret column: the column (column_ref::secret), or a
/// node over one (a function, arithmetic, coalesce, CASE, min/max), which says so by `secret`.
template <class E>
concept secret_expression = requires { requires E::secret; };

/// A parameter visitor that passes every value on as secret (secret_tag).
template <class F>
struct secret_visitor {
    F& f;
    template <class V>
    void operator()(const V& value) {
        visit_parameter(f, value, true);
    }
    template <class V>
    void operator()(const V& value, secret_tag) {
        visit_parameter(f, value, true);
    }
};

/// Visits the parameters of `e`, every one as secret when Secret. A node where values meet a
/// secret expression (compared, combined, assigned, a coalesce fallback) visits its operands so:
/// a value next to `lower(password)` reveals as much as one next to `password`.
template <bool Secret, class E, class F>
void visit_parameters(const E& e, F& f) {
    if constexpr (Secret) {
        secret_visitor<F> masked{f};
        e.for_each_parameter(masked);
    } else {
        e.for_each_parameter(f);
    }
}

/// Nodes whose text depends on run-time sizes (an IN list's length) describe them by appending
/// to a shape key; composite nodes forward to their children (see to_sql.hpp).
template <class E>
concept has_shape = requires(const E& e, std::string& key) { e.shape(key); };
template <class... E>
inline constexpr bool any_shape = (has_shape<E> || ...);
template <class E>
void append_shape(const E& e, std::string& key) {
    if constexpr (has_shape<E>) e.shape(key);
}

/// A plain C++ value as the SQL type it binds as: string-like values become std::string.
template <class V>
using bound_type_t = std::conditional_t<std::is_convertible_v<const V&, std::string_view> && !std::is_same_v<V, std::nullptr_t>,
                                        std::string, V>;

/// An expression as it is, or a plain value as a bound parameter of its own type.
template <class V>
auto as_expression(const V& v) {
    if constexpr (expression<V>) return v;
    else if constexpr (std::is_same_v<bound_type_t<V>, std::string>) return bound_parameter<std::string>{std::string(std::string_view(v))};
    else return bound_parameter<V>{v};
}

template <class T>
concept string_like = std::is_convertible_v<const T&, std::string_view>;

/// Whether values of types A and B can be compared in SQL. JSON documents are not: JSONB
/// compares documents, MariaDB's JSON and SQLite's TEXT compare their text (key order, spaces).
template <class A, class B>
concept comparable_types =
    !std::is_same_v<A, boost::json::value> && !std::is_same_v<B, boost::json::value> &&
    (std::is_same_v<A, B> || (string_like<A> && string_like<B>) ||
     (std::is_arithmetic_v<A> && std::is_arithmetic_v<B> && !std::is_same_v<A, bool> && !std::is_same_v<B, bool>));

template <class Left, class Right>
struct check_not_json {
    static constexpr bool value = !std::is_same_v<Left, boost::json::value> && !std::is_same_v<Right, boost::json::value>;
    static_assert(value,
                  "reflorm: JSON documents cannot be compared in SQL: PostgreSQL's JSONB compares documents while "
                  "MariaDB and SQLite compare their text; compare a value extracted from the document instead");
};

template <class Left, class Right>
struct check_comparable {
    static constexpr bool value = comparable_types<Left, Right>;
    static_assert(!check_not_json<Left, Right>::value || value,
                  "reflorm: cannot compare these two types in SQL (see Left and Right in the instantiation "
                  "above); compare a column with a value or column of the same kind: numbers with numbers, "
                  "strings with strings, dates with dates");
};

/// Whether a value of type From converts to the integer column type To without loss for every
/// value of From (no narrowing: `5` into int32 does, `5.5` or an int64 into int32 does not).
template <class To, class From>
concept converts_without_narrowing = requires(const From& from) { To{from}; };

/// An operand as an expression: expressions stay as they are; a plain value becomes a bound
/// parameter of the other side's type (`Like`), so that `c<&City::id> == 5` binds an int32.
/// A number that the integer column's type cannot hold exactly (`c<&City::population> < 5.5`,
/// an int64 against an int32 column, a negative int against an unsigned one) keeps its own
/// type instead, so that the database compares the true value rather than a truncated one.
template <class Like, class Operand>
auto as_operand(const Operand& operand) {
    if constexpr (expression<Operand>) {
        (void)check_comparable<Like, typename Operand::value_type>::value;  // reports a mismatch itself
        return operand;
    } else {
        (void)check_comparable<Like, Operand>::value;
        if constexpr (!comparable_types<Like, Operand>)
            return bound_parameter<Like>{};  // check_comparable has said why; add no follow-on errors
        else if constexpr (std::is_same_v<Like, std::string>)
            return bound_parameter<std::string>{std::string(std::string_view(operand))};
        else if constexpr (std::is_integral_v<Like> && std::is_arithmetic_v<Operand> &&
                           !converts_without_narrowing<Like, Operand>)
            return bound_parameter<Operand>{operand};
        else
            return bound_parameter<Like>{static_cast<Like>(operand)};
    }
}

}  // namespace reflorm::sql
