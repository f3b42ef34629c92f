#pragma once
// The session: SQLAlchemy's unit of work over plain aggregates. It keeps one object per
// (model, primary key) (the identity map), works out what changed by comparing each object
// with a snapshot of its column values, and writes the changes in foreign key order in one
// transaction when flushed. See docs/session.md.
#include <reflorm/engine/connection.hpp>
#include <reflorm/engine/engine.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/orm/added_objects.hpp>
#include <reflorm/orm/detail/batch_block.hpp>
#include <reflorm/orm/detail/executor.hpp>
#include <reflorm/orm/detail/undo_record.hpp>
#include <reflorm/orm/events.hpp>
#include <reflorm/orm/load_options.hpp>
#include <reflorm/orm/relationship.hpp>
#include <reflorm/sql/insert.hpp>
#include <reflorm/sql/select.hpp>

#include <boost/unordered/unordered_flat_set.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace reflorm {

/// Where an object stands with a session, as SQLAlchemy's object states.
enum class object_state {
    transient,   // not in the session (never added, or expunged)
    pending,     // added; INSERTed at the next flush
    persistent,  // has a row, and is in the identity map
    deleted,     // marked for deletion (DELETEd at the next flush), or deleted by a flush of
                 // the open transaction; detached once it commits
    detached,    // had a row in this session, which is closed or has let it go
};

/// A flush found a row count it did not expect (an UPDATE or DELETE by primary key matched no
/// row): another transaction changed the row. SQLAlchemy's StaleDataError.
class stale_data_error : public invalid_request_error {
public:
    using invalid_request_error::invalid_request_error;
};

struct session_options {
    /// Flush before every query the session runs (not before get() of an object it holds),
    /// as SQLAlchemy's autoflush.
    bool autoflush = true;
    /// After commit(), the next query or get() reloads each object's columns from the
    /// database (a plain aggregate cannot reload on attribute access, as SQLAlchemy's do).
    bool expire_on_commit = true;
};

class session;
class sessionmaker;

template <class T>
inline constexpr bool is_shared_ptr = false;
template <class T>
inline constexpr bool is_shared_ptr<std::shared_ptr<T>> = true;

