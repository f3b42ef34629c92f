#pragma once
// A typed column reference from a member pointer: `c<&City::name>`, or through an alias:
// `alias<City, "big">::c<&City::name>`.
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/assignment.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/order_item.hpp>
#include <reflorm/sql/predicates.hpp>
#include <reflorm/sql/source.hpp>

namespace reflorm::sql {

/// `expression IS [NOT] NULL`.
template <class E, bool Negated>
struct null_test {
    using value_type = bool;
    using sources = typename sources_of<E>::type;
    E expression_;
    void render(render_context& ctx) const {
        expression_.render(ctx);
        ctx << (Negated ? " IS NOT NULL" : " IS NULL");
    }
    template <class F>
    void for_each_parameter(F& f) const {
        expression_.for_each_parameter(f);
    }
    void shape(std::string& key) const
        requires has_shape<E>
    {
        expression_.shape(key);
    }
};

/// The column of model member M, read from Source (the model's table or an alias of it),
/// rendered as `table.column` or `alias.column`.
template <auto M, class Source = model_table<reflect::member_class_t<M>>>
struct column_ref {
    using model_type = reflect::member_class_t<M>;
    using member_type = reflect::member_value_t<M>;
    using value_type = typename schema::column_traits<member_type>::value_type;
    using sources = source_list<Source>;
    static constexpr bool nullable = schema::column_traits<member_type>::nullable;
    static constexpr bool is_column = true;
    static constexpr std::size_t column_index = schema::column_index_v<M, typename Source::model_type>;
    /// Values compared with or assigned to this column are described as '***' (reflorm::secret).
    static constexpr bool secret = schema::table_of<typename Source::model_type>.columns[column_index].secret;

    void render(render_context& ctx) const {
        ctx.qualified(source_name<Source>(), schema::table_of<typename Source::model_type>.columns[column_index].name);
    }
    template <class F>
    void for_each_parameter(F&) const {}

    constexpr order_item<column_ref, sort_direction::asc> asc() const { return {*this}; }  // nulls_first/last allowed
    constexpr order_item<column_ref, sort_direction::desc> desc() const { return {*this}; }
    constexpr null_test<column_ref, false> is_null() const { return {*this}; }
    constexpr null_test<column_ref, true> is_not_null() const { return {*this}; }

    /// `c<&T::m> = value` in update<T>().set(...): the SET item `m = value` (see assignment.hpp),
    /// not a C++ assignment; the value's type is checked against the column's.
    template <class V>
    constexpr auto operator=(const V& value) const { return make_assignment(*this, value); }

    /// `column LIKE pattern`, `NOT LIKE`, case-insensitive `ilike` (see predicates.hpp).
    template <class P>
    auto like(const P& pattern) const { return sql::like(*this, pattern); }
    template <class P>
    auto not_like(const P& pattern) const { return sql::not_like(*this, pattern); }
    template <class P>
    auto ilike(const P& pattern) const { return sql::ilike(*this, pattern); }
    /// `column IN (...)` / `NOT IN (...)` over a range or a braced list of values.
    template <class Range>
    auto in_(const Range& values) const { return sql::in_(*this, values); }
    template <class V>
    auto in_(std::initializer_list<V> values) const { return sql::in_(*this, values); }
    template <class Range>
    auto not_in(const Range& values) const { return sql::not_in(*this, values); }
    template <class V>
    auto not_in(std::initializer_list<V> values) const { return sql::not_in(*this, values); }
    /// `column BETWEEN low AND high`.
    template <class L, class H>
    auto between(const L& low, const H& high) const { return sql::between(*this, low, high); }
};

/// `reflorm::c<&City::population>`: the typed column of a member, for where and order_by.
template <auto M>
    requires reflect::data_member_pointer<M>
inline constexpr column_ref<M> c{};

}  // namespace reflorm::sql

namespace reflorm {
using sql::alias;
using sql::c;
}
