#pragma once
// SELECT, as SQLAlchemy 2.0's select(): of whole models (`select<City>()`), of expressions into
// std::tuple (`select(c<&City::name>, count())`), or of expressions into a struct by position
// (`select<NameAndSize>(c<&City::name>, c<&City::population>)`). FROM is inferred from the
// columns and the WHERE clause, as SQLAlchemy does; joins add tables with an explicit ON.
// Each builder call returns a new statement type, so the SQL text depends only on the type.
#include <reflorm/sql/column.hpp>
#include <reflorm/sql/comparison.hpp>
#include <reflorm/sql/execution_options.hpp>
#include <reflorm/sql/join_clause.hpp>
#include <reflorm/sql/logical.hpp>
#include <reflorm/sql/relationship_join.hpp>
#include <reflorm/sql/statement_parts.hpp>
#include <reflorm/sql/str.hpp>
#include <reflorm/sql/subquery.hpp>
#include <reflorm/sql/table_sql.hpp>

#include <cstdint>
#include <optional>
#include <tuple>

namespace reflorm::sql {

/// How a result row becomes a C++ value.
enum class row_shape {
    model,       // every column of one model, into the model
    tuple,       // one value per selected expression, into std::tuple
    projection,  // one value per selected expression, into a struct's members by position
    entities,    // every column of several models, into std::tuple of the models
};

/// Whether any element type of a std::tuple has a run-time shape.
template <class Tuple>
inline constexpr bool any_shape_in = false;
template <class... E>
inline constexpr bool any_shape_in<std::tuple<E...>> = any_shape<E...>;


template <class E>
consteval bool may_be_null() {
    if constexpr (requires { E::nullable; }) return E::nullable;
    else return false;
}

/// The C++ type a selected expression is read into: std::optional when it may be NULL.
template <class E>
using result_value_t = std::conditional_t<may_be_null<E>(), std::optional<typename E::value_type>, typename E::value_type>;

template <class E>
consteval bool never_null() {
    if constexpr (requires { E::never_null; }) return E::never_null;
    else return false;
}

/// Every column of model T, in column order.
template <class T>
struct all_columns_of {
    using sources = source_list<model_table<T>>;
    void render(render_context& ctx) const { render_column_list(ctx, schema::table_of<T>); }
    template <class F>
    void for_each_parameter(F&) const {}
};

/// Every column of each model T..., model after model (select<User, Address>()).
template <class... T>
struct entity_columns {
    using sources = source_list<model_table<T>...>;
    void render(render_context& ctx) const {
        bool first = true;
        ((ctx << (first ? "" : ", "), first = false, render_column_list(ctx, schema::table_of<T>)), ...);
    }
    template <class F>
    void for_each_parameter(F&) const {}
};

/// A comma-separated list of expressions (select list, GROUP BY, ORDER BY).
template <class... E>
struct expression_list {
    using sources = sources_t<E...>;
    std::tuple<E...> items;

    void render(render_context& ctx) const {
        bool first = true;
        std::apply([&](const auto&... item) { ((ctx << (first ? "" : ", "), first = false, item.render(ctx)), ...); }, items);
    }
    template <class F>
    void for_each_parameter(F& f) const {
        std::apply([&](const auto&... item) { (item.for_each_parameter(f), ...); }, items);
    }
    void shape(std::string& key) const
        requires any_shape<E...>
    {
        std::apply([&](const auto&... item) { (append_shape(item, key), ...); }, items);
    }
};

/// After LEFT OUTER JOIN Target, the selected values read from Target may be NULL: their tuple
/// elements become std::optional (count() and the like, never NULL, stay as they are).
template <class Result, class Columns, class Target>
struct outer_joined_result {
    using type = Result;
};
template <class... R, class... E, class Target>
struct outer_joined_result<std::tuple<R...>, expression_list<E...>, Target> {
    using type = std::tuple<std::conditional_t<contains_source_v<typename sources_of<E>::type, Target> && !never_null<E>() &&
                                                   !schema::is_optional<R>::value,
                                               std::optional<R>, R>...>;
};

/// After LEFT OUTER JOIN Target, a selected model read from Target may be absent: its tuple
/// element becomes std::optional.
template <class... R, class... T, class Target>
struct outer_joined_result<std::tuple<R...>, entity_columns<T...>, Target> {
    using type = std::tuple<std::conditional_t<std::is_same_v<model_table<T>, Target> && !schema::is_optional<R>::value,
                                               std::optional<R>, R>...>;
};

template <class E>
auto as_order_item(const E& e) {
    if constexpr (requires { e.expression_; }) return e;             // already an order item
    else return order_item<E, sort_direction::asc>{e};  // a bare expression sorts ascending
}

/// The parts of a SELECT; each is a type, so the statement's text is fixed by its type.
template <class Result, row_shape Shape, class Columns, class From = source_list<>, class Joins = std::tuple<>,
          class Where = no_clause, class GroupBy = no_clause, class Having = no_clause, class OrderBy = std::tuple<>,
          bool HasLimit = false, bool HasOffset = false, bool Distinct = false, class Loads = std::tuple<>>
struct select_statement {
    using result_type = Result;
    static constexpr row_shape result_shape = Shape;
    /// Sources named by the select list, WHERE and select_from, less the joined ones: the FROM list.
    using from_sources = typename sources_without<
        typename merge_sources<typename merge_sources<From, typename Columns::sources>::type, typename Where::sources>::type,
        typename join_targets<Joins>::type>::type;
    /// The select list, and whether ORDER BY / LIMIT / OFFSET are set (for unions, compound.hpp).
    using columns_type = Columns;
    static constexpr bool ordered_or_limited = std::tuple_size_v<OrderBy> > 0 || HasLimit || HasOffset;

