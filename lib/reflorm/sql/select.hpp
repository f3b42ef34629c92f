#pragma once
// SELECT of whole model rows: `select<City>().where(...).order_by(...).limit(n).offset(m)`.
// Each builder call returns a new statement type, so the SQL text depends only on the type.
#include <reflorm/sql/column.hpp>
#include <reflorm/sql/comparison.hpp>
#include <reflorm/sql/logical.hpp>
#include <reflorm/sql/table_sql.hpp>

#include <cstdint>
#include <tuple>

namespace reflorm::sql {

/// The absent WHERE clause.
struct no_where {
    template <class F>
    void for_each_parameter(F&) const {}
};

template <class E>
auto as_order_item(const E& e) {
    if constexpr (requires { e.asc(); }) return e.asc();  // a bare column sorts ascending
    else return e;
}

/// A SELECT of model T's rows. Shape parameters: the WHERE expression, the ORDER BY items, and
/// whether LIMIT / OFFSET are present (their values are bound parameters).
template <class T, class Where = no_where, class OrderBy = std::tuple<>, bool HasLimit = false, bool HasOffset = false>
struct select_statement {
    using result_type = T;
    static constexpr bool has_where = !std::is_same_v<Where, no_where>;

    Where where_{};
    OrderBy order_by_{};
    std::int64_t limit_ = 0;
    std::int64_t offset_ = 0;

    /// Adds a WHERE predicate; a second call combines with AND, as SQLAlchemy's Select.where.
    template <predicate E>
    auto where(const E& e) const {
        if constexpr (has_where) {
            using combined = logical<logical_operator::and_, Where, E>;
            return select_statement<T, combined, OrderBy, HasLimit, HasOffset>{combined{where_, e}, order_by_, limit_, offset_};
        } else {
            return select_statement<T, E, OrderBy, HasLimit, HasOffset>{e, order_by_, limit_, offset_};
        }
    }

    /// Appends ORDER BY items: columns (ascending) or `c<&T::m>.desc()`.
    template <class... Items>
    auto order_by(const Items&... items) const {
        auto all = std::tuple_cat(order_by_, std::make_tuple(as_order_item(items)...));
        return select_statement<T, Where, decltype(all), HasLimit, HasOffset>{where_, all, limit_, offset_};
    }

    /// LIMIT n, bound as a parameter.
    auto limit(std::int64_t n) const { return select_statement<T, Where, OrderBy, true, HasOffset>{where_, order_by_, n, offset_}; }
    /// OFFSET n, bound as a parameter.
    auto offset(std::int64_t n) const { return select_statement<T, Where, OrderBy, HasLimit, true>{where_, order_by_, limit_, n}; }

    void render(render_context& ctx) const {
        constexpr const schema::table_info& table = schema::table_of<T>;
        ctx << "SELECT ";
        render_column_list(ctx, table);
        render_from(ctx);
        render_order_limit(ctx);
    }

    /// SELECT count(*) of the rows this statement would return.
    void render_count(render_context& ctx) const {
        if constexpr (HasLimit || HasOffset) {
            ctx << "SELECT count(*) FROM (";
            render(ctx);
            ctx << ") AS anon_1";
        } else {
            ctx << "SELECT count(*)";
            render_from(ctx);
        }
    }

    template <class F>
    void for_each_parameter(F& f) const {
        where_.for_each_parameter(f);
        std::apply([&](const auto&... item) { (item.for_each_parameter(f), ...); }, order_by_);
        if constexpr (HasLimit) f(limit_);
        if constexpr (HasOffset) f(offset_);
    }

private:
    void render_from(render_context& ctx) const {
        ctx << " FROM ";
        ctx.identifier(schema::table_of<T>.name);
        if constexpr (has_where) {
            ctx << " WHERE ";
            where_.render(ctx);
        }
    }
    void render_order_limit(render_context& ctx) const {
        if constexpr (std::tuple_size_v<OrderBy> > 0) {
            ctx << " ORDER BY ";
            bool first = true;
            std::apply([&](const auto&... item) { ((ctx << (first ? "" : ", "), first = false, item.render(ctx)), ...); }, order_by_);
        }
        ctx.dialect.limit_offset(ctx.sql, HasLimit, HasOffset, ctx.parameters);
    }
};

/// `select<City>()`: every row of City, as City objects.
template <class T>
constexpr select_statement<T> select() {
    return {};
}

/// `SELECT count(*)` over a select's rows; a separate type so that its text is cached apart.
template <class Select>
struct count_statement {
    Select select;
    void render(render_context& ctx) const { select.render_count(ctx); }
    template <class F>
    void for_each_parameter(F& f) const {
        select.for_each_parameter(f);
    }
};

}  // namespace reflorm::sql

namespace reflorm {
using sql::select;
}
