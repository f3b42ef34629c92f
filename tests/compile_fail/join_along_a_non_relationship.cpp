// expect: reflorm: join<&Model::member>() and outer_join<&Model::member>() take a relationship member
// User::name is a column, not a relationship: there is no foreign key to join along.
#include <reflorm/orm.hpp>
#include <cstdint>
#include <string>

struct User {
    std::int64_t id;
    std::string name;
};

auto query() { return reflorm::select<User>().join<&User::name>(); }
