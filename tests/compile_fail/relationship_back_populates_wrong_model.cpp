// expect: reflorm: back_populates<...>() must name a reflorm::one<Model> or reflorm::many<Model> member of the relationship's target model
// expect: User
// expect: addresses
// back_populates names a member of the wrong model.
#include <reflorm/orm.hpp>
#include <cstdint>

struct Address;
struct User {
    std::int64_t id;
    reflorm::many<Address> addresses;
    reflorm::many<Address> old_addresses;
};
struct Address {
    std::int64_t id;
    std::int64_t user_id;
    reflorm::one<User> user;
};
template <>
struct reflorm::model<User> {
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&User::addresses>{}.back_populates<&User::old_addresses>());
};
template <>
struct reflorm::model<Address> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Address::user_id, &User::id>);
};

void load(reflorm::session& s, User& u) { s.load<&User::addresses>(u); }
