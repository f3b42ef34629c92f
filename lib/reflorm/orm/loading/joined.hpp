#pragma once
// joinedload: the targets come in the same SELECT, through a LEFT OUTER JOIN (or JOIN) to the
// target table under an anonymous alias (`addresses_1`), as SQLAlchemy's joinedload. Rows are
// de-duplicated by identity; a joined row whose key is NULL yields no object. With LIMIT,
// OFFSET or DISTINCT and a joined collection, the user's query becomes a subquery (named as the
// root table, so its ORDER BY still applies) and the joins go around it.
#include <reflorm/orm/loading/common.hpp>

#include <set>

namespace reflorm::orm_detail {

template <class Option>
inline constexpr bool is_joined = Option::strategy == loader_strategy::joined || Option::strategy == loader_strategy::joined_inner;

/// One joined level, as rendered: a relationship, the alias of its target, and its parent level.
struct join_spec {
    relationship_kind kind{};
    const schema::table_info* target = nullptr;
    const schema::table_info* owner = nullptr;
    const schema::table_info* secondary = nullptr;
    const schema::foreign_key_info* fk = nullptr;         // owner's (many-to-one), target's, or secondary's to the owner
    const schema::foreign_key_info* to_target = nullptr;  // many-to-many: the secondary's to the target
    std::size_t parent = reflect::npos;                   // index of the parent level, npos for the root
    bool inner = false;
    bool collection = false;
    void (*render_order)(sql::render_context&) = nullptr;  // the relationship's order_by, if any
    std::string alias;
    std::string secondary_alias;
};

template <class Info>
void render_relationship_order(sql::render_context& ctx) {
    Info::config.order.render(ctx);
}

/// Appends `spec` as the next joined level, named `<target>_<n>` (and its secondary table
/// `<secondary>_<n>`) as SQLAlchemy names anonymous aliases; returns its index. Compiled once
/// (orm/loaders.cpp).
std::size_t add_join(std::vector<join_spec>& specs, join_spec spec);

/// The joined levels of Options (and their joined children), in the order their columns follow
/// the root's.
template <class Option>
void collect_joins(std::vector<join_spec>& specs, std::size_t parent) {
    if constexpr (is_joined<Option>) {
        using info = relationship_info<Option::member>;
        static_assert(check_loadable<info>::value);
        join_spec spec;
        spec.kind = info::kind;
        spec.target = &schema::table_of<typename info::target>;
        spec.owner = &schema::table_of<typename info::owner>;
        spec.fk = &info::fk();
        if constexpr (info::kind == relationship_kind::many_to_many) {
            spec.secondary = &schema::table_of<typename info::secondary>;
            spec.to_target = &schema::table_of<typename info::secondary>.foreign_keys[info::target_key];
        }
        spec.parent = parent;
        spec.inner = Option::strategy == loader_strategy::joined_inner;
        spec.collection = info::is_collection;
        if constexpr (requires(const typename info::config_type::order_by_type& o, sql::render_context& c) { o.render(c); })
            spec.render_order = &render_relationship_order<info>;
        const std::size_t me = add_join(specs, std::move(spec));
        [&]<class... C>(const std::tuple<C...>*) { (collect_joins<C>(specs, me), ...); }(static_cast<const decltype(Option{}.children)*>(nullptr));
    }
}

/// The part of the SELECT the joined levels add; see select_statement::render_extended.
struct joined_extra {
    const std::vector<join_spec>& specs;
    const schema::table_info& root;

    bool wrap_limited() const {
        for (const auto& s : specs)
            if (s.collection) return true;
        return false;
    }
    void root_columns(sql::render_context& ctx) const { sql::render_column_list(ctx, root); }
    void root_alias(sql::render_context& ctx) const { ctx.identifier(root.name); }
    // Compiled once (orm/loaders.cpp): they depend on the specs only.
    void columns(sql::render_context& ctx) const;
    std::string_view parent_alias(const join_spec& s) const;
    void joins(sql::render_context& ctx) const;
    void order(sql::render_context& ctx, bool first) const;
};

/// The user's select with the joined levels of Options: its text is cached per type.
template <class Statement, class... Options>
struct joined_statement {
    const Statement* statement = nullptr;

    static const std::vector<join_spec>& specs() {
        static const std::vector<join_spec> all = [] {
            std::vector<join_spec> out;
            (collect_joins<Options>(out, reflect::npos), ...);
            return out;
        }();
        return all;
    }
    static joined_extra extra() { return {specs(), schema::table_of<typename Statement::result_type>}; }

