#define BOOST_TEST_MODULE orm_session
#include <boost/test/unit_test.hpp>

#include "models.hpp"
#include "support/backend.hpp"

#include <algorithm>
#include <ranges>

using namespace orm_test;
using reflorm::c;

namespace {

// NOT NULL in the database although the member can be empty: the database reports it.
struct Note {
    std::int64_t id = 0;
    std::optional<std::string> body;
};

}  // namespace

// Two foreign keys to one table, each found by its relationship's name (<relationship>_id).
struct Airport {
    std::int64_t id = 0;
    std::string code;
};
struct Flight {
    std::int64_t id = 0;
    std::int64_t origin_id = 0;
    std::int64_t destination_id = 0;
    reflorm::one<Airport> origin;
    reflorm::one<Airport> destination;
};
template <>
struct reflorm::model<Flight> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Flight::origin_id, &Airport::id>,
                                                     reflorm::foreign_key<&Flight::destination_id, &Airport::id>);
};

template <>
struct reflorm::model<Note> {
    static constexpr auto columns = reflorm::columns(reflorm::not_null<&Note::body>);
};

namespace {

struct fixture {
    // A fresh database on the backend under test (a file on SQLite, not sqlite:// : an
    // in-memory database has one connection, and these tests open a second one while a session
    // holds a transaction), dropped after the engine.
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    fixture() { reflorm::create_all<User, Address, Order, Item, Node, Post, Tag, PostTag, Team, Player, Note>(engine); }

    template <class T>
    std::int64_t count_rows() {
        auto conn = engine.connect();
        return conn.count(reflorm::select<T>());
    }
    template <class T>
    std::vector<T> rows_of() {
        auto conn = engine.connect();
        return conn.execute(reflorm::select<T>().order_by(c<&T::id>)).all();
    }
};

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

std::size_t count_starting(const reflorm::statement_counter& n, std::string_view prefix) {
    return std::count_if(n.statements().begin(), n.statements().end(), [&](const std::string& s) { return starts_with(s, prefix); });
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(identity_map, fixture)

BOOST_AUTO_TEST_CASE(add_commit_writes_the_key_back_and_get_needs_no_sql) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto jack = s.add(User{.name = "jack"});
    BOOST_TEST(jack->id == 0);
    BOOST_TEST((s.state_of(*jack) == reflorm::object_state::pending));
    s.commit();
    BOOST_TEST(jack->id == 1);
    BOOST_TEST((s.state_of(*jack) == reflorm::object_state::persistent));
    reflorm::statement_counter n{engine};
    auto again = s.get<User>(1);
    BOOST_TEST(again.get() == jack.get());
    BOOST_TEST(n.count() == 0u);
}

BOOST_AUTO_TEST_CASE(one_object_per_primary_key_across_queries) {
    {
        reflorm::session s{engine};
        s.add(User{.name = "a"});
        s.add(User{.name = "b"});
        s.commit();
    }
    reflorm::session s{engine};
    auto all = s.scalars(reflorm::select<User>().order_by(c<&User::id>)).all();
    auto b = s.scalars(reflorm::select<User>().where(c<&User::name> == "b")).all();
    BOOST_TEST(all.size() == 2u);
    BOOST_TEST(b.at(0).get() == all.at(1).get());
    BOOST_TEST(s.get<User>(2).get() == b[0].get());
}

BOOST_AUTO_TEST_CASE(requery_keeps_pending_changes_unless_populate_existing) {
    {
        reflorm::session s{engine};
        s.add(User{.name = "a", .email = "a@x"});
        s.commit();
    }
    reflorm::session s{engine, {.autoflush = false}};
    auto a = s.get<User>(1);
    a->email = "changed@x";
    auto again = s.scalars(reflorm::select<User>()).all();
    BOOST_TEST(again.at(0)->email.value() == "changed@x");
    auto populated = s.scalars(reflorm::select<User>().execution_options({.populate_existing = true})).all();
    BOOST_TEST(populated.at(0).get() == a.get());
    BOOST_TEST(a->email.value() == "a@x");
}

// get() materializes the row it reads inside the query (no copy of the row first).
BOOST_AUTO_TEST_CASE(get_reads_a_missing_key_as_null_and_populate_existing_overwrites) {
    {
        reflorm::session s{engine};
        s.add(User{.name = "a", .email = "a@x"});
        s.commit();
    }
    reflorm::session s{engine, {.autoflush = false}};
    BOOST_TEST(!s.get<User>(2));
    auto a = s.get<User>(1);
    BOOST_TEST(a->email.value() == "a@x");
    a->email = "changed@x";
    BOOST_TEST(s.get<User>(1)->email.value() == "changed@x");  // held: no query
    auto populated = s.get<User>(1, reflorm::execution_options{.populate_existing = true});
    BOOST_TEST(populated.get() == a.get());
    BOOST_TEST(a->email.value() == "a@x");
    BOOST_TEST(!s.get<User>(2, reflorm::execution_options{.populate_existing = true}));
}

BOOST_AUTO_TEST_CASE(read_only_objects_keep_their_identity_and_their_changes_are_never_written) {
    {
        reflorm::session s{engine};
        s.add(User{.name = "a", .email = "a@x"});
        s.add(User{.name = "b"});
        s.commit();
    }
    reflorm::session s{engine};
    auto users = s.scalars(reflorm::select<User>().order_by(c<&User::id>).execution_options({.read_only = true})).all();
    BOOST_TEST(users.size() == 2u);
    BOOST_TEST((s.state_of(*users[0]) == reflorm::object_state::persistent));
    BOOST_TEST(s.get<User>(1).get() == users[0].get());  // the identity map holds them
    users[0]->name = "changed";
    BOOST_TEST(!s.dirty());  // ignored: no snapshot to compare with
    s.add(User{.name = "c"});
    s.commit();  // flushes the new object only
    BOOST_TEST(rows_of<User>().at(0).name == "a");
    BOOST_TEST(rows_of<User>().size() == 3u);

    // A rollback leaves a read_only object as it is (expired); a query that tracks its objects
    // then overwrites it with its row, and its changes are written from then on.
    users[1]->name = "not written";
    s.rollback();
    BOOST_TEST(users[1]->name == "not written");
    auto tracked = s.scalars(reflorm::select<User>().where(c<&User::id> == 2)).all();
    BOOST_TEST(tracked.at(0).get() == users[1].get());
    BOOST_TEST(users[1]->name == "b");
    users[1]->name = "written";
    BOOST_TEST(s.dirty());
    s.commit();
    BOOST_TEST(rows_of<User>().at(1).name == "written");

    // Its primary key is what finds its row: changing it is an error at the flush.
    auto again = s.scalars(reflorm::select<User>().where(c<&User::id> == 1).execution_options({.read_only = true})).all();
    BOOST_TEST(again.at(0).get() == users[0].get());
    BOOST_TEST(users[0]->name == "a");  // expired by the commit: overwritten with its row
    again.at(0)->id = 99;
    s.add(User{.name = "d"});
    BOOST_CHECK_THROW(s.flush(), reflorm::invalid_request_error);
    s.rollback();
    BOOST_TEST(count_rows<User>() == 3);
}

BOOST_AUTO_TEST_CASE(expire_on_commit_reloads_on_next_get_and_can_be_turned_off) {
    reflorm::session s{engine};
    auto a = s.add(User{.name = "a"});
    s.commit();
    {
        auto conn = engine.connect();
        conn.execute(reflorm::update<User>().set(c<&User::name> = "renamed elsewhere"));
    }
    reflorm::statement_counter n{engine};
    auto again = s.get<User>(1);
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(again.get() == a.get());
    BOOST_TEST(a->name == "renamed elsewhere");
    s.commit();  // ends s's read transaction: SQLite lets one writer in only when no reader holds it

    reflorm::session keep{engine, {.expire_on_commit = false}};
    auto b = keep.add(User{.name = "b"});
    keep.commit();
    reflorm::statement_counter m{engine};
    BOOST_TEST(keep.get<User>(b->id).get() == b.get());
    BOOST_TEST(m.count() == 0u);
}

BOOST_AUTO_TEST_CASE(objects_stay_valid_after_the_session_closes) {
    std::shared_ptr<User> kept;
    {
        reflorm::session s{engine};
        kept = s.add(User{.name = "k", .addresses = {Address{.email_address = "k@x"}}});
        s.commit();
    }
    BOOST_TEST(kept->name == "k");
    BOOST_TEST(kept->addresses.size() == 1u);
    BOOST_TEST(kept->addresses[0].email_address == "k@x");
    BOOST_TEST(kept->addresses[0].user.get() == kept.get());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(dirty_tracking, fixture)

BOOST_AUTO_TEST_CASE(flush_updates_only_changed_columns_and_unchanged_objects_cost_nothing) {
    reflorm::session s{engine};
    auto a = s.add(User{.name = "a"});
    auto b = s.add(User{.name = "b"});
    s.commit();
    reflorm::statement_counter n{engine};
    s.get<User>(1);  // expired by commit: reloaded
    s.get<User>(2);
    const auto loads = n.count();
    a->email = "a@x";
    s.flush();
    BOOST_TEST(n.count() == loads + 1);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements().back()) == R"(UPDATE users SET email = ? WHERE id = ?)");
    s.flush();
    BOOST_TEST(n.count() == loads + 1);
    s.commit();
    BOOST_TEST(rows_of<User>().at(0).email.value() == "a@x");
    BOOST_TEST(rows_of<User>().at(1).email.has_value() == false);
}

