// expect: reflorm: a union is ordered by its result columns: this column is not selected by the union's first select
// A union's ORDER BY can name only its result columns.
#include <reflorm/sql/compound.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::union_(reflorm::select(reflorm::c<&Person::name>), reflorm::select(reflorm::c<&Person::name>))
                     .order_by(reflorm::c<&Person::id>);
