// expect: reflorm: an option in reflorm::model<Model> names a member that is not a column of that model
// expect: Owner
// expect: &Other::label
// max_length names a member of another model.
#include <reflorm/schema/table.hpp>
#include <cstdint>
#include <string>

struct Other {
    std::int64_t id;
    std::string label;
};

struct Owner {
    std::int64_t id;
    std::string title;
};

template <>
struct reflorm::model<Owner> {
    static constexpr auto columns = reflorm::columns(reflorm::max_length<&Other::label, 20>);
};

const auto& table = reflorm::schema::table_of<Owner>;