BOOST_AUTO_TEST_CASE(updates_with_the_same_changed_columns_share_one_executemany) {
    reflorm::session s{engine};
    std::vector<User> users;
    for (int i = 0; i < 10; ++i) users.push_back(User{.name = "u" + std::to_string(i)});
    auto handles = s.add_all(std::move(users));
    reflorm::statement_counter n{engine};
    s.flush();
    BOOST_TEST(n.count() == 1u);  // ten rows, one INSERT executemany
    for (const auto u : handles) u->email = u->name + "@x";
    handles[0]->name = "first";
    s.flush();
    BOOST_TEST(count_starting(n, "UPDATE") == 2u);  // email only (9 rows); name and email (1 row)
    s.commit();
    BOOST_TEST(rows_of<User>().at(0).name == "first");
    BOOST_TEST(rows_of<User>().at(9).email.value() == "u9@x");
}

// add_all keeps the vector's storage: its objects stay where they were, and are tracked,
// flushed, rolled back, expunged and deleted there like any other.
static_assert(std::ranges::random_access_range<reflorm::added_objects<User>> && std::ranges::sized_range<reflorm::added_objects<User>>);
static_assert(std::same_as<std::ranges::range_value_t<reflorm::added_objects<User>>, std::shared_ptr<User>>);

