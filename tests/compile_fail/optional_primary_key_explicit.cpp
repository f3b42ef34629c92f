// expect: reflorm: a primary key member cannot be std::optional; make it a plain value
// expect: Membership
// expect: &Membership::group_id
// One member of a declared composite key is std::optional.
#include <reflorm/schema/table.hpp>
#include <cstdint>
#include <optional>

struct Membership {
    std::int64_t user_id;
    std::optional<std::int64_t> group_id;
};

template <>
struct reflorm::model<Membership> {
    static constexpr auto primary_key = reflorm::primary_key<&Membership::user_id, &Membership::group_id>;
};

const auto& table = reflorm::schema::table_of<Membership>;
