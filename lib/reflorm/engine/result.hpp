#pragma once
// What connection::execute and session::execute return: SQLAlchemy 2.0's Result, a lazy input
// range over rows with all() / first() / one() / scalar_one() / partitions() / unique().
#include <reflorm/engine/after_execute.hpp>
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/row_reader.hpp>

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace reflorm {

namespace detail {
struct pooled_connection;

/// A move-only callable returning bool, taking one argument by address, of any type: what a
/// result calls for its next batch of rows and to filter rows. Not a std::function: that class
/// and its manager are instantiated for every row type (two per result<Row>, four per model in
/// a program that uses the session), which cost more to compile than the calls (issue 13).
class row_predicate {
public:
    row_predicate() noexcept = default;
    /// Calls `f(*static_cast<Arg*>(arg))`; `f` is moved in (never copied).
    template <class Arg, class F>
    static row_predicate of(F f) {
        row_predicate p;
        p.state_ = new F(std::move(f));
        p.call_ = &call<Arg, F>;
        p.drop_ = &drop<F>;
        return p;
    }
    /// Calls `call(state, arg)`, and `drop(state)` when destroyed: a predicate built by code
    /// compiled once (the session's yield_per batches).
    static row_predicate erased(void* state, bool (*call)(void*, const void*), void (*drop)(void*) noexcept) noexcept {
        row_predicate p;
        p.state_ = state;
        p.call_ = call;
        p.drop_ = drop;
        return p;
    }
    row_predicate(row_predicate&& o) noexcept
        : state_(std::exchange(o.state_, nullptr)), call_(std::exchange(o.call_, nullptr)), drop_(o.drop_) {}
    row_predicate& operator=(row_predicate&& o) noexcept {
        if (this != &o) {
            reset();
            state_ = std::exchange(o.state_, nullptr);
            call_ = std::exchange(o.call_, nullptr);
            drop_ = o.drop_;
        }
        return *this;
    }
    row_predicate(const row_predicate&) = delete;
    row_predicate& operator=(const row_predicate&) = delete;
    ~row_predicate() { reset(); }
    explicit operator bool() const noexcept { return call_ != nullptr; }
    /// `arg` is the address of an Arg, as given to of<Arg>().
    bool operator()(const void* arg) const { return call_(state_, arg); }
    void reset() noexcept {
        if (state_) drop_(state_);
        state_ = nullptr;
        call_ = nullptr;
    }

private:
    template <class Arg, class F>
    static bool call(void* state, const void* arg) {
        // Arg may be non-const (a batch to fill): it was given by the address of a non-const Arg.
        return (*static_cast<F*>(state))(*const_cast<Arg*>(static_cast<const Arg*>(arg)));
    }
    template <class F>
    static void drop(void* state) noexcept {
        delete static_cast<F*>(state);
    }
    void* state_ = nullptr;
    bool (*call_)(void*, const void*) = nullptr;
    void (*drop_)(void*) noexcept = nullptr;
};

template <class T>
inline constexpr bool is_handle = false;  // a row that is its own "no row" (nullptr, nullopt)
template <class T>
inline constexpr bool is_handle<std::shared_ptr<T>> = true;
template <class T>
inline constexpr bool is_handle<std::optional<T>> = true;
template <class T>
inline constexpr bool is_handle<T*> = true;

template <class Row>
struct first_column {
    static_assert(rows::is_tuple<Row>::value && std::tuple_size_v<Row> > 0,
                  "reflorm: scalar() and scalars() take the first column of a row of columns; the rows of "
                  "select<T>() are whole T objects: use first(), one() or all(), or select columns");
    using type = std::tuple_element_t<0, Row>;
};

/// What a result<Row> keeps of its statement whatever its rows: the cursor, the connection it
/// holds, the row count and the after-event watch. Not a template, compiled once
/// (engine/result.cpp): every result<Row> of a program shared one copy of this code, which had
/// been instantiated per row type (issue 13: a session program's results were 12% of its code).
class result_cursor {
public:
    result_cursor() = default;
    result_cursor(std::shared_ptr<pooled_connection> keep, driver::cursor& cursor, bool has_row, bool counts_rows,
                  const std::string* sql, statement_watch watch) noexcept
        : keep_(std::move(keep)), cursor_(&cursor), pending_(has_row), counts_rows_(counts_rows), sql_(sql),
          watch_(std::move(watch)) {}
    result_cursor(const result_cursor&) = delete;
    result_cursor& operator=(const result_cursor&) = delete;
    ~result_cursor();  // out of line: the watch's and connection's release is not inlined per row type

protected:
    /// Takes `other`'s statement over (release this one's first); `other` is left without one.
    void take(result_cursor& other) noexcept;
    /// Takes over where `other` reads (its cursor and connection), keeping this one's row count.
    void take_cursor(result_cursor& other) noexcept;
    /// Releases the statement (the rest of its rows are never read) and fires the after event.
    void close_cursor() noexcept;
    /// At the end of the cursor's rows: the row count, and the statement released.
    void finish();
    /// Steps to the next row of the cursor: false at the end (the statement released then).
    /// Throws database_error with the SQL attached (the statement released).
    bool step();
    /// Reading a row threw `e`: attaches the SQL and releases the statement; the caller rethrows.
    void failed(database_error& e);
    /// " for: <sql>", or nothing without SQL, for error messages.
    std::string where() const;
    /// Throws no_result_found for `what` (one()) with the SQL.
    [[noreturn]] void throw_no_row(const char* what) const;
    /// Throws multiple_results_found for `what` when `more`; releases the statement either way.
    void check_no_more(bool more, const char* what);

    std::shared_ptr<pooled_connection> keep_;  // the connection stays out of the pool
    driver::cursor* cursor_ = nullptr;          // while rows are read from it
    bool pending_ = false;                      // a row was stepped to and not read yet
    std::int64_t rowcount_ = -1;
    bool counts_rows_ = false;
    const std::string* sql_ = nullptr;
    statement_watch watch_;       // armed while an after listener waits for this statement
    std::int64_t delivered_ = 0;  // rows read from cursor_, for the after event
};
}  // namespace detail

/// A row or nothing: a std::shared_ptr or std::optional row is its own "nothing" (nullptr,
/// nullopt), as SQLAlchemy's None; any other row is wrapped in std::optional.
template <class Row>
using maybe_row = std::conditional_t<detail::is_handle<Row>, Row, std::optional<Row>>;

/// The rows of one statement, read as they are iterated (SQLAlchemy 2.0's Result / ScalarResult).
///
/// A Core result reads each row from the database cursor when asked, so it holds the statement
/// open and shares ownership of its database connection: a connection object closed before the
/// result does not return that database connection to the pool (it is closed when the result
/// is), and running the same statement again meanwhile prepares a second copy of it. The session's
/// results of objects are read in full first (the identity map and the loader options need every
/// row), as SQLAlchemy's ORM results are, unless execution option yield_per reads them a batch
/// at a time. Every method that returns rows consumes them: a result
/// is read once. Not thread-safe: use it on its connection's thread.
///
/// Methods throw database_error subclasses when the database fails while rows are read (the
/// error carries the SQL), and no_result_found / multiple_results_found as SQLAlchemy's
/// NoResultFound / MultipleResultsFound.
template <class Row>
class result : private detail::result_cursor {
public:
    using value_type = Row;
    using reader = Row (*)(driver::cursor&);

    result() = default;
    /// Rows read from `cursor` by `read`, the first one already stepped to when `has_row`;
    /// `counts_rows` for DML with RETURNING (rowcount() is known after the last row). `sql`
    /// must outlive the result (statement texts are cached for the program's life). `watch`
    /// fires the statement's after event when the rows end or the result is closed.
    result(std::shared_ptr<detail::pooled_connection> keep, driver::cursor& cursor, reader read, bool has_row, bool counts_rows,
           const std::string* sql, detail::statement_watch watch = {})
        : result_cursor(std::move(keep), cursor, has_row, counts_rows, sql, std::move(watch)), read_(read) {
        if (!has_row) finish();
    }
    /// A result of rows read already (the session's objects).
    explicit result(std::vector<Row> rows) : buffer_(std::move(rows)) {}
    /// Then of the batches `more` (bool(std::vector<Row>&), moved in) adds to its (emptied)
    /// argument while it returns true (map_rows over rows still to be read, yield_per).
    template <class More>
    result(std::vector<Row> rows, More more)
        : buffer_(std::move(rows)), more_(detail::row_predicate::of<std::vector<Row>>(std::move(more))) {}
    /// The same with `more` called with the address of a std::vector<Row>.
    result(std::vector<Row> rows, detail::row_predicate more) : buffer_(std::move(rows)), more_(std::move(more)) {}
    /// A result of no rows, for a statement that changed `rowcount` rows (UPDATE, DELETE).
    static result of_rowcount(std::int64_t rowcount) {
        result r;
        r.rowcount_ = rowcount;
        return r;
    }

    result(result&& other) noexcept { *this = std::move(other); }
    result& operator=(result&& other) noexcept {
        if (this != &other) {
            close();
            take(other);
            read_ = other.read_;
            buffer_ = std::move(other.buffer_);
            next_ = std::exchange(other.next_, 0);
            more_ = std::move(other.more_);
            filter_ = std::move(other.filter_);
            current_ = std::move(other.current_);
        }
        return *this;
    }
    result(const result&) = delete;
    result& operator=(const result&) = delete;
    ~result() { close(); }

    /// Rows an UPDATE or DELETE changed (an INSERT's rows written); -1 for a select, and for a
    /// statement with RETURNING until its rows have been read to the end. SQLAlchemy's rowcount.
    std::int64_t rowcount() const noexcept { return rowcount_; }
    /// Releases the statement (the rest of its rows are never read). Destruction does it too.
    void close() noexcept {
        close_cursor();
        buffer_.clear();
        more_.reset();
    }

    // ---- rows ------------------------------------------------------------------------------

    /// The next row, or nothing when every row has been read. SQLAlchemy's fetchone().
    maybe_row<Row> fetchone() {
        if (std::optional<Row> row = next()) return maybe_row<Row>(std::move(*row));
        return maybe_row<Row>();
    }
    /// Up to `n` next rows (fewer at the end, none after it). SQLAlchemy's fetchmany(n).
    std::vector<Row> fetchmany(std::size_t n) {
        std::vector<Row> out;
        out.reserve(std::min<std::size_t>(n, 1024));  // n may be far more than there are rows
        while (out.size() < n) {
            std::optional<Row> row = next();
            if (!row) break;
            out.push_back(std::move(*row));
        }
        return out;
    }
    /// Every remaining row, in order. SQLAlchemy's all().
    std::vector<Row> all() {
        std::vector<Row> out;
        if (!filter_ && !cursor_ && next_ == 0 && !more_) return std::exchange(buffer_, {});
        if (cursor_ && !filter_) out.reserve(cursor_->buffered_rows());  // no regrowth, each row moved once
        while (std::optional<Row> row = next()) out.push_back(std::move(*row));
        return out;
    }
    /// The first row, or nothing; the rest are discarded. SQLAlchemy's first().
    maybe_row<Row> first() {
        maybe_row<Row> row = fetchone();
        close();
        return row;
    }
    /// The only row. Throws no_result_found when there is none, multiple_results_found when
    /// there are more. SQLAlchemy's one().
    Row one() {
        std::optional<Row> row = next();
        if (!row) throw_no_row("one()");
        check_no_more(next().has_value(), "one()");
        return std::move(*row);
    }
    /// The only row, or nothing. Throws multiple_results_found when there are more.
    maybe_row<Row> one_or_none() {
        std::optional<Row> row = next();
        if (!row) return maybe_row<Row>();
        check_no_more(next().has_value(), "one_or_none()");
        return maybe_row<Row>(std::move(*row));
    }

    // ---- the first column ------------------------------------------------------------------

    /// The first column of the first row, or nothing; the rest are discarded. A nullable
    /// column's NULL is nothing too, as SQLAlchemy's None. SQLAlchemy's scalar().
    auto scalar() {
        using E = typename detail::first_column<Row>::type;
        std::optional<Row> row = next();
        close();
        if (!row) return maybe_row<E>();
        return maybe_row<E>(std::get<0>(std::move(*row)));
    }
    /// The first column of the only row. Throws as one().
    auto scalar_one() {
        using E = typename detail::first_column<Row>::type;
        return E(std::get<0>(one()));
    }
    /// The first column of the only row, or nothing. Throws as one_or_none().
    auto scalar_one_or_none() {
        using E = typename detail::first_column<Row>::type;
        std::optional<Row> row = next();
        if (!row) return maybe_row<E>();
        check_no_more(next().has_value(), "scalar_one_or_none()");
        return maybe_row<E>(std::get<0>(std::move(*row)));
    }
    /// This result's first columns as rows of their own: SQLAlchemy's scalars(). Consumes this
    /// result (read the rows from the one returned).
    auto scalars() { return columns<0>(); }
    /// Rows of the columns `I...` of this one's, in that order (std::tuple), as SQLAlchemy's
    /// columns(); a single index gives rows of that column's type. Consumes this result.
    template <std::size_t... I>
    auto columns() {
        static_assert(rows::is_tuple<Row>::value && sizeof...(I) > 0,
                      "reflorm: columns<I...>() picks columns from rows of columns (std::tuple) by index");
        constexpr std::size_t first = std::array<std::size_t, sizeof...(I)>{I...}[0];
        using out_row = std::conditional_t<sizeof...(I) == 1, std::tuple_element_t<first, Row>, std::tuple<std::tuple_element_t<I, Row>...>>;
        const auto pick = [](Row&& row) -> out_row {
            if constexpr (sizeof...(I) == 1) return std::get<I...>(std::move(row));
            else return out_row(std::get<I>(std::move(row))...);
        };
        if constexpr (sizeof...(I) == 1 && ((I == 0) && ...) && std::tuple_size_v<Row> == 1) {
            // One column read as it is: no tuple built per row.
            if (cursor_ && !filter_) return result<out_row>(std::move(*this), &rows::read_column<out_row, 0>);
        }
        return map_rows<out_row>(pick);
    }

    /// Drops rows equal to one returned before (objects: the same object), as SQLAlchemy's
    /// unique(). Keeps every row seen in memory. Consumes this result.
    result unique() {
        static_assert(requires(const Row& row) { boost::hash<Row>{}(row); row == row; },
                      "reflorm: unique() compares whole rows: it takes rows of columns (std::tuple) or objects "
                      "(std::shared_ptr), whose values reflorm can hash");
        result out = std::move(*this);
        auto seen = std::make_shared<boost::unordered_flat_set<Row, boost::hash<Row>>>();
        auto inner = std::move(out.filter_);
        out.filter_ = detail::row_predicate::of<const Row>(
            [seen, inner = std::move(inner)](const Row& row) { return (!inner || inner(&row)) && seen->insert(row).second; });
        return out;
    }

    /// The rows in lists of up to `n` (the last may be shorter), read one list at a time:
    /// SQLAlchemy's partitions(n). Consumes this result. Throws invalid_request_error for n 0.
    class partition_range;
    partition_range partitions(std::size_t n) {
        if (n == 0) throw invalid_request_error("reflorm: partitions(n) needs n of at least 1 row");
        return partition_range(std::move(*this), n);
    }

    /// This result's rows through `f` (Row&& -> Out), as a result of Out rows; rows not read
    /// yet are mapped as they are read. Consumes this result.
    template <class Out, class F>
    result<Out> map_rows(F f) {
        std::vector<Out> rows;
        if (!cursor_) {
            rows.reserve(buffer_.size() - next_);
            for (std::size_t i = next_; i < buffer_.size(); ++i)
                if (!filter_ || filter_(&buffer_[i])) rows.push_back(f(std::move(buffer_[i])));
            next_ = buffer_.size();
            if (!more_) {
                close();
                return result<Out>(std::move(rows));
            }
        }
        // Rows still to be read: map them as they come. (Held by value: the callback is moved,
        // never copied, so no std::shared_ptr<result> is instantiated per row type.)
        return result<Out>(std::move(rows), [source = std::move(*this), f](std::vector<Out>& batch) mutable {
            // 1024 rows of a cursor at a time; a source of batches (yield_per) one of its batches
            // at a time, so that each is read as the caller reaches it.
            for (std::size_t n = 0;; ++n) {
                if (n > 0 && (source.cursor_ ? n >= 1024 : source.next_ == source.buffer_.size())) return true;
                std::optional<Row> row = source.next();
                if (!row) return !batch.empty();
                batch.push_back(f(std::move(*row)));
            }
        });
    }

    // ---- iteration: for (auto& row : connection.execute(statement)) ------------------------

    class iterator {
    public:
        using value_type = Row;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        Row& operator*() const { return *result_->current_; }
        Row* operator->() const { return &*result_->current_; }
        iterator& operator++() {
            result_->current_ = result_->next();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& i, std::default_sentinel_t) { return i.at_end(); }

    private:
        friend class result;
        explicit iterator(result* r) : result_(r) {}
        bool at_end() const { return !result_ || !result_->current_; }
        result* result_ = nullptr;
    };
    /// Starts reading; call once (a result is an input range).
    iterator begin() {
        current_ = next();
        return iterator(this);
    }
    std::default_sentinel_t end() const noexcept { return {}; }

private:
    template <class>
    friend class result;

    /// Reads on from where `from` is, with `read`.
    template <class Other>
    result(result<Other>&& from, reader read) : read_(read) {
        take_cursor(from);
    }

    /// The next row that passes the filter, or nullopt at the end (the statement is released).
    std::optional<Row> next() {
        for (;;) {
            std::optional<Row> row = next_unfiltered();
            if (!row || !filter_ || filter_(&*row)) return row;
        }
    }
    std::optional<Row> next_unfiltered() {
        if (cursor_) {
            if (!step()) return std::nullopt;
            try {
                return read_(*cursor_);
            } catch (database_error& e) {
                failed(e);
                close();
                throw;
            }
        }
        if (next_ == buffer_.size() && more_) {
            buffer_.clear();
            next_ = 0;
            if (!more_(&buffer_)) more_.reset();
        }
        if (next_ < buffer_.size()) return std::move(buffer_[next_++]);
        return std::nullopt;
    }
    void check_no_more(bool more, const char* what) {
        buffer_.clear();
        more_.reset();
        result_cursor::check_no_more(more, what);
    }

    reader read_ = nullptr;
    std::vector<Row> buffer_;
    std::size_t next_ = 0;
    detail::row_predicate more_;    // bool(std::vector<Row>&)
    detail::row_predicate filter_;  // bool(const Row&)
    std::optional<Row> current_;  // the iterator's row
};

template <class Row>
class result<Row>::partition_range {
public:
    class iterator {
    public:
        using value_type = std::vector<Row>;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        std::vector<Row>& operator*() const { return range_->current_; }
        iterator& operator++() {
            range_->current_ = range_->source_.fetchmany(range_->n_);
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& i, std::default_sentinel_t) { return i.at_end(); }

    private:
        friend class partition_range;
        explicit iterator(partition_range* r) : range_(r) {}
        bool at_end() const { return !range_ || range_->current_.empty(); }
        partition_range* range_ = nullptr;
    };
    iterator begin() {
        current_ = source_.fetchmany(n_);
        return iterator(this);
    }
    std::default_sentinel_t end() const noexcept { return {}; }

private:
    friend class result;
    partition_range(result&& source, std::size_t n) : source_(std::move(source)), n_(n) {}
    result source_;
    std::size_t n_;
    std::vector<Row> current_;
};

}  // namespace reflorm
