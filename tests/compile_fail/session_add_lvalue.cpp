// expect: reflorm: session.add() takes the object itself: pass std::move(object)
// A named object given to add() would be copied, and its later changes lost.
#include <reflorm/orm/session.hpp>
#include <cstdint>
#include <string>

struct User {
    std::int64_t id;
    std::string name;
};

void add_by_name(reflorm::session& s) {
    User u{0, "ann"};
    s.add(u);
}
