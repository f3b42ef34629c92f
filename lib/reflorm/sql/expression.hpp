#pragma once
// What every expression node provides, and the bound-parameter node that carries values.
// A node renders SQL text that depends only on its type and the dialect, never on values,
// so a statement's text can be rendered once per shape; values reach the database only as
// bound parameters, visited in rendering order by for_each_parameter.
#include <reflorm/reflect/type_name.hpp>
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

template <class T>
concept string_like = std::is_convertible_v<const T&, std::string_view>;

/// Whether values of types A and B can be compared in SQL.
template <class A, class B>
concept comparable_types =
    std::is_same_v<A, B> || (string_like<A> && string_like<B>) ||
    (std::is_arithmetic_v<A> && std::is_arithmetic_v<B> && !std::is_same_v<A, bool> && !std::is_same_v<B, bool>);

template <class Left, class Right>
struct check_comparable {
    static constexpr bool value = comparable_types<Left, Right>;
    static_assert(value,
                  "reflorm: cannot compare these two types in SQL (see Left and Right in the instantiation "
                  "above); compare a column with a value or column of the same kind: numbers with numbers, "
                  "strings with strings, dates with dates");
};

/// An operand as an expression: expressions stay as they are; a plain value becomes a bound
/// parameter of the other side's type (`Like`), so that `c<&City::id> == 5` binds an int32.
template <class Like, class Operand>
auto as_operand(const Operand& operand) {
    if constexpr (expression<Operand>) {
        static_assert(check_comparable<Like, typename Operand::value_type>::value);
        return operand;
    } else {
        static_assert(check_comparable<Like, Operand>::value);
        if constexpr (std::is_same_v<Like, std::string>)
            return bound_parameter<std::string>{std::string(std::string_view(operand))};
        else
            return bound_parameter<Like>{static_cast<Like>(operand)};
    }
}

}  // namespace reflorm::sql
