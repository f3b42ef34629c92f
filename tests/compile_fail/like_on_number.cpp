// expect: reflorm: like() and ilike() apply to string expressions only
// LIKE on an integer column.
#include <reflorm/reflorm.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::select<Person>().where(reflorm::c<&Person::id>.like("1%"));