    Columns columns_{};
    Joins joins_{};
    Where where_{};
    GroupBy group_by_{};
    Having having_{};
    OrderBy order_by_{};
    std::int64_t limit_ = 0;
    std::int64_t offset_ = 0;
    Loads loads_{};                     // loader options, for the session
    sql::execution_options execution_{};

    /// Adds loader options (selectinload<&User::addresses>(), ...) for the session to run
    /// when it executes this statement, as SQLAlchemy's Select.options(). The SQL is unchanged;
    /// what the options may be is checked where they run (session.execute).
    template <class... Options>
        requires(sizeof...(Options) > 0)
    auto options(const Options&... options) const {
        auto loads = std::tuple_cat(loads_, std::make_tuple(options...));
        select_statement<Result, Shape, Columns, From, Joins, Where, GroupBy, Having, OrderBy, HasLimit, HasOffset, Distinct,
                         decltype(loads)>
            s{columns_, joins_, where_, group_by_, having_, order_by_, limit_, offset_, loads, execution_};
        return s;
    }
    /// Sets execution options (populate_existing), keeping those set
    /// before that `options` leaves unset; as SQLAlchemy's Executable.execution_options().
    auto execution_options(const sql::execution_options& options) const {
        auto s = *this;
        s.execution_ = execution_.merged(options);
        return s;
    }
    /// The loader options, and the execution options, given so far.
    const Loads& loader_options() const noexcept { return loads_; }
    const sql::execution_options& get_execution_options() const noexcept { return execution_; }

    /// Adds a WHERE predicate; a second call combines with AND, as SQLAlchemy's Select.where.
    template <predicate E>
    auto where(const E& e) const {
        const auto condition = and_condition(where_, e);
        return rebuild<Columns, From, Joins, decltype(condition), GroupBy, Having, OrderBy, HasLimit, HasOffset, Distinct>(
            columns_, joins_, condition, group_by_, having_, order_by_);
    }

    /// Names a table in FROM even if no selected column reads it (model type or alias).
    template <class T>
    auto select_from() const {
        using from = typename append_unique<From, source_of<T>>::type;
        return rebuild<Columns, from, Joins, Where, GroupBy, Having, OrderBy, HasLimit, HasOffset, Distinct>(
            columns_, joins_, where_, group_by_, having_, order_by_);
    }

    /// `JOIN target ON on`: target is a model type or an alias.
    template <class Target, predicate On>
    auto join(const On& on) const {
        return with_join<Result>(join_clause<source_of<Target>, join_kind::inner, On>{on});
    }
    /// `LEFT OUTER JOIN target ON on`, as SQLAlchemy's outerjoin. In a select of expressions,
    /// values read from the target become std::optional.
    template <class Target, predicate On>
    auto outer_join(const On& on) const {
        using result = typename outer_joined_result<Result, Columns, source_of<Target>>::type;
        return with_join<result>(join_clause<source_of<Target>, join_kind::left_outer, On>{on});
    }