BOOST_AUTO_TEST_CASE(add_all_tracks_the_objects_where_the_vector_holds_them) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    std::vector<User> users;
    for (int i = 0; i < 6; ++i) users.push_back(User{.name = "u" + std::to_string(i)});
    const User* first = users.data();
    auto added = s.add_all(std::move(users));
    BOOST_TEST_REQUIRE(added.size() == 6u);
    BOOST_TEST(added[0].get() == first);
    BOOST_TEST(added[5].get() == first + 5);
    BOOST_CHECK_THROW(added.at(6), std::out_of_range);
    for (const auto u : added) BOOST_TEST((s.state_of(*u) == reflorm::object_state::pending));
    s.flush();
    for (const auto u : added) BOOST_TEST((s.state_of(*u) == reflorm::object_state::persistent));
    BOOST_TEST(s.get<User>(added[3]->id).get() == first + 3);  // the identity map finds them
    // A rollback makes them transient again, their changes kept; a retry writes them as they are now.
    added[2]->name = "changed";
    s.rollback();
    for (const auto u : added) BOOST_TEST((s.state_of(*u) == reflorm::object_state::transient));
    std::vector<User> again;
    for (const auto u : added) again.push_back(std::move(*u));
    auto readded = s.add_all(std::move(again));
    s.commit();
    const auto rows = rows_of<User>();
    BOOST_TEST_REQUIRE(rows.size() == 6u);
    BOOST_TEST(rows.at(2).name == "changed");
    // Expunged: detached, and no longer found; deleted: its row goes.
    s.expunge(*readded[0]);
    BOOST_TEST((s.state_of(*readded[0]) == reflorm::object_state::detached));
    s.delete_(*readded[1]);
    BOOST_TEST((s.state_of(*readded[1]) == reflorm::object_state::deleted));
    s.commit();
    BOOST_TEST(rows_of<User>().size() == 5u);
    const auto handles = readded.handles();
    BOOST_TEST(handles.size() == 6u);
    BOOST_TEST(handles[4].get() == readded[4].get());
    BOOST_TEST(std::ranges::distance(readded) == 6);
    // What they hold by value joins the session too (cascade save-update).
    std::vector<User> parents(1);
    parents[0].name = "parent";
    parents[0].addresses.push_back(Address{.email_address = "p@x"});
    const auto parent = s.add_all(std::move(parents));
    s.commit();
    BOOST_TEST_REQUIRE(rows_of<Address>().size() == 1u);
    BOOST_TEST(rows_of<Address>().at(0).user_id.value() == parent[0]->id);
}

// The delete steps skip their pass over the entries while no object of the model is deleted;
// an object deleted after a commit's flush (in an after_flush listener) still goes at the next.
BOOST_AUTO_TEST_CASE(an_object_deleted_in_after_flush_is_deleted_by_the_next_commit) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    std::vector<User> users(3);
    for (int i = 0; i < 3; ++i) users[static_cast<std::size_t>(i)].name = "u" + std::to_string(i);
    auto added = s.add_all(std::move(users));
    s.commit();
    bool armed = true;
    s.after_flush([&](reflorm::session& in) {
        if (armed) in.delete_(added[1]);
        armed = false;
    });
    added[0]->name = "changed";
    s.commit();
    BOOST_TEST((s.state_of(*added[1]) == reflorm::object_state::deleted));
    BOOST_TEST(rows_of<User>().size() == 3u);
    s.commit();
    const auto rows = rows_of<User>();
    BOOST_TEST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows.at(0).name == "changed");
    BOOST_TEST(rows.at(1).name == "u2");
    BOOST_TEST((s.state_of(*added[1]) == reflorm::object_state::detached));
}

BOOST_AUTO_TEST_CASE(autoflush_runs_before_a_query_and_can_be_switched_off) {
    reflorm::session s{engine};
    s.add(User{.name = "pending"});
    auto found = s.scalars(reflorm::select<User>().where(c<&User::name> == "pending")).all();
    BOOST_TEST(found.size() == 1u);

    reflorm::session off{engine, {.autoflush = false}};
    off.add(User{.name = "not flushed"});
    BOOST_TEST(off.scalars(reflorm::select<User>().where(c<&User::name> == "not flushed")).all().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(relationships_in_a_session, fixture)

BOOST_AUTO_TEST_CASE(cascade_save_update_inserts_parents_first_and_fills_foreign_keys) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto u = s.add(User{.name = "jack", .addresses = {Address{.email_address = "j1"}, Address{.email_address = "j2"}}});
    s.commit();
    // Each dialect's INSERT of a generated key (SQLite binds it NULL, PostgreSQL: RETURNING id).
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()) ==
                   (std::vector<std::string>{reflorm_test::generated_key_insert("users", {"name", "email"}),
                                             reflorm_test::generated_key_insert("addresses", {"user_id", "email_address"})}),
               boost::test_tools::per_element());
    const auto addresses = rows_of<Address>();
    BOOST_TEST(addresses.size() == 2u);
    BOOST_TEST(addresses[0].user_id.value() == u->id);
    BOOST_TEST(addresses[1].user_id.value() == u->id);
    BOOST_TEST(u->addresses[1].user.get() == u.get());  // back_populates
}

BOOST_AUTO_TEST_CASE(many_to_one_assignment_sets_the_key_and_the_other_side) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto u = s.add(User{.name = "u"});
    auto a = s.add(Address{.email_address = "a", .user = u});
    s.flush();
    BOOST_TEST(a->user_id.value() == u->id);
    BOOST_TEST(u->addresses.size() == 1u);
    BOOST_TEST(&u->addresses[0] == a.get());
}

BOOST_AUTO_TEST_CASE(an_unloaded_relationship_throws_naming_the_member) {
    {
        reflorm::session s{engine};
        s.add(User{.name = "u", .addresses = {Address{.email_address = "a"}}});
        s.commit();
    }
    reflorm::session s{engine};
    auto u = s.get<User>(1);
    BOOST_TEST(!u->addresses.is_loaded());
    try {
        (void)u->addresses.size();
        BOOST_FAIL("reading an unloaded relationship must throw");
    } catch (const reflorm::not_loaded_error& e) {
        BOOST_TEST(std::string(e.what()).find("User::addresses") != std::string::npos);
    }
    reflorm::statement_counter n{engine};
    s.load<&User::addresses>(*u);
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(u->addresses.size() == 1u);
    // The address's many-to-one back to u is known without a query.
    BOOST_TEST(u->addresses[0].user.get() == u.get());
    auto a = s.get<Address>(1);
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(a.get() == &u->addresses[0]);
}

