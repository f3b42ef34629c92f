#pragma once
// The engine: a URL, a dialect, a pool of connections and the execution listeners.
#include <reflorm/engine/after_execute.hpp>
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/pool.hpp>
#include <reflorm/engine/connection_settings.hpp>
#include <reflorm/engine/url.hpp>
#include <reflorm/sql/compiler.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace reflorm {

/// What a listener learns before each statement runs, as SQLAlchemy's before_cursor_execute
/// (its `parameters` argument, here formatted rather than raw).
struct execute_event {
    std::string_view sql;             // with placeholders
    std::size_t parameter_sets = 1;   // rows of an executemany (bulk insert), else 1

    execute_event(std::string_view sql_text, std::size_t sets, parameters_ref values = {}) noexcept
        : sql(sql_text), parameter_sets(sets), values_(values) {}

    /// The values bound for parameter set `set` (< parameter_sets; 0 for a statement run once),
    /// in placeholder order, each written as a SQL literal the way database_error messages show
    /// them (strings quoted, NULL, X'..' for blobs cut after 64 bytes). Formatted only when
    /// called, so a listener that reads only `sql` costs nothing more. A value bound for a
    /// secret column, or a text() parameter with a password-like name, reads '***' (see
    /// reflorm::secret in schema/options.hpp). Empty for SQL run without parameters
    /// (exec_driver_sql). Valid only during the listener call: the values belong to the
    /// statement that is about to run; copy the strings to keep them. Throws what formatting
    /// throws (std::bad_alloc).
    std::vector<std::string> parameters(std::size_t set = 0) const { return values_(set); }

private:
    parameters_ref values_;
};
using execute_listener = std::function<void(const execute_event&)>;

struct engine_options {
    /// Log every statement, and BEGIN/COMMIT/ROLLBACK, to std::clog, as SQLAlchemy's echo=True:
    /// `reflorm: <sql>`, then for a statement that binds values a second line with them as
    /// literals, `reflorm: [1, 'jack']` (secret values as '***'). An executemany shows its first
    /// 10 rows and the total, `reflorm: [(1, 'a'), (2, 'b'), ..., ... 500 rows]`, where
    /// SQLAlchemy shows the first and last rows of a large batch ("displaying 10 of 500").
    bool echo = false;
    // ---- the pool: SQLAlchemy's QueuePool, with its defaults (pool_size 5, max_overflow 10,
    // pool_timeout 30 s, pool_recycle and pool_pre_ping off); see docs/backends.md ----------

    /// max_overflow's "no limit" (SQLAlchemy's max_overflow=-1).
    static constexpr std::size_t unlimited = SIZE_MAX;
    /// Connections the pool keeps open for reuse once opened (none is opened before the first
    /// connect()). 0: no limit on the connections kept (then max_overflow bounds them all).
    std::size_t pool_size = 5;
    /// Connections opened beyond pool_size when all of those are checked out; closed when they
    /// come back to a full pool. At most pool_size + max_overflow are open at once.
    std::size_t max_overflow = 10;
    /// How long connect() waits for a connection to come back when pool_size + max_overflow are
    /// checked out, before it throws timeout_error. 0: throw at once.
    std::chrono::milliseconds pool_timeout = std::chrono::seconds(30);
    /// Replace a connection at checkout once it has been open this long (as SQLAlchemy's
    /// pool_recycle, for servers that drop idle connections, MariaDB's wait_timeout). Off when
    /// empty. Checked at checkout only: an idle connection is not closed before that.
    std::optional<std::chrono::milliseconds> pool_recycle{};
    /// Test a pooled connection with a round trip at each checkout (libpq: an empty query,
    /// MariaDB: mysql_ping; SQLite: none) and replace it, and every connection opened before it,
    /// when the server does not answer: the caller never sees a connection dropped while idle.
    /// A connection opened by that checkout is not pinged. Off: no round trip at checkout.
    bool pool_pre_ping = false;
    /// Hand out the connection returned last (LIFO) rather than the one idle longest (FIFO, the
    /// default), as SQLAlchemy's pool_use_lifo: spare connections stay idle and can time out.
    bool pool_use_lifo = false;

