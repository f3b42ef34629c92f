// Results and statement options (issue 13 items 1 and 2), on every backend: what
// connection::execute and session::execute return, each method's rows and errors as
// SQLAlchemy 2.0's Result, a result read while other statements run on its connection, and
// loader / execution options carried by the statement and given to session.get().
#define BOOST_TEST_MODULE results
#include <boost/test/unit_test.hpp>

#include "orm/models.hpp"
#include "support/backend.hpp"

#include <reflorm/engine/driver.hpp>
#include <reflorm/orm.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

using reflorm::c;
using reflorm_test::database;
using namespace orm_test;

namespace {

struct fixture {
    database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    fixture() {
        reflorm::create_all<User, Address>(engine);
        reflorm::session s{engine};
        s.add(User{.name = "ann", .email = "ann@x", .addresses = {Address{.email_address = "a1"}, Address{.email_address = "a2"}}});
        s.add(User{.name = "bob", .addresses = {Address{.email_address = "b1"}}});
        s.add(User{.name = "cy", .email = "cy@x"});
        s.commit();
    }
    auto users() const { return reflorm::select(c<&User::id>, c<&User::name>).order_by(c<&User::id>); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(core_results, fixture)

BOOST_AUTO_TEST_CASE(a_result_is_an_input_range_read_once) {
    auto conn = engine.connect();
    std::vector<std::string> names;
    for (auto& [id, name] : conn.execute(users())) names.push_back(name);
    BOOST_TEST((names == std::vector<std::string>{"ann", "bob", "cy"}));

    auto result = conn.execute(users());
    BOOST_TEST(std::get<1>(*result.fetchone()) == "ann");
    BOOST_TEST(result.all().size() == 2u);  // the rest
    BOOST_TEST(result.all().empty());       // read once
    BOOST_TEST(!result.fetchone());
}

BOOST_AUTO_TEST_CASE(first_one_and_one_or_none_raise_as_sqlalchemy) {
    auto conn = engine.connect();
    BOOST_TEST(std::get<1>(*conn.execute(users()).first()) == "ann");
    BOOST_TEST(!conn.execute(users().where(c<&User::name> == "zed")).first());
    BOOST_TEST(std::get<1>(conn.execute(users().where(c<&User::name> == "bob")).one()) == "bob");
    BOOST_CHECK_THROW(conn.execute(users().where(c<&User::name> == "zed")).one(), reflorm::no_result_found);
    BOOST_CHECK_THROW(conn.execute(users()).one(), reflorm::multiple_results_found);
    BOOST_TEST(!conn.execute(users().where(c<&User::name> == "zed")).one_or_none());
    BOOST_CHECK_THROW(conn.execute(users()).one_or_none(), reflorm::multiple_results_found);
    BOOST_CHECK_EXCEPTION(conn.execute(users()).one(), reflorm::multiple_results_found, [](const auto& e) {
        return std::string(e.what()).find("SELECT users.id, users.name FROM users") != std::string::npos;
    });
    // Whole models.
    const std::optional<User> bob = conn.execute(reflorm::select<User>().where(c<&User::name> == "bob")).first();
    BOOST_TEST((bob && !bob->email));
}

BOOST_AUTO_TEST_CASE(the_scalar_family_reads_the_first_column) {
    auto conn = engine.connect();
    BOOST_TEST(conn.execute(reflorm::select(reflorm::count()).select_from<User>()).scalar_one() == 3);
    BOOST_TEST(*conn.scalar(users()) == 1);
    BOOST_TEST(!conn.scalar(users().where(c<&User::id> < 0)));
    BOOST_CHECK_THROW(conn.execute(users()).scalar_one(), reflorm::multiple_results_found);
    BOOST_CHECK_THROW(conn.execute(users().where(c<&User::id> < 0)).scalar_one(), reflorm::no_result_found);
    BOOST_TEST(!conn.execute(users().where(c<&User::id> < 0)).scalar_one_or_none());
    // A nullable column: NULL and "no row" are both nothing, as SQLAlchemy's None.
    const std::optional<std::string> none = conn.scalar(reflorm::select(c<&User::email>).where(c<&User::name> == "bob"));
    BOOST_TEST(!none);
    const std::vector<std::string> names = conn.scalars(reflorm::select(c<&User::name>).order_by(c<&User::name>.desc())).all();
    BOOST_TEST((names == std::vector<std::string>{"cy", "bob", "ann"}));
    const std::vector<std::string> second = conn.execute(users()).columns<1>().all();
    BOOST_TEST((second == std::vector<std::string>{"ann", "bob", "cy"}));
    const auto swapped = conn.execute(users()).columns<1, 0>().first();
    BOOST_TEST((swapped && std::get<0>(*swapped) == "ann" && std::get<1>(*swapped) == 1));
}

BOOST_AUTO_TEST_CASE(unique_and_partitions) {
    auto conn = engine.connect();
    const auto owners = conn.execute(reflorm::select(c<&Address::user_id>).order_by(c<&Address::id>)).unique().all();
    BOOST_TEST(owners.size() == 2u);  // ann's two addresses give one row
    std::vector<std::size_t> sizes;
    for (auto& part : conn.execute(users()).partitions(2)) sizes.push_back(part.size());
    BOOST_TEST((sizes == std::vector<std::size_t>{2, 1}));
    BOOST_CHECK_THROW(conn.execute(users()).partitions(0), reflorm::invalid_request_error);
    BOOST_TEST(conn.execute(users()).fetchmany(2).size() == 2u);
}

BOOST_AUTO_TEST_CASE(dml_gives_rowcount_and_returning_gives_rows) {
    auto conn = engine.connect();
    auto changed = conn.execute(reflorm::update<User>().set(c<&User::email> = std::optional<std::string>("x")).where(c<&User::id> > 1));
    BOOST_TEST(changed.rowcount() == 2);
    BOOST_TEST(changed.all().empty());
    BOOST_TEST(conn.execute(users()).rowcount() == -1);  // a select has none
    BOOST_TEST(conn.execute(reflorm::delete_<Address>().where(c<&Address::email_address> == "none")).rowcount() == 0);
    if (reflorm_test::current_backend() != reflorm_test::backend::mysql || engine.dialect().supports_returning()) {
        auto inserted = conn.execute(reflorm::insert<User>().values(User{.name = "dee"}).returning(c<&User::name>));
        BOOST_TEST(inserted.scalar_one() == "dee");
    }
}

BOOST_AUTO_TEST_CASE(other_statements_run_while_a_result_is_read) {
    auto conn = engine.connect();
    auto outer = conn.execute(users());
    std::vector<std::string> pairs;
    for (auto& [id, name] : outer) {
        // The same statement again: a second cursor, not the one being read.
        const auto again = conn.execute(users()).all();
        const auto addresses = conn.execute(reflorm::select(c<&Address::email_address>).where(c<&Address::user_id> == id)).all();
        pairs.push_back(name + ":" + std::to_string(again.size()) + ":" + std::to_string(addresses.size()));
    }
    BOOST_TEST((pairs == std::vector<std::string>{"ann:3:2", "bob:3:1", "cy:3:0"}));
}

BOOST_AUTO_TEST_CASE(a_result_outlives_its_connection_object) {
    std::optional<reflorm::result<std::tuple<std::int64_t, std::string>>> kept;
    {
        auto conn = engine.connect();
        kept.emplace(conn.execute(users()));
    }
    // The pooled connection stays with the result: nobody else is given it meanwhile.
    auto other = engine.connect();
    BOOST_TEST(other.execute(users()).all().size() == 3u);
    BOOST_TEST(kept->all().size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_closed_result_frees_its_statement) {
    auto conn = engine.connect();
    {
        auto partly = conn.execute(users());
        BOOST_TEST(partly.fetchone().has_value());
    }  // destroyed after one row
    BOOST_TEST(conn.execute(users()).all().size() == 3u);
    auto closed = conn.execute(users());
    closed.close();
    BOOST_TEST(!closed.fetchone());
}

BOOST_AUTO_TEST_CASE(select_of_several_models_gives_tuples_of_them) {
    auto conn = engine.connect();
    const auto joined = reflorm::select<User, Address>().join<&User::addresses>().order_by(c<&Address::id>);
    BOOST_TEST(reflorm_test::with_qmarks(reflorm::sql::to_sql(joined, engine.dialect())) ==
               "SELECT users.id, users.name, users.email, addresses.id, addresses.user_id, addresses.email_address FROM users "
               "JOIN addresses ON addresses.user_id = users.id ORDER BY addresses.id ASC");
    const std::vector<std::tuple<User, Address>> rows = conn.execute(joined).all();
    BOOST_TEST(rows.size() == 3u);
    BOOST_TEST((std::get<0>(rows[1]).name == "ann" && std::get<1>(rows[1]).email_address == "a2"));
    BOOST_TEST((std::get<0>(rows[2]).name == "bob" && std::get<1>(rows[2]).email_address == "b1"));
    // An outer join: the joined model is std::optional, empty where no row matched.
    const std::vector<std::tuple<User, std::optional<Address>>> outer =
        conn.execute(reflorm::select<User, Address>().outer_join<&User::addresses>().order_by(c<&User::id>, c<&Address::id>)).all();
    BOOST_TEST(outer.size() == 4u);
    BOOST_TEST((std::get<0>(outer[3]).name == "cy" && !std::get<1>(outer[3])));
    // Without a join: every pairing, as SQL's FROM a, b.
    BOOST_TEST(conn.execute(reflorm::select<User, Address>()).all().size() == 9u);
}

BOOST_AUTO_TEST_CASE(a_buffered_result_tells_its_row_count_to_size_all) {
    // The driver's size hint, which all() reserves: the row count of a result the client holds
    // whole (the servers' buffered results), 0 where it is unknown (SQLite, a streamed result).
    auto raw = reflorm::driver::open(reflorm::parse_url(db.url()));
    raw->execute("CREATE TABLE hinted (id INTEGER PRIMARY KEY)");
    raw->execute("INSERT INTO hinted (id) VALUES (1), (2), (3), (4)");
    reflorm::driver::cursor& cur = raw->prepare("SELECT id FROM hinted ORDER BY id");
    BOOST_TEST(cur.step());
    BOOST_TEST(cur.buffered_rows() == (db.kind() == reflorm_test::backend::sqlite ? 0u : 4u));
    cur.reset();
    cur.set_streaming(true);
    BOOST_TEST(cur.step());
    BOOST_TEST(cur.buffered_rows() == 0u);
    cur.reset();
    BOOST_TEST(engine.connect().execute(users()).all().size() == 3u);  // reserved from the hint
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(session_results, fixture)

BOOST_AUTO_TEST_CASE(select_of_several_models_gives_the_sessions_objects) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto rows = s.execute(reflorm::select<User, Address>()
                              .outer_join<&User::addresses>()
                              .order_by(c<&User::id>, c<&Address::id>)
                              .options(reflorm::selectinload<&User::addresses>()))
                    .all();
    BOOST_TEST(n.count() == 2u);  // the rows, then one selectinload of the three users' addresses
    BOOST_TEST(rows.size() == 4u);
    BOOST_TEST(std::get<0>(rows[0]).get() == std::get<0>(rows[1]).get());  // ann twice: one object
    BOOST_TEST(std::get<1>(rows[0]).get() == &std::get<0>(rows[0])->addresses[0]);  // the identity map's address
    BOOST_TEST(!std::get<1>(rows[3]));  // cy has none
    BOOST_TEST(std::get<0>(rows[3])->addresses.empty());
    const auto users = s.scalars(reflorm::select<User, Address>().join<&User::addresses>().order_by(c<&Address::id>)).unique().all();
    BOOST_TEST(users.size() == 2u);  // scalars(): the first model; unique(): each object once
}



BOOST_AUTO_TEST_CASE(execute_of_a_model_gives_tuples_of_the_sessions_objects) {
    reflorm::session s{engine};
    auto rows = s.execute(reflorm::select<User>().order_by(c<&User::id>)).all();
    BOOST_TEST(rows.size() == 3u);
    auto ann = s.get<User>(std::get<0>(rows[0])->id);
    BOOST_TEST(ann.get() == std::get<0>(rows[0]).get());  // the identity map's object
    BOOST_TEST(s.scalars(reflorm::select<User>().where(c<&User::name> == "bob")).one()->name == "bob");
    BOOST_TEST(!s.scalars(reflorm::select<User>().where(c<&User::name> == "zed")).first());
    BOOST_TEST(s.scalar(reflorm::select<User>().order_by(c<&User::id>.desc()))->name == "cy");
    BOOST_CHECK_THROW(s.scalars(reflorm::select<User>()).one(), reflorm::multiple_results_found);
    BOOST_TEST(s.execute(reflorm::select(reflorm::count()).select_from<Address>()).scalar_one() == 3);
    BOOST_TEST(s.execute(reflorm::update<User>().set(c<&User::email> = std::optional<std::string>()).where(c<&User::id> > 0)).rowcount() == 3);
}

BOOST_AUTO_TEST_CASE(loader_options_ride_on_the_statement_in_any_order) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    // options() before where(): the options travel with every later builder call.
    auto users = s.scalars(reflorm::select<User>().options(reflorm::selectinload<&User::addresses>()).where(c<&User::id> > 0).order_by(c<&User::id>)).all();
    BOOST_TEST(n.count() == 2u);
    BOOST_TEST(users[0]->addresses.size() == 2u);
    BOOST_TEST(users[2]->addresses.empty());
    reflorm::session t{engine};
    reflorm::statement_counter m{engine};
    auto joined = t.scalars(reflorm::select<User>().order_by(c<&User::id>).options(reflorm::joinedload<&User::addresses>())).all();
    BOOST_TEST(m.count() == 1u);
    BOOST_TEST(joined.size() == 3u);
    BOOST_TEST(joined[1]->addresses.size() == 1u);
}

BOOST_AUTO_TEST_CASE(get_takes_loader_options_and_populate_existing) {
    reflorm::session s{engine};
    reflorm::statement_counter n{engine};
    auto ann = s.get<User>(1, reflorm::selectinload<&User::addresses>());
    BOOST_TEST(n.count() == 2u);  // the row, then its addresses
    BOOST_TEST(ann->addresses.size() == 2u);
    // Held already: no SELECT of the user, the options still run over it (loaded: nothing to do).
    BOOST_TEST(s.get<User>(1, reflorm::selectinload<&User::addresses>()) == ann);
    BOOST_TEST(n.count() == 2u);

    ann->name = "changed, not flushed";
    BOOST_TEST(s.get<User>(1)->name == "changed, not flushed");  // the identity map's object, as it is
    BOOST_TEST(s.get<User>(1, reflorm::execution_options{.populate_existing = true}) == ann);
    BOOST_TEST(n.count() == 3u);  // populate_existing reads the row
    BOOST_TEST(ann->name == "ann");  // overwritten by it
}

BOOST_AUTO_TEST_CASE(populate_existing_as_an_execution_option) {
    reflorm::session s{engine, {.autoflush = false}};  // the local change stays local
    auto bob = s.scalars(reflorm::select<User>().where(c<&User::name> == "bob")).one();
    bob->email = "local";
    auto again = s.scalars(reflorm::select<User>().where(c<&User::name> == "bob")).one();
    BOOST_TEST(*again->email == "local");  // not overwritten
    auto populated = s.scalars(reflorm::select<User>().where(c<&User::name> == "bob").execution_options({.populate_existing = true})).one();
    BOOST_TEST(populated == bob);
    BOOST_TEST(!bob->email);  // the row's NULL
    const auto options = reflorm::select<User>().execution_options({.populate_existing = true}).execution_options({});
    BOOST_TEST(options.get_execution_options().populate_existing.value_or(false));  // merged, not replaced
}

BOOST_AUTO_TEST_SUITE_END()
