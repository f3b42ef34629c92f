// Joining along a relationship, `select<Post>().join<&Post::tags>()`: the SQL text per dialect
// (no database), then the rows on the backend under test against the same join written by hand.
#define BOOST_TEST_MODULE orm_relationship_join
#include <boost/test/unit_test.hpp>

#include "../sql/sql_test_support.hpp"
#include "models.hpp"
#include "support/backend.hpp"

#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

using namespace orm_test;
using reflorm::c;
using sql_test::mysql_sql;
using sql_test::pg_sql;
using sql_test::sqlite_sql;

using parent_node = reflorm::alias<Node, "parent">;
using grandparent_node = reflorm::alias<Node, "grandparent">;
using sibling = reflorm::alias<Address, "sibling">;
using followed = reflorm::alias<Person, "followed">;
using other_post = reflorm::alias<Post, "other_post">;

BOOST_AUTO_TEST_SUITE(sql_text)

BOOST_AUTO_TEST_CASE(many_to_one_joins_the_target_on_the_owners_foreign_key) {
    const auto q = reflorm::select<Address>().join<&Address::user>().where(c<&User::name> == "two");
    BOOST_TEST(sqlite_sql(q) == "SELECT addresses.id, addresses.user_id, addresses.email_address FROM addresses "
                                "JOIN users ON users.id = addresses.user_id WHERE users.name = ?");
    BOOST_TEST(pg_sql(q) == "SELECT addresses.id, addresses.user_id, addresses.email_address FROM addresses "
                            "JOIN users ON users.id = addresses.user_id WHERE users.name = $1");
    BOOST_TEST(mysql_sql(q) == sqlite_sql(q));
}

BOOST_AUTO_TEST_CASE(one_to_many_outer_join_makes_the_targets_values_optional) {
    const auto q = reflorm::select(c<&User::name>, c<&Address::email_address>).outer_join<&User::addresses>();
    static_assert(std::is_same_v<decltype(q)::result_type, std::tuple<std::string, std::optional<std::string>>>);
    BOOST_TEST(sqlite_sql(q) ==
               "SELECT users.name, addresses.email_address FROM users LEFT OUTER JOIN addresses ON addresses.user_id = users.id");
    const auto inner = reflorm::select(c<&User::name>, c<&Address::email_address>).join<&User::addresses>();
    static_assert(std::is_same_v<decltype(inner)::result_type, std::tuple<std::string, std::string>>);
}

BOOST_AUTO_TEST_CASE(many_to_many_goes_through_the_secondary_which_where_may_read) {
    const auto q = reflorm::select<Post>().join<&Post::tags>().where(c<&Tag::name> == "t1" && c<&PostTag::tag_id> > 0);
    BOOST_TEST(sqlite_sql(q) == "SELECT posts.id, posts.title FROM posts JOIN post_tags ON post_tags.post_id = posts.id "
                                "JOIN tags ON tags.id = post_tags.tag_id WHERE tags.name = ? AND post_tags.tag_id > ?");
    BOOST_TEST(pg_sql(q) == "SELECT posts.id, posts.title FROM posts JOIN post_tags ON post_tags.post_id = posts.id "
                            "JOIN tags ON tags.id = post_tags.tag_id WHERE tags.name = $1 AND post_tags.tag_id > $2");
    BOOST_TEST(mysql_sql(q) == sqlite_sql(q));
}

BOOST_AUTO_TEST_CASE(a_where_before_the_join_leaves_the_target_out_of_from) {
    const auto q = reflorm::select<Post>().where(c<&Tag::name> == "t1").outer_join<&Post::tags>();
    BOOST_TEST(sqlite_sql(q) == "SELECT posts.id, posts.title FROM posts LEFT OUTER JOIN post_tags ON post_tags.post_id = posts.id "
                                "LEFT OUTER JOIN tags ON tags.id = post_tags.tag_id WHERE tags.name = ?");
    // Values of the association table read through an outer join may be NULL too.
    const auto keys = reflorm::select(c<&Post::title>, c<&PostTag::tag_id>, c<&Tag::name>).outer_join<&Post::tags>();
    static_assert(std::is_same_v<decltype(keys)::result_type,
                                 std::tuple<std::string, std::optional<std::int64_t>, std::optional<std::string>>>);
}

