// reflect layer: field count, types, names, access and member indexes of plain aggregates
// (Boost.PFR) and described classes (Boost.Describe). Compile-time values are checked with
// static_assert, so a regression there fails the build of this suite; access through get<I>
// is checked at run time.
#define BOOST_TEST_MODULE reflect
#include <boost/test/unit_test.hpp>

#include <reflorm/reflect/fields.hpp>
#include <reflorm/reflect/model.hpp>
#include <reflorm/reflect/type_name.hpp>

#include <boost/describe/class.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rr = reflorm::reflect;
using namespace std::string_view_literals;

// ---- models --------------------------------------------------------------------------------

namespace ns::inner {

template <class T>
struct box {
    T value;
    std::optional<T> maybe;
};

struct Point {
    int x;
    int y;
    int z;
};

}  // namespace ns::inner

struct Tricky {
    std::int64_t x_y3;
    std::optional<std::string> _leading;
    std::vector<int> a1b2;
    std::array<double, 3> coords;
    std::optional<std::int32_t> n_2;
};

struct Single {
    std::string only;
};

struct Outer {
    ns::inner::Point point;  // a nested aggregate is one field, not three
    bool flag;
};

struct Unrelated {
    std::int64_t x_y3;
};

// A class with private members, described with BOOST_DESCRIBE_CLASS.
class Account {
public:
    Account() = default;
    Account(std::int64_t id, std::string owner, double balance) : id(id), owner_(std::move(owner)), balance_(balance) {}
    std::int64_t id = 0;
    const std::string& owner() const { return owner_; }
    double balance() const { return balance_; }

private:
    std::string owner_;
    double balance_ = 0;
    BOOST_DESCRIBE_CLASS(Account, (), (id), (), (owner_, balance_))
};

// A described base, and a class derived from it.
struct Animal {
    std::int64_t id;
    std::string name;
};
BOOST_DESCRIBE_STRUCT(Animal, (), (id, name))

struct Dog : Animal {
    std::optional<std::string> breed;
    bool good;
};
BOOST_DESCRIBE_STRUCT(Dog, (Animal), (breed, good))

namespace {
struct Hidden {
    int a;
};
}  // namespace

// ---- concepts --------------------------------------------------------------------------------

static_assert(rr::plain_aggregate<Tricky>);
static_assert(!rr::described_class<Tricky>);
static_assert(rr::described_class<Account>);
static_assert(rr::described_class<Dog>);
static_assert(!rr::plain_aggregate<Dog>);  // described takes precedence over aggregate
static_assert(rr::reflectable<Account>);
static_assert(!rr::reflectable<int>);
static_assert(!rr::reflectable<std::string>);  // a class, but neither aggregate nor described

// ---- field_count_v -----------------------------------------------------------------------------

static_assert(rr::field_count_v<Tricky> == 5);
static_assert(rr::field_count_v<Single> == 1);
static_assert(rr::field_count_v<Outer> == 2);
static_assert(rr::field_count_v<ns::inner::box<int>> == 2);
static_assert(rr::field_count_v<ns::inner::box<std::string>> == 2);
static_assert(rr::field_count_v<Account> == 3);
static_assert(rr::field_count_v<Animal> == 2);
static_assert(rr::field_count_v<Dog> == 4);  // inherited members count

// ---- field_type_t -----------------------------------------------------------------------------

