// expect: reflorm: more than one foreign key links the relationship's model and its target model
// expect: Message
// expect: author
// Two foreign keys to User, neither named after the relationship (author_id).
#include <reflorm/orm.hpp>
#include <cstdint>

struct User {
    std::int64_t id;
};
struct Message {
    std::int64_t id;
    std::int64_t sender_id;
    std::int64_t recipient_id;
    reflorm::one<User> author;
};
template <>
struct reflorm::model<Message> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Message::sender_id, &User::id>,
                                                     reflorm::foreign_key<&Message::recipient_id, &User::id>);
};

void load(reflorm::session& s, Message& m) { s.load<&Message::author>(m); }
