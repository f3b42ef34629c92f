// expect-success
// Positive control: correct uses of everything the other snippets misuse. It must compile, so
// that a broken include path or flag cannot make every failure case pass.
#include <reflorm/engine/connection.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/select.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>

struct Parent {
    std::int64_t id;
    std::string name;
};

struct Child {
    std::int64_t id;
    std::optional<std::int64_t> parent_id;
    std::string label;
    std::int32_t count;
};

struct Pair {
    std::int32_t left;
    std::int32_t right;
};

class Described {
public:
    std::int64_t id = 0;
private:
    std::string secret_;
    BOOST_DESCRIBE_CLASS(Described, (), (id), (), (secret_))
};

template <>
struct reflorm::model<Child> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Child::parent_id, &Parent::id>,
                                                     reflorm::max_length<&Child::label, 10>);
};
template <>
struct reflorm::model<Pair> {
    static constexpr auto primary_key = reflorm::primary_key<&Pair::left, &Pair::right>;
};

static_assert(reflorm::schema::table_of<Child>.columns.size() == 4);
static_assert(reflorm::schema::table_of<Described>.columns.size() == 2);

auto statement = reflorm::select<Child>().where(reflorm::c<&Child::label> == "x" && reflorm::c<&Child::count> > 5);

std::optional<Pair> find(reflorm::connection& c) { return c.get<Pair>(1, 2); }
std::optional<Parent> find_parent(reflorm::connection& c) { return c.get<Parent>(std::int64_t{1}); }
