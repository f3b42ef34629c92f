// expect-success
// The positive control for the ORM snippets: the same shapes, correctly declared.
#include <reflorm/orm.hpp>
#include <cstdint>

struct Item;
struct Order;
struct User {
    std::int64_t id;
    reflorm::many<Order> orders;
};
struct Order {
    std::int64_t id;
    std::int64_t user_id;
    reflorm::one<User> user;
    reflorm::many<Item> items;
};
struct Item {
    std::int64_t id;
    std::int64_t order_id;
};
template <>
struct reflorm::model<Order> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Order::user_id, &User::id>);
};
template <>
struct reflorm::model<Item> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Item::order_id, &Order::id>);
};

void query(reflorm::session& s, Order& o) {
    s.scalars(reflorm::select<User>().options(reflorm::joinedload<&User::orders>().selectinload<&Order::items>())).all();
    s.scalars(reflorm::select<User>().options(reflorm::subqueryload<&User::orders>().subqueryload<&Order::items>())).all();
    s.load<&Order::user>(o);
}
