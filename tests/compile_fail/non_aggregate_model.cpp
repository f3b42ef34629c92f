// expect: reflorm: this model is neither a plain aggregate
// expect: make it an aggregate or describe it
// expect: Built
// A user-declared constructor makes the class a non-aggregate that PFR cannot read.
#include <reflorm/schema/table.hpp>
#include <cstdint>
#include <string>

struct Built {
    Built(std::int64_t i, std::string n) : id(i), name(std::move(n)) {}
    std::int64_t id;
    std::string name;
};

const auto& table = reflorm::schema::table_of<Built>;