BOOST_AUTO_TEST_CASE(many_to_one_load_uses_the_identity_map) {
    {
        reflorm::session s{engine};
        s.add(User{.name = "u", .addresses = {Address{.email_address = "a"}}});
        s.commit();
    }
    reflorm::session s{engine};
    auto u = s.get<User>(1);
    auto a = s.get<Address>(1);
    reflorm::statement_counter n{engine};
    s.load<&Address::user>(*a);
    BOOST_TEST(n.count() == 0u);
    BOOST_TEST(a->user.get() == u.get());
}

BOOST_AUTO_TEST_CASE(removing_a_child_sets_its_foreign_key_to_null) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto u = s.add(User{.name = "u", .addresses = {Address{.email_address = "a"}, Address{.email_address = "b"}}});
    s.commit();
    u->addresses.remove(u->addresses[0]);
    s.commit();
    const auto rows = rows_of<Address>();
    BOOST_TEST(rows.size() == 2u);
    BOOST_TEST(rows[0].user_id.has_value() == false);
    BOOST_TEST(rows[1].user_id.value() == u->id);
}

BOOST_AUTO_TEST_CASE(moving_a_child_to_another_parent_updates_its_key) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto a = s.add(User{.name = "a", .addresses = {Address{.email_address = "x"}}});
    auto b = s.add(User{.name = "b"});
    s.commit();
    Address& x = a->addresses[0];
    a->addresses.remove(x);
    b->addresses.push_back(x);
    reflorm::statement_counter n{engine};
    s.commit();
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(rows_of<Address>().at(0).user_id.value() == b->id);
    BOOST_TEST(x.user.get() == b.get());
}

BOOST_AUTO_TEST_CASE(delete_orphan_deletes_a_removed_child) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto o = s.add(Order{.customer = "c", .items = {Item{.product = "p1"}, Item{.product = "p2"}}});
    s.commit();
    o->items.remove(o->items[0]);
    s.commit();
    const auto items = rows_of<Item>();
    BOOST_TEST(items.size() == 1u);
    BOOST_TEST(items[0].product == "p2");
}

BOOST_AUTO_TEST_CASE(cascade_delete_deletes_children_before_the_parent_loading_them_if_needed) {
    {
        reflorm::session s{engine};
        s.add(Order{.customer = "c", .items = {Item{.product = "p1"}, Item{.product = "p2"}}});
        s.commit();
    }
    reflorm::session s{engine};
    auto o = s.get<Order>(1);
    s.delete_(o);
    reflorm::statement_counter n{engine};
    s.commit();
    // SELECT the items (not loaded), DELETE them (one executemany), DELETE the order.
    BOOST_TEST(n.statements().size() == 3u);
    BOOST_TEST(starts_with(n.statements()[0], "SELECT"));
    BOOST_TEST(starts_with(n.statements()[1], R"(DELETE FROM items)"));
    BOOST_TEST(starts_with(n.statements()[2], R"(DELETE FROM orders)"));
    BOOST_TEST(count_rows<Item>() == 0);
    BOOST_TEST(count_rows<Order>() == 0);
}

BOOST_AUTO_TEST_CASE(deleting_a_parent_without_cascade_delete_nulls_the_children_keys) {
    reflorm::session s{engine};
    auto u = s.add(User{.name = "u", .addresses = {Address{.email_address = "a"}}});
    s.commit();
    s.delete_(*s.get<User>(1));
    s.commit();
    BOOST_TEST(count_rows<User>() == 0);
    const auto rows = rows_of<Address>();
    BOOST_TEST(rows.size() == 1u);
    BOOST_TEST(rows[0].user_id.has_value() == false);
}

BOOST_AUTO_TEST_CASE(a_self_referential_tree_is_inserted_parent_first_and_deleted_children_first) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    Node root{.label = "root"};
    Node& a = root.children.push_back(Node{.label = "a"});
    Node& b = a.children.push_back(Node{.label = "b"});
    b.children.push_back(Node{.label = "c"});
    root.children.push_back(Node{.label = "a2"});
    auto r = s.add(std::move(root));
    reflorm::statement_counter n{engine};
    s.commit();
    // Five rows, one executemany, each after its parent. PostgreSQL pipelines an executemany and
    // MariaDB sends multi-row INSERTs (rows are sent before earlier keys come back), so there a
    // child waits for a later batch: one per level of the tree.
    BOOST_TEST(n.count() == (reflorm_test::current_backend() == reflorm_test::backend::sqlite ? 1u : 4u));
    const auto nodes = rows_of<Node>();
    BOOST_TEST(nodes.size() == 5u);
    for (const Node& node : nodes) {
        if (node.label == "root") BOOST_TEST(!node.parent_id.has_value());
        else BOOST_TEST(node.parent_id.value() < node.id);
    }
    const auto depth_of_c = [&] {
        int depth = 0;
        for (const Node* at = &r->children[0].children[0].children[0]; at->parent_id; at = at->parent.get()) ++depth;
        return depth;
    }();
    BOOST_TEST(depth_of_c == 3);

    s.delete_(r);
    s.commit();
    BOOST_TEST(count_rows<Node>() == 0);
}