    /// `JOIN` along relationship Member, ON its foreign keys (SQLAlchemy's `join(Item.keywords)`):
    /// `join<&Item::keywords>()`. As: an alias to join the target as; Start: an alias of Member's
    /// model to join from. outer_join<...>() is the LEFT OUTER JOIN. Throws nothing: a member that
    /// is no relationship, or whose model is not in FROM, stops compilation (relationship_join.hpp).
    template <auto Member, class As = void, class Start = void>
    auto join() const {
        return with_join<Result>(relationship_join_clause<Member, As, Start, false, from_sources, typename join_targets<Joins>::type>{});
    }
    template <auto Member, class As = void, class Start = void>
    auto outer_join() const {
        using clause = relationship_join_clause<Member, As, Start, true, from_sources, typename join_targets<Joins>::type>;
        using result = typename outer_joined_result<Result, Columns, typename clause::target>::type;
        return with_join<typename outer_joined_result<result, Columns, typename clause::secondary>::type>(clause{});
    }

    /// GROUP BY expressions.
    template <class... E>
    auto group_by(const E&... e) const {
        static_assert(std::is_same_v<GroupBy, no_clause>, "reflorm: group_by is already set on this select; list all expressions in one call");
        using list = expression_list<E...>;
        return rebuild<Columns, From, Joins, Where, list, Having, OrderBy, HasLimit, HasOffset, Distinct>(
            columns_, joins_, where_, list{{e...}}, having_, order_by_);
    }

    /// HAVING predicate, over groups.
    template <predicate E>
    auto having(const E& e) const {
        static_assert(!std::is_same_v<GroupBy, no_clause>, "reflorm: having() needs group_by() first");
        return rebuild<Columns, From, Joins, Where, GroupBy, E, OrderBy, HasLimit, HasOffset, Distinct>(
            columns_, joins_, where_, group_by_, e, order_by_);
    }

    /// Appends ORDER BY items: expressions (ascending) or `e.desc()`, `c<&T::m>.asc().nulls_last()`.
    template <class... Items>
    auto order_by(const Items&... items) const {
        auto all = std::tuple_cat(order_by_, std::make_tuple(as_order_item(items)...));
        return rebuild<Columns, From, Joins, Where, GroupBy, Having, decltype(all), HasLimit, HasOffset, Distinct>(
            columns_, joins_, where_, group_by_, having_, all);
    }

    /// LIMIT n, bound as a parameter.
    auto limit(std::int64_t n) const {
        auto s = rebuild<Columns, From, Joins, Where, GroupBy, Having, OrderBy, true, HasOffset, Distinct>(
            columns_, joins_, where_, group_by_, having_, order_by_);
        s.limit_ = n;
        return s;
    }
    /// OFFSET n, bound as a parameter.
    auto offset(std::int64_t n) const {
        auto s = rebuild<Columns, From, Joins, Where, GroupBy, Having, OrderBy, HasLimit, true, Distinct>(
            columns_, joins_, where_, group_by_, having_, order_by_);
        s.offset_ = n;
        return s;
    }
    /// SELECT DISTINCT.
    auto distinct() const {
        return rebuild<Columns, From, Joins, Where, GroupBy, Having, OrderBy, HasLimit, HasOffset, true>(
            columns_, joins_, where_, group_by_, having_, order_by_);
    }

    /// This select of one expression as a value, `(SELECT e ...)`, read as std::optional
    /// (NULL when it finds no row), as SQLAlchemy's scalar_subquery(); see subquery.hpp.
    auto scalar_subquery() const { return scalar_select<select_statement>{{*this}}; }

    /// The SQL for SQLite followed by the bound values, for reading: see sql/str.hpp.
    std::string str() const { return sql::str(*this); }

    void render(render_context& ctx) const { render_select(ctx, false); }

private:
    // An ORDER BY item that reads another table than the selected model's: wrapped in a subquery
    // for joinedload, the inner select must give it as a column (labeled anon_order_<i>) for the
    // outer ORDER BY to read, as SQLAlchemy does.
    template <class Item>
    static constexpr bool orders_by_other_table =
        !std::is_same_v<typename Item::sources, source_list<>> && !std::is_same_v<typename Item::sources, source_list<model_table<Result>>>;

    template <class Item>
    struct order_of;
    template <class E, sort_direction D, nulls_order N>
    struct order_of<order_item<E, D, N>> {
        template <class Other>
        using with = order_item<Other, D, N>;
    };

