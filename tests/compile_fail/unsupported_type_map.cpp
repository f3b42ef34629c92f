// expect: reflorm: this member of the model has a type with no column mapping
// expect: WithMap
// expect: counts
#include <reflorm/schema/table.hpp>
#include <cstdint>
#include <map>

struct WithMap {
    std::int64_t id;
    std::map<int, int> counts;
};

const auto& table = reflorm::schema::table_of<WithMap>;
