#pragma once
// SQLite's batch mode ("move and copy"), as Alembic's batch_alter_table and SQLite's own
// procedure (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"): the
// table as the operation leaves it is created under a temporary name, the rows copied, the old
// table dropped and the new one renamed, then its indexes, its triggers and the views and
// triggers that read it are created again from the SQL sqlite_master kept.
#include <reflorm/migrate/operations.hpp>
#include <reflorm/sql/compiler.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace reflorm::migrate {

/// The statements of `op` on `before` (a table of `schema`) in batch mode. Views and triggers
/// that name the table (and views and triggers that name those views) are dropped before the
/// move and created again after it, in their order of creation; AUTOINCREMENT and the
/// sqlite_sequence value are kept. Throws migration_error when the operation drops a column that
/// a CHECK constraint, a partial or expression index, a trigger or a view names (the message
/// names the object: drop it first, or drop and recreate it around the change).
std::vector<std::string> sqlite_batch(const operation& op, const table_model& before, const schema_model& schema, const sql::compiler& dialect);

/// Whether SQL text `sql` names `name` outside its string literals (identifiers compared as
/// SQLite does, ignoring case; a quoted "name" counts too).
bool sql_names(std::string_view sql, std::string_view name);

}  // namespace reflorm::migrate