namespace orm_detail {

struct object_store;
struct batch_block;
class executor;

/// What the unit of work needs from every model's registry, whatever the model.
class registry_base {
public:
    virtual ~registry_base() = default;
    virtual const schema::table_info& table() const noexcept = 0;
    virtual bool has_changes() const = 0;
    // Flush steps, in the order the session runs them. None does I/O: the plan_* steps append
    // batches, which the session's executor sends before the next step is planned.
    virtual void begin_flush() = 0;
    virtual bool cascade_save(session& s, bool from_start) = 0;
    /// Marks what the delete cascade reaches; asks (flush_state::loads) for the relationships
    /// it must see first, and is called again once they are loaded.
    virtual bool cascade_delete(session& s) = 0;
    virtual void collect(session& s) = 0;
    /// INSERTs of the pending rows (foreign keys filled from parents already written).
    virtual void plan_inserts(session& s, flush_batches& out) = 0;
    /// UPDATEs of the changed persistent rows.
    virtual void plan_updates(session& s, flush_batches& out) = 0;
    /// Orders this model's rows to DELETE and gives each its place in the flush's DELETE order.
    virtual void order_deletes(session& s) = 0;
    /// SQLAlchemy's post_update before a DELETE: a nullable foreign key of a row to delete that
    /// refers to a row deleted earlier in the flush (a cycle) is set to NULL first.
    virtual void plan_null_keys_into_earlier_deletes(session& s, flush_batches& out) = 0;
    virtual void plan_deletes(session& s, flush_batches& out) = 0;
    /// Takes the rows this flush DELETEd out of the loaded relationships that still hold them.
    virtual void drop_deleted_targets(session& s) = 0;
    virtual void finish_flush(session& s) = 0;
    // Transaction ends.
    virtual void expire_all() = 0;
    virtual void discard(session& s, std::uint64_t since) = 0;  // rollback(): undo unflushed changes
    virtual void detach_all() = 0;
    virtual void forget_deleted() = 0;               // after commit: flushed deletions are gone
    /// yield_per: the block's objects leave the identity map (detached), which forgets them;
    /// with `keep`, the registry takes their nodes over (freed with the store).
    virtual void release_batch(batch_block& b, bool keep) = 0;
};

/// The objects of one session's lifetime: handles share ownership of it.
struct object_store {
    std::vector<std::unique_ptr<registry_base>> registries;  // by type_id
    std::vector<std::shared_ptr<const void>> discarded;     // new objects a rollback discarded: never written, kept valid
};

template <class T>
class registry;
template <class T>
class identity_map;
template <class T>
class persistence;
template <class T>
class dependency_processor;
template <class T>
class cascade_processor;
struct session_access;
struct relationship_flush;
struct yield_batches;
struct query_scope;
class yield_loaders;
/// Appends a query's loader steps over the objects it read (`owners`, a std::vector<T*>).
using append_steps_fn = void (*)(load_steps& steps, const void* owners, const void* context);
struct statement_part;

/// Whether a statement's rows have row shape Shape (false for a statement without rows).
template <class Statement, sql::row_shape Shape>
consteval bool selects_shape() {
    if constexpr (requires { Statement::result_shape; }) return Statement::result_shape == Shape;
    else return false;
}
/// Whether a statement selects whole objects of one model (select<T>(), or a union of them).
template <class Statement>
inline constexpr bool selects_objects = selects_shape<Statement, sql::row_shape::model>();
/// Whether a statement selects whole objects of several models (select<User, Address>()).
template <class Statement>
inline constexpr bool selects_entities = selects_shape<Statement, sql::row_shape::entities>();
/// The model of an entity in select<A, B>()'s row: A, or A for std::optional<A> (outer joined).
template <class E>
using entity_model_t = typename sql::strip_optional<E>::type;
/// Whether none of Args after the first Keys is a key value (for get's key and options).
template <std::size_t Keys, class... Args>
consteval bool none_is_option() {
    std::size_t i = 0;
    return ((i++ >= Keys || !(is_load_option<Args> || std::is_same_v<Args, sql::execution_options>)) && ...);
}

/// A step the flush runs later on two objects (a child and its parent, say): a plain function
/// and its arguments, not a std::function, whose per-lambda handler and manager were a large
/// part of a session program's compile time (issue 13); it allocates nothing either.
struct flush_step {
    void (*run)(session&, void*, void*) = nullptr;
    session* s = nullptr;
    void* a = nullptr;
    void* b = nullptr;
    void operator()() const { run(*s, a, b); }
};
/// The same for a step that plans statements into a flush's batches.
struct flush_plan_step {
    void (*run)(session&, void*, void*, flush_batches&) = nullptr;
    session* s = nullptr;
    void* a = nullptr;
    void* b = nullptr;
    void operator()(flush_batches& out) const { run(*s, a, b, out); }
};

/// Per-flush bookkeeping shared by the registries.
struct flush_state {
    // Foreign key syncs to run on a child before it is written, from the collections that hold it.
    std::unordered_map<const void*, std::vector<flush_step>> links;
    std::unordered_set<const void*> linked;
    std::vector<flush_step> removals;  // children removed from collections
    // Circular references, planned after the inserts have run (their keys known then).
    std::vector<flush_plan_step> post_updates;
    std::unordered_map<const void*, std::vector<const void*>> parents;  // for ordering rows of one model
    std::vector<flush_plan_step> association_inserts;
    std::vector<flush_plan_step> association_deletes;
    std::vector<load_request> loads;                    // what the delete cascade must see first
    std::unordered_set<std::string> association_rows;  // written once when both sides list them
    bool deleted_rows = false;                          // a DELETE ran: drop_deleted_targets has work
    std::unordered_set<const void*> expunged;           // pending objects the delete cascade let go of
    std::unordered_map<const void*, std::size_t> delete_position;  // each row's place in the DELETE order
};

}  // namespace orm_detail

