// expect: reflorm: the selects of a union may not have ORDER BY, LIMIT or OFFSET
// expect: call order_by/limit/offset on the union instead
// SQLite rejects ORDER BY / LIMIT inside the members of a compound select.
#include <reflorm/sql/compound.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::union_all(reflorm::select(reflorm::c<&Person::name>).limit(3),
                                    reflorm::select(reflorm::c<&Person::name>));
