// expect: reflorm: arithmetic needs numbers on both sides
// expect: only + applies to strings
// expect: std::__cxx11::basic_string<char>
// A std::string column multiplied by a number.
#include <reflorm/reflorm.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::select(reflorm::c<&Person::name> * 2);
