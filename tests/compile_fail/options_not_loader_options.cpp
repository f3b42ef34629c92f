// expect: reflorm: the options() of a statement the session runs are loader options: joinedload, selectinload, subqueryload, raiseload, noload
// Anything else given to options() is refused where the session runs the statement.
#include <reflorm/orm.hpp>
#include <cstdint>

struct User {
    std::int64_t id;
};

void query(reflorm::session& s) { s.scalars(reflorm::select<User>().options(42)).all(); }
