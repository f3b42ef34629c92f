#pragma once
// The operands of a two-operand node (comparison, AND/OR, arithmetic): they are visited for
// parameters and run-time shapes left to right, the order in which the node renders them.
// Where the operands' values meet (Meet: a comparison, arithmetic; not AND/OR), a secret
// expression on one side makes every value of the other side secret (visit_parameters); a
// secret side masks its own values.
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/source.hpp>

namespace reflorm::sql {

template <class L, class R, bool Meet = true>
struct binary_operands {
    using sources = sources_t<L, R>;
    static constexpr bool any_secret = Meet && (secret_expression<L> || secret_expression<R>);
    L left;
    R right;

    template <class F>
    void for_each_parameter(F& f) const {
        visit_parameters<Meet && secret_expression<R>>(left, f);
        visit_parameters<Meet && secret_expression<L>>(right, f);
    }
    void shape(std::string& key) const
        requires any_shape<L, R>
    {
        append_shape(left, key);
        append_shape(right, key);
    }
};

}  // namespace reflorm::sql
