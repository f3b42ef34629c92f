#include <reflorm/dialect/dialect.hpp>
#include <reflorm/sql/str.hpp>

namespace reflorm::dialect {

const sql::compiler& for_id(sql::dialect_id id) {
    switch (id) {
    case sql::dialect_id::sqlite: return sqlite();
    case sql::dialect_id::postgresql: return postgresql();
    case sql::dialect_id::mysql: return mysql();
    case sql::dialect_id::mariadb: return mariadb();
    }
    return sqlite();
}

}  // namespace reflorm::dialect

// Declared in the sql layer, which cannot name a dialect: the dialect sql::str() renders for.
const reflorm::sql::compiler& reflorm::sql::readable_dialect() { return reflorm::dialect::sqlite(); }