    void render(sql::render_context& ctx) const { statement->render_extended(ctx, extra()); }
    template <class F>
    void for_each_parameter(F& f) const {
        statement->for_each_extended_parameter(extra(), f);
    }
    void shape(std::string& key) const
        requires sql::runtime_shaped<Statement>
    {
        statement->shape(key);
    }
};

/// Whether a joinedload option, or one below it, loads a collection: its rows multiply the
/// parent's, so it cannot be read a batch at a time (yield_per).
template <class Option>
consteval bool joins_collection() {
    if constexpr (!is_joined<Option>) {
        return false;
    } else {
        return relationship_info<Option::member>::is_collection ||
               []<class... C>(std::type_identity<std::tuple<C...>>) { return (joins_collection<C>() || ...); }(
                   std::type_identity<decltype(Option::children)>{});
    }
}

/// Whether loading a query's option runs SELECTs of its own after the query's (a selectinload,
/// or one below a joinedload, or a default loader of what a joinedload brings).
template <class Option>
consteval bool runs_queries() {
    if constexpr (Option::strategy == loader_strategy::selectin) {
        return true;
    } else if constexpr (is_joined<Option>) {
        return default_selectin<typename relationship_info<Option::member>::target> ||
               []<class... C>(std::type_identity<std::tuple<C...>>) { return (runs_queries<C>() || ...); }(
                   std::type_identity<decltype(Option::children)>{});
    } else {
        return false;
    }
}

/// The targets a joinedload option and the joinedloads below it add to a row, in column order,
/// each as std::optional (an outer join may find none).
template <class Option>
struct joined_targets {
    using type = std::tuple<>;
};
template <class Children>
struct joined_targets_of;
template <class... C>
struct joined_targets_of<std::tuple<C...>> {
    using type = decltype(std::tuple_cat(std::declval<typename joined_targets<C>::type>()...));
};
template <class Option>
    requires is_joined<Option>
struct joined_targets<Option> {
    using type = decltype(std::tuple_cat(std::declval<std::tuple<std::optional<typename relationship_info<Option::member>::target>>>(),
                                         std::declval<typename joined_targets_of<decltype(Option::children)>::type>()));
};

/// The user's select with many-to-one joinedloads, as a Core statement whose rows are
/// std::tuple<R, std::optional<target>...>: what yield_per streams through a Core result.
template <class Statement, class... Options>
struct joined_rows_statement : joined_statement<Statement, Options...> {
    using result_type = decltype(std::tuple_cat(std::declval<std::tuple<typename Statement::result_type>>(),
                                                std::declval<typename joined_targets<Options>::type>()...));
    static constexpr auto result_shape = sql::row_shape::entities;
    decltype(auto) get_execution_options() const { return this->statement->get_execution_options(); }
};

/// Sets the relationships the joinedloads Options (below `owner`, whose targets start at element
/// I of a joined_rows_statement row) loaded, putting each target into the identity map.
template <std::size_t I, class Owner, class Row>
void assign_joined_row(session&, Row&, Owner*, std::type_identity<std::tuple<>>) {}
template <std::size_t I, class Owner, class Row, class Option, class... Rest>
void assign_joined_row(session& s, Row& row, Owner* owner, std::type_identity<std::tuple<Option, Rest...>>) {
    if constexpr (is_joined<Option>) {
        using info = relationship_info<Option::member>;
        using target = typename info::target;
        static_assert(!info::is_collection);
        auto& cell = std::get<I>(row);
        target* t = cell ? session_access::registry_of<target>(s).materialize(std::move(*cell), s) : nullptr;
        if (owner) {
            auto& member = reflect::get<info::field>(*owner);
            if (relationship_access::needs_load(member)) relationship_access::set_loaded(member, t, &info::name);
            if constexpr (info::has_back && info::kind != relationship_kind::many_to_many) {
                using back_info = relationship_info<info::back>;
                if constexpr (!back_info::is_collection)
                    if (t && !relationship_access::loaded((*t).*info::back)) relationship_access::set_loaded((*t).*info::back, owner, &back_info::name);
            }
        }
        assign_joined_row<I + 1>(s, row, t, std::type_identity<decltype(Option::children)>{});
        assign_joined_row<I + std::tuple_size_v<typename joined_targets<Option>::type>>(s, row, owner,
                                                                                           std::type_identity<std::tuple<Rest...>>{});
    } else {
        assign_joined_row<I>(s, row, owner, std::type_identity<std::tuple<Rest...>>{});
    }
}

/// The session's object for the row of T at result columns offset, offset+1, ...: as
/// registry::materialize, but a row of an object the session holds (and keeps as it is) costs
/// only its key's columns, since a joined load repeats a parent on every row of its children.
template <class T>
T* materialize_at(session& s, driver::cursor& cursor, int offset) {
    constexpr const auto& table = schema::table_of<T>;
    auto& r = session_access::registry_of<T>(s);
    identity_key_t<T> key;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        (codec::read_value(cursor, offset + static_cast<int>(table.primary_key.items[K]), std::get<K>(key),
                           table.columns[table.primary_key.items[K]].name),
         ...);
    }(std::make_index_sequence<table.primary_key.size>{});
    if (auto* e = r.find_key(key); e && !e->expired && !registry<T>::to_populate(s, *e)) {
        session_access::touch(s, e->object());
        return e->object();
    }
    return r.materialize(rows::read_model<T>(cursor, offset), s);
}

