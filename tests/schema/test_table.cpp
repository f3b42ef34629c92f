// schema layer: table metadata derived at compile time from models and reflorm::model<T>.
// Everything table_of<T> yields is a constant expression, so most checks are static_asserts;
// the same facts are read again at run time where that adds something (spans, pointers).
#define BOOST_TEST_MODULE schema
#include <boost/test/unit_test.hpp>

#include <reflorm/schema/options.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/ddl.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rs = reflorm::schema;
using rs::column_kind;

namespace table_test {

// ---- default table names ----------------------------------------------------------------------
struct User { std::int64_t id; std::string name; std::optional<std::string> email; };
struct City { std::int64_t id; };
struct Address { std::int64_t id; };
struct CountryLanguage { std::int64_t id; };
struct Box { std::int64_t id; };
struct Match { std::int64_t id; };
struct Day { std::int64_t id; };
struct HTTPServer { std::int64_t id; };
struct Status { std::int64_t id; };
struct Wish { std::int64_t id; };
struct Key { std::int64_t id; };
namespace deep::er {
template <class T>
struct Entry { std::int64_t id; T payload; };
}  // namespace deep::er

// ---- explicit configuration -------------------------------------------------------------------
struct Person { std::int64_t id; std::string name; };  // model<Person>::table = "people"

struct Country {
    std::string code;
    std::string name;
    std::int32_t population;
};

struct Language {  // composite primary key, both members given explicitly
    std::string country_code;
    std::string language;
    bool is_official;
    double percentage;
};

struct Ticket {  // a single integer key that the application assigns
    std::int64_t id;
    std::string title;
};

struct Serial {  // an explicit single integer key not named `id`
    std::uint32_t serial_no;
    std::int64_t id_like;
};

struct Pair {  // composite integer key: never generated
    std::int32_t left;
    std::int32_t right;
};

struct Flag {  // a boolean key is not an integer key
    bool id;
};

struct Options {
    std::int64_t id;
    std::string code;
    std::string first;
    std::string last;
    std::optional<std::string> note;         // nullable by std::optional...
    std::optional<std::string> required;     // ...but overridden to NOT NULL
    std::int32_t maybe;                      // NOT NULL by default, overridden to nullable
    std::int64_t created;
    std::int32_t rank;
};

// ---- foreign keys -----------------------------------------------------------------------------
struct Part { std::int32_t partkey; std::string name; };
struct Supplier { std::int32_t suppkey; std::string name; };
struct PartSupp { std::int32_t partkey; std::int32_t suppkey; std::int32_t availqty; };
struct LineItem {
    std::int64_t id;
    std::int32_t partkey;
    std::optional<std::int32_t> suppkey;  // optional aside, the type must match
    double quantity;
};

// ---- every column kind ------------------------------------------------------------------------
enum class Color { red, green, ultraviolet };
BOOST_DESCRIBE_ENUM(Color, red, green, ultraviolet)
enum Plain : std::int16_t { plain_a = 1, plain_b = 2 };

struct Everything {
    std::int64_t id;
    bool b;
    std::int8_t i8;
    std::int16_t i16;
    std::int32_t i32;
    std::int64_t i64;
    std::uint8_t u8;
    std::uint16_t u16;
    std::uint32_t u32;
    std::uint64_t u64;
    float f32;
    double f64;
    std::string text;
    reflorm::date day;
    reflorm::timestamp at;
    reflorm::timestamp_us at_us;
    reflorm::blob data;
    Color color;
    Plain plain;
    std::optional<Color> maybe_color;
    std::optional<reflorm::date> maybe_day;
};

// ---- described models -------------------------------------------------------------------------
struct Animal { std::int64_t id; std::string name; };
BOOST_DESCRIBE_STRUCT(Animal, (), (id, name))
struct Dog : Animal { std::optional<std::string> breed; };
BOOST_DESCRIBE_STRUCT(Dog, (Animal), (breed))

class Wallet {
public:
    std::int64_t id = 0;
private:
    std::string owner_;
    double amount_ = 0;
    BOOST_DESCRIBE_CLASS(Wallet, (), (id), (), (owner_, amount_))
};

// ---- dependency order -------------------------------------------------------------------------
struct Region { std::int64_t id; };
struct Nation { std::int64_t id; std::int64_t region_id; };
struct Customer { std::int64_t id; std::int64_t nation_id; };
struct Order { std::int64_t id; std::int64_t customer_id; };
struct Employee { std::int64_t id; std::optional<std::int64_t> manager_id; };  // self-reference
struct Chicken { std::int64_t id; std::optional<std::int64_t> egg_id; };      // a cycle...
struct Egg { std::int64_t id; std::optional<std::int64_t> chicken_id; };      // ...of two
struct Fox { std::int64_t id; std::int64_t chicken_id; };                      // outside the cycle, referencing it

}  // namespace table_test