BOOST_AUTO_TEST_CASE(many_to_many_rows_are_written_after_both_sides_and_removed_first) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto post = s.add(Post{.title = "p", .tags = {Tag{.name = "x"}, Tag{.name = "y"}, Tag{.name = "z"}}});
    reflorm::statement_counter n{engine};
    std::vector<std::size_t> parameter_sets;
    const auto listener = engine.add_listener([&](const reflorm::execute_event& e) { parameter_sets.push_back(e.parameter_sets); });
    s.commit();
    // posts, tags (one executemany), then the association rows, also in one executemany
    BOOST_TEST(n.statements().size() == 3u);
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[1]) == reflorm_test::generated_key_insert("tags", {"name"}));
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()[2]) == "INSERT INTO post_tags (post_id, tag_id) VALUES (?, ?)");
    BOOST_TEST(parameter_sets == (std::vector<std::size_t>{1, 3, 3}), boost::test_tools::per_element());
    BOOST_TEST(count_rows<PostTag>() == 3);
    post->tags.remove(post->tags[0]);
    post->tags.remove(post->tags[1]);
    parameter_sets.clear();
    s.commit();
    engine.remove_listener(listener);
    BOOST_TEST(parameter_sets == std::vector<std::size_t>{2}, boost::test_tools::per_element());  // both rows, one DELETE
    BOOST_TEST(count_rows<PostTag>() == 1);

    reflorm::session t{engine};
    auto p = t.get<Post>(1);
    t.load<&Post::tags>(*p);
    BOOST_TEST(p->tags.size() == 1u);
    BOOST_TEST(p->tags[0].name == "y");
    t.delete_(p);
    t.commit();
    BOOST_TEST(count_rows<PostTag>() == 0);
    BOOST_TEST(count_rows<Post>() == 0);
    BOOST_TEST(count_rows<Tag>() == 3);
}

BOOST_AUTO_TEST_CASE(an_object_held_by_value_in_one_relationship_may_be_referenced_from_another) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto team = s.add(Team{.name = "reds"});
    // players is declared after captain: the cascade meets the reference before the owner.
    Player& joe = team->players.push_back(Player{.name = "joe"});
    team->captain = joe;
    s.commit();
    BOOST_TEST(joe.id != 0);
    BOOST_TEST(team->captain_id.value() == joe.id);
    BOOST_TEST(joe.team_id == team->id);
}

BOOST_AUTO_TEST_CASE(two_foreign_keys_to_one_table_are_told_apart_by_name) {
    reflorm::create_all<Airport, Flight>(engine);
    {
        reflorm::session s{engine};
        auto a = s.add(Airport{.code = "AMS"});
        auto b = s.add(Airport{.code = "LIS"});
        s.add(Flight{.origin = a, .destination = b});
        s.commit();
    }
    reflorm::session s{engine};
    auto flight = s.get<Flight>(1);
    BOOST_TEST(flight->origin_id == 1);
    BOOST_TEST(flight->destination_id == 2);
    s.load<&Flight::origin>(*flight);
    s.load<&Flight::destination>(*flight);
    BOOST_TEST(flight->origin->code == "AMS");
    BOOST_TEST(flight->destination->code == "LIS");
}

BOOST_AUTO_TEST_CASE(a_cycle_of_keys_inserts_the_nullable_side_first_then_updates_it) {
    // Touch Player first, so that type order alone would put it first.
    reflorm::session s{engine, {.expire_on_commit = false}};
    (void)s.deleted_objects<Player>();
    auto reds = s.add(Team{.name = "reds"});
    auto joe = s.add(Player{.name = "joe", .team = reds});
    reds->captain = joe;
    reflorm::statement_counter n{engine};
    s.commit();
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()) ==
                   (std::vector<std::string>{reflorm_test::generated_key_insert("teams", {"name", "captain_id"}),
                                             reflorm_test::generated_key_insert("players", {"team_id", "name"}),
                                             "UPDATE teams SET captain_id = ? WHERE id = ?"}),
               boost::test_tools::per_element());
    BOOST_TEST(rows_of<Team>().at(0).captain_id.value() == joe->id);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(transactions, fixture)

BOOST_AUTO_TEST_CASE(a_failed_flush_writes_nothing_and_keeps_the_changes_for_a_retry) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    s.add(User{.name = "taken"});
    s.commit();
    auto ok = s.add(User{.name = "fine", .addresses = {Address{.email_address = "f"}}});
    auto bad = s.add(User{.name = "taken"});
    try {
        s.commit();
        BOOST_FAIL("a duplicate name must fail the flush");
    } catch (const reflorm::integrity_error& e) {
        BOOST_TEST((e.constraint() == reflorm::integrity_error::kind::unique));
        BOOST_TEST(e.sql().find("INSERT INTO users") != std::string::npos);
        BOOST_TEST(!e.parameters().empty());
    }
    BOOST_TEST(count_rows<User>() == 1);
    BOOST_TEST(count_rows<Address>() == 0);
    BOOST_TEST(ok->id == 0);  // its generated key was taken back
    BOOST_TEST((s.state_of(*ok) == reflorm::object_state::pending));
    bad->name = "now unique";
    s.commit();
    BOOST_TEST(count_rows<User>() == 3);
    BOOST_TEST(count_rows<Address>() == 1);
    BOOST_TEST(rows_of<Address>().at(0).user_id.value() == ok->id);
}

