// expect: reflorm: sum() and avg() take a numeric expression
// sum() over a string column.
#include <reflorm/reflorm.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::select(reflorm::sum(reflorm::c<&Person::name>));
