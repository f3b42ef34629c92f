// expect: reflorm: only the column of a std::optional member can be set to NULL
// std::nullopt assigned to a member that is not std::optional.
#include <reflorm/sql/update.hpp>
#include <cstdint>
#include <optional>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto statement = reflorm::update<Person>().set(reflorm::c<&Person::name> = std::nullopt);
