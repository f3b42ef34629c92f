#pragma once
// What an operation does to a schema, without a database: the table SQLite's batch mode
// creates, and the schema an offline (--sql) run tracks between operations, as Alembic's batch
// mode and offline mode each keep a copy of the table they alter.
#include <reflorm/migrate/operations.hpp>

namespace reflorm::migrate {

/// `table` after `op` (an operation on that table: add/drop/alter/rename column, index, unique
/// constraint, foreign key, primary key). Dropping a column drops the indexes and constraints
/// holding it; renaming one renames it in them. Throws invalid_request_error when `op` names a
/// column, index or constraint `table` lacks, or creates a primary key where there is one.
table_model apply_to_table(const table_model& table, const operation& op);

/// `schema` after `op`; a renamed table or column is renamed in the foreign keys referring to it.
/// Throws invalid_request_error when `op` names a table `schema` lacks, or creates (renames to)
/// one it has, or as apply_to_table.
void apply_operation(schema_model& schema, const operation& op);

/// The table `op` works on ("" for none).
const std::string& table_of(const operation& op);

}  // namespace reflorm::migrate
