// Scenario 7's baseline: the same 10 models and 20 queries as compile_cost_reflorm.cpp, written
// by hand on the sqlite3 C API without reflorm's headers. Compiled, not run.
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shop {

using timestamp = std::chrono::sys_seconds;
using date = std::chrono::year_month_day;
struct Customer { std::int64_t id; std::string name; std::optional<std::string> email; double balance; timestamp created; };
struct Address { std::int64_t id; std::int64_t customer_id; std::string street; std::string city; std::optional<std::string> zip; };
struct Product { std::int64_t id; std::string name; double price; std::int32_t stock; std::optional<std::string> description; };
struct Category { std::int64_t id; std::string name; std::optional<std::int64_t> parent_id; };
struct ProductCategory { std::int64_t product_id; std::int64_t category_id; };
struct Order { std::int64_t id; std::int64_t customer_id; date placed; std::string status; double total; };
struct OrderLine { std::int64_t order_id; std::int32_t line; std::int64_t product_id; std::int32_t quantity; double price; };
struct Payment { std::int64_t id; std::int64_t order_id; double amount; timestamp paid; std::string method; };
struct Review { std::int64_t id; std::int64_t product_id; std::int64_t customer_id; std::int32_t stars; std::optional<std::string> text; };
struct Shipment { std::int64_t id; std::int64_t order_id; std::string carrier; std::optional<date> delivered; };

}  // namespace shop

using namespace shop;

namespace {

std::string text(sqlite3_stmt* s, int i) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
    return t ? std::string(t, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
}
std::optional<std::string> optional_text(sqlite3_stmt* s, int i) {
    if (sqlite3_column_type(s, i) == SQLITE_NULL) return std::nullopt;
    return text(s, i);
}

// Prepares `sql`, lets `bind` bind it, calls `row` for each result row; returns the row count.
template <class Bind, class Row>
std::int64_t run(sqlite3* db, const char* sql, Bind&& bind, Row&& row) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return -1;
    bind(s);
    std::int64_t rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        row(s);
        ++rows;
    }
    sqlite3_finalize(s);
    return rows;
}
const auto no_bind = [](sqlite3_stmt*) {};
const auto no_row = [](sqlite3_stmt*) {};
std::int64_t scalar(sqlite3* db, const char* sql, auto bind) {
    std::int64_t value = 0;
    run(db, sql, bind, [&](sqlite3_stmt* s) { value = sqlite3_column_int64(s, 0); });
    return value;
}

}  // namespace

