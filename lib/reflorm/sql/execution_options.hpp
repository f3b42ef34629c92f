#pragma once
// Execution options a statement carries to whoever runs it, as SQLAlchemy's
// Executable.execution_options(): `select<User>().execution_options({.populate_existing = true})`.
#include <cstddef>
#include <optional>

namespace reflorm::sql {

/// Each option is unset (std::nullopt) unless given; a later execution_options() call sets the
/// options it gives and keeps the others, as SQLAlchemy's.
struct execution_options {
    /// The session's rows overwrite the objects it holds (discarding unflushed column changes)
    /// and expire their loaded relationships, which the statement's loader options reload.
    /// SQLAlchemy's populate_existing.
    std::optional<bool> populate_existing;
    /// These options with those `more` sets replacing them.
    execution_options merged(const execution_options& more) const {
        execution_options out = *this;
        if (more.populate_existing) out.populate_existing = more.populate_existing;
        return out;
    }
};

}  // namespace reflorm::sql

namespace reflorm {
using sql::execution_options;
}
