// expect: reflorm: numeric<Precision, Scale> takes a Scale of 0 to 30 digits, at most Precision
// A NUMERIC(2, 3) has more fractional digits than digits.
#include <reflorm/schema/table.hpp>
#include <cstdint>

struct Price {
    std::int64_t id;
    reflorm::numeric<2, 3> amount;
};

const auto& table = reflorm::schema::table_of<Price>;