    // ---- settings of every new connection -----------------------------------------------

    /// The isolation level of every connection's transactions (SQLAlchemy's isolation_level);
    /// the server's default when empty (PostgreSQL: READ COMMITTED; MariaDB's InnoDB: REPEATABLE
    /// READ; SQLite: SERIALIZABLE). SQLite takes SERIALIZABLE, READ UNCOMMITTED and
    /// AUTOCOMMIT: create_engine throws unsupported_error for the others.
    /// connection::set_isolation_level changes one connection until it returns to the pool.
    std::optional<reflorm::isolation> isolation_level{};
    /// The longest a statement may run before the server cancels it with operational_error:
    /// PostgreSQL's statement_timeout (ms), MariaDB's max_statement_time (s, to the ms).
    /// create_engine throws unsupported_error on SQLite, which has none.
    std::optional<std::chrono::milliseconds> statement_timeout{};
    /// How long opening a server connection may take (s): libpq's and Connector/C's
    /// connect_timeout, unless the URL's query gives one. Ignored on SQLite.
    std::optional<std::chrono::seconds> connect_timeout{};
    /// SQLite: begin every transaction (connection::begin(), the session's) with BEGIN IMMEDIATE,
    /// which takes the write lock at once and waits out the busy timeout for it. A deferred
    /// transaction that reads and then writes fails at once with "database is locked" when
    /// another connection writes meanwhile (SQLite cannot upgrade its lock without risking a
    /// deadlock); this is SQLite's documented answer. Other backends lock rows as they go.
    bool begin_immediate = false;
};

class connection;

namespace detail {

/// The execute listeners, replaced whole on each change so that a statement reads them with
/// one shared_ptr copy; `after` is null while no after listener is registered.
struct listener_set {
    std::vector<std::pair<std::size_t, execute_listener>> before;
    std::shared_ptr<const after_execute_listeners> after;
};

struct engine_state {
    reflorm::url url;
    reflorm::url open_url;  // url with engine_options::connect_timeout
    std::string setup_sql[2];  // run on each new connection: isolation level, statement timeout
    std::atomic<const sql::compiler*> dialect{nullptr};  // mysql until a connection finds MariaDB 10.5+
    engine_options options;
    std::shared_ptr<detail::pool> pool;  // shared with the connections checked out

    std::mutex mutex;  // guards the listeners
    // An in-memory SQLite database: its name in the memdb VFS, and a connection that keeps it
    // alive while the engine lives (never handed out).
    std::once_flag memory_once;
    std::string memory_name;
    std::unique_ptr<driver::connection> memory_anchor;
    std::unique_ptr<driver::connection> open();
    std::shared_ptr<const listener_set> listeners;  // null while none is registered
    std::size_t next_listener_id = 1;

    std::shared_ptr<pooled_connection> acquire();
    std::shared_ptr<const listener_set> current_listeners();
};

/// The listener engine_options::echo installs: the SQL, then its bound values (see echo).
void echo_statement(const execute_event& event);

}  // namespace detail

/// Owns the pool; cheap to copy (copies share one pool). Thread-safe; the connections it hands
/// out are not (use one per thread). An in-memory SQLite engine (`sqlite://`) is one database
/// shared by all its connections, each thread with its own connection, as for a file.
class engine {
public:
    /// A connection from the pool (see engine_options::pool_size): it returns there when the
    /// connection, and any transaction or result still using it, are destroyed, after a
    /// rollback of a transaction left open. A connection whose rollback fails, or that was
    /// found lost (a statement failed with operational_error as the server dropped it), is
    /// closed rather than returned. Throws operational_error when the database cannot be
    /// opened (the message never shows the password), timeout_error when
    /// pool_size + max_overflow connections are out and none returns within pool_timeout.
    connection connect();

