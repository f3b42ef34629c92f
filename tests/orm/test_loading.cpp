#define BOOST_TEST_MODULE orm_loading
#include <boost/test/unit_test.hpp>

#include "models.hpp"
#include "support/backend.hpp"

using namespace orm_test;
using reflorm::c;

namespace {

// A composite primary key and the composite foreign key that references it.
struct Book;
struct Shelf {
    std::int32_t aisle = 0;
    std::int32_t slot = 0;
    std::string label;
    reflorm::many<Book> books;
};
struct Book {
    std::int64_t id = 0;
    std::int32_t shelf_aisle = 0;
    std::int32_t shelf_slot = 0;
    std::string title;
    reflorm::one<Shelf> shelf;
};

}  // namespace

template <>
struct reflorm::model<Shelf> {
    static constexpr auto primary_key = reflorm::primary_key<&Shelf::aisle, &Shelf::slot>;
    // Books load with their shelf unless the query says otherwise (SQLAlchemy's lazy="selectin").
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&Shelf::books>{}.order_by(c<&Book::id>).lazy(reflorm::loader_strategy::selectin));
};
template <>
struct reflorm::model<Book> {
    static constexpr auto columns = reflorm::columns(
        reflorm::composite_foreign_key<reflorm::key<&Book::shelf_aisle, &Book::shelf_slot>, reflorm::key<&Shelf::aisle, &Shelf::slot>>);
};


namespace {

struct fixture {
    reflorm_test::database db;  // a fresh database on the backend under test, dropped after the engine
    reflorm::engine engine = reflorm::create_engine(db.url());
    // 3 users with 0, 1 and 2 addresses; one address without a user.
    fixture() {
        reflorm::create_all<User, Address, Order, Item, Node, Post, Tag, PostTag, Shelf, Book>(engine);
        reflorm::session s{engine};
        s.add(User{.name = "none"});
        s.add(User{.name = "one", .addresses = {Address{.email_address = "one@1"}}});
        s.add(User{.name = "two", .addresses = {Address{.email_address = "two@1"}, Address{.email_address = "two@2"}}});
        s.add(Address{.email_address = "nobody"});
        s.add(Post{.title = "p1", .tags = {Tag{.name = "t1"}, Tag{.name = "t2"}}});
        s.add(Post{.title = "p2"});
        s.add(Shelf{.aisle = 1, .slot = 1, .label = "a", .books = {Book{.title = "b1"}, Book{.title = "b2"}}});
        s.add(Shelf{.aisle = 1, .slot = 2, .label = "b", .books = {Book{.title = "b3"}}});
        s.add(Shelf{.aisle = 2, .slot = 1, .label = "c"});
        s.commit();
    }
};

std::vector<std::string> emails(const User& u) {
    std::vector<std::string> out;
    for (const Address& a : u.addresses) out.push_back(a.email_address);
    return out;
}

}  // namespace

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// What a strategy produced, as plain values: users in order, each with its addresses' emails.
std::vector<std::pair<std::string, std::vector<std::string>>> picture(const std::vector<std::shared_ptr<User>>& users) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (const auto& u : users) out.emplace_back(u->name, emails(*u));
    return out;
}

BOOST_FIXTURE_TEST_SUITE(selectin, fixture)

BOOST_AUTO_TEST_CASE(one_to_many_costs_one_select_and_fills_the_back_reference) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto users = s.scalars(reflorm::select<User>().order_by(c<&User::id>).options(reflorm::selectinload<&User::addresses>())).all();
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[1]) == "SELECT addresses.id, addresses.user_id, addresses.email_address "
                                    "FROM addresses WHERE addresses.user_id IN (?, ?, ?) ORDER BY addresses.id");
    BOOST_TEST(users.size() == 3u);
    BOOST_TEST(users[0]->addresses.empty());
    BOOST_TEST(emails(*users[2]) == (std::vector<std::string>{"two@1", "two@2"}), boost::test_tools::per_element());
    BOOST_TEST(users[2]->addresses[1].user.get() == users[2].get());
    BOOST_TEST(n.count() == 2u);
}

