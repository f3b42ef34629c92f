// expect: reflorm: every select of a union must return the same row type as the first
// The selects of a union must return rows of one type.
#include <reflorm/sql/compound.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::union_(reflorm::select(reflorm::c<&Person::id>), reflorm::select(reflorm::c<&Person::name>));
