#pragma once
// Runs loader options over the objects a query returned, level by level. Included by
// orm/session.hpp.
#include <reflorm/orm/load_options.hpp>
#include <reflorm/orm/loading/joined.hpp>
#include <reflorm/orm/loading/selectin.hpp>
#include <reflorm/orm/loading/subquery.hpp>

namespace reflorm {
namespace orm_detail {

/// What a query of objects sets in the session while it reads them (compiled once,
/// session.cpp): autoflushes (unless `flush` is false: a yield_per batch after the first),
/// points the session at the set of objects a populate_existing query overwrote, and marks a
/// read_only query's objects as needing no snapshot.
struct query_scope {
    query_scope(session& s, bool populate, bool read_only, bool flush = true);
    ~query_scope();
    query_scope(const query_scope&) = delete;
    query_scope& operator=(const query_scope&) = delete;
    session& s;
    boost::unordered_flat_set<const void*> populated;
    bool was_read_only;
};

template <class Option>
struct check_subquery_parent {
    static constexpr bool value = sizeof(Option) == 0;  // dependent: fails only when instantiated
    static_assert(value, "reflorm: subqueryload needs the query that loaded its parents; below a selectinload (one "
                         "query per batch) or a joinedload there is none: use selectinload at this level");
};

template <class Option>
struct check_joined_at_top {
    static constexpr bool value = sizeof(Option) == 0;
    static_assert(value, "reflorm: joinedload joins into the query that loads its parents; below a selectinload or "
                         "subqueryload use selectinload, or joinedload the whole chain from the top");
};

template <class Option, class T>
struct check_option_owner {
    static constexpr bool value = std::is_same_v<reflect::member_class_t<Option::member>, T>;
    static_assert(value, "reflorm: a loader option names a relationship of another model than the objects it applies "
                         "to; chain options in relationship order (User -> orders -> items)");
};

/// Whether one of Options is a raiseload of T's relationship member Field.
template <class T, std::size_t Field, class... Options>
inline constexpr bool raised_by = ((Options::strategy == loader_strategy::raise &&
                                    std::is_same_v<reflect::member_class_t<Options::member>, T> &&
                                    relationship_info<Options::member>::field == Field) ||
                                   ...);

/// Sets the relationship Info of `owners` that are not loaded yet loaded and empty (noload).
template <class Info, class T>
class noload_step final : public load_step {
public:
    explicit noload_step(std::vector<T*> owners) : owners_(std::move(owners)) {}
    void plan(session&, query_list&) override {
        for (T* owner : unloaded<Info>(owners_)) set_loaded_empty<Info>(*owner);
        owners_ = {};  // the step is kept to the end of the load (load_step)
    }
    void finish(session&, load_steps&) override {}

private:
    std::vector<T*> owners_;
};

/// The steps of the relationships of `objects` that have a default loader
/// (relationship<...>.lazy()), each of which goes on with the defaults of what it loaded. Options
/// are the loader options given for this level: a raiseload among them overrides the default,
/// as an option of a SQLAlchemy query overrides `lazy=` (the other options load the relationship).
template <class... Options, class T>
void append_default_steps(load_steps& steps, const std::vector<T*>& objects) {
    if (objects.empty()) return;
    [&]<std::size_t... R>(std::index_sequence<R...>) {
        (
            [&] {
                using info = relationship_info_at<T, relationship_fields_v<T>[R]>;
                if constexpr (raised_by<T, info::field, Options...>)
                    return;
                else if constexpr (info::default_loader == loader_strategy::noload)
                    steps.push_back(std::unique_ptr<load_step>(new noload_step<info, T>(objects)));
                else if constexpr (info::default_loader == loader_strategy::selectin)
                    steps.push_back(std::unique_ptr<load_step>(new selectin_step<info, T, default_selectin_option>(objects, default_selectin_option{})));
            }(),
            ...);
    }(std::make_index_sequence<relationship_fields_v<T>.size()>{});
}

/// The steps below `option` over the targets it loaded for `owners`: its children's, then the
/// default loaders'. Not collected at all when there is nothing to run on them.
template <class Info, class T, class Option, class ParentQuery>
void append_next_level(load_steps& next, const std::vector<T*>& owners, const Option& option, const ParentQuery& parent) {
    if constexpr (std::tuple_size_v<decltype(option.children)> > 0 || has_default_loaders<typename Info::target>) {
        const auto targets = targets_of<Info>(owners);
        std::apply([&](const auto&... child) { (append_option_step(next, targets, child, parent), ...); }, option.children);
        std::apply([&](const auto&... child) { append_default_steps<std::remove_cvref_t<decltype(child)>...>(next, targets); },
                   option.children);
    }
}

/// The step of loader option `option` over `owners`, whose parents `parent` read (for
/// subqueryload; no_parent_query below a selectinload or a joinedload).
template <class T, class Option, class ParentQuery>
void append_option_step(load_steps& steps, const std::vector<T*>& owners, const Option& option, const ParentQuery& parent) {
    if constexpr (check_option_owner<Option, T>::value) {
        using info = relationship_info<Option::member>;
        if constexpr (is_joined<Option>) {
            static_assert(check_joined_at_top<Option>::value);
        } else if constexpr (Option::strategy == loader_strategy::noload) {
            steps.push_back(std::unique_ptr<load_step>(new noload_step<info, T>(owners)));
        } else if constexpr (Option::strategy == loader_strategy::raise) {
            // Unloaded relationships raise when read: nothing to do.
        } else if constexpr (Option::strategy == loader_strategy::selectin) {
            steps.push_back(std::unique_ptr<load_step>(new selectin_step<info, T, Option>(owners, option)));
        } else if constexpr (std::is_same_v<ParentQuery, no_parent_query>) {
            static_assert(check_subquery_parent<Option>::value);
        } else {
            steps.push_back(std::unique_ptr<load_step>(new subquery_step<info, T, Option, ParentQuery>(owners, option, parent)));
        }
    }
}

/// The steps of a query's loader options over the objects it read (`statement` read them, for a
/// subqueryload), then those of the relationships' default loaders: last, so that an option of
/// the query overrides a relationship's default.
template <class T, class Statement, class... Options>
void append_query_steps(load_steps& steps, const std::vector<T*>& owners, const Statement& statement, const Options&... options) {
    (
        [&] {
            if constexpr (is_joined<Options>)
                append_below_joined(steps, owners, options);
            else
                append_option_step(steps, owners, options, statement);
        }(),
        ...);
    append_default_steps<Options...>(steps, owners);
}

/// The loader steps of a query without options over the objects it read (`owners`, a
/// std::vector<T*>): the relationships' default loaders (session::read_objects).
template <class T>
void append_defaults_of(load_steps& steps, const void* owners, const void*) {
    append_default_steps(steps, *static_cast<const std::vector<T*>*>(owners));
}
/// The same with the options of the statement that read them (`context`, a Statement).
template <class T, class Statement>
void append_steps_of(load_steps& steps, const void* owners, const void* context) {
    const auto& statement = *static_cast<const Statement*>(context);
    std::apply([&](const auto&... options) { append_query_steps(steps, *static_cast<const std::vector<T*>*>(owners), statement, options...); },
               statement.loader_options());
}

/// yield_per's errors (session.cpp): with a joinedload of a collection or a subqueryload; of 0 rows.
[[noreturn]] void throw_yield_per_refused();
[[noreturn]] void throw_yield_per_zero();

/// The loaders of a yield_per query of R with these options (loading/yield_per.hpp).
template <class R, class... Options>
yield_loaders yield_loaders_of(const Options&... options);

/// A statement's part of a query: the statement and its codec (codec::codec_of, a constant per
/// statement type; the functions over it are compiled once). The rest of the query is compiled
/// per model.
struct statement_part {
    const void* statement;
    const codec::statement_codec* codec;
};
/// `statement`'s part, which refers to it (it outlives the query).
template <class Statement>
statement_part statement_part_of(const Statement& statement) {
    return {&statement, &codec::codec_of<Statement>};
}

/// A row consumer with a statement_part for its statement (compiled once, session.cpp); none
/// for a yield_per batch's reader, which runs no statement (its sql() and bind() then throw
/// std::logic_error, never being called).
class part_rows : public query_rows {
public:
    explicit part_rows(const statement_part* statement) noexcept : statement_(statement) {}
    const std::string& sql(const sql::compiler& dialect) const override;
    void bind(driver::cursor& cursor) const override;
    std::vector<std::string> describe() const override;

private:
    const statement_part* statement_;
};

/// The rows of a select<R>() read as the session's objects, in order (compiled per model; the
/// statement's part by `statement`, or none for a yield_per batch).
template <class R>
class object_rows final : public part_rows {
public:
    object_rows(session& s, registry<R>& r, std::vector<std::shared_ptr<R>>& objects, std::vector<R*>& owners,
                const statement_part* statement = nullptr)
        : part_rows(statement), s_(s), r_(r), objects_(objects), owners_(owners) {}
    void on_row(driver::cursor& cursor) override {
        R* object = r_.materialize(rows::read_model<R>(cursor), s_);
        if constexpr (relationship_fields_v<R>.size() > 0) owners_.push_back(object);
        objects_.push_back(session_access::handle(s_, object));
    }

private:
    session& s_;
    registry<R>& r_;
    std::vector<std::shared_ptr<R>>& objects_;
    std::vector<R*>& owners_;  // for the loaders only
};

/// The position of T among Models, or sizeof...(Models) when absent.
template <class T, class... Models>
consteval std::size_t type_index() {
    std::size_t i = 0;
    for (const bool same : {std::is_same_v<T, Models>...}) {
        if (same) return i;
        ++i;
    }
    return i;
}

}  // namespace orm_detail

template <class Statement>
result<std::shared_ptr<typename Statement::result_type>> session::query_objects(const Statement& statement) {
    if constexpr (requires { statement.loader_options(); }) {
        const bool populate = statement.get_execution_options().populate_existing.value_or(false);
        return std::apply(
            [&](const auto&... options) {
                static_assert((orm_detail::is_load_option<std::remove_cvref_t<decltype(options)>> && ...),
                              "reflorm: the options() of a statement the session runs are loader options: "
                              "joinedload, selectinload, subqueryload, raiseload, noload");
                if (const auto n = statement.get_execution_options().yield_per) {
                    constexpr bool refused = ((orm_detail::joins_collection<std::remove_cvref_t<decltype(options)>>() ||
                                               std::remove_cvref_t<decltype(options)>::strategy == loader_strategy::subquery) ||
                                              ...);
                    if constexpr (refused) {
                        orm_detail::throw_yield_per_refused();
                    } else {
                        if (*n == 0) orm_detail::throw_yield_per_zero();
                        // Streamed unless a loader queries per batch: a streamed connection runs nothing else.
                        constexpr bool queries = (orm_detail::runs_queries<std::remove_cvref_t<decltype(options)>>() || ...) ||
                                                 orm_detail::default_selectin<typename Statement::result_type>;
                        const execution_options& given = statement.get_execution_options();
                        autoflush();
                        using R = typename Statement::result_type;
                        const auto streamed = statement.execution_options({.stream_results = given.stream_results.value_or(!queries)});
                        if constexpr ((orm_detail::is_joined<std::remove_cvref_t<decltype(options)>> || ...)) {
                            // Many-to-one joinedloads: their columns come with each row.
                            const orm_detail::joined_rows_statement<std::remove_cvref_t<decltype(streamed)>,
                                                                    std::remove_cvref_t<decltype(options)>...>
                                joined{{&streamed}};
                            return yield_joined<R, std::tuple<std::remove_cvref_t<decltype(options)>...>>(
                                connect().execute(joined), *n, given, orm_detail::yield_loaders_of<R>(options...));
                        } else {
                            // Objects read from the cursor as load_model reads them: no result<R> per model.
                            return yield_objects<R>(connect().execute_at_cursor(streamed), *n, given,
                                                    orm_detail::yield_loaders_of<R>(options...));
                        }
                    }
                }
                if constexpr ((orm_detail::is_joined<std::remove_cvref_t<decltype(options)>> || ...)) {
                    return result<std::shared_ptr<typename Statement::result_type>>(load_objects(statement, populate, options...));
                } else {
                    // The options' steps are the statement's part (a subqueryload nests it); the rest is the model's.
                    using R = typename Statement::result_type;
                    orm_detail::append_steps_fn append = &orm_detail::append_defaults_of<R>;
                    if constexpr (sizeof...(options) > 0) append = &orm_detail::append_steps_of<R, Statement>;
                    return load_model<R>(orm_detail::statement_part_of(statement), populate,
                                         statement.get_execution_options().read_only.value_or(false), append, &statement);
                }
            },
            statement.loader_options());
    } else {
        // A union.
        using R = typename Statement::result_type;
        bool read_only = false;
        if constexpr (requires { statement.get_execution_options(); })
            read_only = statement.get_execution_options().read_only.value_or(false);
        return load_model<R>(orm_detail::statement_part_of(statement), false, read_only, &orm_detail::append_defaults_of<R>, nullptr);
    }
}

template <class Statement, class... Options>
std::vector<std::shared_ptr<typename Statement::result_type>> session::load_objects(const Statement& statement, bool populate,
                                                                                     const Options&...) {  // their types only
    using R = typename Statement::result_type;
    bool read_only = false;
    if constexpr (requires { statement.get_execution_options(); })
        read_only = statement.get_execution_options().read_only.value_or(false);
    std::vector<std::shared_ptr<R>> objects;
    std::vector<R*> owners;  // for the loaders only
    {
        static_assert((orm_detail::is_joined<Options> || ...), "load_objects reads joinedloads' rows (else load_model)");
        const orm_detail::joined_statement<Statement, Options...> joined{&statement};
        orm_detail::joined_state state;
        orm_detail::address_set seen;
        orm_detail::statement_query query{&joined, [&](driver::cursor& cursor) {
                                              R* parent = orm_detail::materialize_at<R>(*this, cursor, 0);
                                              if (seen.insert(parent)) {
                                                  objects.push_back(handle(parent));
                                                  owners.push_back(parent);
                                              }
                                              int offset = static_cast<int>(schema::table_of<R>.columns.size());
                                              (orm_detail::read_joined_level<R, Options>(*this, cursor, offset, parent, state), ...);
                                          }};
        const orm_detail::query_scope scope{*this, populate, read_only};  // autoflushes
        read_objects(query, &owners, &orm_detail::append_steps_of<R, Statement>, &statement);
    }
    return objects;
}

template <class R>
result<std::shared_ptr<R>> session::load_model(const orm_detail::statement_part& statement, bool populate, bool read_only,
                                               orm_detail::append_steps_fn append, const void* context) {
    std::vector<std::shared_ptr<R>> objects;
    std::vector<R*> owners;  // for the loaders only
    // populate_existing: every object this query reads (eager loads included) is overwritten
    // once, and its relationships expired so that the options reload them.
    const orm_detail::query_scope scope{*this, populate, read_only};  // autoflushes
    orm_detail::object_rows<R> query{*this, registry<R>(), objects, owners, &statement};
    read_objects(query, &owners, append, context);
    return result<std::shared_ptr<R>>(std::move(objects));
}

template <class Statement>
auto session::query_entities(const Statement& statement) {
    return [&]<class... E>(std::type_identity<std::tuple<E...>>) {
        using row = std::tuple<std::shared_ptr<orm_detail::entity_model_t<E>>...>;
        std::vector<row> rows;
        std::tuple<std::vector<orm_detail::entity_model_t<E>*>...> owners;  // each once, for the loaders
        std::array<orm_detail::address_set, sizeof...(E)> seen;
        if (statement.get_execution_options().yield_per)
            throw invalid_request_error("reflorm: execution_options yield_per reads objects of one model (select<T>()); select<A, "
                                        "B>() reads its rows in full");
        const orm_detail::query_scope scope{*this, statement.get_execution_options().populate_existing.value_or(false),
                                            statement.get_execution_options().read_only.value_or(false)};  // autoflushes
        orm_detail::executor run{*this};
        orm_detail::statement_query query{&statement, [&](driver::cursor& cursor) {
            row r;
            int offset = 0;
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                (
                    [&] {
                        using entity = std::tuple_element_t<I, std::tuple<E...>>;
                        using model = orm_detail::entity_model_t<entity>;
                        const int at = offset;
                        offset += static_cast<int>(schema::table_of<model>.columns.size());
                        if (!std::is_same_v<entity, model> && rows::model_is_null<model>(cursor, at)) return;
                        model* object = orm_detail::materialize_at<model>(*this, cursor, at);
                        if (seen[I].insert(object)) std::get<I>(owners).push_back(object);
                        std::get<I>(r) = handle(object);
                    }(),
                    ...);
            }(std::index_sequence_for<E...>{});
            rows.push_back(std::move(r));
        }};
        run.query(query);
        // Each option runs over the objects of the model it names.
        orm_detail::load_steps steps;
        std::apply(
            [&](const auto&... option) {
                (
                    [&]<class Option>(const Option& o) {
                        using owner = reflect::member_class_t<Option::member>;
                        constexpr std::size_t index = orm_detail::type_index<owner, orm_detail::entity_model_t<E>...>();
                        static_assert(index < sizeof...(E), "reflorm: a loader option of select<A, B>() names a relationship of a "
                                                            "model the select does not return");
                        static_assert(!orm_detail::is_joined<Option> && Option::strategy != loader_strategy::subquery,
                                      "reflorm: select<A, B>() loads relationships with selectinload (or noload, raiseload): "
                                      "joinedload and subqueryload need a select of one model");
                        if constexpr (index < sizeof...(E))
                            orm_detail::append_option_step(steps, std::get<index>(owners), o, orm_detail::no_parent_query{});
                    }(option),
                    ...);
                // Last, so that an option overrides a relationship's default loader (a raiseload too).
                [&]<std::size_t... I>(std::index_sequence<I...>) {
                    (orm_detail::append_default_steps<std::remove_cvref_t<decltype(option)>...>(steps, std::get<I>(owners)), ...);
                }(std::index_sequence_for<E...>{});
            },
            statement.loader_options());
        run.load(std::move(steps));
        return result<row>(std::move(rows));
    }(std::type_identity<typename Statement::result_type>{});
}