using namespace table_test;

template <>
struct reflorm::model<Person> {
    static constexpr std::string_view table = "people";
};
template <>
struct reflorm::model<Country> {
    static constexpr auto primary_key = reflorm::primary_key<&Country::code>;
};
template <>
struct reflorm::model<Language> {
    static constexpr auto table = "country_language";  // a const char*, also accepted
    static constexpr auto primary_key = reflorm::primary_key<&Language::country_code, &Language::language>;
};
template <>
struct reflorm::model<Ticket> {
    static constexpr bool autoincrement = false;
};
template <>
struct reflorm::model<Serial> {
    static constexpr auto primary_key = reflorm::primary_key<&Serial::serial_no>;
};
template <>
struct reflorm::model<Pair> {
    static constexpr auto primary_key = reflorm::primary_key<&Pair::left, &Pair::right>;
};
template <>
struct reflorm::model<Options> {
    static constexpr auto columns = reflorm::columns(
        reflorm::unique<&Options::code>,
        reflorm::unique<&Options::first, &Options::last>,
        reflorm::index<&Options::rank>,
        reflorm::index<&Options::last, &Options::first>,
        reflorm::max_length<&Options::code, 12>,
        reflorm::nullable<&Options::maybe>,
        reflorm::not_null<&Options::required>,
        reflorm::server_default<&Options::created>("CURRENT_TIMESTAMP"));
};
template <>
struct reflorm::model<Part> {
    static constexpr auto primary_key = reflorm::primary_key<&Part::partkey>;
};
template <>
struct reflorm::model<Supplier> {
    static constexpr auto primary_key = reflorm::primary_key<&Supplier::suppkey>;
};
template <>
struct reflorm::model<PartSupp> {
    static constexpr auto primary_key = reflorm::primary_key<&PartSupp::partkey, &PartSupp::suppkey>;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&PartSupp::partkey, &Part::partkey>.on_delete(reflorm::referential_action::cascade),
        reflorm::foreign_key<&PartSupp::suppkey, &Supplier::suppkey>
            .on_update(reflorm::referential_action::restrict)
            .on_delete(reflorm::referential_action::set_null));
};
template <>
struct reflorm::model<LineItem> {
    static constexpr auto columns = reflorm::columns(
        reflorm::composite_foreign_key<reflorm::key<&LineItem::partkey, &LineItem::suppkey>,
                                       reflorm::key<&PartSupp::partkey, &PartSupp::suppkey>>
            .deferrable()
            .on_delete(reflorm::referential_action::set_default));
};
template <>
struct reflorm::model<Nation> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Nation::region_id, &Region::id>);
};
template <>
struct reflorm::model<Customer> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Customer::nation_id, &Nation::id>);
};
template <>
struct reflorm::model<Order> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Order::customer_id, &Customer::id>);
};
template <>
struct reflorm::model<Employee> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Employee::manager_id, &Employee::id>);
};
template <>
struct reflorm::model<Chicken> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Chicken::egg_id, &Egg::id>.deferrable());
};
template <>
struct reflorm::model<Egg> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Egg::chicken_id, &Chicken::id>.deferrable());
};
template <>
struct reflorm::model<Fox> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Fox::chicken_id, &Chicken::id>);
};

