// Scenario 7, compile cost of ORM code (issue 13 item 7): one translation unit with 10 models
// related to each other, a session, 20 queries, 5 loader options and add / commit / delete.
// scripts/bench compiles it beside compile_cost_reflorm.cpp (the Core file) and reports time
// and peak compiler memory. It is compiled, not run.
#include <reflorm/orm.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace store {

struct Address;
struct Order;
struct OrderLine;
struct Payment;
struct Review;
struct Shipment;
struct Product;
struct Category;
struct ProductCategory;

struct Customer {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
    double balance = 0;
    reflorm::many<Address> addresses;
    reflorm::many<Order> orders;
};
struct Address {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    std::string city;
    reflorm::one<Customer> customer;
};
struct Order {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    std::string status;
    double total = 0;
    reflorm::one<Customer> customer;
    reflorm::many<OrderLine> lines;
    reflorm::many<Payment> payments;
    reflorm::many<Shipment> shipments;
};
struct OrderLine {
    std::int64_t id = 0;
    std::int64_t order_id = 0;
    std::int64_t product_id = 0;
    std::int32_t quantity = 1;
    reflorm::one<Order> order;
    reflorm::one<Product> product;
};
struct Payment {
    std::int64_t id = 0;
    std::int64_t order_id = 0;
    double amount = 0;
    reflorm::one<Order> order;
};
struct Shipment {
    std::int64_t id = 0;
    std::int64_t order_id = 0;
    std::string carrier;
    reflorm::one<Order> order;
};
struct Product {
    std::int64_t id = 0;
    std::string name;
    double price = 0;
    reflorm::many<Review> reviews;
    reflorm::many<Category> categories;
};
struct Review {
    std::int64_t id = 0;
    std::int64_t product_id = 0;
    std::int32_t stars = 0;
    reflorm::one<Product> product;
};
struct Category {
    std::int64_t id = 0;
    std::string name;
};
struct ProductCategory {
    std::int64_t product_id = 0;
    std::int64_t category_id = 0;
};

}  // namespace store

using namespace store;
using reflorm::c;

template <>
struct reflorm::model<Customer> {
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Customer::addresses>{}.back_populates<&Address::customer>(),
                               reflorm::relationship<&Customer::orders>{}.back_populates<&Order::customer>());
};
template <>
struct reflorm::model<Address> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Address::customer_id, &Customer::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Address::customer>{}.back_populates<&Customer::addresses>());
};
template <>
struct reflorm::model<Order> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Order::customer_id, &Customer::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Order::customer>{}.back_populates<&Customer::orders>(),
                               reflorm::relationship<&Order::lines>{}.back_populates<&OrderLine::order>(),
                               reflorm::relationship<&Order::payments>{}.back_populates<&Payment::order>(),
                               reflorm::relationship<&Order::shipments>{}.back_populates<&Shipment::order>());
};
template <>
struct reflorm::model<OrderLine> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&OrderLine::order_id, &Order::id>,
                                                     reflorm::foreign_key<&OrderLine::product_id, &Product::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&OrderLine::order>{}.back_populates<&Order::lines>());
};
template <>
struct reflorm::model<Payment> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Payment::order_id, &Order::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Payment::order>{}.back_populates<&Order::payments>());
};
template <>
struct reflorm::model<Shipment> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Shipment::order_id, &Order::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Shipment::order>{}.back_populates<&Order::shipments>());
};
template <>
struct reflorm::model<Review> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Review::product_id, &Product::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Review::product>{}.back_populates<&Product::reviews>());
};
template <>
struct reflorm::model<ProductCategory> {
    static constexpr auto primary_key = reflorm::primary_key<&ProductCategory::product_id, &ProductCategory::category_id>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&ProductCategory::product_id, &Product::id>,
                                                     reflorm::foreign_key<&ProductCategory::category_id, &Category::id>);
};
template <>
struct reflorm::model<Product> {
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Product::reviews>{}.back_populates<&Review::product>(),
                               reflorm::relationship<&Product::categories>{}.secondary<ProductCategory>());
};

std::int64_t work(reflorm::engine& engine) {
    reflorm::create_all<Customer, Address, Order, OrderLine, Payment, Shipment, Product, Review, Category, ProductCategory>(engine);
    reflorm::session s{engine};
    std::int64_t n = 0;
    auto ann = s.add(Customer{.name = "ann", .addresses = {Address{.city = "Bern"}}});
    s.add(Product{.name = "lamp", .price = 10, .reviews = {Review{.stars = 5}}});
    s.commit();
    // 20 queries, 5 loader options.
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Customer>().options(reflorm::selectinload<&Customer::addresses>())).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Customer>().options(reflorm::joinedload<&Customer::orders>())).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Order>().options(reflorm::selectinload<&Order::lines>().selectinload<&OrderLine::product>())).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Product>().options(reflorm::subqueryload<&Product::reviews>())).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Product>().options(reflorm::selectinload<&Product::categories>())).all().size());
    n += s.scalars(reflorm::select<Customer>().where(c<&Customer::name> == "ann")).one()->id;
    n += s.get<Customer>(1) ? 1 : 0;
    n += s.get<Product>(1) ? 1 : 0;
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Address>().where(c<&Address::city>.like("B%"))).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Order>().where(c<&Order::status> == "open").order_by(c<&Order::id>.desc()).limit(10)).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<OrderLine>().where(c<&OrderLine::quantity> > 2)).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Payment>().where(c<&Payment::amount> > 10.0)).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Shipment>().where(c<&Shipment::carrier> == "post")).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Review>().where(c<&Review::stars>.in_({4, 5}))).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Category>().order_by(c<&Category::name>)).all().size());
    n += s.execute(reflorm::select(reflorm::count()).select_from<Order>()).scalar_one();
    n += static_cast<std::int64_t>(s.execute(reflorm::select(c<&Customer::name>, reflorm::count()).join<&Customer::orders>().group_by(c<&Customer::name>)).all().size());
    n += static_cast<std::int64_t>(s.execute(reflorm::select<Customer, Address>().join<&Customer::addresses>()).all().size());
    n += static_cast<std::int64_t>(s.scalars(reflorm::select<Product>().join<&Product::categories>().where(c<&Category::name> == "home")).all().size());
    n += s.execute(reflorm::update<Product>().set(c<&Product::price> = c<&Product::price> * 1.1).where(c<&Product::id> > 0)).rowcount();
    // add, commit, delete
    ann->orders.push_back(Order{.status = "open", .lines = {OrderLine{.product_id = 1, .quantity = 2}}});
    s.commit();
    s.delete_(ann->addresses[0]);
    s.commit();
    return n;
}