template <class T, class Key, class... Options>
std::shared_ptr<T> session::get_with(const Key& wanted, const Options&... given) {
    static_assert(((orm_detail::is_load_option<Options> || std::is_same_v<Options, execution_options>) && ...),
                  "reflorm: after the key, session.get<T>() takes loader options (selectinload<&T::m>(), ...) and "
                  "execution_options{...}");
    bool populate = false;
    ((void)[&] {
        if constexpr (std::is_same_v<Options, execution_options>) populate = populate || given.populate_existing.value_or(false);
    }(), ...);
    auto& r = registry<T>();
    using status = typename orm_detail::registry<T>::status;
    T* object = nullptr;
    if (auto* e = r.find_key(wanted)) {
        if (e->state == status::deleted) return nullptr;
        if (!e->expired && !populate) object = e->object();
    }
    // The loader options, as a query's: run over the object whether it was read now or held.
    const auto load = [&](const std::vector<T*>& owners) {
        orm_detail::load_steps steps;
        const auto append = [&](const auto& option) {
            if constexpr (orm_detail::is_load_option<std::remove_cvref_t<decltype(option)>>)
                orm_detail::append_option_step(steps, owners, option, orm_detail::no_parent_query{});
        };
        (void)append;  // unused without options
        (append(given), ...);
        if constexpr (orm_detail::relationship_fields_v<T>.size() > 0) orm_detail::append_default_steps(steps, owners);
        orm_detail::executor{*this}.load(std::move(steps));
    };
    if (object) {
        if constexpr (sizeof...(Options) > 0) load({object});
        return handle(object);
    }
    // No autoflush (get() never flushes); the read_only state as it is.
    const orm_detail::query_scope scope{*this, populate, read_only_, /*flush=*/false};
    orm_detail::executor{*this}.query(*orm_detail::primary_key_query<T>(
        wanted, [&](driver::cursor& cursor) { object = r.materialize(rows::read_model<T>(cursor), *this); }));
    if (!object) return nullptr;
    load({object});
    return handle(object);
}

template <class Range, class... Options>
    requires(sizeof...(Options) > 0 && (orm_detail::is_load_option<Options> && ...))
void session::load(const Range& objects, const Options&... options) {
    using element = std::remove_cvref_t<decltype(*std::begin(objects))>;
    using T = typename std::conditional_t<is_shared_ptr<element>, element, std::shared_ptr<element>>::element_type;
    std::vector<T*> owners;
    auto& r = registry<T>();
    for (const auto& object : objects) {
        T* owner = nullptr;
        if constexpr (is_shared_ptr<element>) owner = object.get();
        else owner = const_cast<T*>(&object);  // the session's own object, which it may change
        if (!owner || !r.find(owner))
            throw invalid_request_error("reflorm: session.load() was given an object of " + std::string(reflect::qualified_type_name_v<T>) +
                                        " that the session does not hold; add() or query it first");
        owners.push_back(owner);
    }
    if (owners.empty()) return;
    autoflush();
    orm_detail::load_steps steps;
    (orm_detail::append_option_step(steps, owners, options, orm_detail::no_parent_query{}), ...);
    orm_detail::executor{*this}.load(std::move(steps));
}

}  // namespace reflorm
