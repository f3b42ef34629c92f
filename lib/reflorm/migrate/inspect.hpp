#pragma once
// Reads a live database's schema into a schema_model, as SQLAlchemy's Inspector (what Alembic's
// autogenerate reflects): tables, columns, primary key, unique constraints, indexes, foreign keys
// and, on PostgreSQL and MariaDB, check constraints.
#include <reflorm/engine/connection.hpp>
#include <reflorm/migrate/schema_model.hpp>

namespace reflorm::migrate {

/// The tables of the connection's database (SQLite: the main database; PostgreSQL: the
/// current_schema(); MariaDB: DATABASE()), by name, each with its columns in declaration order.
/// Leaves out SQLite's own sqlite_* tables and reflorm_version (the migrations' version table).
/// Names are the database's: generated ones for constraints create_all left unnamed
/// (sqlite_autoindex_t_1, t_c_key, t_ibfk_1), the naming convention's where reflorm named them.
/// Column types are parsed with parse_type. Catalogs are read with bound text() statements.
/// Throws database_error when a catalog query fails.
schema_model inspect(connection& c);

namespace detail {
schema_model inspect_sqlite(connection& c);
schema_model inspect_postgresql(connection& c);
schema_model inspect_mysql(connection& c);
/// SQLite: `schema`'s views and triggers, and the CREATE text of its partial and expression
/// indexes, read again from sqlite_master (what batch mode recreates; a RENAME COLUMN or an
/// op.execute earlier in the revision may have changed them).
void refresh_sqlite_objects(connection& c, schema_model& schema);
/// MySQL/MariaDB: the comment, character set, collation and ON UPDATE of `table`'s `column`,
/// read again from information_schema.COLUMNS (what MODIFY COLUMN must restate).
void refresh_mysql_column(connection& c, table_model& table, const std::string& column);
}  // namespace detail

}  // namespace reflorm::migrate
