#pragma once
// A typed column reference from a member pointer: `c<&City::name>`.
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/expression.hpp>

namespace reflorm::sql {

enum class sort_direction { asc, desc };

/// `expression ASC|DESC` in ORDER BY.
template <class E, sort_direction Direction>  // unconstrained: column_ref is incomplete where it names these
struct order_item {
    E expression_;
    void render(render_context& ctx) const {
        expression_.render(ctx);
        ctx << (Direction == sort_direction::asc ? " ASC" : " DESC");
    }
    template <class F>
    void for_each_parameter(F& f) const {
        if constexpr (requires { expression_.for_each_parameter(f); }) expression_.for_each_parameter(f);
    }
};

/// `expression IS [NOT] NULL`.
template <class E, bool Negated>
struct null_test {
    using value_type = bool;
    E expression_;
    void render(render_context& ctx) const {
        expression_.render(ctx);
        ctx << (Negated ? " IS NOT NULL" : " IS NULL");
    }
    template <class F>
    void for_each_parameter(F& f) const {
        if constexpr (requires { expression_.for_each_parameter(f); }) expression_.for_each_parameter(f);
    }
};

/// The column of model member M, rendered as `table.column`.
template <auto M>
struct column_ref {
    using model_type = reflect::member_class_t<M>;
    using member_type = reflect::member_value_t<M>;
    using value_type = typename schema::column_traits<member_type>::value_type;
    static constexpr std::size_t column_index = schema::column_index_v<M>;

    void render(render_context& ctx) const {
        constexpr const schema::table_info& table = schema::table_of<model_type>;
        ctx.qualified(table.name, table.columns[column_index].name);
    }
    template <class F>
    void for_each_parameter(F&) const {}

    constexpr order_item<column_ref, sort_direction::asc> asc() const { return {*this}; }
    constexpr order_item<column_ref, sort_direction::desc> desc() const { return {*this}; }
    constexpr null_test<column_ref, false> is_null() const { return {*this}; }
    constexpr null_test<column_ref, true> is_not_null() const { return {*this}; }
};

/// `reflorm::c<&City::population>`: the typed column of a member, for where and order_by.
template <auto M>
    requires reflect::data_member_pointer<M>
inline constexpr column_ref<M> c{};

}  // namespace reflorm::sql

namespace reflorm {
using sql::c;
}
