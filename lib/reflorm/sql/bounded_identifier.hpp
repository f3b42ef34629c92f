#pragma once
// The length bound of the names reflorm makes for constraints and indexes (create_all's DDL and
// the migrations' naming convention), shared so that both make the same name.
#include <string>

namespace reflorm::sql {

/// `name` when it has at most 63 characters (PostgreSQL's limit, which truncates longer names
/// silently; MariaDB's is 64 and refuses longer ones); else its first 54 characters, '_' and 8
/// hexadecimal digits of its FNV-1a hash, as SQLAlchemy shortens a naming convention's long
/// names (with md5 there).
std::string bounded_identifier(std::string name);

}  // namespace reflorm::sql
