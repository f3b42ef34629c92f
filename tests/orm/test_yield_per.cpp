// execution_options yield_per (issue 13 item 5): the session reads select<T>() objects n at a
// time, runs the loader options once per batch, and lets each batch go (detached, freed with its
// last handle) when the caller moves on; a handle kept from an earlier batch stays valid, and
// peak memory stays flat over 200,000 objects. Runs with ASan's quarantine off (meson.build).
#define BOOST_TEST_MODULE orm_yield_per
#include <boost/test/unit_test.hpp>

#include "models.hpp"
#include "support/backend.hpp"


using namespace orm_test;
using reflorm::c;

namespace {

struct Reading {
    std::int64_t id = 0;
    std::int64_t n = 0;
    std::string label;
};

}  // namespace

template <>
struct reflorm::model<Reading> {
    static constexpr std::string_view table = "readings";
};

namespace {

constexpr reflorm::execution_options per10{.yield_per = 10};

// 25 users, user i (1-based) with i % 3 addresses.
struct fixture {
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    fixture() {
        reflorm::create_all<User, Address, Reading>(engine);
        reflorm::session s{engine};
        for (int i = 1; i <= 25; ++i) {
            User u{.name = "u" + std::to_string(100 + i)};
            for (int a = 0; a < i % 3; ++a) u.addresses.push_back(Address{.email_address = u.name + "@" + std::to_string(a)});
            s.add(std::move(u));
        }
        s.commit();
    }
    static auto users() { return reflorm::select<User>().order_by(c<&User::id>); }
};

std::string name_of(int i) { return "u" + std::to_string(100 + i); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(yield_per, fixture)

BOOST_AUTO_TEST_CASE(rows_and_objects_are_right_across_batch_boundaries) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    int i = 0;
    for (const auto& u : s.scalars(users().execution_options(per10))) {
        ++i;
        BOOST_REQUIRE(u->name == name_of(i));
        BOOST_TEST((s.state_of(*u) == reflorm::object_state::persistent));  // its batch is the current one
    }
    BOOST_TEST(i == 25);
    BOOST_TEST(n.count() == 1u);  // one query: no loader runs per batch

    // Rows of tuples, all(), partitions() and a batch of 1.
    i = 0;
    for (const auto& [u] : s.execute(users().execution_options(per10))) BOOST_REQUIRE(u->name == name_of(++i));
    BOOST_TEST(i == 25);
    const auto all = s.scalars(users().execution_options({.yield_per = 1})).all();
    BOOST_TEST(all.size() == 25u);
    BOOST_TEST(all.back()->name == name_of(25));
    std::vector<std::size_t> sizes;
    for (const auto& part : s.scalars(users().execution_options(per10)).partitions(7)) sizes.push_back(part.size());
    BOOST_TEST(sizes == (std::vector<std::size_t>{7, 7, 7, 4}), boost::test_tools::per_element());
    BOOST_TEST(s.scalars(users().where(c<&User::id> < 0).execution_options(per10)).all().empty());
    // With read_only: no snapshots, the same objects.
    i = 0;
    for (const auto& u : s.scalars(users().execution_options({.read_only = true, .yield_per = 3}))) BOOST_REQUIRE(u->name == name_of(++i));
    BOOST_TEST(i == 25);
}

BOOST_AUTO_TEST_CASE(selectinload_runs_once_per_batch) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto r = s.scalars(users().options(reflorm::selectinload<&User::addresses>()).execution_options(per10));
    int i = 0;
    std::vector<std::size_t> counts;  // statements run when each batch's first row is reached
    for (const auto& u : r) {
        if (i % 10 == 0) counts.push_back(n.count());
        ++i;
        BOOST_REQUIRE(u->addresses.size() == std::size_t(i % 3));
        for (const Address& a : u->addresses) BOOST_REQUIRE(a.user.get() == u.get());
        if (i % 3 == 2) BOOST_REQUIRE(u->addresses[1].email_address == name_of(i) + "@1");
    }
    BOOST_TEST(i == 25);
    BOOST_TEST(counts == (std::vector<std::size_t>{2, 3, 4}), boost::test_tools::per_element());  // the query, then one SELECT per batch
    BOOST_TEST(n.count() == 4u);
}

