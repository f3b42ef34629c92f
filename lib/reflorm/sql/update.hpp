#pragma once
// UPDATE, as SQLAlchemy 2.0's update():
//
//     update<City>().set(c<&City::population> = c<&City::population> + 1, c<&City::name> = "x")
//                   .where(c<&City::id> == 42)
//
// renders `UPDATE cities SET population = cities.population + ?, name = ? WHERE cities.id = ?`.
// Without where() it updates EVERY row of the table, as the SQL it stands for does. A second
// set() adds assignments, a second where() combines with AND. Run with connection::execute,
// which returns the number of rows changed, or add returning() and read the changed rows with
// connection::execute (SQLite, PostgreSQL).
#include <reflorm/sql/arithmetic.hpp>  // c<&T::n> + 1 on the right of an assignment
#include <reflorm/sql/assignment.hpp>
#include <reflorm/sql/returning.hpp>
#include <reflorm/sql/statement_parts.hpp>
#include <reflorm/sql/str.hpp>

#include <array>
#include <string>
#include <tuple>
#include <type_traits>

namespace reflorm::sql {

template <class T, class A>
struct check_set_item {
    static constexpr bool is_assignment_v = is_assignment<A>::value;
    static_assert(is_assignment_v, "reflorm: set() takes assignments written c<&T::member> = value (see A above)");
    static constexpr bool value = [] {
        if constexpr (is_assignment_v) return check_own_column<T, typename A::column_type>::value;
        else return false;
    }();
};

template <class T, class Sets>
struct check_distinct_columns;
template <class T, class... A>
struct check_distinct_columns<T, std::tuple<A...>> {
    static constexpr bool value = [] {
        constexpr std::array<std::size_t, sizeof...(A)> columns{A::column_type::column_index...};
        for (std::size_t i = 0; i < columns.size(); ++i)
            for (std::size_t j = i + 1; j < columns.size(); ++j)
                if (columns[i] == columns[j]) return false;
        return true;
    }();
    static_assert(value, "reflorm: set() assigns the same column twice; assign each column once");
};

/// An UPDATE of T's table. Shape parameters: the assignments, the WHERE condition and the
/// RETURNING clause. Immutable: every builder call returns a new statement.
template <class T, class Sets = std::tuple<>, class Where = no_clause, class Returning = no_returning>
class update_statement : public returning_result<Returning> {
public:
    update_statement() = default;
    update_statement(Sets sets, Where where) : sets_(std::move(sets)), where_(std::move(where)) {}

    /// Adds `column = value` assignments, written `c<&T::member> = value`.
    template <class... A>
    auto set(const A&... assignments) const {
        static_assert(sizeof...(A) > 0, "reflorm: set() needs at least one assignment, c<&T::member> = value");
        if constexpr (!(check_set_item<T, A>::value && ...)) {
            return *this;  // a check has reported the mistake
        } else {
            auto sets = std::tuple_cat(sets_, std::make_tuple(assignments...));
            return update_statement<T, decltype(sets), Where, Returning>{std::move(sets), where_};
        }
    }

    /// Restricts the rows updated; a second call combines with AND.
    template <class E>
    auto where(const E& condition) const {
        if constexpr (!check_where_predicate<E>::value) {
            return *this;
        } else {
            auto combined = and_condition(where_, condition);
            return update_statement<T, Sets, decltype(combined), Returning>{sets_, std::move(combined)};
        }
    }

    /// `RETURNING t.a, ...` of the updated rows (their new values): see sql/returning.hpp.
    template <class... Columns>
    auto returning(const Columns&...) const {
        if constexpr (!check_no_returning_yet<Returning>::value) return *this;
        else return update_statement<T, Sets, Where, decltype(make_returning<T, Columns...>())>{sets_, where_};
    }

    void render(render_context& ctx) const {
        static_assert(std::tuple_size_v<Sets> > 0,
                      "reflorm: update<T>() needs .set(c<&T::member> = value, ...) before it can run");
        if constexpr (std::tuple_size_v<Sets> > 0) (void)check_distinct_columns<T, Sets>::value;
        const render_context::select_scope scope{ctx, table_names_};  // subqueries correlate to T's rows
        ctx << "UPDATE ";
        ctx.identifier(schema::table_of<T>.name);
        ctx << " SET ";
        bool first = true;
        std::apply([&](const auto&... item) { ((ctx << (first ? "" : ", "), first = false, item.render(ctx)), ...); },
                   sets_);
        render_where(ctx, where_);
        Returning{}.render(ctx, true);
    }

    template <class F>
    void for_each_parameter(F& f) const {
        std::apply([&](const auto&... item) { (item.for_each_parameter(f), ...); }, sets_);
        where_.for_each_parameter(f);
    }

    void shape(std::string& key) const
        requires(has_shape<Where> || []<class... A>(std::type_identity<std::tuple<A...>>) {
                    return any_shape<A...>;
                }(std::type_identity<Sets>{}))
    {
        append_tuple_shape(key, sets_);
        append_shape(where_, key);
    }

    /// The SQL for SQLite followed by the bound values: see sql/str.hpp.
    std::string str() const { return sql::str(*this); }

private:
    static constexpr std::array<std::string_view, 1> table_names_{schema::table_of<T>.name};

    Sets sets_{};
    Where where_{};
};

/// `update<City>()`: an UPDATE of City's table; give it set(...) and, usually, where(...).
template <class T>
constexpr update_statement<T> update() {
    return {};
}

}  // namespace reflorm::sql

namespace reflorm {
using sql::update;
}
