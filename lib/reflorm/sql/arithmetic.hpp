#pragma once
// Arithmetic `+ - * /` on numeric expressions, and `+` on strings as concatenation
// (`||` in SQLite and PostgreSQL, CONCAT() in MySQL), as SQLAlchemy's operators on String.
#include <reflorm/sql/binary_node.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/order_item.hpp>
#include <reflorm/sql/source.hpp>

namespace reflorm::sql {

enum class arithmetic_operator { add, subtract, multiply, divide };

template <class E>
consteval bool nullable_expression() {
    if constexpr (requires { E::nullable; }) return E::nullable;
    else return false;
}

template <class Left, class Right, arithmetic_operator Op>
struct check_arithmetic {
    static constexpr bool numbers = std::is_arithmetic_v<Left> && std::is_arithmetic_v<Right> &&
                                    !std::is_same_v<Left, bool> && !std::is_same_v<Right, bool>;
    static constexpr bool strings = string_like<Left> && string_like<Right> && Op == arithmetic_operator::add;
    static constexpr bool value = numbers || strings;
    static_assert(value,
                  "reflorm: arithmetic needs numbers on both sides (see Left and Right in the instantiation above); "
                  "only + applies to strings, as concatenation");
};

template <arithmetic_operator Op, expression L, expression R>
struct arithmetic : binary_operands<L, R> {
    static constexpr bool concatenation = std::is_same_v<typename L::value_type, std::string>;
    using value_type = std::conditional_t<concatenation, std::string,
                                          std::common_type_t<typename L::value_type, typename R::value_type>>;
    static constexpr bool nullable = nullable_expression<L>() || nullable_expression<R>();
    static constexpr bool secret = binary_operands<L, R>::any_secret;  // `password + salt` is secret too

    void render(render_context& ctx) const {
        if constexpr (concatenation) {
            ctx.dialect.concat(ctx, fragment(this->left, is_compound<L>), fragment(this->right, is_compound<R>));
        } else {
            render_operand(ctx, this->left);
            constexpr std::string_view symbols[] = {" + ", " - ", " * ", " / "};
            ctx << symbols[static_cast<int>(Op)];
            render_operand(ctx, this->right);
        }
    }
    constexpr order_item<arithmetic, sort_direction::asc> asc() const { return {*this}; }
    constexpr order_item<arithmetic, sort_direction::desc> desc() const { return {*this}; }

private:
    // Nested arithmetic is parenthesised as an operand: (a + b) * c.
    template <class E>
    static constexpr bool is_compound = requires { E::concatenation; };
    template <class E>
    static void render_operand(render_context& ctx, const E& e) {
        fragment(e, is_compound<E>).operand(ctx);
    }
};

template <arithmetic_operator Op, class L, class R>
auto make_arithmetic(const L& l, const R& r) {
    auto left = as_expression(l);
    auto right = as_expression(r);
    using left_type = decltype(left);
    using right_type = decltype(right);
    static_assert(check_arithmetic<typename left_type::value_type, typename right_type::value_type, Op>::value);
    return arithmetic<Op, left_type, right_type>{{left, right}};
}

template <class L, class R>
concept arithmetic_operands = (expression<L> || expression<R>);

template <class L, class R>
    requires arithmetic_operands<L, R>
auto operator+(const L& l, const R& r) { return make_arithmetic<arithmetic_operator::add>(l, r); }
template <class L, class R>
    requires arithmetic_operands<L, R>
auto operator-(const L& l, const R& r) { return make_arithmetic<arithmetic_operator::subtract>(l, r); }
template <class L, class R>
    requires arithmetic_operands<L, R>
auto operator*(const L& l, const R& r) { return make_arithmetic<arithmetic_operator::multiply>(l, r); }
template <class L, class R>
    requires arithmetic_operands<L, R>
auto operator/(const L& l, const R& r) { return make_arithmetic<arithmetic_operator::divide>(l, r); }

}  // namespace reflorm::sql