BOOST_AUTO_TEST_CASE(batches_are_ceil_of_keys_over_batch_size_and_no_keys_cost_nothing) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto users = s.scalars(reflorm::select<User>().options(reflorm::selectinload<&User::addresses>(2))).all();
    BOOST_TEST(n.count() == 1u + 2u);
    BOOST_TEST(users[2]->addresses.size() == 2u);
    auto none = s.scalars(reflorm::select<User>().where(c<&User::name> == "nobody").options(reflorm::selectinload<&User::addresses>())).all();
    BOOST_TEST(none.empty());
    BOOST_TEST(n.count() == 3u + 1u);
}

BOOST_AUTO_TEST_CASE(many_to_one_loads_distinct_sorted_keys_and_skips_nulls_and_known_objects) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto addresses = s.scalars(reflorm::select<Address>().order_by(c<&Address::id>).options(reflorm::selectinload<&Address::user>())).all();
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[1]) == "SELECT users.id, users.name, users.email FROM users WHERE users.id IN (?, ?)");
    BOOST_TEST(addresses[0]->user->name == "one");
    BOOST_TEST(addresses[1]->user.get() == addresses[2]->user.get());
    BOOST_TEST(!addresses[3]->user);  // NULL foreign key: no object, no query

    reflorm::session t{engine};
    t.scalars(reflorm::select<User>()).all();
    reflorm::statement_counter m{engine};
    t.scalars(reflorm::select<Address>().options(reflorm::selectinload<&Address::user>())).all();
    BOOST_TEST(m.count() == 1u);  // every user is in the identity map already
    auto orphans = t.scalars(reflorm::select<Address>().where(c<&Address::user_id>.is_null()).options(reflorm::selectinload<&Address::user>())).all();
    BOOST_TEST(m.count() == 2u);
    BOOST_TEST(!orphans.at(0)->user);
}

BOOST_AUTO_TEST_CASE(many_to_many_goes_through_the_secondary_table) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto posts = s.scalars(reflorm::select<Post>().order_by(c<&Post::id>).options(reflorm::selectinload<&Post::tags>())).all();
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[1]) == "SELECT tags.id, tags.name, post_tags.post_id FROM tags JOIN post_tags ON post_tags.tag_id = tags.id "
                                    "WHERE post_tags.post_id IN (?, ?) ORDER BY tags.id");
    BOOST_TEST(posts[0]->tags.size() == 2u);
    BOOST_TEST(posts[0]->tags[1].name == "t2");
    BOOST_TEST(posts[1]->tags.empty());
}

// SQLite compares row values with a VALUES list, as SQLAlchemy renders them there; PostgreSQL
// and MariaDB take a list of row constructors.
BOOST_AUTO_TEST_CASE(composite_keys_use_a_row_value_in_list) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto shelves = s.scalars(reflorm::select<Shelf>().order_by(c<&Shelf::aisle>, c<&Shelf::slot>).options(reflorm::selectinload<&Shelf::books>())).all();
    const std::string keys = reflorm_test::current_backend() == reflorm_test::backend::sqlite
                                 ? "(VALUES (?, ?), (?, ?), (?, ?))"
                                 : "((?, ?), (?, ?), (?, ?))";
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements().at(1)) ==
               "SELECT books.id, books.shelf_aisle, books.shelf_slot, books.title FROM books "
               "WHERE (books.shelf_aisle, books.shelf_slot) IN " + keys + " ORDER BY books.id");
    BOOST_TEST(shelves[0]->books.size() == 2u);
    BOOST_TEST(shelves[1]->books[0].title == "b3");
    BOOST_TEST(shelves[2]->books.empty());

    reflorm::session t{engine};
    auto books = t.scalars(reflorm::select<Book>().order_by(c<&Book::id>).options(reflorm::selectinload<&Book::shelf>())).all();
    BOOST_TEST(books[0]->shelf.get() == books[1]->shelf.get());
    BOOST_TEST(books[2]->shelf->label == "b");
}

BOOST_AUTO_TEST_CASE(nested_chains_load_level_by_level) {
    {
        reflorm::session s{engine};
        Node root{.label = "root"};
        Node& a = root.children.push_back(Node{.label = "a"});
        Node& b = a.children.push_back(Node{.label = "b"});
        b.children.push_back(Node{.label = "c"});
        root.children.push_back(Node{.label = "a2"});
        s.add(std::move(root));
        s.commit();
    }
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto roots = s.scalars(reflorm::select<Node>().where(c<&Node::parent_id>.is_null()).options(
                           reflorm::selectinload<&Node::children>().selectinload<&Node::children>().selectinload<&Node::children>())).all();
    BOOST_TEST(n.count() == 4u);
    const Node& c_node = roots.at(0)->children[0].children[0].children[0];
    BOOST_TEST(c_node.label == "c");
    BOOST_TEST(c_node.parent->parent->parent.get() == roots[0].get());  // back references, no SQL
    BOOST_TEST(!c_node.children.is_loaded());
    BOOST_TEST(n.count() == 4u);
}