void queries(sqlite3* db, std::vector<std::int64_t>& out) {
    sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS customers (id INTEGER NOT NULL, name TEXT NOT NULL, email TEXT, balance FLOAT NOT NULL, created DATETIME NOT NULL, PRIMARY KEY (id))", nullptr, nullptr, nullptr);
    std::vector<Customer> customers;
    out.push_back(run(db, "SELECT id, name, email, balance, created FROM customers WHERE balance > ?",
                      [](sqlite3_stmt* s) { sqlite3_bind_double(s, 1, 100.0); },
                      [&](sqlite3_stmt* s) { customers.push_back(Customer{sqlite3_column_int64(s, 0), text(s, 1), optional_text(s, 2), sqlite3_column_double(s, 3), {}}); }));
    out.push_back(scalar(db, "SELECT count(*) FROM addresses WHERE city = ?", [](sqlite3_stmt* s) { sqlite3_bind_text(s, 1, "Bern", -1, SQLITE_STATIC); }));
    std::optional<Product> product;
    run(db, "SELECT id, name, price, stock, description FROM products WHERE id = ?", [](sqlite3_stmt* s) { sqlite3_bind_int64(s, 1, 1); },
        [&](sqlite3_stmt* s) { product = Product{sqlite3_column_int64(s, 0), text(s, 1), sqlite3_column_double(s, 2), sqlite3_column_int(s, 3), optional_text(s, 4)}; });
    out.push_back(product ? 1 : 0);
    std::vector<Category> categories;
    out.push_back(run(db, "SELECT id, name, parent_id FROM categories WHERE parent_id IS NULL", no_bind,
                      [&](sqlite3_stmt* s) { categories.push_back(Category{sqlite3_column_int64(s, 0), text(s, 1), std::nullopt}); }));
    out.push_back(scalar(db, "SELECT count(*) FROM product_categories WHERE category_id = ?", [](sqlite3_stmt* s) { sqlite3_bind_int64(s, 1, 3); }));
    std::vector<Order> orders;
    out.push_back(run(db, "SELECT id, customer_id, placed, status, total FROM orders ORDER BY placed DESC LIMIT ?",
                      [](sqlite3_stmt* s) { sqlite3_bind_int64(s, 1, 10); },
                      [&](sqlite3_stmt* s) { orders.push_back(Order{sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), {}, text(s, 3), sqlite3_column_double(s, 4)}); }));
    out.push_back(run(db, "SELECT order_id, line, product_id, quantity, price FROM order_lines WHERE order_id = ? AND line = ?",
                      [](sqlite3_stmt* s) { sqlite3_bind_int64(s, 1, 1); sqlite3_bind_int(s, 2, 2); }, no_row));
    out.push_back(scalar(db, "SELECT count(*) FROM payments WHERE method = ? AND amount > ?",
                         [](sqlite3_stmt* s) { sqlite3_bind_text(s, 1, "card", -1, SQLITE_STATIC); sqlite3_bind_double(s, 2, 10.0); }));
    out.push_back(scalar(db, "SELECT count(*) FROM reviews WHERE stars IN (?, ?)", [](sqlite3_stmt* s) { sqlite3_bind_int(s, 1, 4); sqlite3_bind_int(s, 2, 5); }));
    out.push_back(scalar(db, "SELECT count(*) FROM shipments WHERE delivered IS NOT NULL", no_bind));
    out.push_back(run(db, "SELECT customers.name, count(*) FROM customers JOIN orders ON orders.customer_id = customers.id GROUP BY customers.name HAVING count(*) > ?",
                      [](sqlite3_stmt* s) { sqlite3_bind_int64(s, 1, 2); }, no_row));
    out.push_back(run(db, "SELECT products.name, avg(reviews.stars) FROM products JOIN reviews ON reviews.product_id = products.id GROUP BY products.name", no_bind, no_row));
    out.push_back(run(db, "SELECT status, sum(total) FROM orders GROUP BY status", no_bind, no_row));
    out.push_back(run(db, "SELECT order_id, sum(price * quantity) FROM order_lines GROUP BY order_id ORDER BY order_id", no_bind, no_row));
    out.push_back(run(db, "SELECT customers.name FROM customers WHERE NOT EXISTS (SELECT orders.id FROM orders WHERE orders.customer_id = customers.id)", no_bind, no_row));
    out.push_back(run(db, "SELECT id, name, price, stock, description FROM products WHERE lower(name) LIKE lower(?)",
                      [](sqlite3_stmt* s) { sqlite3_bind_text(s, 1, "%lamp%", -1, SQLITE_STATIC); }, no_row));
    run(db, "UPDATE products SET stock = products.stock - ? WHERE products.id = ?", [](sqlite3_stmt* s) { sqlite3_bind_int(s, 1, 1); sqlite3_bind_int64(s, 2, 7); }, no_row);
    out.push_back(sqlite3_changes(db));
    run(db, "DELETE FROM reviews WHERE stars < ?", [](sqlite3_stmt* s) { sqlite3_bind_int(s, 1, 1); }, no_row);
    out.push_back(sqlite3_changes(db));
    run(db, "INSERT INTO customers (id, name, email, balance, created) VALUES (NULL, ?, NULL, ?, ?)",
        [](sqlite3_stmt* s) { sqlite3_bind_text(s, 1, "ann", -1, SQLITE_STATIC); sqlite3_bind_double(s, 2, 0.0); sqlite3_bind_text(s, 3, "1970-01-01 00:00:00", -1, SQLITE_STATIC); }, no_row);
    for (int i = 0; i < 3; ++i)
        run(db, "INSERT INTO payments (id, order_id, amount, paid, method) VALUES (NULL, ?, ?, ?, ?)",
            [](sqlite3_stmt* s) { sqlite3_bind_int64(s, 1, 1); sqlite3_bind_double(s, 2, 9.5); sqlite3_bind_text(s, 3, "1970-01-01 00:00:00", -1, SQLITE_STATIC); sqlite3_bind_text(s, 4, "cash", -1, SQLITE_STATIC); }, no_row);
    out.push_back(sqlite3_last_insert_rowid(db));
}
