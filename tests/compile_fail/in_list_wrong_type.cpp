// expect: reflorm: cannot compare these two types in SQL
// expect: long int
// An integer column against a list of strings.
#include <reflorm/reflorm.hpp>
#include <cstdint>
#include <string>
#include <vector>

struct Person {
    std::int64_t id;
    std::string name;
};

const std::vector<std::string> names{"a"};
auto statement = reflorm::select<Person>().where(reflorm::c<&Person::id>.in_(names));
