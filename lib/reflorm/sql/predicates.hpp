#pragma once
// LIKE / ILIKE, IN / NOT IN over a list of values, BETWEEN.
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/source.hpp>
#include <reflorm/sql/subquery.hpp>

#include <initializer_list>
#include <string>
#include <vector>

namespace reflorm::sql {

template <class Value>
struct check_string_operand {
    static constexpr bool value = std::is_same_v<Value, std::string>;
    static_assert(value, "reflorm: like() and ilike() apply to string expressions only (see Value above)");
};

/// `a LIKE b`, `a NOT LIKE b`; case-insensitive `a ILIKE b` (PostgreSQL) or
/// `lower(a) LIKE lower(b)` elsewhere, so that ilike means the same on every dialect.
template <expression E, expression Pattern, bool CaseInsensitive, bool Negated>
struct like_predicate {
    using value_type = bool;
    using sources = sources_t<E, Pattern>;
    E expression_;
    Pattern pattern;

    void render(render_context& ctx) const {
        if constexpr (CaseInsensitive) {
            ctx.dialect.ilike(ctx, fragment(expression_), fragment(pattern), Negated);
        } else {
            expression_.render(ctx);
            ctx << (Negated ? " NOT LIKE " : " LIKE ");
            pattern.render(ctx);
        }
    }
    template <class F>
    void for_each_parameter(F& f) const {
        visit_parameters<secret_expression<Pattern>>(expression_, f);  // each side '***' next to a secret one
        visit_parameters<secret_expression<E>>(pattern, f);
    }
};

template <bool CaseInsensitive, bool Negated, class E, class P>
auto make_like(const E& e, const P& pattern) {
    static_assert(check_string_operand<typename E::value_type>::value);
    auto p = as_operand<std::string>(pattern);
    return like_predicate<E, decltype(p), CaseInsensitive, Negated>{e, p};
}

/// `e LIKE pattern` (SQLite's LIKE ignores ASCII case; use like on PostgreSQL/MySQL collations as usual).
template <expression E, class P>
auto like(const E& e, const P& pattern) { return make_like<false, false>(e, pattern); }
template <expression E, class P>
auto not_like(const E& e, const P& pattern) { return make_like<false, true>(e, pattern); }
/// Case-insensitive LIKE on every dialect.
template <expression E, class P>
auto ilike(const E& e, const P& pattern) { return make_like<true, false>(e, pattern); }

/// `e IN (?, ?, ...)` over values bound one by one; the text is cached per list length. An
/// empty list is never true (`1 != 1`), and NOT IN of an empty list always is (`1 = 1`), as in
/// SQLAlchemy's empty IN handling.
template <expression E, class V, bool Negated>
struct in_list {
    using value_type = bool;
    using sources = sources_t<E>;
    E expression_;
    std::vector<V> values;

    void render(render_context& ctx) const {
        if (values.empty()) {
            ctx << (Negated ? "1 = 1" : "1 != 1");
            return;
        }
        expression_.render(ctx);
        ctx << (Negated ? " NOT IN " : " IN ");
        ctx.parameter_row(values.size());
    }
    template <class F>
    void for_each_parameter(F& f) const {
        if (values.empty()) return;
        expression_.for_each_parameter(f);
        for (const auto& v : values) visit_parameter(f, v, secret_expression<E>);  // '***' next to a secret
    }
    void shape(std::string& key) const {
        append_shape(expression_, key);
        append_count(key, values.size());
        key += ';';
    }
};

template <bool Negated, class E, class Range>
auto make_in(const E& e, const Range& range) {
    using element = std::remove_cvref_t<decltype(*std::begin(range))>;
    static_assert(check_comparable<typename E::value_type, element>::value);
    using bound = typename decltype(as_operand<typename E::value_type>(*std::begin(range)))::value_type;
    in_list<E, bound, Negated> node{e, {}};
    for (const auto& v : range) node.values.push_back(as_operand<typename E::value_type>(v).value);
    return node;
}

/// `e IN (values...)`: a std::vector, std::array, any range, or a braced list.
template <expression E, class Range>
auto in_(const E& e, const Range& values) { return make_in<false>(e, values); }
template <expression E, class V>
auto in_(const E& e, std::initializer_list<V> values) { return make_in<false>(e, values); }
template <expression E, class Range>
auto not_in(const E& e, const Range& values) { return make_in<true>(e, values); }
template <expression E, class V>
auto not_in(const E& e, std::initializer_list<V> values) { return make_in<true>(e, values); }
/// `e IN (SELECT x ...)` / `e NOT IN (SELECT x ...)` over a select of one expression (subquery.hpp).
template <expression E, subquery_statement S>
auto in_(const E& e, const S& select) { return make_in_select<false>(e, select); }
template <expression E, subquery_statement S>
auto not_in(const E& e, const S& select) { return make_in_select<true>(e, select); }

/// `e BETWEEN low AND high` (both ends included).
template <expression E, expression Low, expression High>
struct between_predicate {
    using value_type = bool;
    using sources = sources_t<E, Low, High>;
    E expression_;
    Low low;
    High high;
    void render(render_context& ctx) const {
        expression_.render(ctx);
        ctx << " BETWEEN ";
        low.render(ctx);
        ctx << " AND ";
        high.render(ctx);
    }
    template <class F>
    void for_each_parameter(F& f) const {
        visit_parameters<secret_expression<Low> || secret_expression<High>>(expression_, f);
        visit_parameters<secret_expression<E> || secret_expression<High>>(low, f);
        visit_parameters<secret_expression<E> || secret_expression<Low>>(high, f);
    }
};

template <expression E, class L, class H>
auto between(const E& e, const L& low, const H& high) {
    auto l = as_operand<typename E::value_type>(low);
    auto h = as_operand<typename E::value_type>(high);
    return between_predicate<E, decltype(l), decltype(h)>{e, l, h};
}

}  // namespace reflorm::sql

namespace reflorm {
using sql::between;
using sql::ilike;
using sql::in_;
using sql::like;
using sql::not_in;
using sql::not_like;
}
