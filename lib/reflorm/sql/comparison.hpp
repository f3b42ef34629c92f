#pragma once
// Binary comparisons: `c<&City::population> > 1000000`, `c<&City::name> == "Kabul"`.
#include <reflorm/sql/binary_node.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/source.hpp>

#include <optional>

namespace reflorm::sql {

enum class comparison_operator { eq, ne, lt, le, gt, ge };

constexpr std::string_view operator_sql(comparison_operator op) {
    switch (op) {
    case comparison_operator::eq: return " = ";
    case comparison_operator::ne: return " != ";
    case comparison_operator::lt: return " < ";
    case comparison_operator::le: return " <= ";
    case comparison_operator::gt: return " > ";
    case comparison_operator::ge: return " >= ";
    }
    return " = ";
}

template <comparison_operator Op, expression L, expression R>
struct comparison : binary_operands<L, R> {
    using value_type = bool;
    void render(render_context& ctx) const {
        this->left.render(ctx);
        ctx << operator_sql(Op);
        this->right.render(ctx);
    }
};

template <class L, class R>
concept comparison_operands = (expression<L> || expression<R>) && !std::is_same_v<L, std::nullopt_t> &&
                              !std::is_same_v<R, std::nullopt_t>;

template <comparison_operator Op, class L, class R>
auto make_comparison(const L& l, const R& r) {
    // A value compared with a secret expression is described as '***' (binary_operands).
    if constexpr (expression<L>) {
        auto right = as_operand<typename L::value_type>(r);
        return comparison<Op, L, decltype(right)>{{l, std::move(right)}};
    } else {
        auto left = as_operand<typename R::value_type>(l);
        return comparison<Op, decltype(left), R>{{std::move(left), r}};
    }
}

/// `c<&T::m> == std::nullopt` would be SQL's `= NULL`, which is never true. This node only
/// exists in a program that has already failed to compile with the message below.
template <class E>
struct compared_with_nullopt {
    static_assert(!expression<E>,
                  "reflorm: comparing a column with std::nullopt would render `= NULL`, which is never true in SQL; "
                  "write c<&Model::member>.is_null() or c<&Model::member>.is_not_null() instead");
    using value_type = bool;
    void render(render_context&) const {}
    template <class F>
    void for_each_parameter(F&) const {}
};
template <expression E>
compared_with_nullopt<E> operator==(const E&, std::nullopt_t) { return {}; }
template <expression E>
compared_with_nullopt<E> operator==(std::nullopt_t, const E&) { return {}; }
template <expression E>
compared_with_nullopt<E> operator!=(const E&, std::nullopt_t) { return {}; }
template <expression E>
compared_with_nullopt<E> operator!=(std::nullopt_t, const E&) { return {}; }

template <class L, class R>
    requires comparison_operands<L, R>
auto operator==(const L& l, const R& r) { return make_comparison<comparison_operator::eq>(l, r); }
template <class L, class R>
    requires comparison_operands<L, R>
auto operator!=(const L& l, const R& r) { return make_comparison<comparison_operator::ne>(l, r); }
template <class L, class R>
    requires comparison_operands<L, R>
auto operator<(const L& l, const R& r) { return make_comparison<comparison_operator::lt>(l, r); }
template <class L, class R>
    requires comparison_operands<L, R>
auto operator<=(const L& l, const R& r) { return make_comparison<comparison_operator::le>(l, r); }
template <class L, class R>
    requires comparison_operands<L, R>
auto operator>(const L& l, const R& r) { return make_comparison<comparison_operator::gt>(l, r); }
template <class L, class R>
    requires comparison_operands<L, R>
auto operator>=(const L& l, const R& r) { return make_comparison<comparison_operator::ge>(l, r); }

}  // namespace reflorm::sql
