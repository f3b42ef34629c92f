// expect: reflorm: select<A, B>() loads relationships with selectinload (or noload, raiseload): joinedload and subqueryload need a select of one model
// A select of two models cannot join a loader into its rows.
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
template <>
struct reflorm::model<Item> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Item::order_id, &Order::id>);
};

void query(reflorm::session& s) {
    s.execute(reflorm::select<Order, Item>().join<&Order::items>().options(reflorm::joinedload<&Order::items>())).all();
}
