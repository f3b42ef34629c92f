// expect: reflorm: session.add_all() takes the vector itself: pass std::move(vector)
// A named vector given to add_all() would be copied, and later changes to its objects lost.
#include <reflorm/orm/session.hpp>
#include <cstdint>
#include <string>
#include <vector>

struct User {
    std::int64_t id;
    std::string name;
};

void add_all_by_name(reflorm::session& s) {
    std::vector<User> users{{0, "ann"}};
    s.add_all(users);
}
