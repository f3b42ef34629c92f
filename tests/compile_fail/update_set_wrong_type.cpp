// expect: reflorm: cannot assign a value of this type to this column
// expect: assign numbers to number columns, strings to string columns
// A string assigned to an integer column in update().set().
#include <reflorm/sql/update.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
    std::int32_t age;
};

auto statement = reflorm::update<Person>().set(reflorm::c<&Person::age> = "forty").where(reflorm::c<&Person::id> == 1);
