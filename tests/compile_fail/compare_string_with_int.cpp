// expect: reflorm: cannot compare these two types in SQL
// expect: strings with strings
// A std::string column compared with an int.
#include <reflorm/sql/select.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::select<Person>().where(reflorm::c<&Person::name> == 5);