/// A unit of work over one engine. Not thread-safe: one session per thread.
///
/// Objects are owned by the session's object store and reached through std::shared_ptr<T>
/// handles (from add, get, scalars, merge). A handle keeps the whole store alive, so objects
/// reached through relationships stay valid after the session closes. The session begins a
/// transaction on first use (SQLAlchemy's autobegin) and rolls it back when destroyed
/// without commit().
class session : public orm_detail::event_registrar<session> {
public:
    explicit session(engine e, session_options options = {});
    ~session();
    session(const session&) = delete;
    session& operator=(const session&) = delete;

    // ---- adding, finding, changing --------------------------------------------------------

    /// Adds a new object (pending: INSERTed at the next flush) and returns its handle. Objects
    /// it holds by value in its relationships are added too (cascade save_update). Takes an
    /// rvalue (std::move(object) or a temporary): a named variable is a compile error, since a
    /// silent copy would leave the variable's later changes outside the session.
    template <class T>
        requires(!is_shared_ptr<std::remove_cvref_t<T>>)
    std::shared_ptr<std::remove_cvref_t<T>> add(T&& object);
    /// Adds an object given by handle (one made with std::make_shared, say) as pending; the
    /// session shares its ownership. An object that already has a row, from a closed session,
    /// comes back with merge() instead. Returns the handle.
    template <class T>
    std::shared_ptr<T> add(const std::shared_ptr<T>& object);
    /// Adds every object of `objects` as pending, as SQLAlchemy's Session.add_all, and returns
    /// their handles in order (added_objects: a range of std::shared_ptr<T>, 32 bytes in all).
    /// The session takes the vector's storage over: no object is moved or copied, and pointers
    /// into the vector stay valid. An rvalue only (std::move(vector), or a temporary): a named
    /// vector would be a silent copy, as with add(). Throws std::bad_alloc (nothing added) when
    /// the entries (24 bytes an object) cannot be allocated.
    template <class T>
    added_objects<T> add_all(std::vector<T>&& objects);
    template <class T>
    added_objects<T> add_all(const std::vector<T>&) {
        static_assert(sizeof(T) == 0,
                      "reflorm: session.add_all() takes the vector itself: pass std::move(vector) or a temporary; "
                      "from a named vector it would add copies, and later changes to its objects would never "
                      "reach the session (write add_all(std::vector<T>(objects)) to add copies on purpose)");
        return {};
    }

    /// The T with primary key `key...` (one value per key column, in key order), or nullptr.
    /// No SQL when the session already holds it (unless expired, or populate_existing is
    /// given); no autoflush. Loader options and execution options may follow the key, as
    /// SQLAlchemy's Session.get(User, 5, options=[...], populate_existing=True):
    /// `session.get<User>(5, selectinload<&User::addresses>(), execution_options{.populate_existing
    /// = true})`; the options also run over an object the session holds already.
    template <class T, class... KeyAndOptions>
    std::shared_ptr<T> get(const KeyAndOptions&... key_and_options);

    /// Marks a persistent object for deletion (DELETEd at the next flush, with cascade
    /// delete following its relationships). Throws invalid_request_error for an object the
    /// session does not hold, or one not yet flushed (expunge() it instead).
    template <class T>
    void delete_(const T& object);
    template <class T>
    void delete_(const std::shared_ptr<T>& object) { delete_(*object); }

    /// The session's object with `detached`'s primary key, its columns overwritten with
    /// detached's values (loaded first when the session lacks it; added as pending when the
    /// database lacks it too), as SQLAlchemy's merge. `detached` itself is not tracked, and
    /// its relationships are not followed: merge each related object you want brought in.
    template <class T>
    std::shared_ptr<T> merge(const T& detached);