namespace {

template <class T>
constexpr const rs::column_info& column(std::string_view name) {
    for (const auto& c : rs::table_of<T>.columns)
        if (c.name == name) return c;
    throw "no such column";  // not a constant expression: a typo fails the static_assert's evaluation
}

template <class T>
constexpr bool columns_are(const rs::column_list& list, std::initializer_list<std::string_view> names) {
    if (list.size != names.size()) return false;
    std::size_t i = 0;
    for (auto name : names)
        if (rs::table_of<T>.columns[list.items[i++]].name != name) return false;
    return true;
}

}  // namespace

// ---- default table names ----------------------------------------------------------------------

static_assert(rs::table_of<User>.name == "users");
static_assert(rs::table_of<City>.name == "cities");
static_assert(rs::table_of<Address>.name == "addresses");
static_assert(rs::table_of<CountryLanguage>.name == "country_languages");
static_assert(rs::table_of<Box>.name == "boxes");
static_assert(rs::table_of<Match>.name == "matches");
static_assert(rs::table_of<Day>.name == "days");
static_assert(rs::table_of<HTTPServer>.name == "http_servers");
static_assert(rs::table_of<Status>.name == "statuses");
static_assert(rs::table_of<Wish>.name == "wishes");
static_assert(rs::table_of<Key>.name == "keys");     // vowel before the y
static_assert(rs::table_of<deep::er::Entry<int>>.name == "entries");  // template arguments dropped
static_assert(rs::table_of<Dog>.name == "dogs");
static_assert(rs::table_of<User>.model_name == "User");
static_assert(rs::table_of<deep::er::Entry<int>>.model_name == "Entry");

static_assert(rs::snake_case<32>("CountryLanguage").view() == "country_language");
static_assert(rs::snake_case<32>("HTTPServer").view() == "http_server");
static_assert(rs::snake_case<32>("UTF8Decoder").view() == "utf8_decoder");
static_assert(rs::snake_case<32>("HTTP2Server").view() == "http2_server");
static_assert(rs::snake_case<32>("Vector3").view() == "vector3");
static_assert(rs::snake_case<32>("user_2").view() == "user_2");
static_assert(rs::snake_case<32>("Already_Snake").view() == "already_snake");
static_assert(rs::pluralize<32>("bush").view() == "bushes");
static_assert(rs::pluralize<32>("buzz").view() == "buzzes");
static_assert(rs::pluralize<32>("boy").view() == "boys");
static_assert(rs::pluralize<32>("y").view() == "ys");

// ---- explicit names and primary keys ------------------------------------------------------------

static_assert(rs::table_of<Person>.name == "people");
static_assert(rs::table_of<Language>.name == "country_language");

// `id` by convention
static_assert(columns_are<User>(rs::table_of<User>.primary_key, {"id"}));
static_assert(column<User>("id").primary_key && column<User>("id").autoincrement);
static_assert(!column<User>("name").primary_key && !column<User>("name").autoincrement);
static_assert(rs::table_of<User>.autoincrement_column == 0);

// explicit single, non-integer: a key, but not generated
static_assert(columns_are<Country>(rs::table_of<Country>.primary_key, {"code"}));
static_assert(column<Country>("code").primary_key && !column<Country>("code").autoincrement);
static_assert(rs::table_of<Country>.autoincrement_column == rs::no_column);

// explicit composite
static_assert(columns_are<Language>(rs::table_of<Language>.primary_key, {"country_code", "language"}));
static_assert(column<Language>("country_code").primary_key && column<Language>("language").primary_key);
static_assert(!column<Language>("is_official").primary_key);
static_assert(rs::table_of<Language>.autoincrement_column == rs::no_column);

// autoincrement only for a single integer key, and off when the model says so
static_assert(column<Ticket>("id").primary_key && !column<Ticket>("id").autoincrement);
static_assert(rs::table_of<Ticket>.autoincrement_column == rs::no_column);
static_assert(columns_are<Serial>(rs::table_of<Serial>.primary_key, {"serial_no"}));
static_assert(column<Serial>("serial_no").autoincrement && !column<Serial>("id_like").primary_key);
static_assert(rs::table_of<Serial>.autoincrement_column == 0);
static_assert(!column<Pair>("left").autoincrement && !column<Pair>("right").autoincrement);
static_assert(rs::table_of<Pair>.primary_key.size == 2);
static_assert(column<Flag>("id").primary_key && !column<Flag>("id").autoincrement);

