#pragma once
// UNION and UNION ALL of selects, as SQLAlchemy's union() / union_all():
//
//     reflorm::union_(select(c<&City::name>).where(...), select(c<&Country::name>).where(...))
//         .order_by(c<&City::name>)
//         .limit(10)
//
// The members must have the same row type; rows are read as the first member's. Members are
// rendered without parentheses, which SQLite does not accept, so ORDER BY / LIMIT / OFFSET
// belong to the union, not to its members. The union's ORDER BY names result columns: a
// column of the first select, rendered by its bare name (`ORDER BY name`), as every dialect
// requires of a compound select.
#include <reflorm/sql/select.hpp>

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>

namespace reflorm::sql {

enum class compound_operator { union_, union_all };

/// A result column of a union, named without its table: `name` for `city.name`.
template <class Column>
struct result_column {
    using value_type = typename Column::value_type;
    static constexpr bool is_column = true;
    void render(render_context& ctx) const {
        ctx.identifier(schema::table_of<typename Column::model_type>.columns[Column::column_index].name);
    }
    template <class F>
    void for_each_parameter(F&) const {}
};

/// Whether Column is among the columns a select list reads.
template <class Columns, class Column>
inline constexpr bool selects_column_v = false;
template <class... E, class Column>
inline constexpr bool selects_column_v<expression_list<E...>, Column> = (std::is_same_v<E, Column> || ...);
template <class T, class Column>
inline constexpr bool selects_column_v<all_columns_of<T>, Column> =
    std::is_same_v<typename sources_of<Column>::type, source_list<model_table<T>>>;

template <class Columns, class Item>
struct check_union_order_item {
    static constexpr bool value = sizeof(Item*) == 0;  // false, once Item is known
    static_assert(value,
                  "reflorm: a union is ordered by its result columns: pass order_by a column that the union's first "
                  "select selects, c<&T::m>, optionally with .asc()/.desc() and nulls_first()/nulls_last()");
};
template <class Columns, auto M, class Source, sort_direction D, nulls_order N>
struct check_union_order_item<Columns, order_item<column_ref<M, Source>, D, N>> {
    static constexpr bool value = selects_column_v<Columns, column_ref<M, Source>>;
    static_assert(value,
                  "reflorm: a union is ordered by its result columns: this column is not selected by the union's first "
                  "select");
};

/// An ORDER BY item of a union: the same item over the bare result column.
template <class Item>
struct union_order_item {
    using type = Item;  // rejected by check_union_order_item
};
template <auto M, class Source, sort_direction D, nulls_order N>
struct union_order_item<order_item<column_ref<M, Source>, D, N>> {
    using type = order_item<result_column<column_ref<M, Source>>, D, N>;
};

template <class First, class Other>
struct check_union_member {
    static constexpr bool same_rows = std::is_same_v<typename First::result_type, typename Other::result_type>;
    static_assert(same_rows,
                  "reflorm: every select of a union must return the same row type as the first (see First and Other "
                  "above): select the same number of expressions, of the same types and nullability, in the same "
                  "order");
    static constexpr bool value = same_rows;
};

template <class Member>
struct check_unordered_member {
    static constexpr bool value = !Member::ordered_or_limited;
    static_assert(value,
                  "reflorm: the selects of a union may not have ORDER BY, LIMIT or OFFSET (SQLite rejects them); "
                  "call order_by/limit/offset on the union instead");
};

/// `first UNION second ...` or `UNION ALL`, with the union's own ORDER BY / LIMIT / OFFSET.
template <compound_operator Op, class Members, class OrderBy = std::tuple<>, bool HasLimit = false, bool HasOffset = false>
struct compound_select {
    using first_type = std::tuple_element_t<0, Members>;
    using result_type = typename first_type::result_type;
    static constexpr auto result_shape = first_type::result_shape;

    Members members_;
    OrderBy order_by_{};
    std::int64_t limit_ = 0;
    std::int64_t offset_ = 0;

    /// ORDER BY result columns: columns of the first select, `c<&T::m>` (ascending), `.desc()`,
    /// `.asc().nulls_last()`; a second call appends.
    template <class... Items>
    auto order_by(const Items&... items) const {
        // Each check says what is wrong itself.
        (void)(check_union_order_item<typename first_type::columns_type,
                                      std::remove_cvref_t<decltype(as_order_item(items))>>::value && ...);
        auto all = std::tuple_cat(
            order_by_, std::make_tuple(typename union_order_item<std::remove_cvref_t<decltype(as_order_item(items))>>::type{}...));
        compound_select<Op, Members, decltype(all), HasLimit, HasOffset> s{members_, all, limit_, offset_};
        return s;
    }
    /// LIMIT n, bound as a parameter.
    auto limit(std::int64_t n) const {
        compound_select<Op, Members, OrderBy, true, HasOffset> s{members_, order_by_, n, offset_};
        return s;
    }
    /// OFFSET n, bound as a parameter.
    auto offset(std::int64_t n) const {
        compound_select<Op, Members, OrderBy, HasLimit, true> s{members_, order_by_, limit_, n};
        return s;
    }

    void render(render_context& ctx) const {
        bool first = true;
        std::apply(
            [&](const auto&... member) {
                ((ctx << (first ? "" : (Op == compound_operator::union_ ? " UNION " : " UNION ALL ")), first = false,
                  member.render(ctx)),
                 ...);
            },
            members_);
        if constexpr (std::tuple_size_v<OrderBy> > 0) {
            ctx << " ORDER BY ";
            bool first_item = true;
            std::apply([&](const auto&... item) { ((ctx << (first_item ? "" : ", "), first_item = false, item.render(ctx)), ...); },
                       order_by_);
        }
        ctx.dialect.limit_offset(ctx.sql, HasLimit, HasOffset, ctx.parameters);
    }

    /// SELECT count(*) of the union's rows, over the union as a subquery.
    void render_count(render_context& ctx) const {
        ctx << "SELECT count(*) FROM (";
        render(ctx);
        ctx << ") AS anon_1";
    }

    template <class F>
    void for_each_parameter(F& f) const {
        std::apply([&](const auto&... member) { (member.for_each_parameter(f), ...); }, members_);
        if constexpr (HasLimit) f(limit_);
        if constexpr (HasOffset) f(offset_);
    }
    template <class F>
    void for_each_count_parameter(F& f) const {
        for_each_parameter(f);
    }

    /// Run-time sizes in the members' text (IN lists), for the per-shape cache of statement_text.
    void shape(std::string& key) const
        requires any_shape_in<Members>
    {
        std::apply([&](const auto&... member) { ((append_shape(member, key), key += '|'), ...); }, members_);
    }
};

template <compound_operator Op, class First, class... Rest>
auto make_compound(const First& first, const Rest&... rest) {
    static_assert(sizeof...(Rest) > 0, "reflorm: a union needs at least two selects");
    // Each check says what is wrong itself.
    (void)(check_union_member<First, Rest>::value && ...);
    (void)(check_unordered_member<First>::value && (check_unordered_member<Rest>::value && ...));
    return compound_select<Op, std::tuple<First, Rest...>>{{first, rest...}};
}

/// `a UNION b ...`: the distinct rows of every select.
template <class First, class... Rest>
auto union_(const First& first, const Rest&... rest) {
    return make_compound<compound_operator::union_>(first, rest...);
}
/// `a UNION ALL b ...`: every row of every select, duplicates kept.
template <class First, class... Rest>
auto union_all(const First& first, const Rest&... rest) {
    return make_compound<compound_operator::union_all>(first, rest...);
}

}  // namespace reflorm::sql

namespace reflorm {
using sql::union_;
using sql::union_all;
}