    /// Reloads the object's columns from the database now, discarding unflushed changes.
    /// Throws invalid_request_error when it has no row (pending, or deleted meanwhile).
    template <class T>
    void refresh(T& object);
    /// Marks the object (or every object) so the next query or get() reloads its columns.
    template <class T>
    void expire(T& object);
    void expire_all();
    /// Removes the object from the session (now transient if pending, detached otherwise).
    template <class T>
    void expunge(T& object);
    void expunge_all();

    /// Loads relationship `Member` of `object` now with one SELECT (none for a many-to-one
    /// whose target the session holds, or whose foreign key is NULL): the explicit lazy load.
    template <auto Member, class T>
    void load(T& object);
    /// Loads relationships of objects the session already holds, one batch per relationship
    /// and level, as scalars() does after its query: `session.load(orders,
    /// selectinload<&Order::items>().selectinload<&Item::keywords>())`. `objects` is a range of
    /// std::shared_ptr<T> handles or of T (a loaded many<T>, say). Options: selectinload,
    /// noload and raiseload (joinedload and subqueryload need the query that loaded the objects:
    /// a static_assert says so). Relationships already loaded are kept; expired ones reload.
    /// Autoflushes first. Throws invalid_request_error for an object the session does not hold.
    template <class Range, class... Options>
        requires(sizeof...(Options) > 0 && (orm_detail::is_load_option<Options> && ...))
    void load(const Range& objects, const Options&... options);

    template <class T>
    object_state state_of(const T& object);
    /// Whether the session holds changes a flush would write.
    bool dirty() const;

    // ---- queries ----------------------------------------------------------------------------

    /// Runs a statement in the session's transaction and returns its result (engine/result.hpp),
    /// as SQLAlchemy 2.0's Session.execute. Autoflushes first.
    ///  - select<T>(): rows of std::tuple<std::shared_ptr<T>>, the session's objects for the
    ///    rows in order. An object the session holds is returned as is (not overwritten, unless
    ///    expired and unchanged, or the statement's execution option populate_existing is set).
    ///    Then the statement's loader options (`.options(selectinload<&T::m>(), ...)`) run over
    ///    the objects, level by level (see load_options.hpp and docs/relationships.md); an
    ///    expired relationship is reloaded, one changed since is not. The rows are read in
    ///    full first, as SQLAlchemy's ORM results are, unless the execution option yield_per
    ///    reads them a batch at a time (sql/execution_options.hpp).
    ///  - any other statement: what connection::execute returns (rows of columns read lazily,
    ///    or rowcount() for UPDATE/DELETE). The identity map is not updated by bulk
    ///    UPDATE/DELETE: expire_all() after them if objects are affected.
    /// Throws what connection::execute throws.
    template <class Statement>
    auto execute(const Statement& statement);
    /// execute(statement).scalars(): for select<T>(), the session's T objects as
    /// std::shared_ptr<T> rows (`session.scalars(stmt).all()`, `.one()`, `.first()`).
    template <class Statement>
    auto scalars(const Statement& statement);
    /// execute(statement).scalar(): the first object (nullptr when none), or the first column
    /// of the first row.
    template <class Statement>
    auto scalar(const Statement& statement) {
        if constexpr (orm_detail::selects_objects<Statement>) return scalars(statement).first();
        else return execute(statement).scalar();
    }
    /// The bulk path, as SQLAlchemy's session.execute(insert(User), [rows]): INSERTs `rows`
    /// in one executemany, skipping the identity map (rows are not tracked afterwards; generated
    /// keys are written back into them). Returns a result whose rowcount() is the rows written.
    template <class T, class Range>
    result<std::tuple<>> execute(const sql::insert_statement<T>& statement, Range&& rows);

