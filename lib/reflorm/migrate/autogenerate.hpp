#pragma once
// Writes a revision's C++ source from compare()'s operations, as Alembic's autogenerate renders
// a revision script: upgrade() holds the operations as op.* calls, downgrade() their reverses in
// reverse order; a person reads and edits it before running it.
#include <reflorm/migrate/operations.hpp>
#include <reflorm/migrate/revision.hpp>

#include <string>
#include <vector>

namespace reflorm::migrate {

/// The op.* call that carries out `op`: `op.add_column("country", reflorm::migrate::column(...))`
/// (no indentation, no trailing ';'). Types are written portably (portable_type).
std::string operation_cpp(const operation& op);

/// A revision source file: a comment header (id, revises, create date, message, and `warnings`
/// as comments), upgrade() with `operations` and downgrade() with their reverses, and the
/// registration object. `header`'s upgrade and downgrade are ignored.
std::string revision_source(const revision& header, const std::vector<operation>& operations, const std::vector<std::string>& warnings = {});

/// A new revision id: 12 random hexadecimal digits, as Alembic's.
std::string new_revision_id();

}  // namespace reflorm::migrate