// described models
static_assert(rs::table_of<Dog>.columns.size() == 3);
static_assert(column<Dog>("id").primary_key && column<Dog>("id").autoincrement);
static_assert(column<Dog>("breed").nullable && !column<Dog>("name").nullable);
static_assert(rs::table_of<Wallet>.name == "wallets");
// A private member's trailing underscore is not part of its column name.
static_assert(column<Wallet>("owner").kind == column_kind::text);
static_assert(column<Wallet>("amount").kind == column_kind::float64);
static_assert(rs::table_of<Wallet>.columns[2].field_index == 2);

// ---- column options ---------------------------------------------------------------------------

static_assert(column<User>("email").nullable && !column<User>("name").nullable && !column<User>("id").nullable);
static_assert(column<Options>("note").nullable);
static_assert(!column<Options>("required").nullable);  // not_null overrides std::optional
static_assert(column<Options>("maybe").nullable);      // nullable overrides a plain member
static_assert(!column<Options>("rank").nullable);

static_assert(column<Options>("code").unique && column<Options>("code").max_length == 12);
static_assert(!column<Options>("first").unique && !column<Options>("last").unique);  // composite: an index_info
static_assert(column<Options>("first").max_length == 0);
static_assert(column<Options>("created").server_default == "CURRENT_TIMESTAMP");
static_assert(column<Options>("rank").server_default.empty());

static_assert(rs::table_of<Options>.indexes.size() == 3);
static_assert(rs::table_of<Options>.indexes[0].unique);
static_assert(columns_are<Options>(rs::table_of<Options>.indexes[0].columns, {"first", "last"}));
static_assert(!rs::table_of<Options>.indexes[1].unique);
static_assert(columns_are<Options>(rs::table_of<Options>.indexes[1].columns, {"rank"}));
static_assert(!rs::table_of<Options>.indexes[2].unique);
static_assert(columns_are<Options>(rs::table_of<Options>.indexes[2].columns, {"last", "first"}));  // given order kept

static_assert(rs::column_index_v<&Options::rank> == 8);
static_assert(rs::column_index_v<&Options::id> == 0);
static_assert(rs::column_fields_v<Options>.size() == 9);

// ---- foreign keys -----------------------------------------------------------------------------

static_assert(rs::table_of<PartSupp>.foreign_keys.size() == 2);
static_assert(columns_are<PartSupp>(rs::table_of<PartSupp>.foreign_keys[0].columns, {"partkey"}));
static_assert(rs::table_of<PartSupp>.foreign_keys[0].target_columns.size == 1 &&
              rs::table_of<PartSupp>.foreign_keys[0].target_columns.items[0] == 0);
static_assert(rs::table_of<PartSupp>.foreign_keys[0].on_delete == reflorm::referential_action::cascade);
static_assert(rs::table_of<PartSupp>.foreign_keys[0].on_update == reflorm::referential_action::no_action);
static_assert(!rs::table_of<PartSupp>.foreign_keys[0].deferrable);
static_assert(rs::table_of<PartSupp>.foreign_keys[1].on_update == reflorm::referential_action::restrict);
static_assert(rs::table_of<PartSupp>.foreign_keys[1].on_delete == reflorm::referential_action::set_null);
static_assert(rs::table_of<LineItem>.foreign_keys.size() == 1);
static_assert(columns_are<LineItem>(rs::table_of<LineItem>.foreign_keys[0].columns, {"partkey", "suppkey"}));
static_assert(columns_are<PartSupp>(rs::table_of<LineItem>.foreign_keys[0].target_columns, {"partkey", "suppkey"}));
static_assert(rs::table_of<LineItem>.foreign_keys[0].deferrable);
static_assert(rs::table_of<LineItem>.foreign_keys[0].on_delete == reflorm::referential_action::set_default);
static_assert(rs::table_of<User>.foreign_keys.empty() && rs::table_of<User>.indexes.empty());

// ---- column kinds -----------------------------------------------------------------------------