BOOST_AUTO_TEST_CASE(a_self_referential_relationship_joins_an_alias_and_chains_from_it) {
    const auto q = reflorm::select(c<&Node::label>, parent_node::c<&Node::label>, grandparent_node::c<&Node::label>)
                       .join<&Node::parent, parent_node>()
                       .outer_join<&Node::parent, grandparent_node, parent_node>();
    static_assert(std::is_same_v<decltype(q)::result_type, std::tuple<std::string, std::string, std::optional<std::string>>>);
    BOOST_TEST(sqlite_sql(q) == "SELECT nodes.label, parent.label, grandparent.label FROM nodes "
                                "JOIN nodes AS parent ON parent.id = nodes.parent_id "
                                "LEFT OUTER JOIN nodes AS grandparent ON grandparent.id = parent.parent_id");
    const auto children = reflorm::select<Node>().join<&Node::children, reflorm::alias<Node, "child">>();
    BOOST_TEST(sqlite_sql(children) ==
               "SELECT nodes.id, nodes.parent_id, nodes.label FROM nodes JOIN nodes AS child ON child.parent_id = nodes.id");
}

BOOST_AUTO_TEST_CASE(joins_chain_from_a_joined_target) {
    const auto q = reflorm::select(c<&Address::email_address>, sibling::c<&Address::email_address>)
                       .join<&Address::user>()
                       .join<&User::addresses, sibling>();
    BOOST_TEST(sqlite_sql(q) == "SELECT addresses.email_address, sibling.email_address FROM addresses "
                                "JOIN users ON users.id = addresses.user_id JOIN addresses AS sibling ON sibling.user_id = users.id");
    const auto orders = reflorm::select<Item>().join<&Item::order>().where(c<&Order::customer> == "ann");
    BOOST_TEST(sqlite_sql(orders) == "SELECT items.id, items.order_id, items.product, items.quantity FROM items "
                                     "JOIN orders ON orders.id = items.order_id WHERE orders.customer = ?");
}

BOOST_AUTO_TEST_CASE(a_self_referential_many_to_many_aliases_its_secondary_with_the_target) {
    const auto q = reflorm::select(c<&Person::name>, followed::c<&Person::name>).join<&Person::following, followed>();
    BOOST_TEST(sqlite_sql(q) == "SELECT people.name, followed.name FROM people "
                                "JOIN follows AS followed_follows ON followed_follows.follower_id = people.id "
                                "JOIN people AS followed ON followed.id = followed_follows.followed_id");
    // The same many-to-many twice: posts that share a tag with another post.
    const auto shared = reflorm::select(c<&Post::title>, other_post::c<&Post::title>)
                            .join<&Post::tags>()
                            .join<&Tag::posts, other_post>()
                            .where(c<&Post::id> != other_post::c<&Post::id>);
    BOOST_TEST(sqlite_sql(shared) == "SELECT posts.title, other_post.title FROM posts JOIN post_tags ON post_tags.post_id = posts.id "
                                     "JOIN tags ON tags.id = post_tags.tag_id "
                                     "JOIN post_tags AS other_post_post_tags ON other_post_post_tags.tag_id = tags.id "
                                     "JOIN posts AS other_post ON other_post.id = other_post_post_tags.post_id "
                                     "WHERE posts.id != other_post.id");
}

BOOST_AUTO_TEST_CASE(a_relationship_join_mixes_with_explicit_joins_and_select_from) {
    const auto q = reflorm::select(c<&Tag::name>).select_from<Post>().join<&Post::tags>().where(c<&Post::title> == "p1");
    BOOST_TEST(sqlite_sql(q) == "SELECT tags.name FROM posts JOIN post_tags ON post_tags.post_id = posts.id "
                                "JOIN tags ON tags.id = post_tags.tag_id WHERE posts.title = ?");
    const auto mixed = reflorm::select<User>().join<Address>(c<&Address::user_id> == c<&User::id>).join<&Address::user, reflorm::alias<User, "owner">>();
    BOOST_TEST(sqlite_sql(mixed) == "SELECT users.id, users.name, users.email FROM users JOIN addresses ON addresses.user_id = users.id "
                                    "JOIN users AS owner ON owner.id = addresses.user_id");
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// A row as text, `a|b|NULL`, so that rows of any column types compare and print.
template <class... T>
std::vector<std::string> as_text(const std::vector<std::tuple<T...>>& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows) {
        std::ostringstream line;
        std::apply(
            [&](const auto&... v) {
                const auto one = [&](const auto& x) {
                    if constexpr (requires { x.has_value(); }) {
                        if (x) line << *x;
                        else line << "NULL";
                    } else {
                        line << x;
                    }
                    line << '|';
                };
                (one(v), ...);
            },
            row);
        out.push_back(line.str());
    }
    return out;
}