/// Which owners' relationships this query populates: those not loaded when first seen.
struct joined_state {
    using owner_and_member = std::pair<const void*, const void*>;
    boost::unordered_flat_map<owner_and_member, bool, boost::hash<owner_and_member>> populate;
};

template <class Owner, class Option>
void read_joined_level(session& s, driver::cursor& cursor, int& offset, Owner* owner, joined_state& state) {
    if constexpr (is_joined<Option>) {
        using info = relationship_info<Option::member>;
        using target = typename info::target;
        constexpr const auto& table = schema::table_of<target>;
        target* t = nullptr;
        if (!cursor.is_null(offset + static_cast<int>(table.primary_key.items[0])))
            t = materialize_at<target>(s, cursor, offset);
        offset += static_cast<int>(table.columns.size());
        if (owner) {
            auto& member = reflect::get<info::field>(*owner);
            auto [it, first_sight] = state.populate.try_emplace({owner, &info::name}, false);
            if (first_sight && relationship_access::needs_load(member)) {
                it->second = true;
                if constexpr (info::is_collection)
                    relationship_access::set_items_loaded(member, {}, &info::name);
                else
                    relationship_access::set_loaded(member, static_cast<target*>(nullptr), &info::name);
            }
            if (it->second && t) {
                if constexpr (info::is_collection)
                    relationship_access::append_loaded(member, t);
                else
                    relationship_access::set_loaded(member, t, &info::name);
                if constexpr (info::has_back && info::kind != relationship_kind::many_to_many) {
                    using back_info = relationship_info<info::back>;
                    if constexpr (!back_info::is_collection) {
                        auto& back = (*t).*info::back;
                        if (!relationship_access::loaded(back)) relationship_access::set_loaded(back, owner, &back_info::name);
                    }
                }
            }
        }
        std::apply([&](const auto&... child) { (read_joined_level<target, std::remove_cvref_t<decltype(child)>>(s, cursor, offset, t, state), ...); },
                   Option{}.children);
    }
}

template <class T, class Option, class ParentQuery>
void append_option_step(load_steps& steps, const std::vector<T*>& owners, const Option& option, const ParentQuery& parent);
template <class... Options, class T>
void append_default_steps(load_steps& steps, const std::vector<T*>& objects);
template <class T, class Option>
void append_below_joined(load_steps& steps, const std::vector<T*>& owners, const Option& option);

/// Below a joinedload, whose rows came with its parents': no SELECT, only the steps of the
/// non-joined options found below it and the default loaders of what it loaded.
template <class Info, class T, class Option>
class joined_children_step final : public load_step {
public:
    joined_children_step(std::vector<T*> owners, const Option& option) : owners_(std::move(owners)), option_(option) {}
    void plan(session&, query_list&) override {}
    void finish(session&, load_steps& next) override {
        const auto targets = targets_of<Info>(owners_);
        std::apply([&](const auto&... child) { (append_below_joined(next, targets, child), ...); }, option_.children);
        std::apply([&](const auto&... child) { append_default_steps<std::remove_cvref_t<decltype(child)>...>(next, targets); },
                   option_.children);
        owners_ = {};
    }

private:
    std::vector<T*> owners_;
    Option option_;
};

/// The step of `option`, given for `owners` that a joined query (or a joinedload above) read.
template <class T, class Option>
void append_below_joined(load_steps& steps, const std::vector<T*>& owners, const Option& option) {
    if constexpr (is_joined<Option>) {
        using info = relationship_info<Option::member>;
        // Nothing runs on the targets: not worth collecting them.
        if constexpr (std::tuple_size_v<decltype(option.children)> > 0 || has_default_loaders<typename info::target>)
            steps.push_back(std::unique_ptr<load_step>(new joined_children_step<info, T, Option>(owners, option)));
    } else {
        append_option_step(steps, owners, option, no_parent_query{});
    }
}

}  // namespace reflorm::orm_detail