static_assert(std::is_same_v<rr::field_type_t<Tricky, 0>, std::int64_t>);
static_assert(std::is_same_v<rr::field_type_t<Tricky, 1>, std::optional<std::string>>);
static_assert(std::is_same_v<rr::field_type_t<Tricky, 2>, std::vector<int>>);
static_assert(std::is_same_v<rr::field_type_t<Tricky, 3>, std::array<double, 3>>);
static_assert(std::is_same_v<rr::field_type_t<Tricky, 4>, std::optional<std::int32_t>>);
static_assert(std::is_same_v<rr::field_type_t<Single, 0>, std::string>);
static_assert(std::is_same_v<rr::field_type_t<Outer, 0>, ns::inner::Point>);
static_assert(std::is_same_v<rr::field_type_t<ns::inner::box<int>, 1>, std::optional<int>>);
static_assert(std::is_same_v<rr::field_type_t<ns::inner::box<std::string>, 0>, std::string>);
static_assert(std::is_same_v<rr::field_type_t<Account, 0>, std::int64_t>);
static_assert(std::is_same_v<rr::field_type_t<Account, 1>, std::string>);
static_assert(std::is_same_v<rr::field_type_t<Account, 2>, double>);
static_assert(std::is_same_v<rr::field_type_t<Dog, 0>, std::int64_t>);
static_assert(std::is_same_v<rr::field_type_t<Dog, 1>, std::string>);
static_assert(std::is_same_v<rr::field_type_t<Dog, 2>, std::optional<std::string>>);
static_assert(std::is_same_v<rr::field_type_t<Dog, 3>, bool>);

// ---- field_name_v ------------------------------------------------------------------------------

static_assert(rr::field_name_v<Tricky, 0> == "x_y3");
static_assert(rr::field_name_v<Tricky, 1> == "_leading");
static_assert(rr::field_name_v<Tricky, 2> == "a1b2");
static_assert(rr::field_name_v<Tricky, 3> == "coords");
static_assert(rr::field_name_v<Tricky, 4> == "n_2");
static_assert(rr::field_name_v<Single, 0> == "only");
static_assert(rr::field_name_v<Outer, 0> == "point");
static_assert(rr::field_name_v<Outer, 1> == "flag");
static_assert(rr::field_name_v<ns::inner::box<int>, 0> == "value");
static_assert(rr::field_name_v<ns::inner::box<int>, 1> == "maybe");
static_assert(rr::field_name_v<ns::inner::Point, 2> == "z");
static_assert(rr::field_name_v<Hidden, 0> == "a");
static_assert(rr::field_name_v<Account, 0> == "id");
static_assert(rr::field_name_v<Account, 1> == "owner_");
static_assert(rr::field_name_v<Account, 2> == "balance_");
static_assert(rr::field_name_v<Dog, 0> == "id");
static_assert(rr::field_name_v<Dog, 1> == "name");
static_assert(rr::field_name_v<Dog, 2> == "breed");
static_assert(rr::field_name_v<Dog, 3> == "good");

// ---- member_index_v ----------------------------------------------------------------------------

static_assert(rr::member_index_v<&Tricky::x_y3> == 0);
static_assert(rr::member_index_v<&Tricky::_leading> == 1);
static_assert(rr::member_index_v<&Tricky::a1b2> == 2);
static_assert(rr::member_index_v<&Tricky::coords> == 3);
static_assert(rr::member_index_v<&Tricky::n_2> == 4);
static_assert(rr::member_index_v<&Single::only> == 0);
// Members of one type are told apart by their address, not their type.
static_assert(rr::member_index_v<&ns::inner::Point::x> == 0);
static_assert(rr::member_index_v<&ns::inner::Point::y> == 1);
static_assert(rr::member_index_v<&ns::inner::Point::z> == 2);
static_assert(rr::member_index_v<&ns::inner::box<int>::maybe> == 1);
static_assert(rr::member_index_v<&Outer::flag> == 1);
static_assert(rr::member_index_v<&Account::id> == 0);
static_assert(rr::member_index_v<&Animal::name> == 1);
static_assert(rr::member_index_v<&Dog::breed> == 2);
static_assert(rr::member_index_v<&Dog::good> == 3);
// An inherited member, looked up within the derived class.
static_assert(rr::member_index_v<&Animal::id, Dog> == 0);
static_assert(rr::member_index_v<&Animal::name, Dog> == 1);
// A member of another class, even with the same name and type, is not a field.
static_assert(rr::member_index_v<&Unrelated::x_y3, Tricky> == rr::npos);
static_assert(rr::member_index_v<&Dog::good, Animal> == rr::npos);

