// expect: reflorm: the model has no primary key; add a member named `id`
// expect: NoKey
// A model without a member named `id` and without model<T>::primary_key.
#include <reflorm/schema/table.hpp>
#include <string>

struct NoKey {
    std::string name;
    int age;
};

const auto& table = reflorm::schema::table_of<NoKey>;