BOOST_AUTO_TEST_CASE(a_self_referential_many_to_many_in_both_directions) {
    reflorm::create_all<Person, Follow>(engine);
    {
        reflorm::session w{engine};
        auto ann = w.add(Person{.name = "ann"});
        auto bob = w.add(Person{.name = "bob"});
        auto cid = w.add(Person{.name = "cid"});
        ann->following.push_back(*bob);
        ann->following.push_back(*cid);
        cid->following.push_back(*bob);
        w.commit();
        BOOST_TEST(bob->followers.size() == 2u);  // back_populates, kept in step at the flush
    }
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto people = s.scalars(reflorm::select<Person>().order_by(c<&Person::id>).options(reflorm::selectinload<&Person::following>(),
                            reflorm::selectinload<&Person::followers>())).all();
    BOOST_TEST(n.count() == 3u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[2]) ==
               "SELECT people.id, people.name, follows.followed_id FROM people JOIN follows ON follows.follower_id = people.id "
               "WHERE follows.followed_id IN (?, ?, ?) ORDER BY people.id");
    const auto names = [](const reflorm::many<Person>& list) {
        std::vector<std::string> out;
        for (const Person& p : list) out.push_back(p.name);
        return out;
    };
    BOOST_TEST(names(people[0]->following) == (std::vector<std::string>{"bob", "cid"}), boost::test_tools::per_element());
    BOOST_TEST(names(people[1]->followers) == (std::vector<std::string>{"ann", "cid"}), boost::test_tools::per_element());
    BOOST_TEST(people[1]->following.empty());
    BOOST_TEST(names(people[2]->followers) == (std::vector<std::string>{"ann"}), boost::test_tools::per_element());

    // Unfollowing from the followers' side deletes the row the other side reads.
    people[1]->followers.remove(*people[0]);
    s.commit();
    reflorm::session t{engine};
    auto ann = t.get<Person>(1);
    t.load<&Person::following>(*ann);
    BOOST_TEST(names(ann->following) == (std::vector<std::string>{"cid"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// session.load(objects, options...): loader options over objects the session already holds,
// one batch per level (issue 13 item 6: load took one object and no options).
BOOST_FIXTURE_TEST_SUITE(held_objects, fixture)

BOOST_AUTO_TEST_CASE(load_runs_options_over_held_objects_one_batch_per_level) {
    reflorm::session s{engine};
    auto users = s.scalars(reflorm::select<User>().order_by(c<&User::id>)).all();
    reflorm::statement_counter n{engine};
    s.load(users, reflorm::selectinload<&User::addresses>().selectinload<&Address::user>());
    BOOST_TEST(n.count() == 1u);  // the addresses of all three users; their users are held already
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[0]) == "SELECT addresses.id, addresses.user_id, addresses.email_address "
                                                            "FROM addresses WHERE addresses.user_id IN (?, ?, ?) ORDER BY addresses.id");
    BOOST_TEST(emails(*users[2]) == (std::vector<std::string>{"two@1", "two@2"}), boost::test_tools::per_element());
    BOOST_TEST(users[2]->addresses[0].user.get() == users[2].get());
    // Loaded now: a second load sends nothing.
    s.load(users, reflorm::selectinload<&User::addresses>());
    BOOST_TEST(n.count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_chain_that_starts_per_object_continues_in_batches) {
    reflorm::session s{engine};
    auto posts = s.scalars(reflorm::select<Post>().order_by(c<&Post::id>)).all();
    auto user = s.scalars(reflorm::select<User>().where(c<&User::name> == "two")).all().at(0);
    s.load<&User::addresses>(*user);  // one object at a time ...
    reflorm::statement_counter n{engine};
    s.load(user->addresses, reflorm::selectinload<&Address::user>());  // ... then a many<T>'s objects: held, no SQL
    BOOST_TEST(n.count() == 0u);
    s.load(posts, reflorm::selectinload<&Post::tags>());  // many-to-many: one SELECT for both posts
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(posts[0]->tags.size() == 2u);
    BOOST_TEST(posts[1]->tags.empty());
}

// Loaders plan their SELECTs and the executor takes the connection at the first one it sends:
// a load that finds everything held sends nothing and does not autobegin (SQLAlchemy's
// session begins at its first SQL too).
BOOST_AUTO_TEST_CASE(a_load_that_finds_everything_held_sends_nothing_and_begins_nothing) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto users = s.scalars(reflorm::select<User>().order_by(c<&User::id>).options(reflorm::selectinload<&User::addresses>())).all();
    s.commit();
    BOOST_TEST(!s.in_transaction());
    reflorm::statement_counter n{engine};
    s.load(users, reflorm::selectinload<&User::addresses>().selectinload<&Address::user>());
    s.load<&Address::user>(users[2]->addresses[0]);  // a lazy load whose target the identity map holds
    auto again = s.get<User>(users[1]->id, reflorm::selectinload<&User::addresses>());
    BOOST_TEST(again.get() == users[1].get());
    BOOST_TEST(n.count() == 0u);
    BOOST_TEST(!s.in_transaction());
    // One that does need a row begins, as before.
    s.expire(*users[0]);
    s.refresh(*users[0]);
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(s.in_transaction());
}

BOOST_AUTO_TEST_CASE(objects_the_session_does_not_hold_are_refused) {
    reflorm::session s{engine};
    std::vector<std::shared_ptr<User>> strangers{std::make_shared<User>(User{.id = 1, .name = "none"})};
    BOOST_CHECK_THROW(s.load(strangers, reflorm::selectinload<&User::addresses>()), reflorm::invalid_request_error);
    BOOST_TEST(strangers[0]->addresses.empty());
    // One at a time too, naming the relationship; nothing is sent.
    reflorm::statement_counter n{engine};
    User stranger{.id = 1, .name = "none"};
    BOOST_CHECK_EXCEPTION(s.load<&User::addresses>(stranger), reflorm::invalid_request_error, [](const auto& e) {
        return std::string(e.what()) == "reflorm: cannot load User::addresses of an object the session does not hold";
    });
    BOOST_TEST(n.count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(default_loaders, fixture)

BOOST_AUTO_TEST_CASE(a_relationship_default_applies_to_every_load_unless_an_option_overrides_it) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto shelves = s.scalars(reflorm::select<Shelf>().order_by(c<&Shelf::aisle>, c<&Shelf::slot>)).all();
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(shelves[0]->books.size() == 2u);
    BOOST_TEST(shelves[2]->books.empty());

    reflorm::session t{engine};
    auto none = t.scalars(reflorm::select<Shelf>().options(reflorm::noload<&Shelf::books>())).all();
    BOOST_TEST(n.count() == 3u);
    BOOST_TEST(none[0]->books.empty());

    reflorm::session u{engine};
    auto shelf = u.get<Shelf>(1, 2);
    BOOST_TEST(n.count() == 5u);
    BOOST_TEST(shelf->books[0].title == "b3");
    auto books = u.scalars(reflorm::select<Book>().options(reflorm::selectinload<&Book::shelf>())).all();
    // The books; shelf (1,1), the one not held yet; then its books by default (the loader fills
    // the collection with the book objects already held).
    BOOST_TEST(n.count() == 8u);
    BOOST_TEST(&books[0]->shelf->books[0] == books[0].get());
    BOOST_TEST(books.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(noload_and_raise, fixture)

BOOST_AUTO_TEST_CASE(noload_is_loaded_and_empty_without_sql) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto users = s.scalars(reflorm::select<User>().options(reflorm::noload<&User::addresses>())).all();
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(users[2]->addresses.is_loaded());
    BOOST_TEST(users[2]->addresses.empty());
}

BOOST_AUTO_TEST_CASE(raiseload_overrides_a_default_loader_at_the_top_and_below) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto shelves = s.scalars(reflorm::select<Shelf>().options(reflorm::raiseload<&Shelf::books>())).all();
    BOOST_TEST(n.count() == 1u);
    BOOST_CHECK_THROW((void)shelves[0]->books.size(), reflorm::not_loaded_error);

    reflorm::session t{engine};
    auto books = t.scalars(reflorm::select<Book>().order_by(c<&Book::id>).options(
                           reflorm::selectinload<&Book::shelf>().raiseload<&Shelf::books>())).all();
    BOOST_TEST(n.count() == 1u + 2u);  // books, their shelves; not the shelves' books
    BOOST_TEST(books[0]->shelf->label == "a");
    BOOST_TEST(!books[0]->shelf->books.is_loaded());
}

BOOST_AUTO_TEST_CASE(options_adds_sibling_branches_below_one_level) {
    reflorm::create_all<Team, Player>(engine);
    {
        reflorm::session w{engine};
        auto reds = w.add(Team{.name = "reds"});
        auto blues = w.add(Team{.name = "blues"});
        auto ann = w.add(Player{.name = "ann", .team = reds});
        w.add(Player{.name = "bob", .team = reds});
        w.add(Player{.name = "cid", .team = blues});
        reds->captain = ann;
        w.commit();
    }
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    // Both loaders apply to the teams, whether given together or one .options() after another.
    const auto both = reflorm::selectinload<&Player::team>().options(reflorm::selectinload<&Team::captain>(),
                                                                    reflorm::selectinload<&Team::players>());
    const auto chained = reflorm::selectinload<&Player::team>()
                             .options(reflorm::selectinload<&Team::captain>())
                             .options(reflorm::selectinload<&Team::players>());
    static_assert(std::is_same_v<decltype(both), decltype(chained)>);
    auto cid = s.scalars(reflorm::select<Player>().where(c<&Player::name> == "cid").options(chained)).all();
    BOOST_TEST(n.count() == 1u + 1u + 1u);  // cid; blues; blues' players (blues has no captain: no SELECT)
    BOOST_TEST(cid[0]->team->captain.is_loaded());
    BOOST_TEST(!cid[0]->team->captain);
    BOOST_TEST(cid[0]->team->players.size() == 1u);

    auto players = s.scalars(reflorm::select<Player>().order_by(c<&Player::id>).options(both)).all();
    // Players; reds (blues is held); no captain (ann is held, blues' is loaded); reds' players.
    BOOST_TEST(n.count() == 3u + 3u);
    BOOST_TEST(players[0]->team->captain.get() == players[0].get());
    BOOST_TEST(players[0]->team->players.size() == 2u);
}

BOOST_AUTO_TEST_CASE(raiseload_leaves_the_relationship_raising) {
    reflorm::session s{engine};
    auto users = s.scalars(reflorm::select<User>().options(reflorm::raiseload<&User::addresses>())).all();
    BOOST_CHECK_THROW((void)users[0]->addresses.size(), reflorm::not_loaded_error);
    BOOST_CHECK_THROW((void)s.scalars(reflorm::select<Address>()).all()[0]->user.get(), reflorm::not_loaded_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(subquery, fixture)

BOOST_AUTO_TEST_CASE(one_to_many_reruns_the_parent_query_with_its_limit) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto users = s.scalars(reflorm::select<User>().where(c<&User::name> != "x").order_by(c<&User::id>.desc()).limit(2).options(
                           reflorm::subqueryload<&User::addresses>())).all();
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[1]) ==
               "SELECT addresses.id, addresses.user_id, addresses.email_address FROM (SELECT users.id, users.name, users.email "
               "FROM users WHERE users.name != ? ORDER BY users.id DESC LIMIT ?) AS anon_1 JOIN addresses ON "
               "addresses.user_id = anon_1.id ORDER BY addresses.id");
    BOOST_TEST(users.size() == 2u);
    BOOST_TEST(emails(*users[0]) == (std::vector<std::string>{"two@1", "two@2"}), boost::test_tools::per_element());
    BOOST_TEST(emails(*users[1]) == (std::vector<std::string>{"one@1"}), boost::test_tools::per_element());
    // Only the two users' addresses were loaded.
    BOOST_TEST(s.scalars(reflorm::select<Address>()).all().size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_parent_query_that_repeats_parents_does_not_repeat_children) {
    reflorm::session s{engine};
    // Joined to its addresses, user "two" comes back twice; its collection still has two.
    auto users = s.scalars(reflorm::select<User>().join<Address>(c<&Address::user_id> == c<&User::id>).order_by(c<&User::id>).options(
                           reflorm::subqueryload<&User::addresses>())).all();
    BOOST_TEST(users.size() == 3u);
    BOOST_TEST(users[2]->addresses.size() == 2u);
}

BOOST_AUTO_TEST_CASE(many_to_one_many_to_many_and_nested_levels) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto addresses = s.scalars(reflorm::select<Address>().order_by(c<&Address::id>).options(reflorm::subqueryload<&Address::user>())).all();
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(starts_with(n.statements()[1], "SELECT DISTINCT users.id"));
    BOOST_TEST(addresses[2]->user->name == "two");
    BOOST_TEST(!addresses[3]->user);

    auto posts = s.scalars(reflorm::select<Post>().order_by(c<&Post::id>).options(reflorm::subqueryload<&Post::tags>().subqueryload<&Tag::posts>())).all();
    BOOST_TEST(n.count() == 2u + 3u);
    BOOST_TEST(posts[0]->tags.size() == 2u);
    BOOST_TEST(posts[0]->tags[0].posts.size() == 1u);
    BOOST_TEST(&posts[0]->tags[0].posts[0] == posts[0].get());
    BOOST_TEST(posts[1]->tags.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(joined, fixture)

BOOST_AUTO_TEST_CASE(one_to_many_adds_no_statement_and_deduplicates_parents) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto users = s.scalars(reflorm::select<User>().order_by(c<&User::id>).options(reflorm::joinedload<&User::addresses>())).all();
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[0]) ==
               "SELECT users.id, users.name, users.email, addresses_1.id, addresses_1.user_id, addresses_1.email_address "
               "FROM users LEFT OUTER JOIN addresses AS addresses_1 ON addresses_1.user_id = users.id "
               "ORDER BY users.id ASC, addresses_1.id");
    BOOST_TEST(users.size() == 3u);
    BOOST_TEST(users[0]->addresses.is_loaded());
    BOOST_TEST(users[0]->addresses.empty());  // its all-NULL joined row made no object
    BOOST_TEST(emails(*users[2]) == (std::vector<std::string>{"two@1", "two@2"}), boost::test_tools::per_element());
    BOOST_TEST(users[2]->addresses[0].user.get() == users[2].get());
    BOOST_TEST(!s.dirty());
}

