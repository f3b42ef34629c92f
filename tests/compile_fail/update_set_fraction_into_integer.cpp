// expect: reflorm: assigning a floating-point value to an integer column would drop its fraction
// A double assigned to an integer column: the fraction would be lost (or, in SQLite, a REAL
// stored in an INTEGER column).
#include <reflorm/sql/update.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::int32_t age;
};

auto statement = reflorm::update<Person>().set(reflorm::c<&Person::age> = 40.5);
