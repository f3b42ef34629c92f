#pragma once
// SQL functions: lower, upper, length, abs, round, coalesce, now, cast, and CASE.
#include <reflorm/schema/column_type.hpp>
#include <reflorm/sql/arithmetic.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/order_item.hpp>
#include <reflorm/sql/source.hpp>

#include <tuple>

namespace reflorm::sql {

/// `name(arg, ...)` yielding Value; Nullable says whether the result may be NULL.
template <fixed_string Name, class Value, bool Nullable, expression... Args>
struct function_call {
    using value_type = Value;
    using sources = sources_t<Args...>;
    static constexpr bool nullable = Nullable;
    static constexpr bool secret = (secret_expression<Args> || ...);  // coalesce's fallback too
    std::tuple<Args...> arguments;

    void render(render_context& ctx) const {
        ctx << ctx.dialect.function_name(Name.view()) << "(";
        bool first = true;
        std::apply([&](const auto&... a) { ((ctx << (first ? "" : ", "), first = false, a.render(ctx)), ...); }, arguments);
        ctx << ")";
    }
    template <class F>
    void for_each_parameter(F& f) const {
        std::apply([&](const auto&... a) { (visit_parameters<secret>(a, f), ...); }, arguments);
    }
    constexpr order_item<function_call, sort_direction::asc> asc() const { return {*this}; }
    constexpr order_item<function_call, sort_direction::desc> desc() const { return {*this}; }
};

template <class E>
struct check_string_function {
    static constexpr bool value = std::is_same_v<typename E::value_type, std::string>;
    static_assert(value, "reflorm: lower(), upper() and length() take a string expression");
};
template <class E>
struct check_number_function {
    static constexpr bool value = std::is_arithmetic_v<typename E::value_type> && !std::is_same_v<typename E::value_type, bool>;
    static_assert(value, "reflorm: abs() and round() take a numeric expression");
};

template <class E>
auto lower(const E& e) {
    static_assert(check_string_function<E>::value);
    return function_call<"lower", std::string, nullable_expression<E>(), E>{{e}};
}
template <class E>
auto upper(const E& e) {
    static_assert(check_string_function<E>::value);
    return function_call<"upper", std::string, nullable_expression<E>(), E>{{e}};
}
/// Length in characters (SQLite, PostgreSQL: length; MySQL: char_length).
template <class E>
auto length(const E& e) {
    static_assert(check_string_function<E>::value);
    return function_call<"length", std::int64_t, nullable_expression<E>(), E>{{e}};
}
template <class E>
auto abs(const E& e) {
    static_assert(check_number_function<E>::value);
    return function_call<"abs", typename E::value_type, nullable_expression<E>(), E>{{e}};
}
/// `round(e)` or `round(e, digits)` as a double, the digits bound; rendered by the dialect's
/// compiler::round (PostgreSQL casts to NUMERIC there).
template <expression E, bool WithDigits>
struct round_call {
    using value_type = double;
    using sources = sources_t<E>;
    static constexpr bool nullable = nullable_expression<E>();
    static constexpr bool secret = secret_expression<E>;
    E operand;
    int digits = 0;
    void render(render_context& ctx) const {
        ctx.dialect.round(ctx, fragment(operand), WithDigits);
    }
    template <class F>
    void for_each_parameter(F& f) const {
        operand.for_each_parameter(f);
        if constexpr (WithDigits) f(digits);
    }
};
template <class E>
auto round(const E& e) {
    static_assert(check_number_function<E>::value);
    return round_call<E, false>{e};
}
template <class E>
auto round(const E& e, int digits) {
    static_assert(check_number_function<E>::value);
    return round_call<E, true>{e, digits};
}

/// The first non-NULL argument; NULL only when every argument may be NULL and is.
template <class E0, class... E>
auto coalesce(const E0& first, const E&... rest) {
    auto head = as_expression(first);
    using value = typename decltype(head)::value_type;
    constexpr bool nullable = nullable_expression<decltype(head)>() && (nullable_expression<decltype(as_operand<value>(rest))>() && ...);
    return function_call<"coalesce", value, nullable, decltype(head), decltype(as_operand<value>(rest))...>{
        {head, as_operand<value>(rest)...}};
}

/// CURRENT_TIMESTAMP (UTC in SQLite; the session time zone, UTC, elsewhere), in whole seconds:
/// PostgreSQL's is date_trunc('second', LOCALTIMESTAMP).
struct current_timestamp {
    using value_type = reflorm::timestamp;
    using sources = source_list<>;
    void render(render_context& ctx) const { ctx << ctx.dialect.current_timestamp_sql(); }
    template <class F>
    void for_each_parameter(F&) const {}
};
inline current_timestamp now() { return {}; }

/// `CAST(e AS type)`, with the dialect's type name for T.
template <class T, expression E>
struct cast_expression {
    using value_type = T;
    using sources = sources_t<E>;
    static constexpr bool nullable = nullable_expression<E>();
    static constexpr bool secret = secret_expression<E>;
    E operand;
    void render(render_context& ctx) const {
        ctx << "CAST(";
        operand.render(ctx);
        schema::column_info target;
        target.kind = schema::column_traits<T>::kind;
        if constexpr (is_numeric<T>::value) {
            target.precision = T::precision;
            target.scale = T::scale;
        }
        ctx << " AS " << ctx.dialect.cast_type_name(target) << ")";
    }
    template <class F>
    void for_each_parameter(F& f) const {
        operand.for_each_parameter(f);
    }
};
template <class T, class E>
auto cast(const E& e) {
    static_assert(schema::column_traits<T>::supported, "reflorm: cast<T>() needs a column type T");
    auto operand = as_expression(e);
    return cast_expression<T, decltype(operand)>{operand};
}

/// One `WHEN condition THEN value` of a CASE.
template <expression Condition, expression Value>
struct when_clause {
    Condition condition;
    Value value;
};
template <class C, class V>
auto when(const C& condition, const V& value) {
    auto v = as_expression(value);
    return when_clause<C, decltype(v)>{condition, v};
}

/// `CASE WHEN ... THEN ... [ELSE ...] END`; NULL when no branch matches and there is no else_.
template <class Else, class W0, class... W>
struct case_node {
    using value_type = typename decltype(W0::value)::value_type;
    using sources = sources_t<decltype(W0::condition), decltype(W0::value), decltype(W::condition)..., decltype(W::value)...>;
    static constexpr bool nullable = std::is_same_v<Else, void>;
    // Secret when a branch's value is: every value (not condition) then is, as in coalesce.
    static constexpr bool secret = secret_expression<decltype(W0::value)> || (secret_expression<decltype(W::value)> || ...) ||
                                   secret_expression<Else>;
    std::tuple<W0, W...> branches;
    [[no_unique_address]] std::conditional_t<std::is_same_v<Else, void>, std::tuple<>, Else> otherwise{};

