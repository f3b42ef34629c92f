// expect: reflorm: with_time_zone applies only to reflorm::timestamp and reflorm::timestamp_us members
// expect: Visit
// expect: &Visit::day
#include <reflorm/schema/table.hpp>
#include <cstdint>

struct Visit {
    std::int64_t id;
    reflorm::timestamp at;
    reflorm::date day;
};

template <>
struct reflorm::model<Visit> {
    static constexpr auto columns = reflorm::columns(reflorm::with_time_zone<&Visit::at>, reflorm::with_time_zone<&Visit::day>);
};

const auto& table = reflorm::schema::table_of<Visit>;
