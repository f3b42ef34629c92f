// Copies the tables bench/generate_data wrote (rows, orders, line_items, parents, children) from
// its SQLite file into a server's database, made anew by create_all with the same keys and
// indexes: what scripts/bench --backend postgresql|mysql benchmarks read.
//
//   copy_data <sqlite file> <server url>
#include <reflorm/reflorm.hpp>

#include "bench_common.hpp"

#include <cstdio>

namespace {

struct Parent {
    std::int64_t id = 0;
    std::string name;
};
struct Child {
    std::int64_t id = 0;
    std::int64_t parent_id = 0;
    std::string name;
    double value = 0;
};

}  // namespace

template <>
struct reflorm::model<bench::LineItem> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&bench::LineItem::order_id, &bench::Order::id>,
                                                     reflorm::index<&bench::LineItem::order_id>);
};
template <>
struct reflorm::model<Parent> {
    static constexpr auto table = "parents";
};
template <>
struct reflorm::model<Child> {
    static constexpr auto table = "children";
    static constexpr auto columns =
        reflorm::columns(reflorm::foreign_key<&Child::parent_id, &Parent::id>, reflorm::index<&Child::parent_id>);
};

namespace {

template <class T>
std::size_t copy(reflorm::connection& from, reflorm::connection& to) {
    std::vector<T> rows = from.execute(reflorm::select<T>()).all();
    to.insert_all(rows);
    return rows.size();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <sqlite file> <server url>\n", argv[0]);
        return 2;
    }
    auto source = reflorm::create_engine(std::string("sqlite:///") + argv[1]);
    auto target = reflorm::create_engine(argv[2]);
    reflorm::drop_all<bench::Row, bench::Order, bench::LineItem, Parent, Child>(target);
    reflorm::create_all<bench::Row, bench::Order, bench::LineItem, Parent, Child>(target);
    auto from = source.connect();
    auto to = target.connect();
    std::size_t n = copy<bench::Row>(from, to);
    n += copy<bench::Order>(from, to);
    n += copy<bench::LineItem>(from, to);
    n += copy<Parent>(from, to);
    n += copy<Child>(from, to);
    std::fprintf(stderr, "copy_data: %zu rows copied\n", n);
    return 0;
}
