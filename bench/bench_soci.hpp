#pragma once
// The SOCI contender's helpers: a session on the sqlite3 backend, opened as reflorm's driver
// opens SQLite (busy timeout, foreign keys on). SOCI 4.0.3 exchanges 64-bit integers as long long.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

namespace bench {

inline void open_soci(soci::session& sql, const std::string& path) {
    sql.open(*soci::factory_sqlite3(), "db=\"" + path + "\" timeout=5");
    sql << "PRAGMA foreign_keys = ON";
}

}  // namespace bench