// member_class_t / member_value_t
static_assert(std::is_same_v<rr::member_class_t<&Dog::breed>, Dog>);
static_assert(std::is_same_v<rr::member_class_t<&Dog::name>, Animal>);  // &Dog::name is `std::string Animal::*`
static_assert(std::is_same_v<rr::member_value_t<&Tricky::_leading>, std::optional<std::string>>);

// ---- type names --------------------------------------------------------------------------------

static_assert(rr::type_name_v<Tricky> == "Tricky");
static_assert(rr::type_name_v<ns::inner::Point> == "Point");
static_assert(rr::type_name_v<ns::inner::box<int>> == "box");
static_assert(rr::type_name_v<ns::inner::box<ns::inner::Point>> == "box");
static_assert(rr::type_name_v<Hidden> == "Hidden");
static_assert(rr::type_name_v<Dog> == "Dog");
static_assert(rr::qualified_type_name_v<Tricky> == "Tricky");
static_assert(rr::qualified_type_name_v<ns::inner::Point> == "ns::inner::Point");
static_assert(rr::qualified_type_name_v<ns::inner::box<int>> == "ns::inner::box<int>");
static_assert(rr::qualified_type_name_v<ns::inner::box<ns::inner::Point>> == "ns::inner::box<ns::inner::Point>");

// ---- runtime access ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(get_reads_and_writes_aggregate_fields) {
    Tricky t{7, std::nullopt, {1, 2}, {0.5, 1.5, 2.5}, 3};
    BOOST_TEST(rr::get<0>(t) == 7);
    BOOST_TEST(!rr::get<1>(t).has_value());
    BOOST_TEST(rr::get<2>(t).size() == 2u);
    BOOST_TEST(rr::get<3>(t)[2] == 2.5);
    BOOST_TEST(*rr::get<4>(t) == 3);

    rr::get<0>(t) = -42;
    rr::get<1>(t) = "lead";
    rr::get<2>(t).push_back(3);
    rr::get<3>(t)[0] = 9.25;
    rr::get<4>(t).reset();
    BOOST_TEST(t.x_y3 == -42);
    BOOST_TEST(t._leading.value() == "lead");
    BOOST_TEST((t.a1b2 == std::vector<int>{1, 2, 3}));
    BOOST_TEST(t.coords[0] == 9.25);
    BOOST_TEST(!t.n_2.has_value());

    static_assert(std::is_same_v<decltype(rr::get<0>(t)), std::int64_t&>);
    const Tricky& ct = t;
    static_assert(std::is_same_v<decltype(rr::get<1>(ct)), const std::optional<std::string>&>);
    BOOST_TEST(rr::get<1>(ct).value() == "lead");
}

BOOST_AUTO_TEST_CASE(get_on_single_member_template_and_nested) {
    Single s{"one"};
    rr::get<0>(s) += "!";
    BOOST_TEST(s.only == "one!");

    ns::inner::box<int> b{5, std::nullopt};
    rr::get<1>(b) = 6;
    BOOST_TEST(b.maybe.value() == 6);
    BOOST_TEST(rr::get<0>(b) == 5);

    Outer o{{1, 2, 3}, false};
    rr::get<0>(o).y = 20;
    rr::get<1>(o) = true;
    BOOST_TEST(o.point.y == 20);
    BOOST_TEST(o.flag);
}

BOOST_AUTO_TEST_CASE(get_reaches_private_members_of_described_class) {
    Account a{1, "ann", 10.5};
    BOOST_TEST(rr::get<0>(a) == 1);
    BOOST_TEST(rr::get<1>(a) == "ann");
    BOOST_TEST(rr::get<2>(a) == 10.5);
    rr::get<1>(a) = "bob";
    rr::get<2>(a) = -3.0;
    BOOST_TEST(a.owner() == "bob");
    BOOST_TEST(a.balance() == -3.0);

    const Account& ca = a;
    static_assert(std::is_same_v<decltype(rr::get<1>(ca)), const std::string&>);
    BOOST_TEST(rr::get<1>(ca) == "bob");
}

