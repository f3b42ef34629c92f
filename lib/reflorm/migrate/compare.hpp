#pragma once
// The diff of two schemas, as Alembic's autogenerate (compare_metadata): what must change in the
// database for it to match the models.
#include <reflorm/migrate/operations.hpp>
#include <reflorm/sql/compiler.hpp>

#include <string>
#include <vector>

namespace reflorm::migrate {

/// compare()'s result: the operations, and warnings a person should read before using them.
struct schema_diff {
    std::vector<operation> operations;
    /// One per likely rename: a table or column was dropped and another of the same shape added.
    /// Renames cannot be told from drop + add (Alembic cannot either); each warning names the
    /// rename operation to write instead, which keeps the data.
    std::vector<std::string> warnings;
    bool empty() const noexcept { return operations.empty(); }
};

/// The operations that take `database` (inspect()) to `models` (from_models()) on `dialect`:
/// tables, columns (type by same_type, nullability, server default by same_server_default),
/// indexes (by name), unique constraints (by name and columns) and foreign keys (by name,
/// columns, referred table and columns, ON DELETE / ON UPDATE); on SQLite, which keeps no
/// constraint names, unique constraints and foreign keys by all but the name. Not compared, as Alembic does not: primary keys, autoincrement, check constraints.
/// On MySQL/MariaDB, an index the database made for a foreign key, and RESTRICT against NO
/// ACTION (the same there), are no changes.
///
/// Order is dependency-safe: foreign keys, unique constraints and indexes are dropped first, then
/// tables (referencing before referenced), then tables are created (referenced first) with their
/// indexes, columns added, altered and dropped, and last unique constraints, indexes and foreign
/// keys created. Tables and columns otherwise in the models' order. Never throws but std::bad_alloc.
schema_diff compare(const schema_model& models, const schema_model& database, sql::dialect_id dialect);

}  // namespace reflorm::migrate