    /// `<qualifier>.anon_order_<index>`: an ORDER BY item of the subquery's, read around it.
    template <class Qualifier>
    struct order_label {
        static constexpr bool is_column = true;
        const Qualifier* qualifier;
        std::size_t index;
        void render(render_context& ctx) const {
            qualifier->root_alias(ctx);
            ctx << ".anon_order_" << std::to_string(index);
        }
        template <class F>
        void for_each_parameter(F&) const {}
    };

    void render_select(render_context& ctx, bool label_other_orders) const {
        const render_context::select_scope scope{ctx, from_names_};  // for correlated subqueries
        ctx << (Distinct ? "SELECT DISTINCT " : "SELECT ");
        columns_.render(ctx);
        if (label_other_orders) for_each_other_order([&](const auto& item, std::size_t i) {
                ctx << ", ";
                item.expression_.render(ctx);
                ctx << " AS anon_order_" << std::to_string(i);
            });
        render_from(ctx);
        if constexpr (!std::is_same_v<GroupBy, no_clause>) {
            ctx << " GROUP BY ";
            group_by_.render(ctx);
        }
        if constexpr (!std::is_same_v<Having, no_clause>) {
            ctx << " HAVING ";
            having_.render(ctx);
        }
        if constexpr (std::tuple_size_v<OrderBy> > 0) {
            ctx << " ORDER BY ";
            bool first = true;
            std::apply([&](const auto&... item) { ((ctx << (first ? "" : ", "), first = false, item.render(ctx)), ...); }, order_by_);
        }
        ctx.dialect.limit_offset(ctx.sql, HasLimit, HasOffset, ctx.parameters);
    }

    /// f(item, i) for the ORDER BY items that read another table (orders_by_other_table), i their
    /// 1-based position in ORDER BY.
    template <class F>
    void for_each_other_order(F&& f) const {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((orders_by_other_table<std::tuple_element_t<I, OrderBy>> ? f(std::get<I>(order_by_), I + 1) : void()), ...);
        }(std::make_index_sequence<std::tuple_size_v<OrderBy>>{});
    }

public:

    /// For ORM loaders (joinedload): this SELECT with `extra`'s columns after the select list,
    /// its joins after the FROM list and its ORDER BY items after this statement's. When
    /// `extra.wrap_limited()` and this statement has LIMIT, OFFSET or DISTINCT, the statement
    /// becomes a subquery named as `extra.root_alias` and the joins go around it, so that the limit
    /// counts parent rows (as SQLAlchemy's joinedload of a collection does).
    template <class Extra>
    void render_extended(render_context& ctx, const Extra& extra) const {
        if (wrapped(extra)) {
            ctx << "SELECT ";
            extra.root_columns(ctx);
            extra.columns(ctx);
            ctx << " FROM (";
            render_select(ctx, true);
            ctx << ") AS ";
            extra.root_alias(ctx);
            extra.joins(ctx);
            render_order_by(ctx, extra, true);
            return;
        }
        const render_context::select_scope scope{ctx, from_names_};
        ctx << (Distinct ? "SELECT DISTINCT " : "SELECT ");
        columns_.render(ctx);
        extra.columns(ctx);
        ctx << " FROM ";
        render_from_list(ctx, from_sources{});
        extra.joins(ctx);
        render_where(ctx);
        if constexpr (!std::is_same_v<GroupBy, no_clause>) {
            ctx << " GROUP BY ";
            group_by_.render(ctx);
        }
        if constexpr (!std::is_same_v<Having, no_clause>) {
            ctx << " HAVING ";
            having_.render(ctx);
        }
        render_order_by(ctx, extra, false);
        ctx.dialect.limit_offset(ctx.sql, HasLimit, HasOffset, ctx.parameters);
    }
    /// The bound values of render_extended, in order.
    template <class Extra, class F>
    void for_each_extended_parameter(const Extra& extra, F& f) const {
        if (!wrapped(extra)) return for_each_parameter(f);
        for_each_select_parameter(f, true);  // the subquery's, labeled ORDER BY values included
        // Around it: the items of the model's own columns rendered again (labels bind nothing).
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((orders_by_other_table<std::tuple_element_t<I, OrderBy>> ? void() : std::get<I>(order_by_).for_each_parameter(f)), ...);
        }(std::make_index_sequence<std::tuple_size_v<OrderBy>>{});
    }

    /// SELECT count(*) of the rows this statement would return: directly for a plain select of
    /// a model, else over the statement as a subquery (as SQLAlchemy's Query.count()).
    void render_count(render_context& ctx) const {
        constexpr bool plain = Shape == row_shape::model && std::tuple_size_v<Joins> == 0 && !HasLimit && !HasOffset &&
                               !Distinct && std::is_same_v<GroupBy, no_clause>;
        if constexpr (plain) {
            const render_context::select_scope scope{ctx, from_names_};
            ctx << "SELECT count(*)";
            render_from(ctx);
        } else {
            ctx << "SELECT count(*) FROM (";
            render(ctx);
            ctx << ") AS anon_1";
        }
    }

    template <class F>
    void for_each_parameter(F& f) const {
        for_each_select_parameter(f, false);
    }
    /// The bound values of render_select(ctx, label_other_orders), in order.
    template <class F>
    void for_each_select_parameter(F& f, bool label_other_orders) const {
        columns_.for_each_parameter(f);
        if (label_other_orders) for_each_other_order([&](const auto& item, std::size_t) { item.for_each_parameter(f); });
        std::apply([&](const auto&... join) { (join.for_each_parameter(f), ...); }, joins_);
        where_.for_each_parameter(f);
        group_by_.for_each_parameter(f);
        having_.for_each_parameter(f);
        std::apply([&](const auto&... item) { (item.for_each_parameter(f), ...); }, order_by_);
        if constexpr (HasLimit) f(limit_);
        if constexpr (HasOffset) f(offset_);
    }
    /// Run-time sizes in the text (IN lists), for the per-shape cache of statement_text.
    void shape(std::string& key) const
        requires(any_shape<Columns, Where, GroupBy, Having> || any_shape_in<Joins> || any_shape_in<OrderBy>)
    {
        append_shape(columns_, key);
        std::apply([&](const auto&... join) { (append_shape(join, key), ...); }, joins_);
        append_shape(where_, key);
        append_shape(group_by_, key);
        append_shape(having_, key);
        std::apply([&](const auto&... item) { (append_shape(item, key), ...); }, order_by_);
    }

    /// For count(): the parameters of render_count, which are this statement's.
    template <class F>
    void for_each_count_parameter(F& f) const {
        for_each_parameter(f);
    }

