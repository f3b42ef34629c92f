// expect: reflorm: all referenced members of a foreign key must belong to one model
// expect: Line
#include <reflorm/schema/table.hpp>
#include <cstdint>

struct Part {
    std::int32_t id;
};
struct Supplier {
    std::int32_t id;
};

struct Line {
    std::int64_t id;
    std::int32_t part;
    std::int32_t supplier;
};

template <>
struct reflorm::model<Line> {
    static constexpr auto columns = reflorm::columns(
        reflorm::composite_foreign_key<reflorm::key<&Line::part, &Line::supplier>, reflorm::key<&Part::id, &Supplier::id>>);
};

const auto& table = reflorm::schema::table_of<Line>;
