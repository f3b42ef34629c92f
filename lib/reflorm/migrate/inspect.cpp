#include <reflorm/migrate/inspect.hpp>

namespace reflorm::migrate {

schema_model inspect(connection& c) {
    switch (c.dialect().id()) {
    case sql::dialect_id::sqlite: return detail::inspect_sqlite(c);
    case sql::dialect_id::postgresql: return detail::inspect_postgresql(c);
    case sql::dialect_id::mysql:
    case sql::dialect_id::mariadb: return detail::inspect_mysql(c);
    }
    return detail::inspect_sqlite(c);
}

}  // namespace reflorm::migrate
