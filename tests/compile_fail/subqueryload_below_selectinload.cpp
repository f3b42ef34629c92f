// expect: reflorm: subqueryload needs the query that loaded its parents
// A subqueryload chained below a selectinload, which runs one query per batch.
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

void query(reflorm::session& s) {
    s.scalars(reflorm::select<User>().options(reflorm::selectinload<&User::orders>().subqueryload<&Order::items>())).all();
}
