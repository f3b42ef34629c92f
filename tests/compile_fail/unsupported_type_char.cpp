// expect: reflorm: this member of the model has a type with no column mapping
// expect: WithChar
// expect: initial
// `char` is a character, not a column type: use std::string or an integer.
#include <reflorm/schema/table.hpp>
#include <cstdint>

struct WithChar {
    std::int64_t id;
    char initial;
};

const auto& table = reflorm::schema::table_of<WithChar>;
