// expect: reflorm: no foreign key links the relationship's model and its target model
// expect: Parent
// expect: children
// A one-to-many whose child declares no foreign key to the parent.
#include <reflorm/orm.hpp>
#include <cstdint>

struct Child;
struct Parent {
    std::int64_t id;
    reflorm::many<Child> children;
};
struct Child {
    std::int64_t id;
    std::int64_t parent_id;
};

void load(reflorm::session& s, Parent& p) { s.load<&Parent::children>(p); }
