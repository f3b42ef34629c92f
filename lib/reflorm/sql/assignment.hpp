#pragma once
// `c<&City::population> = value` inside update<City>().set(...): the SET item `population = ?`.
// The value is bound as the column's type (as in comparisons); it may also be an expression
// (`c<&City::population> = c<&City::population> + 1`) or, for a std::optional member,
// std::nullopt or a std::optional (NULL when empty).
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/expression.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace reflorm::sql {

/// `column = value`; the column is rendered unqualified, as SET requires on PostgreSQL.
template <class Column, class Value>
struct assignment {
    using column_type = Column;
    Column column;
    Value value;

    void render(render_context& ctx) const {
        ctx.identifier(schema::table_of<typename Column::model_type>.columns[Column::column_index].name);
        ctx << " = ";
        value.render(ctx);
    }
    template <class F>
    void for_each_parameter(F& f) const {
        visit_parameters<secret_expression<Column>>(value, f);  // '***' for a secret column
    }
    void shape(std::string& key) const
        requires has_shape<Value>
    {
        value.shape(key);
    }
};

template <class A>
struct is_assignment : std::false_type {};
template <class Column, class Value>
struct is_assignment<assignment<Column, Value>> : std::true_type {};

/// Whether a value of type Value may be stored in a column whose values are Column: the types
/// that compare (comparable_types), except a floating-point value into an integer column.
template <class Column, class Value>
struct check_assignable {
    static constexpr bool same_kind = comparable_types<Column, Value>;
    static_assert(same_kind,
                  "reflorm: cannot assign a value of this type to this column (see Column and Value in the "
                  "instantiation above); assign numbers to number columns, strings to string columns, dates to "
                  "date columns, and an enum column its own enum");
    static constexpr bool keeps_fraction = !(std::is_integral_v<Column> && std::is_floating_point_v<Value>);
    static_assert(!same_kind || keeps_fraction,
                  "reflorm: assigning a floating-point value to an integer column would drop its fraction; "
                  "convert the value to the column's integer type first");
    static constexpr bool value = same_kind && keeps_fraction;
};

template <class Column, bool Nullable>
struct check_nullable_target {
    static_assert(Nullable,
                  "reflorm: only the column of a std::optional member can be set to NULL (std::nullopt or an "
                  "empty std::optional); this member is not std::optional");
    static constexpr bool value = Nullable;
};

/// `column = value`, checked and with the value as the column's type where it fits.
template <class Column, class V>
auto make_assignment(const Column& column, const V& value) {
    using target = typename Column::value_type;
    constexpr bool nullable = schema::column_traits<typename Column::member_type>::nullable;
    if constexpr (std::is_same_v<V, std::nullopt_t>) {
        (void)check_nullable_target<Column, nullable>::value;
        return assignment<Column, bound_parameter<std::optional<target>>>{column, {std::nullopt}};
    } else if constexpr (schema::is_optional<V>::value) {
        using inner = typename V::value_type;
        if constexpr (!check_nullable_target<Column, nullable>::value || !check_assignable<target, inner>::value) {
            return assignment<Column, bound_parameter<std::optional<target>>>{column, {}};  // reported above
        } else {
            // As in as_operand: a number the integer column cannot hold exactly keeps its own type.
            using bound_type = std::conditional_t<std::is_integral_v<target> && std::is_arithmetic_v<inner> &&
                                                      !converts_without_narrowing<target, inner>,
                                                  inner, target>;
            std::optional<bound_type> bound;
            if (value) {
                if constexpr (std::is_same_v<bound_type, std::string>) bound = std::string(std::string_view(*value));
                else bound = static_cast<bound_type>(*value);
            }
            return assignment<Column, bound_parameter<std::optional<bound_type>>>{column, {std::move(bound)}};
        }
    } else if constexpr (expression<V>) {
        if constexpr (!check_assignable<target, typename V::value_type>::value)
            return assignment<Column, bound_parameter<target>>{column, {}};  // reported above
        else
            return assignment<Column, V>{column, value};
    } else {
        if constexpr (!check_assignable<target, V>::value) {
            return assignment<Column, bound_parameter<target>>{column, {}};  // reported above
        } else {
            auto operand = as_operand<target>(value);
            return assignment<Column, decltype(operand)>{column, std::move(operand)};
        }
    }
}

}  // namespace reflorm::sql
