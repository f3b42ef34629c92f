// expect: reflorm: this clause takes columns of the statement's own table
// returning() given a column of another model.
#include <reflorm/sql/insert.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

struct Tag {
    std::int64_t id;
    std::string label;
};

auto statement = reflorm::insert<Person>().values(Person{0, "x"}).returning(reflorm::c<&Tag::label>);