    void render(render_context& ctx) const {
        ctx << "CASE";
        std::apply([&](const auto&... b) { ((ctx << " WHEN ", b.condition.render(ctx), ctx << " THEN ", b.value.render(ctx)), ...); },
                   branches);
        if constexpr (!std::is_same_v<Else, void>) {
            ctx << " ELSE ";
            otherwise.render(ctx);
        }
        ctx << " END";
    }
    template <class F>
    void for_each_parameter(F& f) const {
        std::apply([&](const auto&... b) { ((b.condition.for_each_parameter(f), visit_parameters<secret>(b.value, f)), ...); },
                   branches);
        if constexpr (!std::is_same_v<Else, void>) visit_parameters<secret>(otherwise, f);
    }
    /// The value when no branch matches.
    template <class V>
    auto else_(const V& v) const requires std::is_same_v<Else, void> {
        auto value = as_operand<value_type>(v);
        return case_node<decltype(value), W0, W...>{branches, value};
    }
};

template <class W0, class... W>
auto case_(const W0& first, const W&... rest) {
    return case_node<void, W0, W...>{{first, rest...}};
}

}  // namespace reflorm::sql

namespace reflorm {
using sql::abs;
using sql::case_;
using sql::cast;
using sql::coalesce;
using sql::length;
using sql::lower;
using sql::now;
using sql::round;
using sql::upper;
using sql::when;
}
