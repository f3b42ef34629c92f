// expect: reflorm: an option in reflorm::model<Model> takes a pointer to data member such as &Model::name
// expect: Owner
// expect: &Owner::size
// A member function named where a column is expected.
#include <reflorm/schema/table.hpp>
#include <cstdint>
#include <string>

struct Owner {
    std::int64_t id;
    std::string title;
    std::size_t size() const { return title.size(); }
};

template <>
struct reflorm::model<Owner> {
    static constexpr auto columns = reflorm::columns(reflorm::unique<&Owner::size>);
};

const auto& table = reflorm::schema::table_of<Owner>;