// Rows of two insert shapes in one flush (key given, key generated, alternating): the undo of the
// failed flush takes back each generated key and keeps each given one, and the retry writes all.
BOOST_AUTO_TEST_CASE(a_failed_flush_of_mixed_insert_shapes_takes_back_only_generated_keys) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    s.add(User{.name = "taken"});
    s.commit();
    std::vector<std::shared_ptr<User>> users;
    for (int i = 0; i < 6; ++i)
        users.push_back(s.add(User{.id = i % 2 ? 1000 + i : 0, .name = "user " + std::to_string(i)}));
    auto bad = s.add(User{.name = "taken"});
    BOOST_CHECK_THROW(s.commit(), reflorm::integrity_error);
    BOOST_TEST(count_rows<User>() == 1);
    for (int i = 0; i < 6; ++i) {
        BOOST_TEST(users[i]->id == (i % 2 ? 1000 + i : 0));
        BOOST_TEST((s.state_of(*users[i]) == reflorm::object_state::pending));
    }
    bad->name = "now unique";
    s.commit();
    BOOST_TEST(count_rows<User>() == 8);
    for (int i = 1; i < 6; i += 2) BOOST_TEST(s.get<User>(std::int64_t{1000 + i}) == users[i]);
}

BOOST_AUTO_TEST_CASE(rollback_expunges_new_objects_and_restores_committed_values) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto a = s.add(User{.name = "a"});
    s.commit();
    a->name = "changed";
    auto b = s.add(User{.name = "b"});
    s.flush();
    BOOST_TEST(b->id != 0);
    s.rollback();
    BOOST_TEST(a->name == "a");
    BOOST_TEST((s.state_of(*b) == reflorm::object_state::transient));
    BOOST_TEST(b->id == 0);
    BOOST_TEST(count_rows<User>() == 1);
    s.commit();
    BOOST_TEST(count_rows<User>() == 1);
}

BOOST_AUTO_TEST_CASE(a_deleted_object_comes_back_on_rollback) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto a = s.add(User{.name = "a"});
    s.commit();
    s.delete_(a);
    BOOST_TEST((s.state_of(*a) == reflorm::object_state::deleted));
    s.flush();
    BOOST_TEST((s.state_of(*a) == reflorm::object_state::deleted));
    BOOST_TEST(s.scalars(reflorm::select<User>()).all().empty());
    s.rollback();
    BOOST_TEST((s.state_of(*a) == reflorm::object_state::persistent));
    BOOST_TEST(count_rows<User>() == 1);
    BOOST_TEST(s.get<User>(a->id).get() == a.get());
}

BOOST_AUTO_TEST_CASE(begin_nested_rolls_back_to_the_savepoint_only) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto outer = s.add(User{.name = "outer"});
    {
        auto nested = s.begin_nested();
        s.add(User{.name = "inner"});
        outer->email = "inner change";
        s.flush();
        nested.rollback();
    }
    BOOST_TEST(!outer->email.has_value());
    s.commit();
    const auto users = rows_of<User>();
    BOOST_TEST(users.size() == 1u);
    BOOST_TEST(users[0].name == "outer");
    BOOST_TEST(!users[0].email.has_value());

    {
        auto nested = s.begin_nested();
        s.add(User{.name = "kept"});
        nested.commit();
    }
    s.commit();
    BOOST_TEST(count_rows<User>() == 2);
}

BOOST_AUTO_TEST_CASE(begin_with_a_function_commits_and_rolls_back_on_exception) {
    reflorm::session s{engine};
    const auto id = s.begin([&] { return s.add(User{.name = "committed"})->name; });
    BOOST_TEST(id == "committed");
    BOOST_TEST(count_rows<User>() == 1);
    BOOST_TEST(!s.in_transaction());
    BOOST_CHECK_THROW(s.begin([&] {
        s.add(User{.name = "rolled back"});
        s.flush();
        throw std::runtime_error("boom");
    }),
                      std::runtime_error);
    BOOST_TEST(count_rows<User>() == 1);
    BOOST_TEST(!s.in_transaction());
    BOOST_CHECK_THROW(([&] { auto a = s.begin(); auto b = s.begin(); })(), reflorm::invalid_request_error);
}

BOOST_AUTO_TEST_CASE(a_failing_commit_throws_from_begin_never_from_a_destructor) {
    reflorm::session s{engine};
    s.begin([&] { s.add(User{.id = 7, .name = "first"}); });
    // The INSERT of a duplicate key fails inside commit(): begin() throws it, and the session
    // is rolled back, the object pending again.
    std::shared_ptr<User> dup;
    BOOST_CHECK_THROW(s.begin([&] { dup = s.add(User{.id = 7, .name = "second"}); }), reflorm::integrity_error);
    BOOST_TEST(!s.in_transaction());
    BOOST_TEST(count_rows<User>() == 1);
}

// A scope whose transaction the session ended itself (commit(), rollback(), close()) leaves
// the session's next transaction alone, and its commit() throws.
BOOST_AUTO_TEST_CASE(a_transaction_scope_ends_only_its_own_transaction) {
    reflorm::session s{engine};
    {
        auto tx = s.begin();
        s.add(User{.name = "first"});
        s.commit();                      // the session ends the scope's transaction itself
        s.add(User{.name = "second"});
        s.flush();                       // a new transaction (autobegin)
        BOOST_CHECK_THROW(tx.commit(), reflorm::invalid_request_error);
    }  // must not roll back the session's second transaction
    BOOST_TEST(s.in_transaction());
    s.commit();
    BOOST_TEST(count_rows<User>() == 2);
}

BOOST_AUTO_TEST_CASE(a_transaction_scope_commits_only_when_told) {
    reflorm::session s{engine};
    {
        auto tx = s.begin();
        s.add(User{.name = "committed"});
        tx.commit();
    }
    BOOST_TEST(count_rows<User>() == 1);
    {
        auto tx = s.begin();
        s.add(User{.name = "never committed"});
        s.flush();
    }  // ends without commit(): rolled back, without throwing
    BOOST_TEST(count_rows<User>() == 1);
    BOOST_TEST(!s.in_transaction());
}

BOOST_AUTO_TEST_CASE(destroying_a_session_without_commit_rolls_back) {
    {
        reflorm::session s{engine};
        s.add(User{.name = "never"});
        s.flush();
    }
    BOOST_TEST(count_rows<User>() == 0);
}

