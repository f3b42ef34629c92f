#pragma once
// Operations as SQL statements per dialect (Alembic's DDL implementations per dialect), with
// reflorm's quoting and the type names create_all writes. What SQLite's ALTER TABLE cannot do
// runs in batch mode, as Alembic's batch_alter_table "move and copy": the table is created anew
// under a temporary name, its rows copied, the old one dropped, the new one renamed and its
// indexes recreated. SQLite's procedure (sqlite.org/lang_altertable.html, "Making Other Kinds Of
// Table Schema Changes") also needs foreign keys off around the transaction and a
// foreign_key_check before COMMIT: the revision runner does that part.
#include <reflorm/migrate/operations.hpp>
#include <reflorm/sql/compiler.hpp>

#include <string>
#include <vector>

namespace reflorm::migrate {

/// Whether `op` needs SQLite's batch mode: alter_column, unique constraints, foreign keys and
/// primary keys added or dropped, add_column of a NOT NULL column without a default (or of a key), and
/// drop_column of a column in the primary key, an index, a unique constraint or a foreign key.
/// `table` is the table as it is before `op` (nullptr: none). False on other dialects.
bool needs_batch(const operation& op, const table_model* table, sql::dialect_id dialect);

/// The statements that carry out `op` on `dialect`, where `current` is the schema before it
/// (the table op alters is read from it: SQLite's batch mode recreates it; MariaDB's MODIFY
/// COLUMN restates the column). Types are written as the column models spell them; names
/// quoted by compiler::identifier. PostgreSQL changes a type with USING <column>::<type> when
/// the type family changes. Throws invalid_request_error when a batch operation names a table
/// `current` lacks.
std::vector<std::string> render(const operation& op, const sql::compiler& dialect, const schema_model& current);

/// `CREATE TABLE t (...)` of a table model, every constraint named where it has a name: the
/// primary key, unique constraints, foreign keys and, but on MySQL/MariaDB (which add their own
/// for JSON columns), check constraints (indexes are separate statements). `as_name`: the
/// table's name in the statement, when not its own (batch mode's temporary table).
std::string create_table_statement(const table_model& table, const sql::compiler& dialect, const std::string& as_name = {});

/// `CREATE [UNIQUE] INDEX name ON table (columns)`.
std::string create_index_statement(const std::string& table, const index_model& index, const sql::compiler& dialect);

}  // namespace reflorm::migrate
