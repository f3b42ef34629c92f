// expect: reflorm: having() needs group_by() first
#include <reflorm/reflorm.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::select(reflorm::c<&Person::name>).having(reflorm::count() > 1);