BOOST_AUTO_TEST_CASE(a_not_null_violation_and_a_foreign_key_violation_write_nothing) {
    reflorm::session s{engine};
    s.add(Item{.order_id = 999, .product = "orphan"});
    BOOST_CHECK_THROW(s.commit(), reflorm::integrity_error);
    BOOST_TEST(count_rows<Item>() == 0);
    s.rollback();
    BOOST_TEST(!s.dirty());
}

BOOST_AUTO_TEST_CASE(a_not_null_violation_writes_nothing_and_can_be_fixed) {
    reflorm::session s{engine};
    auto user = s.add(User{.name = "kept pending"});
    auto note = s.add(Note{});
    try {
        s.commit();
        BOOST_FAIL("a NULL body must fail");
    } catch (const reflorm::integrity_error& e) {
        BOOST_TEST((e.constraint() == reflorm::integrity_error::kind::not_null));
        BOOST_TEST(e.sql().find("INSERT INTO notes") != std::string::npos);
        // Each backend's own wording of a NOT NULL violation.
        const char* expected = "NOT NULL constraint failed: notes.body";
        if (reflorm_test::current_backend() == reflorm_test::backend::postgresql)
            expected = R"(null value in column "body" of relation "notes" violates not-null constraint)";
        else if (reflorm_test::current_backend() == reflorm_test::backend::mysql)
            expected = "Column 'body' cannot be null";
        BOOST_TEST(e.database_message().find(expected) != std::string::npos, e.database_message());
    }
    BOOST_TEST(count_rows<User>() == 0);
    BOOST_TEST(count_rows<Note>() == 0);
    BOOST_TEST((s.state_of(*user) == reflorm::object_state::pending));
    note->body = "now set";
    s.commit();
    BOOST_TEST(count_rows<User>() == 1);
    BOOST_TEST(count_rows<Note>() == 1);
}

BOOST_AUTO_TEST_CASE(an_operational_error_during_the_flush_writes_nothing) {
    // Each backend's nearest to a lost server: a lock another connection holds outlasts the
    // session's wait for it, so the INSERT fails with an operational_error.
    reflorm::session s{engine};
    const auto kind = reflorm_test::current_backend();
    auto blocker = db.raw();
    std::string expected;
    if (kind == reflorm_test::backend::sqlite) {
        // The write lock past the busy timeout (5 s): SQLITE_BUSY.
        blocker.execute("BEGIN IMMEDIATE");
        expected = "database is locked";
    } else {
        // The servers lock rows, not the database: the blocker's uncommitted row holds the
        // unique name the session's INSERT needs, and the session waits for it only briefly.
        // PostgreSQL: lock_timeout, SQLSTATE 55P03 (class 55, operational); MariaDB:
        // innodb_lock_wait_timeout (whole seconds), error 1205. Set on the session's own
        // connection, in its transaction (PostgreSQL undoes the SET with the rollback).
        if (kind == reflorm_test::backend::postgresql) {
            s.execute(reflorm::text("SET lock_timeout = '300ms'"));
            expected = "canceling statement due to lock timeout";
        } else {
            s.execute(reflorm::text("SET SESSION innodb_lock_wait_timeout = 1"));
            expected = "Lock wait timeout exceeded";
        }
        blocker.execute("BEGIN");
        blocker.execute("INSERT INTO users (name) VALUES ('waits')");
    }
    auto user = s.add(User{.name = "waits"});
    try {
        s.commit();
        BOOST_FAIL("the lock must fail the flush");
    } catch (const reflorm::operational_error& e) {
        BOOST_TEST(e.database_message().find(expected) != std::string::npos, e.database_message());
        BOOST_TEST(reflorm_test::with_qmarks(e.sql()) == reflorm_test::generated_key_insert("users", {"name", "email"}));
    }
    blocker.execute("ROLLBACK");
    BOOST_TEST(count_rows<User>() == 0);
    BOOST_TEST((s.state_of(*user) == reflorm::object_state::pending));
    s.commit();
    BOOST_TEST(count_rows<User>() == 1);
    BOOST_TEST(blocker.integer("SELECT count(*) FROM users WHERE name = 'waits'") == 1);
}

BOOST_AUTO_TEST_CASE(an_update_of_a_row_deleted_elsewhere_is_stale) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto a = s.add(User{.name = "a"});
    s.commit();
    {
        auto conn = engine.connect();
        conn.execute(reflorm::delete_<User>());
    }
    a->name = "b";
    auto other = s.add(User{.id = 100, .name = "other"});  // not id 1: SQLite would reuse the deleted rowid
    BOOST_CHECK_THROW(s.commit(), reflorm::stale_data_error);
    BOOST_TEST(count_rows<User>() == 0);  // the INSERT before the failed UPDATE was rolled back too
    BOOST_TEST((s.state_of(*other) == reflorm::object_state::pending));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(other_operations, fixture)

BOOST_AUTO_TEST_CASE(merge_copies_a_detached_object_onto_the_sessions_own) {
    User detached;
    {
        reflorm::session s{engine};
        auto u = s.add(User{.name = "m"});
        s.commit();
        detached.id = u->id;
        detached.name = "merged";
    }
    reflorm::session s{engine};
    auto merged = s.merge(detached);
    BOOST_TEST(merged->name == "merged");
    BOOST_TEST(merged.get() != &detached);
    s.commit();
    BOOST_TEST(rows_of<User>().at(0).name == "merged");

    User unknown{.id = 77, .name = "new"};
    s.merge(unknown);
    s.commit();
    BOOST_TEST(count_rows<User>() == 2);
}

