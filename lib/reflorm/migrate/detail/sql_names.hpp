#pragma once
// Names in the migrations' SQL, quoted by the dialect (compiler::identifier): shared by the
// renderers of operations, SQLite's batch mode and bulk_insert.
#include <reflorm/sql/compiler.hpp>

#include <string>
#include <vector>

namespace reflorm::migrate::detail {

inline bool is_mysql(sql::dialect_id d) { return d == sql::dialect_id::mysql || d == sql::dialect_id::mariadb; }

inline std::string quoted(const sql::compiler& dialect, const std::string& name) {
    std::string out;
    dialect.identifier(out, name);
    return out;
}

/// "(a, b, c)", each name quoted.
inline std::string name_list(const sql::compiler& dialect, const std::vector<std::string>& names) {
    std::string out = "(";
    for (std::size_t i = 0; i < names.size(); ++i) (out += i ? ", " : "") += quoted(dialect, names[i]);
    return out + ')';
}

}  // namespace reflorm::migrate::detail