    // ---- flush and transactions -----------------------------------------------------------

    /// Writes pending changes: INSERTs parents before children, UPDATEs changed columns only,
    /// DELETEs children before parents. On failure the transaction (or the innermost
    /// savepoint) is rolled back, nothing is written, and the session's objects are as they
    /// were before the flush: pending stays pending, changed stays changed. Then rethrows.
    void flush();
    /// Flushes, then COMMITs. Objects are expired when expire_on_commit.
    void commit();
    /// Rolls the transaction back, and the session with it: objects added since the last
    /// commit are expunged (transient; generated keys reset to 0), persistent objects get their
    /// committed column values back, and objects marked deleted are persistent again.
    void rollback();
    /// Rolls back and releases every object (detached). The session can be used again.
    void close();
    bool in_transaction() const noexcept { return transaction_.has_value(); }

    /// A transaction begun by begin(): commit() it; it rolls back when it ends uncommitted
    /// (never throwing from its destructor, as soci::transaction and pqxx::work). A scope that
    /// outlives its session does nothing when it ends, and its commit() and rollback() throw
    /// invalid_request_error.
    class transaction_scope {
    public:
        ~transaction_scope();
        void commit();
        void rollback();
        transaction_scope(transaction_scope&& o) noexcept : session_(std::move(o.session_)), transaction_(o.transaction_) {
            o.session_.reset();
        }

    private:
        friend class session;
        explicit transaction_scope(session& s);
        /// The session, while it lives and the transaction this scope began is still open.
        session* active() const;
        std::weak_ptr<session* const> session_;  // expires with the session
        std::uint64_t transaction_ = 0;          // which of the session's transactions is ours
    };
    /// Begins a transaction now. Throws invalid_request_error when one is already begun.
    transaction_scope begin();
    /// SQLAlchemy's `with session.begin():` — begins a transaction, runs `work()`, and commits;
    /// when `work` throws, rolls back and rethrows. A failing commit throws from here (never
    /// from a destructor). Returns what `work` returns. Throws invalid_request_error when a
    /// transaction is already begun.
    template <class Work>
    decltype(auto) begin(Work&& work) {
        auto scope = begin();
        if constexpr (std::is_void_v<std::invoke_result_t<Work&>>) {
            work();
            scope.commit();
        } else {
            decltype(auto) result = work();
            scope.commit();
            return result;
        }
    }

    /// A SAVEPOINT: rolled back (database and session) unless committed. SQLAlchemy's begin_nested.
    class nested_transaction {
    public:
        ~nested_transaction();
        /// Flushes and releases the savepoint.
        void commit();
        /// Rolls back to the savepoint: objects added inside it are expunged, changes flushed
        /// inside it are undone in the objects too.
        void rollback();
        nested_transaction(nested_transaction&& o) noexcept : session_(std::move(o.session_)), depth_(o.depth_) { o.session_.reset(); }

    private:
        friend class session;
        nested_transaction(session& s, std::size_t depth) : session_(s.self_), depth_(depth) {}
        /// The session, while it lives and this savepoint is still active; else nullptr.
        session* active() const;
        std::weak_ptr<session* const> session_;  // expires with the session
        std::size_t depth_;
    };
    nested_transaction begin_nested();

    // ---- events ---------------------------------------------------------------------------

    /// Events: before_flush(f), after_flush(f), and per model before_insert<T>(f),
    /// after_insert<T>, before_update<T>, after_update<T>, before_delete<T>, after_delete<T>
    /// (see orm/events.hpp). They run after those registered on the sessionmaker that made
    /// this session, in the order they were registered.
    using mapper_event = reflorm::mapper_event;
    using session_listener = reflorm::session_listener;
    template <class T>
    using object_listener = reflorm::object_listener<T>;

