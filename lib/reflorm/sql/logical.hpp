#pragma once
// AND, OR and NOT over predicates.
#include <reflorm/sql/binary_node.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/source.hpp>

namespace reflorm::sql {

template <class E>
concept predicate = expression<E> && std::is_same_v<typename E::value_type, bool>;

enum class logical_operator { and_, or_ };

template <logical_operator Op, predicate L, predicate R>
struct logical : binary_operands<L, R, false> {
    using value_type = bool;
    static constexpr logical_operator op = Op;

    void render(render_context& ctx) const {
        render_operand(ctx, this->left);
        ctx << (Op == logical_operator::and_ ? " AND " : " OR ");
        render_operand(ctx, this->right);
    }

private:
    // OR binds looser than AND: an OR inside an AND needs parentheses.
    template <class E>
    static void render_operand(render_context& ctx, const E& e) {
        constexpr bool needs_parentheses = [] {
            if constexpr (requires { E::op; }) return Op == logical_operator::and_ && E::op == logical_operator::or_;
            else return false;
        }();
        if (needs_parentheses) ctx << "(";
        e.render(ctx);
        if (needs_parentheses) ctx << ")";
    }
};

template <predicate E>
struct negation {
    using value_type = bool;
    using sources = sources_t<E>;
    E operand;
    void render(render_context& ctx) const {
        ctx << "NOT (";
        operand.render(ctx);
        ctx << ")";
    }
    template <class F>
    void for_each_parameter(F& f) const {
        operand.for_each_parameter(f);
    }
    void shape(std::string& key) const
        requires has_shape<E>
    {
        operand.shape(key);
    }
};

template <predicate L, predicate R>
auto operator&&(const L& l, const R& r) { return logical<logical_operator::and_, L, R>{{l, r}}; }
template <predicate L, predicate R>
auto operator||(const L& l, const R& r) { return logical<logical_operator::or_, L, R>{{l, r}}; }
template <predicate E>
auto operator!(const E& e) { return negation<E>{e}; }

}  // namespace reflorm::sql
