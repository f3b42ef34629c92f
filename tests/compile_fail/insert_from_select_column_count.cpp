// expect: reflorm: insert<T>().from_select(select) needs a select with exactly as many columns as T has
// expect: check_select_column_count<Person, 
// A select of a model with two columns inserted into a model with three.
#include <reflorm/sql/insert.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
    std::int32_t age;
};

struct Tag {
    std::int64_t id;
    std::string label;
};

auto statement = reflorm::insert<Person>().from_select(reflorm::select<Tag>());
