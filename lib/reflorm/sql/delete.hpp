#pragma once
// DELETE, as SQLAlchemy 2.0's delete() (`delete` is a C++ keyword, hence the underscore):
//
//     delete_<City>().where(c<&City::population> < 1000)
//
// renders `DELETE FROM cities WHERE cities.population < ?`. Without where() it deletes EVERY
// row of the table, as the SQL it stands for does. A second where() combines with AND. Run with
// connection::execute (rows deleted), or add returning() and read the deleted rows with
// connection::execute (SQLite, PostgreSQL).
#include <reflorm/sql/returning.hpp>
#include <reflorm/sql/statement_parts.hpp>
#include <reflorm/sql/str.hpp>

#include <array>
#include <string>
#include <string_view>
#include <type_traits>

namespace reflorm::sql {

/// A DELETE from T's table. Shape parameters: the WHERE condition and the RETURNING clause.
template <class T, class Where = no_clause, class Returning = no_returning>
class delete_statement : public returning_result<Returning> {
public:
    delete_statement() = default;
    explicit delete_statement(Where where) : where_(std::move(where)) {}

    /// Restricts the rows deleted; a second call combines with AND.
    template <class E>
    auto where(const E& condition) const {
        if constexpr (!check_where_predicate<E>::value) {
            return *this;  // the check has reported the mistake
        } else {
            auto combined = and_condition(where_, condition);
            return delete_statement<T, decltype(combined), Returning>{std::move(combined)};
        }
    }

    /// `RETURNING t.a, ...` of the deleted rows: see sql/returning.hpp.
    template <class... Columns>
    auto returning(const Columns&...) const {
        if constexpr (!check_no_returning_yet<Returning>::value) return *this;
        else return delete_statement<T, Where, decltype(make_returning<T, Columns...>())>{where_};
    }

    void render(render_context& ctx) const {
        const render_context::select_scope scope{ctx, table_names_};  // subqueries correlate to T's rows
        ctx << "DELETE FROM ";
        ctx.identifier(schema::table_of<T>.name);
        render_where(ctx, where_);
        Returning{}.render(ctx);
    }

    template <class F>
    void for_each_parameter(F& f) const {
        where_.for_each_parameter(f);
    }

    void shape(std::string& key) const
        requires has_shape<Where>
    {
        where_.shape(key);
    }

    /// The SQL for SQLite followed by the bound values: see sql/str.hpp.
    std::string str() const { return sql::str(*this); }

private:
    static constexpr std::array<std::string_view, 1> table_names_{schema::table_of<T>.name};

    Where where_{};
};

/// `delete_<City>()`: a DELETE from City's table; restrict it with where(...).
template <class T>
constexpr delete_statement<T> delete_() {
    return {};
}

}  // namespace reflorm::sql

namespace reflorm {
using sql::delete_;
}
