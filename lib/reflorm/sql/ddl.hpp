#pragma once
// CREATE / DROP statements for a model's table, rendered from its table_info.
#include <reflorm/sql/compiler.hpp>

#include <span>
#include <string>
#include <vector>

namespace reflorm::sql {

/// `CREATE TABLE [IF NOT EXISTS] t (...)` with column types, NOT NULL, DEFAULT, single-column
/// UNIQUE, the PRIMARY KEY, multi-column UNIQUE constraints and FOREIGN KEYs.
std::string create_table_sql(const compiler& dialect, const schema::table_info& table, bool if_not_exists = true);

/// One `CREATE INDEX ix_<table>_<columns> ON t (...)` per index of the table, named as
/// SQLAlchemy's default naming convention does.
std::vector<std::string> create_index_sql(const compiler& dialect, const schema::table_info& table,
                                          bool if_not_exists = true);

/// `DROP TABLE [IF EXISTS] t`.
std::string drop_table_sql(const compiler& dialect, const schema::table_info& table, bool if_exists = true);

/// The tables ordered so that every table comes after the tables its foreign keys reference
/// (self-references ignored). Tables in a reference cycle keep their given relative order;
/// their foreign keys must then be DEFERRABLE or inserted in one transaction.
std::vector<const schema::table_info*> sort_by_dependency(std::span<const schema::table_info* const> tables);

}  // namespace reflorm::sql