    /// The objects of T marked for deletion and not yet flushed (for before_flush listeners).
    template <class T>
    std::vector<T*> deleted_objects();
    /// Cancels a deletion not yet flushed: the object is persistent again (a before_flush
    /// listener may turn deletions into updates, as in the soft-delete recipe).
    template <class T>
    void undelete(T& object);

    const reflorm::engine& bind() const noexcept { return engine_; }

private:
    // The layers of a model's registry (orm/detail/registry.hpp) read the flush's state.
    template <class T>
    friend class orm_detail::registry;
    template <class T>
    friend class orm_detail::identity_map;
    template <class T>
    friend class orm_detail::persistence;
    template <class T>
    friend class orm_detail::dependency_processor;
    template <class T>
    friend class orm_detail::cascade_processor;
    friend struct orm_detail::session_access;
    friend struct orm_detail::relationship_flush;
    friend struct orm_detail::yield_batches;
    friend struct orm_detail::query_scope;
    friend class orm_detail::executor;
    friend class transaction_scope;
    friend class nested_transaction;

    template <class T>
    orm_detail::registry<T>& registry();
    /// The objects of a select<T>() statement, its loader options run over them.
    template <class Statement>
    result<std::shared_ptr<typename Statement::result_type>> query_objects(const Statement& statement);
    /// The same with joinedloads among the options, whose columns come with each row.
    template <class Statement, class... Options>
    std::vector<std::shared_ptr<typename Statement::result_type>> load_objects(const Statement& statement, bool populate,
                                                                                const Options&... options);
    /// The objects of R a statement reads (`statement`, its part), read_objects run: compiled
    /// per model, not per statement (noinline: each statement's query_objects calls it).
    template <class R>
    [[gnu::noinline]] result<std::shared_ptr<R>> load_model(const orm_detail::statement_part& statement, bool populate, bool read_only,
                                                            orm_detail::append_steps_fn append, const void* context);
    template <class T, class Key, class... Options>
    std::shared_ptr<T> get_with(const Key& key, const Options&... options);
    /// The rows of a select<A, B, ...>() as the session's objects, its loader options run.
    template <class Statement>
    auto query_entities(const Statement& statement);
    /// load_model's part compiled once (in the caller's query_scope): runs `query`, then the
    /// loader steps `append` appends over `owners` (from `context`).
    void read_objects(orm_detail::query_rows& query, const void* owners, orm_detail::append_steps_fn append, const void* context);
    template <class T, std::size_t Field>
    void load_field(T& object);
    template <class T, std::size_t Field>
    void load_resolved(T& object);
    template <class Info, class T>
    void load_if_needed(T& object);
    template <class T>
    bool mark_deleted(T& object);
    void abort_transaction(bool discard) noexcept;
    void abort_savepoint(std::size_t index, bool discard);
    template <class T>
    void fire(mapper_event event, T& object) {
        if (factory_events_) factory_events_->fire(*this, event, object);
        events_.fire(*this, event, object);
    }
    /// Whether any mapper event listener is registered (a loop firing one per row is skipped).
    bool has_mapper_listeners() const noexcept {
        return !events_.per_model.empty() || (factory_events_ && !factory_events_->per_model.empty());
    }
    friend class orm_detail::event_registrar<session>;
    friend class sessionmaker;
    orm_detail::session_events& events_to_register() { return events_; }
    session(engine e, session_options options, std::shared_ptr<const orm_detail::session_events> factory_events);
    template <class T>
    std::shared_ptr<T> handle(T* object) const {
        for (const auto& b : batches_)  // a yield_per batch's object: the handle keeps its block
            if (b->owns(object)) return std::shared_ptr<T>(b, object);
        return std::shared_ptr<T>(store_, object);
    }
    /// The objects of a select<T>() with execution_options yield_per (`given`), from its
    /// rows, n at a time: by model only, whatever the statement and options (compile time),
    /// the options' steps by `loaders`; the loop compiled once (orm_detail::yield_cursor).
    template <class R>
    [[gnu::noinline]] result<std::shared_ptr<R>> yield_objects(result<driver::cursor*>&& rows, std::size_t n, const execution_options& given,
                                             orm_detail::yield_loaders&& loaders);
    /// The same with many-to-one joinedloads (Joined), whose columns are read with each row
    /// (Row: std::tuple<R, std::optional<target>...>): compiled per model and Joined.
    template <class R, class Joined, class Row>
    result<std::shared_ptr<R>> yield_joined(result<Row> rows, std::size_t n, const execution_options& given,
                                            orm_detail::yield_loaders loaders);
    /// Takes a yield_per batch's objects out of the session (once); it lives on with their handles.
    void release_batch(std::shared_ptr<orm_detail::batch_block> b) noexcept;
    /// The yield_per batch new objects join, if one is in the session.
    orm_detail::batch_block* current_batch() const noexcept { return batches_.empty() ? nullptr : batches_.back().get(); }
    /// An object found (not read anew) or given to a loader while a batch is current: it may
    /// come to point into that batch (a relationship, a back reference), so the batch stays
    /// with the store, and so does the batch it belongs to, which the current one points into.
    void touch(const void* object) noexcept {
        if (batches_.empty() || batches_.back()->owns(object)) return;
        for (const auto& b : batches_)
            if (b == batches_.back() || b->owns(object)) b->pinned = true;
    }

