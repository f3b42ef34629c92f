// expect: reflorm: a foreign key must list as many members of the model as members of the referenced model
// expect: Line
// Two members referencing a one-member key.
#include <reflorm/schema/table.hpp>
#include <cstdint>

struct Stock {
    std::int32_t part;
    std::int32_t supplier;
};

struct Line {
    std::int64_t id;
    std::int32_t part;
    std::int32_t supplier;
};

template <>
struct reflorm::model<Stock> {
    static constexpr auto primary_key = reflorm::primary_key<&Stock::part, &Stock::supplier>;
};
template <>
struct reflorm::model<Line> {
    static constexpr auto columns = reflorm::columns(
        reflorm::composite_foreign_key<reflorm::key<&Line::part, &Line::supplier>, reflorm::key<&Stock::part>>);
};

const auto& table = reflorm::schema::table_of<Line>;