BOOST_AUTO_TEST_CASE(refresh_reloads_and_discards_unflushed_changes) {
    reflorm::session s{engine, {.autoflush = false, .expire_on_commit = false}};
    auto u = s.add(User{.name = "r"});
    s.commit();
    u->name = "unflushed";
    s.refresh(*u);
    BOOST_TEST(u->name == "r");
    BOOST_TEST(!s.dirty());
}

BOOST_AUTO_TEST_CASE(the_bulk_path_is_one_executemany_outside_the_identity_map) {
    reflorm::session s{engine};
    std::vector<User> rows;
    for (int i = 0; i < 100; ++i) rows.push_back(User{.name = "bulk" + std::to_string(i)});
    reflorm::statement_counter n{engine};
    s.execute(reflorm::insert<User>(), rows);
    BOOST_TEST(n.count() == 1u);
    BOOST_TEST(rows[99].id == 100);
    BOOST_TEST(!s.dirty());
    s.commit();
    BOOST_TEST(count_rows<User>() == 100);
}

BOOST_AUTO_TEST_CASE(events_fire_around_flush_and_each_row) {
    reflorm::session s{engine};
    std::vector<std::string> seen;
    s.before_flush([&](reflorm::session&) { seen.push_back("before_flush"); });
    s.after_flush([&](reflorm::session&) { seen.push_back("after_flush"); });
    s.before_insert<User>([&](reflorm::session&, User& u) {
        seen.push_back("before_insert " + u.name);
        u.email = "stamped";
    });
    s.after_insert<User>([&](reflorm::session&, User& u) { seen.push_back("after_insert " + std::to_string(u.id)); });
    s.before_update<User>([&](reflorm::session&, User& u) { seen.push_back("before_update " + u.name); });
    s.after_delete<User>([&](reflorm::session&, User& u) { seen.push_back("after_delete " + u.name); });
    auto u = s.add(User{.name = "e"});
    s.flush();
    u->name = "e2";
    s.flush();
    s.delete_(u);
    s.commit();
    const std::vector<std::string> expected{"before_flush", "before_insert e", "after_insert 1", "after_flush",
                                            "before_flush", "before_update e2", "after_flush",
                                            "before_flush", "after_delete e2", "after_flush"};
    BOOST_TEST(seen == expected, boost::test_tools::per_element());
    BOOST_TEST(count_rows<User>() == 0);
}

BOOST_AUTO_TEST_CASE(a_sessionmaker_gives_its_options_and_events_to_every_session_it_makes) {
    reflorm::sessionmaker factory{engine, {.autoflush = false}};
    std::vector<std::string> seen;
    factory.before_flush([&](reflorm::session&) { seen.push_back("factory before_flush"); });
    factory.before_insert<User>([&](reflorm::session&, User& u) {
        seen.push_back("factory before_insert " + u.name);
        u.email = "stamped by the factory";
    });
    {
        auto s = factory();
        s.before_flush([&](reflorm::session&) { seen.push_back("session before_flush"); });
        s.add(User{.name = "a"});
        BOOST_TEST(s.scalars(reflorm::select<User>()).all().empty());  // the factory's autoflush = false
        factory.after_insert<User>([&](reflorm::session&, User& u) { seen.push_back("factory after_insert " + u.name); });
        s.commit();  // a listener registered after the session was made runs too
    }
    auto other = factory({.expire_on_commit = false});
    other.add(User{.name = "b"});
    other.commit();
    const std::vector<std::string> expected{"factory before_flush", "session before_flush", "factory before_insert a", "factory after_insert a",
                                            "factory before_flush", "factory before_insert b", "factory after_insert b"};
    BOOST_TEST(seen == expected, boost::test_tools::per_element());
    auto conn = engine.connect();
    const auto emails = conn.scalars(reflorm::select(c<&User::email>).order_by(c<&User::id>)).all();
    BOOST_TEST((emails == std::vector<std::optional<std::string>>{"stamped by the factory", "stamped by the factory"}));
    // A plain session is not the factory's.
    reflorm::session plain{engine};
    plain.add(User{.name = "c"});
    plain.commit();
    BOOST_TEST(seen.size() == expected.size());
}

BOOST_AUTO_TEST_CASE(objects_let_go_of_are_detached) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    auto a = s.add(User{.name = "a"});
    auto b = s.add(User{.name = "b"});
    s.commit();
    s.expunge(*a);
    BOOST_TEST((s.state_of(*a) == reflorm::object_state::detached));
    s.delete_(b);
    s.commit();
    BOOST_TEST((s.state_of(*b) == reflorm::object_state::detached));
    User never;
    BOOST_TEST((s.state_of(never) == reflorm::object_state::transient));
}

BOOST_AUTO_TEST_CASE(a_before_flush_listener_may_query_but_not_flush) {
    reflorm::session s{engine};
    std::size_t seen = 0;
    s.before_flush([&](reflorm::session& session) { seen = session.scalars(reflorm::select<User>()).all().size(); });
    s.add(User{.name = "a"});
    s.commit();
    BOOST_TEST(seen == 0u);  // the query did not autoflush the pending user
    BOOST_TEST(count_rows<User>() == 1);
    reflorm::session t{engine};
    t.before_flush([](reflorm::session& session) { session.flush(); });
    t.add(User{.name = "b"});
    BOOST_CHECK_THROW(t.flush(), reflorm::invalid_request_error);
}

BOOST_AUTO_TEST_CASE(deleting_a_pending_object_is_refused) {
    reflorm::session s{engine};
    auto u = s.add(User{.name = "p"});
    BOOST_CHECK_THROW(s.delete_(u), reflorm::invalid_request_error);
    User stranger;
    BOOST_CHECK_THROW(s.delete_(stranger), reflorm::invalid_request_error);
}

BOOST_AUTO_TEST_SUITE_END()
