// expect: reflorm: a foreign key member's type differs from the referenced member's type
// expect: Child
// expect: &Child::parent_id
// expect: &Parent::id
// An int32 column referencing an int64 key.
#include <reflorm/schema/table.hpp>
#include <cstdint>

struct Parent {
    std::int64_t id;
};

struct Child {
    std::int64_t id;
    std::int32_t parent_id;
};

template <>
struct reflorm::model<Child> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Child::parent_id, &Parent::id>);
};

const auto& table = reflorm::schema::table_of<Child>;