private:
    template <class C, class Fr, class J, class W, class G, class H, class O, bool L, bool Of, bool D>
    auto rebuild(const C& columns, const J& joins, const W& where, const G& group_by, const H& having, const O& order_by) const {
        return select_statement<Result, Shape, C, Fr, J, W, G, H, O, L, Of, D, Loads>{
            columns, joins, where, group_by, having, order_by, limit_, offset_, loads_, execution_};
    }

    /// This statement with join clause `clause` added, read as R.
    template <class R, class Clause>
    auto with_join(const Clause& clause) const {
        auto joins = std::tuple_cat(joins_, std::make_tuple(clause));
        return select_statement<R, Shape, Columns, From, decltype(joins), Where, GroupBy, Having, OrderBy, HasLimit, HasOffset, Distinct,
                                Loads>{columns_, joins, where_, group_by_, having_, order_by_, limit_, offset_, loads_, execution_};
    }

    // This select's FROM entries, joined tables included: what its subqueries correlate to.
    static constexpr auto from_names_ =
        source_names_v<typename merge_sources<from_sources, typename join_targets<Joins>::type>::type>;

    void render_from(render_context& ctx) const {
        ctx << " FROM ";
        render_from_list(ctx, from_sources{});
        render_where(ctx);
    }
    void render_where(render_context& ctx) const {
        if constexpr (!std::is_same_v<Where, no_clause>) {
            ctx << " WHERE ";
            where_.render(ctx);
        }
    }
    template <class Extra>
    bool wrapped(const Extra& extra) const {
        return extra.wrap_limited() && (HasLimit || HasOffset || Distinct);
    }
    /// This statement's ORDER BY, then extra's. Around the subquery (`around_subquery`), items of
    /// the model's own columns render as they are (the subquery is named as its table) and those
    /// of other tables as their labels (anon_order_<n>, selected inside by render_select).
    template <class Extra>
    void render_order_by(render_context& ctx, const Extra& extra, bool around_subquery) const {
        bool first = true;
        if constexpr (std::tuple_size_v<OrderBy> > 0) {
            ctx << " ORDER BY ";
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                (
                    [&] {
                        using item_type = std::tuple_element_t<I, OrderBy>;
                        ctx << (first ? "" : ", ");
                        first = false;
                        if constexpr (orders_by_other_table<item_type>) {
                            if (around_subquery) {
                                typename order_of<item_type>::template with<order_label<Extra>>{{&extra, I + 1}}.render(ctx);
                                return;
                            }
                        }
                        std::get<I>(order_by_).render(ctx);
                    }(),
                    ...);
            }(std::make_index_sequence<std::tuple_size_v<OrderBy>>{});
        }
        extra.order(ctx, first);
    }

    template <class S0, class... S>
    void render_from_list(render_context& ctx, source_list<S0, S...> list) const {
        if constexpr (std::tuple_size_v<Joins> > 0) {
            // The joins follow the table their first ON clause reads (as SQLAlchemy's join()
            // joins from the FROM entry its ON clause refers to); other tables come after, by comma.
            using anchor = typename join_anchor<typename std::tuple_element_t<0, Joins>::on_sources, from_sources>::type;
            render_source<anchor>(ctx);
            std::apply([&](const auto&... join) { (join.render(ctx), ...); }, joins_);
            render_rest<anchor>(ctx, list);
        } else {
            // A subquery of several tables leaves out those of the selects around it
            // (auto-correlation, as SQLAlchemy's); one that reads a single table keeps it.
            bool first = true;
            const auto entry = [&]<class E>(std::type_identity<E>) {
                if (sizeof...(S) > 0 && ctx.correlated(source_name<E>())) return;
                ctx << (first ? "" : ", ");
                first = false;
                render_source<E>(ctx);
            };
            entry(std::type_identity<S0>{});
            (entry(std::type_identity<S>{}), ...);
            if (first) throw_correlated_away();
        }
    }
    template <class Anchor, class... S>
    static void render_rest(render_context& ctx, source_list<S...>) {
        ((std::is_same_v<S, Anchor> || ctx.correlated(source_name<S>()) ? void() : (ctx << ", ", render_source<S>(ctx))), ...);
    }
    void render_from_list(render_context&, source_list<>) const {
        static_assert(sizeof(Result) == 0, "reflorm: this select reads no table; select a column or use select_from<T>()");
    }
};

