#pragma once
// Column types and server defaults normalised per dialect, and compared without false changes,
// as Alembic's compare_type / compare_server_default with each dialect's own rules: SQLite
// compares type families only (INTEGER, BIGINT and INT share one affinity, VARCHAR(n) keeps no
// length); PostgreSQL spells int4 / integer, int8 / bigint, varchar / character varying and
// timestamp without time zone alike; MariaDB's int(11) display widths mean nothing, tinyint(1) is
// its BOOLEAN and JSON is a LONGTEXT alias.
#include <reflorm/migrate/schema_model.hpp>
#include <reflorm/sql/compiler.hpp>

#include <string>
#include <string_view>

namespace reflorm::migrate {

/// The normalised type of a column declared as `declared` ("VARCHAR(40)", "character varying(40)",
/// "bigint(20) unsigned", "timestamp(0) with time zone") on `dialect`. Never throws: a name it does
/// not know is type_family::other, its `name` kept as declared (trimmed) and compared by its
/// lower-case words without arguments (`other_words`: "ENUM('a')" is "enum"). A timestamp without
/// precision gets the dialect's default (PostgreSQL 6 digits, MySQL/MariaDB 0).
sql_type parse_type(sql::dialect_id dialect, std::string_view declared);

/// Whether a column declared as `model` in the models and found as `database` in the database
/// need no ALTER on `dialect` (see the rules in this header's opening comment).
bool same_type(const sql_type& model, const sql_type& database, sql::dialect_id dialect);

/// A DEFAULT's SQL text reduced to what the server means by it, for comparison: outer
/// parentheses and PostgreSQL ::casts removed, keywords lower-cased (not '...' literals), NULL
/// as no default, now() / current_timestamp() as current_timestamp.
std::string normalise_server_default(std::string_view sql);

/// Whether two DEFAULT texts mean the same default (normalise_server_default of each is equal).
bool same_server_default(std::string_view model, std::string_view database);

}  // namespace reflorm::migrate
