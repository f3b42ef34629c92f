// expect: reflorm: join<&Model::member>() would name a table twice
// expect: join the target as an alias
// Node::parent refers to nodes again: the joined copy needs a name of its own.
#include <reflorm/orm.hpp>
#include <cstdint>
#include <optional>

struct Node {
    std::int64_t id;
    std::optional<std::int64_t> parent_id;
    reflorm::one<Node> parent;
};
template <>
struct reflorm::model<Node> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Node::parent_id, &Node::id>);
};

auto query() { return reflorm::select<Node>().join<&Node::parent>(); }
