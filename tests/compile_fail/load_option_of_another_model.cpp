// expect: reflorm: a loader option names a relationship of another model than the objects it applies to
// The option names Order's relationship on a query of Users.
#include <reflorm/orm.hpp>
#include <cstdint>

struct Item;
struct Order {
    std::int64_t id;
    reflorm::many<Item> items;
};
struct Item {
    std::int64_t id;
    std::int64_t order_id;
};
struct User {
    std::int64_t id;
};
template <>
struct reflorm::model<Item> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Item::order_id, &Order::id>);
};

void query(reflorm::session& s) { s.scalars(reflorm::select<User>().options(reflorm::selectinload<&Order::items>())).all(); }