BOOST_AUTO_TEST_CASE(passed_batches_leave_the_session_and_kept_handles_stay_valid) {
    std::shared_ptr<User> kept, second_batch;
    {
        reflorm::session s{engine};
        auto r = s.scalars(users().options(reflorm::selectinload<&User::addresses>()).execution_options(per10));
        for (const auto& u : r) {
            if (u->name == name_of(2)) kept = u;
            if (u->name == name_of(11)) {
                second_batch = u;
                BOOST_TEST((s.state_of(*kept) == reflorm::object_state::detached));
                BOOST_TEST((s.state_of(*u) == reflorm::object_state::persistent));
                reflorm::statement_counter n{engine};
                auto again = s.get<User>(kept->id);  // not in the identity map: read again
                BOOST_TEST(n.count() == 1u);
                BOOST_TEST(again.get() != kept.get());
                BOOST_TEST(again->name == name_of(2));
                BOOST_TEST((s.state_of(*again) == reflorm::object_state::persistent));
            }
        }
        BOOST_TEST((s.state_of(*second_batch) == reflorm::object_state::detached));
        // What the loader options read for a batch leaves with it.
        BOOST_TEST((s.state_of(kept->addresses[0]) == reflorm::object_state::detached));
        reflorm::statement_counter n{engine};
        BOOST_TEST(s.get<Address>(kept->addresses[0].id).get() != &kept->addresses[0]);
        BOOST_TEST(n.count() == 1u);
    }
    // The session is gone; the handles keep their batches (and what they point at) alive.
    BOOST_TEST(kept->name == name_of(2));
    BOOST_TEST(kept->addresses.size() == 2u);
    BOOST_TEST(kept->addresses[0].user.get() == kept.get());
    BOOST_TEST(second_batch->addresses[1].email_address == name_of(11) + "@1");
}

BOOST_AUTO_TEST_CASE(closing_the_result_releases_its_batch) {
    reflorm::session s{engine};
    std::shared_ptr<User> first;
    {
        auto r = s.scalars(users().execution_options(per10));
        first = r.fetchone();
        BOOST_TEST((s.state_of(*first) == reflorm::object_state::persistent));
    }
    BOOST_TEST((s.state_of(*first) == reflorm::object_state::detached));
    BOOST_TEST(first->name == name_of(1));
    BOOST_TEST(s.scalars(users().execution_options(per10)).first()->name == name_of(1));
}

BOOST_AUTO_TEST_CASE(objects_the_session_held_stay_and_what_they_point_at_stays_valid) {
    reflorm::session s{engine};
    auto held = s.get<User>(std::int64_t{2});  // in the session before the query
    std::shared_ptr<User> seen;
    for (const auto& u : s.scalars(users().options(reflorm::selectinload<&User::addresses>()).execution_options(per10)))
        if (u->name == name_of(2)) seen = u;
    BOOST_TEST(seen.get() == held.get());
    BOOST_TEST((s.state_of(*held) == reflorm::object_state::persistent));
    seen.reset();
    // Its addresses were read into the first batch, which the session kept for them.
    BOOST_TEST(held->addresses.size() == 2u);
    BOOST_TEST(held->addresses[1].email_address == name_of(2) + "@1");
    BOOST_TEST(held->addresses[1].user.get() == held.get());
}

BOOST_AUTO_TEST_CASE(an_unflushed_reference_into_a_batch_keeps_that_batch) {
    reflorm::session s{engine, {.autoflush = false}};
    auto held = s.scalars(reflorm::select<Address>().order_by(c<&Address::id>)).first();  // outside every batch
    BOOST_REQUIRE(held);
    int i = 0;
    for (const auto& u : s.scalars(users().execution_options(per10)))
        if (++i == 3) held->user = *u;  // points into the first batch; not flushed, no handle kept
    BOOST_TEST(i == 25);
    BOOST_TEST(held->user->name == name_of(3));  // the batch the reference points into was kept
    // Its objects left the session with it: writing the reference needs the object merged back.
    BOOST_TEST((s.state_of(*held->user) == reflorm::object_state::detached));
    BOOST_CHECK_THROW(s.flush(), reflorm::invalid_request_error);
}

BOOST_AUTO_TEST_CASE(a_flush_during_a_batch_keeps_it_for_the_rollback) {
    std::int64_t id = 0;
    {
        reflorm::session s{engine};
        for (const auto& u : s.scalars(users().execution_options({.stream_results = false, .yield_per = 10}))) {
            if (u->name != name_of(3)) continue;
            u->name = "changed";
            id = u->id;
            s.flush();  // an UPDATE whose undo points at the batch's object
        }
        s.rollback();  // undoes into the object, which the session kept
    }
    reflorm::session s{engine};
    BOOST_TEST(s.get<User>(id)->name == name_of(3));
}

