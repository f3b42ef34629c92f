// expect: reflorm: a primary key member cannot be std::optional; make it a plain value
// expect: MaybeKey
// The `id` found by convention is std::optional.
#include <reflorm/schema/table.hpp>
#include <cstdint>
#include <optional>

struct MaybeKey {
    std::optional<std::int64_t> id;
};

const auto& table = reflorm::schema::table_of<MaybeKey>;
