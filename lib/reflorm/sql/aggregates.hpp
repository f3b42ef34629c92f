#pragma once
// Aggregates (count, sum, avg, min, max, DISTINCT inside them) and labels (`expr AS name`).
#include <reflorm/sql/arithmetic.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/order_item.hpp>
#include <reflorm/sql/source.hpp>

#include <cstdint>

namespace reflorm::sql {

/// `count(*)`.
struct count_all {
    using value_type = std::int64_t;
    static constexpr bool never_null = true;
    using sources = source_list<>;
    void render(render_context& ctx) const { ctx << "count(*)"; }
    template <class F>
    void for_each_parameter(F&) const {}
    constexpr order_item<count_all, sort_direction::asc> asc() const { return {*this}; }
    constexpr order_item<count_all, sort_direction::desc> desc() const { return {*this}; }
};

/// `DISTINCT e`, only as an aggregate's argument: `count(distinct(c<&City::country_code>))`.
template <expression E>
struct distinct_argument {
    using value_type = typename E::value_type;
    using sources = sources_t<E>;
    static constexpr bool nullable = nullable_expression<E>();
    static constexpr bool secret = secret_expression<E>;
    E operand;
    void render(render_context& ctx) const {
        ctx << "DISTINCT ";
        operand.render(ctx);
    }
    template <class F>
    void for_each_parameter(F& f) const {
        operand.for_each_parameter(f);
    }
};

/// `name(e)` over a group. Value is the result type; sum, avg, min and max are NULL over no rows.
template <fixed_string Name, class Value, bool Nullable, expression E>
struct aggregate {
    using value_type = Value;
    using sources = sources_t<E>;
    static constexpr bool nullable = Nullable;
    static constexpr bool never_null = !Nullable;  // count(e) is 0, never NULL
    static constexpr bool secret = secret_expression<E> && (Name.view() == "min" || Name.view() == "max");  // not a count or sum
    E operand;
    void render(render_context& ctx) const {
        ctx << Name.view() << "(";
        operand.render(ctx);
        ctx << ")";
    }
    template <class F>
    void for_each_parameter(F& f) const {
        operand.for_each_parameter(f);
    }
    constexpr order_item<aggregate, sort_direction::asc> asc() const { return {*this}; }
    constexpr order_item<aggregate, sort_direction::desc> desc() const { return {*this}; }
};

template <class E>
struct check_numeric_aggregate {
    static constexpr bool value = std::is_arithmetic_v<typename E::value_type> && !std::is_same_v<typename E::value_type, bool>;
    static_assert(value, "reflorm: sum() and avg() take a numeric expression");
};

/// count(*), as SQLAlchemy's func.count().
inline count_all count() { return {}; }
/// count(e): rows where e is not NULL.
template <expression E>
auto count(const E& e) { return aggregate<"count", std::int64_t, false, E>{e}; }
/// sum(e): std::int64_t over integers, double over reals; NULL over no rows.
template <expression E>
auto sum(const E& e) {
    static_assert(check_numeric_aggregate<E>::value);
    using value = std::conditional_t<std::is_integral_v<typename E::value_type>, std::int64_t, double>;
    return aggregate<"sum", value, true, E>{e};
}
/// avg(e) as double; NULL over no rows.
template <expression E>
auto avg(const E& e) {
    static_assert(check_numeric_aggregate<E>::value);
    return aggregate<"avg", double, true, E>{e};
}
/// min(e), of e's type; NULL over no rows.
template <expression E>
auto min(const E& e) { return aggregate<"min", typename E::value_type, true, E>{e}; }
/// max(e), of e's type; NULL over no rows.
template <expression E>
auto max(const E& e) { return aggregate<"max", typename E::value_type, true, E>{e}; }
/// DISTINCT inside an aggregate: count(distinct(e)).
template <expression E>
auto distinct(const E& e) { return distinct_argument<E>{e}; }

/// `e AS name` in a select list, as SQLAlchemy's label(). The name is part of the statement's
/// type, so the text stays cached per shape.
template <fixed_string Name, expression E>
struct labeled {
    using value_type = typename E::value_type;
    using sources = sources_t<E>;
    static constexpr bool nullable = nullable_expression<E>();
    static constexpr bool secret = secret_expression<E>;
    E operand;
    void render(render_context& ctx) const {
        operand.render(ctx);
        ctx << " AS ";
        ctx.identifier(Name.view());
    }
    template <class F>
    void for_each_parameter(F& f) const {
        operand.for_each_parameter(f);
    }
};

/// `label<"total">(sum(c<&LineItem::l_quantity>))`.
template <fixed_string Name, class E>
auto label(const E& e) {
    auto operand = as_expression(e);
    return labeled<Name, decltype(operand)>{operand};
}

}  // namespace reflorm::sql

namespace reflorm {
using sql::avg;
using sql::count;
using sql::distinct;
using sql::label;
using sql::max;
using sql::min;
using sql::sum;
}
