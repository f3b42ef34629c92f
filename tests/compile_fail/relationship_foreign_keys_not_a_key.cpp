// expect: reflorm: .foreign_keys<...>() of this relationship names members that are not a declared foreign key
// expect: Message
// expect: sender
// .foreign_keys<>() names a plain column, not one of the declared foreign keys.
#include <reflorm/orm.hpp>
#include <cstdint>

struct User {
    std::int64_t id;
};
struct Message {
    std::int64_t id;
    std::int64_t sender_id;
    std::int64_t reply_to;
    reflorm::one<User> sender;
};
template <>
struct reflorm::model<Message> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Message::sender_id, &User::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Message::sender>{}.foreign_keys<&Message::reply_to>());
};

void load(reflorm::session& s, Message& m) { s.load<&Message::sender>(m); }
