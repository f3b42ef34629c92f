// expect: reflorm: cannot compare these two types in SQL
// expect: numbers with numbers
// An integer column compared with a string literal.
#include <reflorm/sql/select.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::select<Person>().where(reflorm::c<&Person::id> == "text");
