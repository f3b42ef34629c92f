#pragma once
// CREATE / DROP statements for a model's table, rendered from its table_info.
#include <reflorm/sql/compiler.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace reflorm::sql {

/// The type create_table_sql gives `column` of `table`: the dialect's type_name, told whether the
/// column is in a key, unique constraint, index or foreign key (MySQL keys strings as VARCHAR(255)).
std::string column_type_sql(const compiler& dialect, const schema::table_info& table, const schema::column_info& column);

/// `CREATE TABLE [IF NOT EXISTS] t (...)` with column types, NOT NULL, DEFAULT, then the
/// constraints, each named so that migrations can drop them by name: `CONSTRAINT <table>_pkey
/// PRIMARY KEY` (PostgreSQL's own name, by whose suffix its driver tells a primary key violation
/// from another unique one), and as SQLAlchemy's recommended naming convention `CONSTRAINT uq_<table>_<columns>
/// UNIQUE` (single-column ones in column order, then the multi-column ones) and `CONSTRAINT
/// fk_<table>_<columns> FOREIGN KEY`. (MySQL names every primary key PRIMARY; SQLite keeps no
/// foreign key names in its catalog.)
/// The foreign keys whose bits are set in `deferred_keys` (bit k: table.foreign_keys[k]) are
/// left out, for add_foreign_key_sql to add once every table exists.
std::string create_table_sql(const compiler& dialect, const schema::table_info& table, bool if_not_exists = true,
                             std::uint64_t deferred_keys = 0);

/// The name reflorm gives a foreign key: fk_<table>_<columns>.
std::string foreign_key_name(const schema::table_info& table, std::size_t key);
/// The name reflorm gives a primary key: <table>_pkey.
std::string primary_key_name(const schema::table_info& table);
/// `ALTER TABLE t ADD CONSTRAINT fk_... FOREIGN KEY(...) REFERENCES ...` for table.foreign_keys[key].
std::string add_foreign_key_sql(const compiler& dialect, const schema::table_info& table, std::size_t key);
/// `ALTER TABLE IF EXISTS t DROP CONSTRAINT IF EXISTS fk_...` (MariaDB: DROP FOREIGN KEY); on
/// MySQL 8, without either IF EXISTS (see compiler::drop_foreign_key_if_exists).
std::string drop_foreign_key_sql(const compiler& dialect, const schema::table_info& table, std::size_t key);
/// For tables in creation order (sort_by_dependency), per table the bits of its foreign keys
/// that reference a table created after it: the keys that close a reference cycle.
std::vector<std::uint64_t> forward_foreign_keys(std::span<const schema::table_info* const> order);

/// One `CREATE INDEX ix_<table>_<columns> ON t (...)` per index of the table, named as
/// SQLAlchemy's default naming convention does.
std::vector<std::string> create_index_sql(const compiler& dialect, const schema::table_info& table,
                                          bool if_not_exists = true);

/// `DROP TABLE [IF EXISTS] t`.
std::string drop_table_sql(const compiler& dialect, const schema::table_info& table, bool if_exists = true);

/// Where dependency_order breaks a reference cycle, once no table is left whose references
/// all lead to tables already placed (or to itself, or outside `tables`).
enum class cycle_break {
    /// At the first table whose unplaced references all lead back to it: a member of a cycle
    /// that no other table holds back (create_all adds the closing keys by ALTER TABLE).
    cycle_member,
    /// At the first table whose unplaced references are all nullable keys (a flush inserts its
    /// rows with those keys NULL and a post-update fills them in).
    nullable_keys,
};

/// The one foreign-key sort, for DDL and for a flush alike: the positions of `tables` in an
/// order where every table comes after the tables its foreign keys reference (self-references
/// ignored), otherwise in the given order. A cycle is broken as `at` says; where that finds no
/// table either, at the first unplaced table.
std::vector<std::size_t> dependency_order(std::span<const schema::table_info* const> tables, cycle_break at);

/// The tables in dependency_order(tables, cycle_break::cycle_member): tables in a reference
/// cycle keep their given relative order where they can; their foreign keys must then be
/// DEFERRABLE, inserted in one transaction, or added after the tables.
std::vector<const schema::table_info*> sort_by_dependency(std::span<const schema::table_info* const> tables);

}  // namespace reflorm::sql