    /// The session's connection, with a transaction begun (autobegin).
    connection& connect();
    void autoflush();
    /// save-update cascade from objects just added, so that they take their place in insert
    /// order now, as SQLAlchemy's add() does (the flush cascades again for later changes).
    void cascade_added();
    void run_flush(orm_detail::executor& executor);
    void end_transaction() noexcept;
    std::vector<orm_detail::registry_base*> ordered_registries();
    template <class F>
    void push_undo(F f) {
        undo_.push_back(orm_detail::undo_record(std::move(f)));  // not emplace_back: one vector growth for all steps
        ++undo_pushed_;
    }

    engine engine_;
    session_options options_;
    std::shared_ptr<session* const> self_ = std::make_shared<session* const>(this);  // scopes watch it expire
    std::shared_ptr<orm_detail::object_store> store_;
    std::optional<connection> connection_;
    std::optional<reflorm::transaction> transaction_;
    std::uint64_t transactions_begun_ = 0;  // numbers each transaction, for transaction_scope
    struct savepoint_mark {
        std::string name;
        std::size_t undo_size;
        std::uint64_t sequence;
    };
    std::vector<savepoint_mark> savepoints_;
    std::vector<orm_detail::undo_record> undo_;  // restores the session's view of the database
    std::uint64_t undo_pushed_ = 0;            // undo_ entries ever pushed
    // yield_per batches in the session; objects read while one is there go to the newest.
    std::vector<std::shared_ptr<orm_detail::batch_block>> batches_;
    std::uint64_t sequence_ = 1;               // stamps objects as they join the session
    std::uint64_t committed_sequence_ = 0;     // the stamp at the last commit or rollback
    std::size_t savepoint_counter_ = 0;
    bool flushing_ = false;
    bool in_before_flush_ = false;
    std::vector<orm_detail::flush_step> cascade_checks_;  // objects reached by reference, checked after the cascade
    orm_detail::flush_state* flush_state_ = nullptr;
    boost::unordered_flat_set<const void*>* populating_ = nullptr;  // a populate_existing query: the objects it overwrote
    bool read_only_ = false;  // a read_only query is reading: its objects get no snapshot
    orm_detail::session_events events_;
    std::shared_ptr<const orm_detail::session_events> factory_events_;  // its sessionmaker's, or none
};

}  // namespace reflorm

#include <reflorm/orm/detail/session_impl.hpp>
#include <reflorm/orm/loading/apply.hpp>
#include <reflorm/orm/loading/lazy.hpp>
#include <reflorm/orm/loading/yield_per.hpp>