struct fixture {
    reflorm_test::database db;  // a fresh database on the backend under test, dropped after the engine
    reflorm::engine engine = reflorm::create_engine(db.url());
    reflorm::connection conn = engine.connect();

    fixture() {
        reflorm::create_all<User, Address, Order, Item, Node, Post, Tag, PostTag, Person, Follow>(engine);
        reflorm::session s{engine};
        s.add(User{.name = "none"});
        s.add(User{.name = "one", .addresses = {Address{.email_address = "one@1"}}});
        s.add(User{.name = "two", .addresses = {Address{.email_address = "two@1"}, Address{.email_address = "two@2"}}});
        s.add(Address{.email_address = "nobody"});
        s.add(Order{.customer = "ann", .items = {Item{.product = "pen", .quantity = 2}, Item{.product = "ink"}}});
        s.add(Order{.customer = "bob", .items = {Item{.product = "pad"}}});
        s.add(Order{.customer = "cid"});
        Node root{.label = "root"};
        root.children.push_back(Node{.label = "a"}).children.push_back(Node{.label = "b"});
        root.children.push_back(Node{.label = "a2"});
        s.add(std::move(root));
        auto p1 = s.add(Post{.title = "p1", .tags = {Tag{.name = "t1"}, Tag{.name = "t2"}}});
        auto p2 = s.add(Post{.title = "p2"});
        s.add(Post{.title = "p3"});
        p2->tags.push_back(p1->tags[1]);
        auto ann = s.add(Person{.name = "ann"});
        auto bob = s.add(Person{.name = "bob"});
        auto cid = s.add(Person{.name = "cid"});
        ann->following.push_back(*bob);
        ann->following.push_back(*cid);
        cid->following.push_back(*bob);
        s.commit();
    }

    /// The rows of `statement` and of the hand-written `sql` (columns T...), as text.
    template <class... T, class Statement>
    std::pair<std::vector<std::string>, std::vector<std::string>> both(const Statement& statement, const std::string& sql) {
        return {as_text(conn.execute(statement).all()), as_text(conn.execute(reflorm::text(sql).columns<T...>()).all())};
    }
};

}  // namespace

#define REFLORM_SAME_ROWS(pair, expected_count)                                                 \
    do {                                                                                        \
        const auto rows_ = (pair);                                                              \
        BOOST_TEST(rows_.first == rows_.second, boost::test_tools::per_element());              \
        BOOST_TEST(rows_.first.size() == std::size_t(expected_count));                          \
    } while (false)

BOOST_FIXTURE_TEST_SUITE(rows, fixture)

BOOST_AUTO_TEST_CASE(many_to_one_and_one_to_many_match_the_hand_written_join) {
    REFLORM_SAME_ROWS((both<std::string, std::string>(
                          reflorm::select(c<&Address::email_address>, c<&User::name>).join<&Address::user>().order_by(c<&Address::id>),
                          "SELECT a.email_address, u.name FROM addresses a JOIN users u ON u.id = a.user_id ORDER BY a.id")),
                      3);
    REFLORM_SAME_ROWS((both<std::string, std::optional<std::string>>(
                          reflorm::select(c<&User::name>, c<&Address::email_address>)
                              .outer_join<&User::addresses>()
                              .order_by(c<&User::id>, c<&Address::id>),
                          "SELECT u.name, a.email_address FROM users u LEFT OUTER JOIN addresses a ON a.user_id = u.id "
                          "ORDER BY u.id, a.id")),
                      4);
    REFLORM_SAME_ROWS((both<std::string, std::int32_t>(
                          reflorm::select(c<&Order::customer>, c<&Item::quantity>)
                              .join<&Order::items>()
                              .where(c<&Item::product> != "ink")
                              .order_by(c<&Item::id>),
                          "SELECT o.customer, i.quantity FROM orders o JOIN items i ON i.order_id = o.id "
                          "WHERE i.product <> 'ink' ORDER BY i.id")),
                      2);
}