    /// The dialect used to render SQL for this engine's backend.
    const sql::compiler& dialect() const noexcept { return *state_->dialect.load(std::memory_order_acquire); }

    /// Calls `listener` before every statement any connection of this engine runs (not for
    /// BEGIN/COMMIT/ROLLBACK), with its SQL, its number of parameter sets and, when the listener
    /// calls execute_event::parameters, its bound values (secret ones as '***'). Returns an id
    /// for remove_listener. Use it to count statements, or to see what a loader sent. What the
    /// listener throws propagates from the statement, which then does not run.
    std::size_t add_listener(execute_listener listener);
    /// Calls `listener` after every statement that add_listener's listeners see has run
    /// without error, with its SQL, values, duration and row count (after_execute_event), as
    /// SQLAlchemy's after_cursor_execute: for a slow-query log (docs/backends.md). A statement
    /// that throws fires none. A result's event fires when it is read to the end, closed or
    /// destroyed. What the listener throws is dropped. Returns an id for remove_listener.
    /// While none is registered, statements read no clock.
    std::size_t add_after_listener(after_execute_listener listener);
    /// Removes an execute, after-execute or pool listener; an unknown id is ignored.
    void remove_listener(std::size_t id);

    /// Calls `listener` on the pool's events, as SQLAlchemy's PoolEvents connect, checkout,
    /// checkin and invalidate (see pool_event): a connect listener may set up each new
    /// connection (`event.connection->execute("SET ...")`). What a connect or checkout listener
    /// throws propagates from connect() (the connection is closed or kept idle); what a checkin
    /// or invalidate listener throws is dropped (a connection returns from a destructor).
    /// Listeners run on the thread that checks out or returns, outside the pool's lock. Returns
    /// an id for remove_listener.
    std::size_t add_pool_listener(pool_listener listener);

    /// The pool's counts (size, checked out, overflow, idle), as SQLAlchemy's QueuePool;
    /// `.to_string()` gives its status() text.
    reflorm::pool_status pool_status() const;

    /// Closes the pool's idle connections, as SQLAlchemy's Engine.dispose(): connections
    /// checked out now stay usable and are closed when they return; later connect() calls open
    /// new ones. Use it after fork() or when the server's address changed. Unlike SQLAlchemy,
    /// whose dispose() starts a new pool, the connections still out count against
    /// pool_size + max_overflow until they return.
    void dispose() noexcept;

    /// The parsed URL this engine connects to.
    const reflorm::url& url() const noexcept { return state_->url; }

private:
    explicit engine(std::shared_ptr<detail::engine_state> state) : state_(std::move(state)) {}
    friend engine create_engine(std::string_view url, engine_options options);
    std::shared_ptr<detail::engine_state> state_;
};

/// Creates an engine for a database URL (see parse_url). No connection is opened until
/// connect(). Throws url_error for a malformed URL, and unsupported_error for a backend this
/// build cannot reach yet (PostgreSQL and MySQL are parsed and rendered, not yet connected).
engine create_engine(std::string_view url, engine_options options = {});

/// Counts statements run through an engine while it lives: `statement_counter n{engine}; ...; n.count()`.
class statement_counter {
public:
    explicit statement_counter(engine& e);
    ~statement_counter();
    statement_counter(const statement_counter&) = delete;
    statement_counter& operator=(const statement_counter&) = delete;

    std::size_t count() const noexcept { return *count_; }
    /// The SQL of every statement counted, in order.
    const std::vector<std::string>& statements() const noexcept { return *statements_; }

private:
    engine engine_;
    std::shared_ptr<std::size_t> count_ = std::make_shared<std::size_t>(0);
    std::shared_ptr<std::vector<std::string>> statements_ = std::make_shared<std::vector<std::string>>();
    std::size_t id_ = 0;
};

}  // namespace reflorm
