#pragma once
// The three dialects. Each is a stateless sql::compiler override that lives for the whole program.
#include <reflorm/sql/compiler.hpp>

namespace reflorm::dialect {

/// SQLite 3.35 or later: `?` placeholders, RETURNING, affinity type names.
const sql::compiler& sqlite();
/// PostgreSQL: `$1` placeholders, identity columns, BYTEA.
const sql::compiler& postgresql();
/// MySQL (and MariaDB before 10.5): backquoted identifiers, AUTO_INCREMENT, no RETURNING, no
/// DEFERRABLE.
const sql::compiler& mysql();
/// MariaDB 10.5 or later: MySQL's dialect with INSERT ... RETURNING and DELETE ... RETURNING
/// (not UPDATE). An engine on a mysql:// or mariadb:// URL switches to it when its first
/// connection reaches such a server.
const sql::compiler& mariadb();

/// The dialect with this id.
const sql::compiler& for_id(sql::dialect_id id);

}  // namespace reflorm::dialect
