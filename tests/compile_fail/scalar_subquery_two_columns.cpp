// expect: reflorm: a subquery used as a value (scalar_subquery(), in_()) must select exactly one expression
// A scalar subquery is one value: its select must have one column.
#include <reflorm/sql/select.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

auto value = reflorm::select(reflorm::c<&Person::id>, reflorm::c<&Person::name>).scalar_subquery();