BOOST_AUTO_TEST_CASE(many_to_many_matches_the_hand_written_join_through_the_secondary) {
    REFLORM_SAME_ROWS((both<std::string, std::optional<std::string>>(
                          reflorm::select(c<&Post::title>, c<&Tag::name>).outer_join<&Post::tags>().order_by(c<&Post::id>, c<&Tag::id>),
                          "SELECT p.title, t.name FROM posts p LEFT OUTER JOIN post_tags pt ON pt.post_id = p.id "
                          "LEFT OUTER JOIN tags t ON t.id = pt.tag_id ORDER BY p.id, t.id")),
                      4);
    REFLORM_SAME_ROWS((both<std::string, std::string>(reflorm::select(c<&Post::title>, other_post::c<&Post::title>)
                                                          .join<&Post::tags>()
                                                          .join<&Tag::posts, other_post>()
                                                          .where(c<&Post::id> != other_post::c<&Post::id>)
                                                          .order_by(c<&Post::id>, other_post::c<&Post::id>),
                                                      "SELECT p.title, o.title FROM posts p JOIN post_tags pt ON pt.post_id = p.id "
                                                      "JOIN tags t ON t.id = pt.tag_id JOIN post_tags ot ON ot.tag_id = t.id "
                                                      "JOIN posts o ON o.id = ot.post_id WHERE p.id <> o.id ORDER BY p.id, o.id")),
                      2);
}

BOOST_AUTO_TEST_CASE(self_referential_joins_match_the_hand_written_join) {
    REFLORM_SAME_ROWS((both<std::string, std::string, std::optional<std::string>>(
                          reflorm::select(c<&Node::label>, parent_node::c<&Node::label>, grandparent_node::c<&Node::label>)
                              .join<&Node::parent, parent_node>()
                              .outer_join<&Node::parent, grandparent_node, parent_node>()
                              .order_by(c<&Node::id>),
                          "SELECT n.label, p.label, g.label FROM nodes n JOIN nodes p ON p.id = n.parent_id "
                          "LEFT OUTER JOIN nodes g ON g.id = p.parent_id ORDER BY n.id")),
                      3);
    REFLORM_SAME_ROWS((both<std::string, std::string>(reflorm::select(c<&Person::name>, followed::c<&Person::name>)
                                                          .join<&Person::following, followed>()
                                                          .order_by(c<&Person::id>, followed::c<&Person::id>),
                                                      "SELECT p.name, f.name FROM people p JOIN follows x ON x.follower_id = p.id "
                                                      "JOIN people f ON f.id = x.followed_id ORDER BY p.id, f.id")),
                      3);
}

BOOST_AUTO_TEST_CASE(a_session_reads_the_models_of_a_join) {
    reflorm::session s{engine};
    auto posts = s.scalars(reflorm::select<Post>().join<&Post::tags>().where(c<&Tag::name> == "t2").order_by(c<&Post::id>).options(
                           reflorm::selectinload<&Post::tags>())).all();
    BOOST_TEST_REQUIRE(posts.size() == 2u);
    BOOST_TEST(posts[0]->title == "p1");
    BOOST_TEST(posts[1]->title == "p2");
    BOOST_TEST(posts[0]->tags.size() == 2u);
    auto chained = s.scalars(
        reflorm::select<Address>().join<&Address::user>().join<&User::addresses, sibling>().where(sibling::c<&Address::email_address> == "two@2").order_by(c<&Address::id>)).all();
    BOOST_TEST_REQUIRE(chained.size() == 2u);
    BOOST_TEST(chained[0]->email_address == "two@1");
    BOOST_TEST(chained[1]->email_address == "two@2");
}

BOOST_AUTO_TEST_SUITE_END()