BOOST_AUTO_TEST_CASE(a_limited_query_with_a_joined_collection_becomes_a_subquery) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto users = s.scalars(reflorm::select<User>().order_by(c<&User::id>.desc()).limit(2).options(reflorm::joinedload<&User::addresses>())).all();
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[0]) ==
               "SELECT users.id, users.name, users.email, addresses_1.id, addresses_1.user_id, addresses_1.email_address "
               "FROM (SELECT users.id, users.name, users.email FROM users ORDER BY users.id DESC LIMIT ?) AS users "
               "LEFT OUTER JOIN addresses AS addresses_1 ON addresses_1.user_id = users.id ORDER BY users.id DESC, addresses_1.id");
    BOOST_TEST(users.size() == 2u);  // the limit counted users, not joined rows
    BOOST_TEST(users[0]->addresses.size() == 2u);
    BOOST_TEST(users[1]->addresses.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_limited_query_ordered_by_a_joined_table_labels_that_order_in_the_subquery) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto users = s.scalars(reflorm::select<User>()
                               .join<Address>(c<&Address::user_id> == c<&User::id>)
                               .where(c<&Address::email_address>.like("%@1"))
                               .order_by(c<&Address::email_address>.desc(), c<&User::id>)
                               .limit(2).options(
                           reflorm::joinedload<&User::addresses>())).all();
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[0]) ==
               "SELECT users.id, users.name, users.email, addresses_1.id, addresses_1.user_id, addresses_1.email_address "
               "FROM (SELECT users.id, users.name, users.email, addresses.email_address AS anon_order_1 FROM users "
               "JOIN addresses ON addresses.user_id = users.id WHERE addresses.email_address LIKE ? "
               "ORDER BY addresses.email_address DESC, users.id ASC LIMIT ?) AS users "
               "LEFT OUTER JOIN addresses AS addresses_1 ON addresses_1.user_id = users.id "
               "ORDER BY users.anon_order_1 DESC, users.id ASC, addresses_1.id");
    BOOST_TEST_REQUIRE(users.size() == 2u);  // two@1's user, then one@1's
    BOOST_TEST(users[0]->name == "two");
    BOOST_TEST(emails(*users[0]) == (std::vector<std::string>{"two@1", "two@2"}), boost::test_tools::per_element());
    BOOST_TEST(emails(*users[1]) == (std::vector<std::string>{"one@1"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(many_to_one_outer_and_inner) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto addresses = s.scalars(reflorm::select<Address>().order_by(c<&Address::id>).options(reflorm::joinedload<&Address::user>())).all();
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(addresses.size() == 4u);
    BOOST_TEST(addresses[1]->user.get() == addresses[2]->user.get());
    BOOST_TEST(!addresses[3]->user);

    reflorm::session t{engine};
    auto inner = t.scalars(reflorm::select<Address>().order_by(c<&Address::id>).options(reflorm::joinedload<&Address::user, true>())).all();
    BOOST_TEST(n.statements()[1].find(" JOIN users AS users_1 ON users_1.id = addresses.user_id") != std::string::npos);
    BOOST_TEST(n.statements()[1].find("LEFT OUTER") == std::string::npos);
    BOOST_TEST(inner.size() == 3u);
}

BOOST_AUTO_TEST_CASE(many_to_many_nested_levels_and_a_selectin_below) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto posts = s.scalars(reflorm::select<Post>().order_by(c<&Post::id>).options(reflorm::joinedload<&Post::tags>().selectinload<&Tag::posts>())).all();
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(n.statements()[0].find("LEFT OUTER JOIN post_tags AS post_tags_1 ON post_tags_1.post_id = posts.id "
                                      "LEFT OUTER JOIN tags AS tags_1 ON tags_1.id = post_tags_1.tag_id") != std::string::npos);
    BOOST_TEST(posts.size() == 2u);
    BOOST_TEST(posts[0]->tags.size() == 2u);
    BOOST_TEST(posts[0]->tags[1].posts.size() == 1u);
    BOOST_TEST(posts[1]->tags.empty());
    s.close();  // ends its read transaction, so that another session may write

    {
        reflorm::session w{engine};
        Node root{.label = "root"};
        Node& a = root.children.push_back(Node{.label = "a"});
        a.children.push_back(Node{.label = "b"}).children.push_back(Node{.label = "c"});
        root.children.push_back(Node{.label = "a2"});
        w.add(std::move(root));
        w.commit();
    }
    reflorm::session t{engine};
    reflorm::statement_counter m{engine};
    auto roots = t.scalars(reflorm::select<Node>().where(c<&Node::parent_id>.is_null()).options(
                           reflorm::joinedload<&Node::children>().joinedload<&Node::children>().joinedload<&Node::children>())).all();
    BOOST_TEST(m.count() == 1u);
    BOOST_TEST(roots.size() == 1u);
    BOOST_TEST(roots[0]->children.size() == 2u);
    BOOST_TEST(roots[0]->children[0].children[0].children[0].label == "c");
    BOOST_TEST(roots[0]->children[1].children.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(strategies_agree, fixture)

BOOST_AUTO_TEST_CASE(every_strategy_returns_the_same_objects_in_the_same_order) {
    const auto run = [&](auto query) {
        reflorm::session a{engine}, b{engine}, c_{engine}, d{engine};
        const auto by_selectin = picture(a.scalars(query.options(reflorm::selectinload<&User::addresses>())).all());
        const auto by_joined = picture(d.scalars(query.options(reflorm::joinedload<&User::addresses>())).all());
        BOOST_TEST(by_selectin == by_joined);
        const auto by_subquery = picture(b.scalars(query.options(reflorm::subqueryload<&User::addresses>())).all());
        auto plain = c_.scalars(query).all();
        for (auto& u : plain) c_.load<&User::addresses>(*u);
        const auto by_lazy = picture(plain);
        BOOST_TEST(by_selectin == by_subquery);
        BOOST_TEST(by_selectin == by_lazy);
    };
    run(reflorm::select<User>().order_by(c<&User::id>));
    run(reflorm::select<User>().order_by(c<&User::name>.desc()));
    run(reflorm::select<User>().order_by(c<&User::id>).limit(1).offset(1));
    run(reflorm::select<User>().where(c<&User::name>.like("t%")));
}

BOOST_AUTO_TEST_SUITE_END()