BOOST_AUTO_TEST_CASE(get_reaches_inherited_members_of_described_class) {
    Dog d;
    d.id = 3;
    d.name = "rex";
    d.breed = std::nullopt;
    d.good = false;
    BOOST_TEST(rr::get<0>(d) == 3);
    BOOST_TEST(rr::get<1>(d) == "rex");
    rr::get<1>(d) = "fido";
    rr::get<2>(d) = "beagle";
    rr::get<3>(d) = true;
    BOOST_TEST(d.name == "fido");
    BOOST_TEST(static_cast<Animal&>(d).name == "fido");
    BOOST_TEST(d.breed.value() == "beagle");
    BOOST_TEST(d.good);

    // Through a const reference the described path must still be taken (not PFR's).
    const Dog& cd = d;
    static_assert(std::is_same_v<decltype(rr::get<1>(cd)), const std::string&>);
    BOOST_TEST(rr::get<1>(cd) == "fido");
    BOOST_TEST(rr::get<3>(cd) == true);
}

BOOST_AUTO_TEST_CASE(for_each_field_index_visits_every_index_in_order) {
    std::vector<std::size_t> indexes;
    std::vector<std::string_view> names;
    rr::for_each_field_index<Tricky>([&](auto i) {
        static_assert(decltype(i)::value < rr::field_count_v<Tricky>);
        indexes.push_back(i.value);
        names.push_back(rr::field_name_v<Tricky, i.value>);
    });
    BOOST_TEST((indexes == std::vector<std::size_t>{0, 1, 2, 3, 4}));
    BOOST_TEST((names == std::vector<std::string_view>{"x_y3", "_leading", "a1b2", "coords", "n_2"}));

    names.clear();
    rr::for_each_field_index<Dog>([&](auto i) { names.push_back(rr::field_name_v<Dog, i.value>); });
    BOOST_TEST((names == std::vector<std::string_view>{"id", "name", "breed", "good"}));

    names.clear();
    rr::for_each_field_index<Account>([&](auto i) { names.push_back(rr::field_name_v<Account, i.value>); });
    BOOST_TEST((names == std::vector<std::string_view>{"id", "owner_", "balance_"}));

    std::size_t calls = 0;
    rr::for_each_field_index<Single>([&](auto) { ++calls; });
    BOOST_TEST(calls == 1u);
}

BOOST_AUTO_TEST_CASE(for_each_field_index_with_get_copies_every_field) {
    const Tricky from{11, "x", {4}, {1, 2, 3}, 8};
    Tricky to{};
    rr::for_each_field_index<Tricky>([&](auto i) { rr::get<i.value>(to) = rr::get<i.value>(from); });
    BOOST_TEST(to.x_y3 == 11);
    BOOST_TEST(to._leading.value() == "x");
    BOOST_TEST((to.a1b2 == std::vector<int>{4}));
    BOOST_TEST(to.coords[1] == 2.0);
    BOOST_TEST(to.n_2.value() == 8);
}

BOOST_AUTO_TEST_CASE(names_survive_at_run_time) {
    // The names live in static storage: check their run-time contents, not only constexpr ones.
    const std::string joined = std::string(rr::field_name_v<Tricky, 0>) + "," +
                               std::string(rr::field_name_v<Tricky, 1>) + "," +
                               std::string(rr::qualified_type_name_v<ns::inner::box<int>>);
    BOOST_TEST(joined == "x_y3,_leading,ns::inner::box<int>");
    BOOST_TEST((rr::field_name_v<Tricky, 2>.data()[rr::field_name_v<Tricky, 2>.size()] == '\0'));
}
