// Scenario 7, compile cost: one translation unit that declares 10 models and 20 queries with
// reflorm. scripts/bench compiles it (and compile_cost_plain.cpp, the same models and queries
// as hand-written SQL on the sqlite3 C API) and reports time and peak compiler memory.
// It is compiled, not run.
#include <reflorm/reflorm.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shop {

struct Customer { std::int64_t id; std::string name; std::optional<std::string> email; double balance; reflorm::timestamp created; };
struct Address { std::int64_t id; std::int64_t customer_id; std::string street; std::string city; std::optional<std::string> zip; };
struct Product { std::int64_t id; std::string name; double price; std::int32_t stock; std::optional<std::string> description; };
struct Category { std::int64_t id; std::string name; std::optional<std::int64_t> parent_id; };
struct ProductCategory { std::int64_t product_id; std::int64_t category_id; };
struct Order { std::int64_t id; std::int64_t customer_id; reflorm::date placed; std::string status; double total; };
struct OrderLine { std::int64_t order_id; std::int32_t line; std::int64_t product_id; std::int32_t quantity; double price; };
struct Payment { std::int64_t id; std::int64_t order_id; double amount; reflorm::timestamp paid; std::string method; };
struct Review { std::int64_t id; std::int64_t product_id; std::int64_t customer_id; std::int32_t stars; std::optional<std::string> text; };
struct Shipment { std::int64_t id; std::int64_t order_id; std::string carrier; std::optional<reflorm::date> delivered; };

}  // namespace shop

using namespace shop;
using reflorm::c;

template <> struct reflorm::model<Address> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Address::customer_id, &Customer::id>);
};
template <> struct reflorm::model<ProductCategory> {
    static constexpr auto primary_key = reflorm::primary_key<&ProductCategory::product_id, &ProductCategory::category_id>;
};
template <> struct reflorm::model<Order> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Order::customer_id, &Customer::id>,
                                                     reflorm::index<&Order::placed>);
};
template <> struct reflorm::model<OrderLine> {
    static constexpr auto primary_key = reflorm::primary_key<&OrderLine::order_id, &OrderLine::line>;
};

void queries(reflorm::connection& conn, std::vector<std::int64_t>& out) {
    reflorm::create_all<Customer, Address, Product, Category, ProductCategory, Order, OrderLine, Payment, Review, Shipment>(conn);
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select<Customer>().where(c<&Customer::balance> > 100.0)).all().size()));
    out.push_back(conn.count(reflorm::select<Address>().where(c<&Address::city> == "Bern")));
    out.push_back(conn.get<Product>(1) ? 1 : 0);
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select<Category>().where(c<&Category::parent_id>.is_null())).all().size()));
    out.push_back(conn.count(reflorm::select<ProductCategory>().where(c<&ProductCategory::category_id> == 3)));
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select<Order>().order_by(c<&Order::placed>.desc()).limit(10)).all().size()));
    out.push_back(conn.get<OrderLine>(1, 2) ? 1 : 0);
    out.push_back(conn.count(reflorm::select<Payment>().where(c<&Payment::method> == "card" && c<&Payment::amount> > 10.0)));
    out.push_back(conn.count(reflorm::select<Review>().where(c<&Review::stars>.in_({4, 5}))));
    out.push_back(conn.count(reflorm::select<Shipment>().where(c<&Shipment::delivered>.is_not_null())));
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select(c<&Customer::name>, reflorm::count())
        .join<Order>(c<&Order::customer_id> == c<&Customer::id>).group_by(c<&Customer::name>).having(reflorm::count() > 2)).all().size()));
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select(c<&Product::name>, reflorm::avg(c<&Review::stars>))
        .join<Review>(c<&Review::product_id> == c<&Product::id>).group_by(c<&Product::name>)).all().size()));
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select(c<&Order::status>, reflorm::sum(c<&Order::total>))
        .group_by(c<&Order::status>)).all().size()));
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select(c<&OrderLine::order_id>, reflorm::sum(c<&OrderLine::price> * c<&OrderLine::quantity>))
        .group_by(c<&OrderLine::order_id>).order_by(c<&OrderLine::order_id>)).all().size()));
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select(c<&Customer::name>).where(!reflorm::exists(
        reflorm::select(c<&Order::id>).where(c<&Order::customer_id> == c<&Customer::id>)))).all().size()));
    out.push_back(static_cast<std::int64_t>(conn.execute(reflorm::select<Product>().where(c<&Product::name>.ilike("%lamp%"))).all().size()));
    out.push_back(conn.execute(reflorm::update<Product>().set(c<&Product::stock> = c<&Product::stock> - 1).where(c<&Product::id> == 7)).rowcount());
    out.push_back(conn.execute(reflorm::delete_<Review>().where(c<&Review::stars> < 1)).rowcount());
    Customer customer{0, "ann", std::nullopt, 0.0, {}};
    conn.insert(customer);
    std::vector<Payment> payments(3, Payment{0, 1, 9.5, {}, "cash"});
    conn.insert_all(payments);
    out.push_back(customer.id);
}
