#pragma once
// Execution options a statement carries to whoever runs it, as SQLAlchemy's
// Executable.execution_options(): `select<User>().execution_options({.populate_existing = true})`.
#include <cstddef>
#include <optional>

namespace reflorm::sql {

/// Each option is unset (std::nullopt) unless given; a later execution_options() call sets the
/// options it gives and keeps the others, as SQLAlchemy's. Every member has an initializer, so
/// that `{.stream_results = true}` leaves the others out without GCC 12's
/// -Wmissing-field-initializers.
struct execution_options {
    /// The session's rows overwrite the objects it holds (discarding unflushed column changes)
    /// and expire their loaded relationships, which the statement's loader options reload.
    /// SQLAlchemy's populate_existing.
    std::optional<bool> populate_existing{};
    /// Rows come from the server as the result is read, in constant client memory, instead of
    /// the whole result being buffered first (PostgreSQL: libpq's single-row mode; MariaDB: an
    /// unbuffered mysql_stmt fetch; SQLite always reads so). While such a result is open, its
    /// connection runs nothing else (invalid_request_error): read it to the end or close() it.
    /// SQLAlchemy's stream_results. See docs/queries.md, "Results".
    std::optional<bool> stream_results{};
    /// The session's objects this query reads, those of its loader options too, get no
    /// snapshot of their columns (one copy of every value less per row): their column changes
    /// are never written, a flush takes their current values as the database's, and a rollback
    /// leaves them as they are (expired). Changing such an object's primary key is an error at
    /// the next flush (invalid_request_error). A later query without read_only overwrites the
    /// object with its row and tracks it from then on; objects the session already tracks stay
    /// tracked. No SQLAlchemy equivalent (its Query.enable_assertions is unrelated).
    std::optional<bool> read_only{};
    /// A session's select<T>() reads its rows n at a time (n rows, at least 1): each batch is
    /// materialized and its loader options run over it (one selectin query per batch), and
    /// when the caller moves on to the next batch (or closes the result) the batch's objects,
    /// and those its loader options loaded, leave the session (detached; get() queries again)
    /// and are freed once no handle refers to them, so that memory stays flat over any number
    /// of rows. Implies stream_results, unless the statement's loader options (or the model's
    /// default loaders) query per batch, which a streamed connection could not run. Changes
    /// to a batch's objects must be flushed before moving on. Throws invalid_request_error for
    /// n 0, and with joinedload or subqueryload (use selectinload). SQLAlchemy's yield_per
    /// (which also refuses collection joinedload and subqueryload). See docs/queries.md.
    std::optional<std::size_t> yield_per{};
    /// These options with those `more` sets replacing them.
    execution_options merged(const execution_options& more) const {
        execution_options out = *this;
        if (more.populate_existing) out.populate_existing = more.populate_existing;
        if (more.stream_results) out.stream_results = more.stream_results;
        if (more.read_only) out.read_only = more.read_only;
        if (more.yield_per) out.yield_per = more.yield_per;
        return out;
    }
};

}  // namespace reflorm::sql

namespace reflorm {
using sql::execution_options;
}