static_assert(column<Everything>("b").kind == column_kind::boolean);
static_assert(column<Everything>("i8").kind == column_kind::int8);
static_assert(column<Everything>("i16").kind == column_kind::int16);
static_assert(column<Everything>("i32").kind == column_kind::int32);
static_assert(column<Everything>("i64").kind == column_kind::int64);
static_assert(column<Everything>("u8").kind == column_kind::uint8);
static_assert(column<Everything>("u16").kind == column_kind::uint16);
static_assert(column<Everything>("u32").kind == column_kind::uint32);
static_assert(column<Everything>("u64").kind == column_kind::uint64);
static_assert(column<Everything>("f32").kind == column_kind::float32);
static_assert(column<Everything>("f64").kind == column_kind::float64);
static_assert(column<Everything>("text").kind == column_kind::text);
static_assert(column<Everything>("day").kind == column_kind::date);
static_assert(column<Everything>("at").kind == column_kind::timestamp);
static_assert(column<Everything>("at_us").kind == column_kind::timestamp_micro);
static_assert(column<Everything>("data").kind == column_kind::blob);
static_assert(column<Everything>("color").kind == column_kind::enum_name);
static_assert(column<Everything>("color").max_length == 11);  // "ultraviolet"
static_assert(column<Everything>("plain").kind == column_kind::enum_integer);
static_assert(column<Everything>("plain").max_length == 0);
static_assert(column<Everything>("maybe_color").kind == column_kind::enum_name);
static_assert(column<Everything>("maybe_color").nullable && column<Everything>("maybe_color").max_length == 11);
static_assert(column<Everything>("maybe_day").kind == column_kind::date && column<Everything>("maybe_day").nullable);
static_assert(rs::table_of<Everything>.columns.size() == 21);

static_assert(rs::column_traits<long long>::kind == column_kind::int64);
static_assert(rs::column_traits<unsigned char>::kind == column_kind::uint8);
static_assert(rs::column_traits<signed char>::kind == column_kind::int8);
static_assert(!rs::column_traits<char>::supported);
static_assert(!rs::column_traits<std::optional<std::optional<int>>>::supported);
static_assert(!rs::column_traits<std::vector<int>>::supported);
static_assert(!rs::column_traits<std::string_view>::supported);
static_assert(!rs::column_traits<const char*>::supported);
static_assert(std::is_same_v<rs::column_traits<std::optional<double>>::value_type, double>);
static_assert(rs::longest_enumerator_name<Color>() == 11);
static_assert(rs::longest_enumerator_name<Plain>() == 0);

// ---- run time ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(column_metadata_at_run_time) {
    const rs::table_info& t = rs::table_of<Everything>;
    std::vector<std::string_view> names;
    for (const auto& c : t.columns) names.push_back(c.name);
    const std::vector<std::string_view> expected{"id", "b", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32",
                                                 "f64", "text", "day", "at", "at_us", "data", "color", "plain",
                                                 "maybe_color", "maybe_day"};
    BOOST_TEST(names == expected, boost::test_tools::per_element());
    for (std::size_t i = 0; i < t.columns.size(); ++i) BOOST_TEST(t.columns[i].field_index == i);
}

BOOST_AUTO_TEST_CASE(foreign_key_targets_resolve_to_the_referenced_table) {
    const auto& fk = rs::table_of<LineItem>.foreign_keys[0];
    BOOST_TEST(&fk.target() == &rs::table_of<PartSupp>);
    BOOST_TEST(fk.target().name == "part_supps");
    BOOST_TEST(&rs::table_of<PartSupp>.foreign_keys[0].target() == &rs::table_of<Part>);
    BOOST_TEST(&rs::table_of<PartSupp>.foreign_keys[1].target() == &rs::table_of<Supplier>);
    // A cycle resolves through the function pointers in both directions.
    BOOST_TEST(&rs::table_of<Chicken>.foreign_keys[0].target() == &rs::table_of<Egg>);
    BOOST_TEST(&rs::table_of<Egg>.foreign_keys[0].target() == &rs::table_of<Chicken>);
}

