// expect: reflorm: this member of the model has a type with no column mapping
// expect: WithNested
// expect: maybe_maybe
#include <reflorm/schema/table.hpp>
#include <cstdint>
#include <optional>

struct WithNested {
    std::int64_t id;
    std::optional<std::optional<int>> maybe_maybe;
};

const auto& table = reflorm::schema::table_of<WithNested>;