// A many-to-one joinedload adds columns to each row, not rows: it goes with yield_per, as in
// SQLAlchemy (which refuses joined collections only). Options below it run once per batch.
BOOST_AUTO_TEST_CASE(a_many_to_one_joinedload_streams_with_yield_per) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    const auto addresses = reflorm::select<Address>().order_by(c<&Address::id>);
    int i = 0;
    const User* previous = nullptr;
    for (const auto& a : s.scalars(addresses.options(reflorm::joinedload<&Address::user>()).execution_options(per10))) {
        ++i;
        const User& u = *a->user;  // loaded with the row: no statement
        BOOST_REQUIRE(a->email_address.rfind(u.name + "@", 0) == 0);
        // One object per user within a batch (a passed batch's users have left the session).
        if (a->email_address.back() == '1' && i % 10 != 1) BOOST_REQUIRE(&u == previous);
        previous = &u;
    }
    BOOST_TEST(i == 25);
    BOOST_TEST(n.count() == 1u);

    // A selectinload below it: once per batch, over the users that batch's rows brought.
    reflorm::session t{engine};
    reflorm::statement_counter m{engine};
    i = 0;
    for (const auto& a : t.scalars(addresses.options(reflorm::joinedload<&Address::user>().selectinload<&User::addresses>())
                                       .execution_options(per10))) {
        ++i;
        const int k = std::stoi(a->user->name.substr(1)) - 100;  // user k has k % 3 addresses
        BOOST_REQUIRE(a->user->addresses.size() == std::size_t(k % 3));
    }
    BOOST_TEST(i == 25);
    BOOST_TEST(m.count() == 1u + 3u);
}

BOOST_AUTO_TEST_CASE(joinedload_subqueryload_and_zero_rows_are_refused) {
    reflorm::session s{engine};
    BOOST_CHECK_THROW(s.scalars(users().options(reflorm::joinedload<&User::addresses>()).execution_options(per10)),
                      reflorm::invalid_request_error);
    BOOST_CHECK_THROW(s.scalars(reflorm::select<Address>()
                                    .options(reflorm::joinedload<&Address::user>().joinedload<&User::addresses>())
                                    .execution_options(per10)),
                      reflorm::invalid_request_error);
    BOOST_CHECK_THROW(s.scalars(users().options(reflorm::subqueryload<&User::addresses>()).execution_options(per10)),
                      reflorm::invalid_request_error);
    BOOST_CHECK_THROW(s.scalars(users().execution_options({.yield_per = 0})), reflorm::invalid_request_error);
    BOOST_CHECK_THROW(s.execute(reflorm::select<User, Address>().join<&User::addresses>().execution_options(per10)),
                      reflorm::invalid_request_error);
}

BOOST_AUTO_TEST_CASE(objects_read_200000_at_a_time_1000_keep_peak_memory_flat) {
    const std::string rows = "200000";
    std::string fill;
    switch (db.kind()) {
    case reflorm_test::backend::postgresql:
        fill = "INSERT INTO readings (n, label) SELECT g, repeat('x', 100) FROM generate_series(1, " + rows + ") g";
        break;
    case reflorm_test::backend::mysql:
        fill = "INSERT INTO readings (n, label) SELECT seq, REPEAT('x', 100) FROM seq_1_to_" + rows;
        break;
    case reflorm_test::backend::sqlite:
        fill = "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < " + rows +
               ") INSERT INTO readings (n, label) SELECT g, substr(replace(hex(zeroblob(100)), '0', 'x'), 1, 100) FROM s";
        break;
    }
    engine.connect().exec_driver_sql(fill);
    const auto all = reflorm::select<Reading>().order_by(c<&Reading::n>);
    std::int64_t sum = 0, count = 0;
    {
        reflorm::session s{engine};
        const long before = reflorm_test::peak_kib(true);
        for (const auto& r : s.scalars(all.execution_options({.yield_per = 1000}))) {
            sum += r->n;
            ++count;
        }
        const long growth = reflorm_test::peak_kib(false) - before;
        BOOST_TEST_MESSAGE("peak RSS growth: yield_per " << growth << " KiB");
        BOOST_TEST(count == 200'000);
        BOOST_TEST(sum == std::int64_t{200'000} * 200'001 / 2);
        BOOST_TEST(growth < 12 * 1024);  // a few batches' worth, whatever the result's size
    }
    reflorm::session s{engine};
    const long before = reflorm_test::peak_kib(true);
    const auto objects = s.scalars(all).all();
    const long growth = reflorm_test::peak_kib(false) - before;
    BOOST_TEST_MESSAGE("peak RSS growth: all() " << growth << " KiB");
    BOOST_TEST(objects.size() == 200'000u);
    BOOST_TEST(growth > 40 * 1024);  // the check measures something: all() holds every object
}

BOOST_AUTO_TEST_SUITE_END()
