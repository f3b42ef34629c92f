#pragma once
// Parts shared by the data-changing statements (insert.hpp, update.hpp, delete.hpp): the
// optional WHERE condition, lists of a table's own columns, and the check that a column
// belongs to the statement's table.
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/column.hpp>
#include <reflorm/sql/comparison.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/logical.hpp>
#include <reflorm/sql/source.hpp>

#include <array>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace reflorm::sql {

/// An absent clause: no WHERE (every row), no GROUP BY, no HAVING.
struct no_clause {
    using sources = source_list<>;
    template <class F>
    void for_each_parameter(F&) const {}
};

/// `TRUE` as a predicate (SQLite 3.23+, PostgreSQL, MySQL).
struct true_condition {
    using value_type = bool;
    using sources = source_list<>;
    void render(render_context& ctx) const { ctx << "TRUE"; }
    template <class F>
    void for_each_parameter(F&) const {}
};

template <class E>
struct check_where_predicate {
    static constexpr bool value = predicate<E>;
    static_assert(value, "reflorm: where() takes a condition, such as c<&T::member> == value");
};

/// The condition `where` AND `e`, or `e` alone when there was none.
template <class Where, class E>
auto and_condition(const Where& where, const E& e) {
    if constexpr (std::is_same_v<Where, no_clause>) return e;
    else return logical<logical_operator::and_, Where, E>{{where, e}};
}

/// Appends ` WHERE <condition>`, or nothing for no_clause.
template <class Where>
void render_where(render_context& ctx, const Where& where) {
    if constexpr (!std::is_same_v<Where, no_clause>) {
        ctx << " WHERE ";
        where.render(ctx);
    }
}

/// Appends the shape of every part that has one (see has_shape in expression.hpp).
template <class... Parts>
void append_shapes(std::string& key, const Parts&... parts) {
    (append_shape(parts, key), ...);
}
template <class... E>
void append_tuple_shape(std::string& key, const std::tuple<E...>& items) {
    std::apply([&](const auto&... item) { (append_shape(item, key), ...); }, items);
}

/// Whether C is a column reference, `c<&Model::member>`.
template <class C>
concept column_reference = requires {
    typename C::model_type;
    typename C::member_type;
    C::column_index;
};

template <class T, class Column>
struct check_own_column {
    static constexpr bool value = [] {
        if constexpr (column_reference<Column>) return std::is_same_v<typename Column::model_type, T>;
        else return false;
    }();
    static_assert(value,
                  "reflorm: this clause takes columns of the statement's own table, written c<&T::member> "
                  "(see T and Column in the instantiation above)");
};

/// The name of a column reference's column.
template <class Column>
constexpr std::string_view column_name_of() {
    return schema::table_of<typename Column::model_type>.columns[Column::column_index].name;
}

/// A list of columns of T, given as `c<&T::a>, c<&T::b>`: their names, in order.
template <class... Columns>
struct column_set {
    static constexpr std::size_t size = sizeof...(Columns);
    static constexpr std::array<std::string_view, sizeof...(Columns)> names() { return {column_name_of<Columns>()...}; }
};

}  // namespace reflorm::sql
