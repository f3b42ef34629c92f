// expect: reflorm: max_length applies only to std::string members; remove it from this member
// expect: Sized
// expect: &Sized::count
#include <reflorm/schema/table.hpp>
#include <cstdint>
#include <string>

struct Sized {
    std::int64_t id;
    std::string name;
    std::int32_t count;
};

template <>
struct reflorm::model<Sized> {
    static constexpr auto columns = reflorm::columns(reflorm::max_length<&Sized::name, 10>, reflorm::max_length<&Sized::count, 10>);
};

const auto& table = reflorm::schema::table_of<Sized>;