namespace {
std::vector<std::string_view> sorted_names(std::vector<const rs::table_info*> tables) {
    std::vector<std::string_view> names;
    for (const auto* t : reflorm::sql::sort_by_dependency(tables)) names.push_back(t->name);
    return names;
}

// Whether `first` comes before `second` in `names` (both present).
bool before(const std::vector<std::string_view>& names, std::string_view first, std::string_view second) {
    const auto a = std::find(names.begin(), names.end(), first);
    const auto b = std::find(names.begin(), names.end(), second);
    return a != names.end() && b != names.end() && a < b;
}
}  // namespace

BOOST_AUTO_TEST_CASE(sort_by_dependency_puts_parents_first) {
    using v = std::vector<std::string_view>;
    // Given children first, a chain comes out parents first.
    BOOST_TEST(sorted_names({&rs::table_of<Order>, &rs::table_of<Customer>, &rs::table_of<Nation>, &rs::table_of<Region>}) ==
                   (v{"regions", "nations", "customers", "orders"}),
               boost::test_tools::per_element());
    // Already sorted input stays as it is.
    BOOST_TEST(sorted_names({&rs::table_of<Region>, &rs::table_of<Nation>, &rs::table_of<Customer>}) ==
                   (v{"regions", "nations", "customers"}),
               boost::test_tools::per_element());
    // Composite keys and several parents: any order with parents first will do.
    const auto parts = sorted_names({&rs::table_of<LineItem>, &rs::table_of<PartSupp>, &rs::table_of<Supplier>, &rs::table_of<Part>});
    BOOST_TEST(parts.size() == 4u);
    BOOST_TEST(before(parts, "parts", "part_supps"));
    BOOST_TEST(before(parts, "suppliers", "part_supps"));
    BOOST_TEST(before(parts, "part_supps", "line_items"));
    // A referenced table that is not in the list does not hold its children back.
    BOOST_TEST(sorted_names({&rs::table_of<Order>, &rs::table_of<Customer>}) == (v{"customers", "orders"}),
               boost::test_tools::per_element());
    // Unrelated tables keep their given order.
    BOOST_TEST(sorted_names({&rs::table_of<User>, &rs::table_of<City>, &rs::table_of<Box>}) == (v{"users", "cities", "boxes"}),
               boost::test_tools::per_element());
    BOOST_TEST(sorted_names({}).empty());
}

BOOST_AUTO_TEST_CASE(sort_by_dependency_ignores_self_references) {
    using v = std::vector<std::string_view>;
    BOOST_TEST(sorted_names({&rs::table_of<Employee>}) == (v{"employees"}), boost::test_tools::per_element());
    BOOST_TEST(sorted_names({&rs::table_of<Employee>, &rs::table_of<Region>}) == (v{"employees", "regions"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sort_by_dependency_keeps_given_order_in_a_cycle) {
    using v = std::vector<std::string_view>;
    BOOST_TEST(sorted_names({&rs::table_of<Chicken>, &rs::table_of<Egg>}) == (v{"chickens", "eggs"}),
               boost::test_tools::per_element());
    BOOST_TEST(sorted_names({&rs::table_of<Egg>, &rs::table_of<Chicken>}) == (v{"eggs", "chickens"}),
               boost::test_tools::per_element());
    // Tables outside the cycle are still placed by their dependencies.
    const auto mixed = sorted_names({&rs::table_of<Nation>, &rs::table_of<Egg>, &rs::table_of<Chicken>, &rs::table_of<Region>});
    BOOST_TEST(mixed.size() == 4u);
    BOOST_TEST(before(mixed, "regions", "nations"));
    BOOST_TEST(before(mixed, "eggs", "chickens"));
    // A table that references a cycle, without being part of it, comes after the cycle even
    // when given first.
    BOOST_TEST(sorted_names({&rs::table_of<Fox>, &rs::table_of<Egg>, &rs::table_of<Chicken>}) ==
                   (v{"eggs", "chickens", "foxes"}),
               boost::test_tools::per_element());
    const auto fox = sorted_names({&rs::table_of<Fox>, &rs::table_of<Chicken>, &rs::table_of<Egg>});
    BOOST_TEST(fox.size() == 3u);
    BOOST_TEST(before(fox, "chickens", "foxes"));
    BOOST_TEST(before(fox, "chickens", "eggs"));
}
