// expect: reflorm: join<&Model::member>() joins from Model, which is not in this select's FROM list
// Order::items starts from orders, which a select of Users does not read.
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

auto query() { return reflorm::select<User>().join<&Order::items>(); }