/// `select<City>()`: rows of City as City objects. `select(e...)`: rows as std::tuple of the
/// expressions' values (std::optional where they may be NULL). `select<S>(e...)`: rows as
/// struct S, whose members take the expressions' values in order.
template <class T = void, class... E>
constexpr auto select(const E&... expressions) {
    if constexpr (sizeof...(E) == 0) {
        static_assert(!std::is_void_v<T>, "reflorm: select() needs a model, select<T>(), or expressions, select(c<&T::m>...)");
        return select_statement<T, row_shape::model, all_columns_of<T>>{};
    } else if constexpr (std::is_void_v<T>) {
        return select_statement<std::tuple<result_value_t<E>...>, row_shape::tuple, expression_list<E...>>{
            expression_list<E...>{{expressions...}}};
    } else {
        static_assert(reflect::field_count_v<T> == sizeof...(E),
                      "reflorm: select<S>(e...) needs one expression per member of S, in member order");
        return select_statement<T, row_shape::projection, expression_list<E...>>{expression_list<E...>{{expressions...}}};
    }
}

/// `select<User, Address>()`: rows of std::tuple<User, Address>, every column of each model, as
/// SQLAlchemy's select(User, Address). FROM lists each table: join them (`.join<&User::addresses>()`
/// or `.join<Address>(on)`), else the rows are every pairing. After an outer join the joined
/// model's element is std::optional (absent when the join found no row).
template <class T1, class T2, class... Tn>
constexpr auto select() {
    return select_statement<std::tuple<T1, T2, Tn...>, row_shape::entities, entity_columns<T1, T2, Tn...>>{};
}

/// `SELECT count(*)` over a select's rows; a separate type so that its text is cached apart.
template <class Select>
struct count_statement {
    Select select;
    void render(render_context& ctx) const { select.render_count(ctx); }
    template <class F>
    void for_each_parameter(F& f) const {
        select.for_each_count_parameter(f);
    }
    void shape(std::string& key) const
        requires has_shape<Select>
    {
        select.shape(key);
    }
};

}  // namespace reflorm::sql

namespace reflorm {
using sql::select;
}
