// expect: reflorm: get<T>(key...) takes one value per primary key column of T, in key order
// expect: Pair
// A two-column key looked up with one value.
#include <reflorm/engine/connection.hpp>
#include <cstdint>
#include <string>

struct Pair {
    std::int32_t left;
    std::int32_t right;
    std::string note;
};

template <>
struct reflorm::model<Pair> {
    static constexpr auto primary_key = reflorm::primary_key<&Pair::left, &Pair::right>;
};

std::optional<Pair> find(reflorm::connection& c) { return c.get<Pair>(1); }
