#pragma once
// The operands of a two-operand node (comparison, AND/OR, arithmetic): they are visited for
// parameters and run-time shapes left to right, the order in which the node renders them.
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/source.hpp>

namespace reflorm::sql {

template <class L, class R>
struct binary_operands {
    using sources = sources_t<L, R>;
    L left;
    R right;

    template <class F>
    void for_each_parameter(F& f) const {
        left.for_each_parameter(f);
        right.for_each_parameter(f);
    }
    void shape(std::string& key) const
        requires any_shape<L, R>
    {
        append_shape(left, key);
        append_shape(right, key);
    }
};

}  // namespace reflorm::sql
