// Bound values in execute events and in echo (issue 13 item 6c), on every backend: what a
// listener sees for a select, an UPDATE, an executemany and a selectinload batch; echo's lines;
// and secret columns (reflorm::secret, or a password-like name) shown as '***' in events, echo,
// str() and error messages while the values themselves are stored.
#define BOOST_TEST_MODULE echo
#include <boost/test/unit_test.hpp>

#include "orm/models.hpp"
#include "support/backend.hpp"

#include <reflorm/orm.hpp>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

struct Account {
    std::int64_t id = 0;
    std::string name;
    std::string password_hash;  // secret by its name
    std::string api_key;        // secret by reflorm::secret
    std::int64_t token_count = 0;  // "token" in its name, opted out with not_secret
};

template <>
struct reflorm::model<Account> {
    static constexpr auto columns =
        reflorm::columns(reflorm::secret<&Account::api_key>, reflorm::unique<&Account::api_key>, reflorm::max_length<&Account::api_key, 40>,
                         reflorm::not_secret<&Account::token_count>);
};

static_assert(reflorm::schema::table_of<Account>.columns[2].secret);
static_assert(reflorm::schema::table_of<Account>.columns[3].secret);
static_assert(!reflorm::schema::table_of<Account>.columns[1].secret);
static_assert(!reflorm::schema::table_of<Account>.columns[4].secret);
static_assert(reflorm::secret_name("userPassWord") && reflorm::secret_name("auth_token") && !reflorm::secret_name("name"));

using reflorm::c;
using reflorm_test::database;
using namespace orm_test;

namespace {

struct seen_statement {
    std::string sql;
    std::size_t sets = 0;
    std::vector<std::vector<std::string>> parameters;  // one per parameter set
};

/// Records every statement with its values while it lives.
struct recorder {
    reflorm::engine& engine;
    std::vector<seen_statement> seen;
    std::size_t id = 0;
    explicit recorder(reflorm::engine& e) : engine(e) {
        id = engine.add_listener([this](const reflorm::execute_event& event) {
            seen_statement s{std::string(event.sql), event.parameter_sets, {}};
            for (std::size_t i = 0; i < event.parameter_sets; ++i) s.parameters.push_back(event.parameters(i));
            seen.push_back(std::move(s));
        });
    }
    recorder(const recorder&) = delete;
    recorder& operator=(const recorder&) = delete;
    ~recorder() { engine.remove_listener(id); }
    const seen_statement& last() const { return seen.back(); }
};

/// Captures std::clog while it lives.
struct clog_capture {
    std::ostringstream out;
    std::streambuf* old = std::clog.rdbuf(out.rdbuf());
    ~clog_capture() { std::clog.rdbuf(old); }
};

/// A user with one address, both named `name`.
User user_with_address(const char* name) {
    User u;
    u.name = name;
    Address a;
    a.email_address = name;
    u.addresses = {std::move(a)};
    return u;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct fixture {
    database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    fixture() { reflorm::create_all<Account, User, Address>(engine); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(events, fixture)

BOOST_AUTO_TEST_CASE(a_listener_sees_the_values_of_a_select_and_an_update) {
    auto conn = engine.connect();
    recorder r(engine);
    conn.execute(reflorm::select<Account>().where(c<&Account::name> == "ann" && c<&Account::id> > 5)).all();
    BOOST_TEST(r.last().sets == 1u);
    BOOST_TEST((r.last().parameters[0] == std::vector<std::string>{"'ann'", "5"}));

    conn.execute(reflorm::update<Account>().set(c<&Account::name> = "it's").where(c<&Account::id> == 7));
    BOOST_TEST(contains(r.last().sql, "UPDATE"));
    BOOST_TEST((r.last().parameters[0] == std::vector<std::string>{"'it''s'", "7"}));

    BOOST_TEST(conn.count(reflorm::select<Account>().where(c<&Account::token_count> >= 3)) == 0);
    BOOST_TEST((r.last().parameters[0] == std::vector<std::string>{"3"}));  // not_secret: shown
    conn.get<Account>(42);
    BOOST_TEST((r.last().parameters[0] == std::vector<std::string>{"42"}));
}

BOOST_AUTO_TEST_CASE(a_listener_sees_every_row_of_an_executemany) {
    auto conn = engine.connect();
    recorder r(engine);
    std::vector<Account> rows{{.name = "a", .password_hash = "h1", .api_key = "k1", .token_count = 1},
                              {.name = "b", .password_hash = "h2", .api_key = "k2", .token_count = 2},
                              {.name = "c", .password_hash = "h3", .api_key = "k3", .token_count = 3}};
    conn.insert_all(rows);
    const auto insert = std::find_if(r.seen.begin(), r.seen.end(), [](const auto& s) { return contains(s.sql, "INSERT"); });
    BOOST_REQUIRE(insert != r.seen.end());
    BOOST_TEST(insert->sets == 3u);
    const auto& second = insert->parameters[1];
    BOOST_TEST(std::count(second.begin(), second.end(), "'b'") == 1);
    BOOST_TEST(std::count(second.begin(), second.end(), "2") == 1);
    BOOST_TEST(std::count(second.begin(), second.end(), "'***'") == 2);  // password_hash, api_key
    BOOST_TEST(std::count(second.begin(), second.end(), "'h2'") == 0);
}

BOOST_AUTO_TEST_CASE(a_listener_sees_the_keys_a_selectinload_batch_sends) {
    std::vector<std::int64_t> ids;
    {
        reflorm::session s{engine};
        std::vector<User*> added;
        for (const char* name : {"ann", "bob", "cy"}) added.push_back(&*s.add(user_with_address(name)));
        s.flush();
        for (User* u : added) ids.push_back(u->id);
        s.commit();
    }
    reflorm::session s{engine};
    recorder r(engine);
    auto users = s.scalars(reflorm::select<User>().order_by(c<&User::id>).options(reflorm::selectinload<&User::addresses>())).all();
    BOOST_TEST(users.size() == 3u);
    BOOST_REQUIRE(r.seen.size() == 2u);
    BOOST_TEST(contains(r.seen[1].sql, " IN ("));
    std::vector<std::string> keys;
    for (auto id : ids) keys.push_back(std::to_string(id));
    BOOST_TEST(r.seen[1].parameters[0] == keys);
}

BOOST_AUTO_TEST_CASE(the_session_insert_shows_the_foreign_keys_it_fills_in) {
    reflorm::session s{engine};
    recorder r(engine);
    auto ann = s.add(user_with_address("ann"));
    s.commit();
    const auto insert = std::find_if(r.seen.begin(), r.seen.end(), [](const auto& e) { return contains(e.sql, "INSERT INTO addresses"); });
    BOOST_REQUIRE(insert != r.seen.end());
    const auto& values = insert->parameters[0];
    BOOST_TEST(std::count(values.begin(), values.end(), std::to_string(ann->id)) == 1);
}

BOOST_AUTO_TEST_CASE(echo_prints_the_sql_then_its_values) {
    auto echoing = reflorm::create_engine(db.url(), {.echo = true});
    auto conn = echoing.connect();
    clog_capture capture;
    conn.execute(reflorm::select<Account>().where(c<&Account::name> == "ann" && c<&Account::id> > 5)).all();
    std::vector<Account> rows(12);
    for (int i = 0; i < 12; ++i) rows[i] = Account{.name = "n" + std::to_string(i), .password_hash = "h", .api_key = "k" + std::to_string(i)};
    conn.insert_all(rows);
    const std::string out = capture.out.str();
    BOOST_TEST_INFO(out);
    BOOST_TEST(contains(out, "\nreflorm: ['ann', 5]\n"));
    BOOST_TEST(out.find("reflorm: SELECT") < out.find("reflorm: ['ann', 5]"));
    BOOST_TEST(contains(out, "'n9'"));
    BOOST_TEST(!contains(out, "'n10'"));  // rows past the tenth are counted, not shown
    BOOST_TEST(contains(out, ", ... 12 rows]\n"));
    BOOST_TEST(!contains(out, "'k3'"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(secrets, fixture)

BOOST_AUTO_TEST_CASE(values_compared_with_or_assigned_to_a_secret_column_read_as_stars) {
    auto conn = engine.connect();
    recorder r(engine);
    conn.execute(reflorm::select<Account>().where(c<&Account::password_hash> == "hunter2" && c<&Account::name> == "ann")).all();
    BOOST_TEST((r.last().parameters[0] == std::vector<std::string>{"'***'", "'ann'"}));
    conn.execute(reflorm::select<Account>().where(c<&Account::api_key>.in_({"k1", "k2"}) || c<&Account::api_key>.like("k%"))).all();
    BOOST_TEST((r.last().parameters[0] == std::vector<std::string>{"'***'", "'***'", "'***'"}));
    conn.execute(reflorm::update<Account>().set(c<&Account::password_hash> = "new").where(c<&Account::id> == 1));
    BOOST_TEST((r.last().parameters[0] == std::vector<std::string>{"'***'", "1"}));
    const std::string table(reflorm::schema::table_of<Account>.name);
    conn.execute(reflorm::text("SELECT id FROM " + table + " WHERE name = :password OR name = :name").bind("password", "pw").bind("name", "x"));
    BOOST_TEST((r.last().parameters[0] == std::vector<std::string>{"'***'", "'x'"}));
    BOOST_TEST(contains(reflorm::sql::str(reflorm::select<Account>().where(c<&Account::password_hash> == "hunter2")),
                        "-- parameters: ('***')"));
}

namespace {
using values = std::vector<std::string>;
const values stars(std::size_t n) { return values(n, "'***'"); }
}  // namespace

// A value meets a secret column through an expression: a function, arithmetic, coalesce, IN,
// BETWEEN, LIKE or a CASE over it, or an UPDATE SET from one.
BOOST_AUTO_TEST_CASE(a_value_compared_with_a_function_of_a_secret_column_reads_as_stars) {
    using reflorm::lower;
    using reflorm::upper;
    auto conn = engine.connect();
    recorder r(engine);
    conn.execute(reflorm::select<Account>().where(lower(c<&Account::password_hash>) == "hunter2")).all();
    BOOST_TEST(r.last().parameters[0] == stars(1), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where("hunter2" == upper(c<&Account::api_key>))).all();
    BOOST_TEST(r.last().parameters[0] == stars(1), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(reflorm::like(lower(c<&Account::api_key>), "k%"))).all();
    BOOST_TEST(r.last().parameters[0] == stars(1), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(c<&Account::password_hash>.ilike("HUNTER%"))).all();
    BOOST_TEST(r.last().parameters[0] == stars(1), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(reflorm::ilike(lower(c<&Account::password_hash>), "HUNTER%"))).all();
    BOOST_TEST(r.last().parameters[0] == stars(1), boost::test_tools::per_element());
    // Not more: a value compared with a function of a plain column still shows.
    conn.execute(reflorm::select<Account>().where(lower(c<&Account::name>) == "ann" && lower(c<&Account::password_hash>) == "x")).all();
    BOOST_TEST(r.last().parameters[0] == (values{"'ann'", "'***'"}), boost::test_tools::per_element());
    BOOST_TEST(contains(reflorm::sql::str(reflorm::select<Account>().where(lower(c<&Account::password_hash>) == "hunter2")),
                        "-- parameters: ('***')"));
}

BOOST_AUTO_TEST_CASE(in_and_between_over_an_expression_of_a_secret_column_read_as_stars) {
    using reflorm::lower;
    auto conn = engine.connect();
    recorder r(engine);
    conn.execute(reflorm::select<Account>().where(reflorm::in_(lower(c<&Account::api_key>), {"k1", "k2"}))).all();
    BOOST_TEST(r.last().parameters[0] == stars(2), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(reflorm::not_in(lower(c<&Account::password_hash>), {"a"}))).all();
    BOOST_TEST(r.last().parameters[0] == stars(1), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(reflorm::between(lower(c<&Account::password_hash>), "a", "m"))).all();
    BOOST_TEST(r.last().parameters[0] == stars(2), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(c<&Account::api_key>.between("a", "m"))).all();
    BOOST_TEST(r.last().parameters[0] == stars(2), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(reflorm::between(lower(c<&Account::name>), "a", "m"))).all();
    BOOST_TEST(r.last().parameters[0] == (values{"'a'", "'m'"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(coalesce_concatenation_and_case_over_a_secret_column_read_as_stars) {
    using reflorm::coalesce;
    auto conn = engine.connect();
    recorder r(engine);
    // The fallback stands in for the secret, so it is one too.
    conn.execute(reflorm::select<Account>().where(coalesce(c<&Account::api_key>, "fallback") == "k1")).all();
    BOOST_TEST(r.last().parameters[0] == stars(2), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(c<&Account::name> + c<&Account::password_hash> == "annhunter2")).all();
    BOOST_TEST(r.last().parameters[0] == stars(1), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(c<&Account::password_hash> + "salt" == "x")).all();
    BOOST_TEST(r.last().parameters[0] == stars(2), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(c<&Account::name> == coalesce(c<&Account::password_hash>, "x"))).all();
    BOOST_TEST(r.last().parameters[0] == stars(1), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(
        reflorm::case_(reflorm::when(c<&Account::token_count> > 1, c<&Account::password_hash>)).else_("none") == "x")).all();
    BOOST_TEST(r.last().parameters[0] == (values{"1", "'***'", "'***'"}), boost::test_tools::per_element());
    conn.execute(reflorm::select<Account>().where(c<&Account::name> + "x" == "annx" && coalesce(c<&Account::name>, "y") == "z")).all();
    BOOST_TEST(r.last().parameters[0] == (values{"'x'", "'annx'", "'y'", "'z'"}), boost::test_tools::per_element());
    // max() of a secret column is one of its values; a count of them is not.
    conn.execute(reflorm::select(c<&Account::name>)
                     .group_by(c<&Account::name>)
                     .having(reflorm::max(c<&Account::password_hash>) == "x" && reflorm::count(c<&Account::password_hash>) > 2))
        .all();
    BOOST_TEST(r.last().parameters[0] == (values{"'***'", "2"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_update_of_a_secret_column_from_an_expression_reads_as_stars) {
    auto conn = engine.connect();
    recorder r(engine);
    conn.execute(reflorm::update<Account>().set(c<&Account::password_hash> = c<&Account::name> + "-salt").where(c<&Account::id> == 1));
    BOOST_TEST(r.last().parameters[0] == (values{"'***'", "1"}), boost::test_tools::per_element());
    conn.execute(reflorm::update<Account>().set(c<&Account::api_key> = reflorm::coalesce(c<&Account::name>, "k9")).where(c<&Account::id> == 1));
    BOOST_TEST(r.last().parameters[0] == (values{"'***'", "1"}), boost::test_tools::per_element());
    // A plain column set from an expression of a secret one.
    conn.execute(reflorm::update<Account>().set(c<&Account::name> = c<&Account::password_hash> + "x").where(c<&Account::id> == 1));
    BOOST_TEST(r.last().parameters[0] == (values{"'***'", "1"}), boost::test_tools::per_element());
    conn.execute(reflorm::update<Account>().set(c<&Account::name> = c<&Account::name> + "x").where(c<&Account::id> == 1));
    BOOST_TEST(r.last().parameters[0] == (values{"'x'", "1"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_error_over_an_expression_of_a_secret_column_hides_its_values) {
    auto conn = engine.connect();
    conn.insert_all(std::vector<Account>{{.name = "ann", .password_hash = "h", .api_key = "k1"},
                                         {.name = "ann", .password_hash = "h", .api_key = "k2"}});
    // Both rows get the same api_key: a unique violation whose message may quote it.
    std::string message;
    try {
        conn.execute(reflorm::update<Account>().set(c<&Account::api_key> = c<&Account::name> + "-key-xyz"));
    } catch (const reflorm::integrity_error& e) {
        message = e.what();
        BOOST_TEST(e.parameters() == stars(1), boost::test_tools::per_element());
    }
    BOOST_TEST_INFO(message);
    BOOST_TEST(!message.empty());
    BOOST_TEST(!contains(message, "-key-xyz"));
}

BOOST_AUTO_TEST_CASE(a_secret_value_is_stored_but_never_shown) {
    auto echoing = reflorm::create_engine(db.url(), {.echo = true});
    clog_capture capture;
    recorder r(echoing);
    {
        reflorm::session s{echoing};
        s.add(Account{.name = "ann", .password_hash = "hash-one", .api_key = "key-one"});
        s.commit();
    }
    auto conn = echoing.connect();
    auto stored = conn.execute(reflorm::select<Account>().where(c<&Account::name> == "ann")).one();
    BOOST_TEST(stored.password_hash == "hash-one");
    BOOST_TEST(stored.api_key == "key-one");

    std::string message;
    try {
        Account copy{.name = "bob", .password_hash = "hash-two", .api_key = "key-one"};
        conn.insert(copy);
    } catch (const reflorm::integrity_error& e) {
        message = e.what();
        for (const auto& p : e.parameters()) BOOST_TEST(!contains(p, "key-one"));
    }
    BOOST_TEST_INFO(message);
    BOOST_TEST(!message.empty());
    BOOST_TEST(contains(message, "'***'"));
    BOOST_TEST(contains(message, "'bob'"));

    // The session's UPDATE and get() by key.
    {
        reflorm::session s{echoing};
        auto ann = s.get<Account>(stored.id);
        ann->password_hash = "hash-three";
        s.commit();
    }
    BOOST_TEST(conn.get<Account>(stored.id)->password_hash == "hash-three");
    const std::string out = capture.out.str();
    BOOST_TEST_INFO(out);
    for (const char* secret : {"hash-one", "hash-two", "hash-three", "key-one"}) {
        BOOST_TEST(!contains(out, secret));
        BOOST_TEST(!contains(message, secret));
        for (const auto& s : r.seen)
            for (const auto& set : s.parameters)
                for (const auto& value : set) BOOST_TEST(!contains(value, secret));
    }
    BOOST_TEST(contains(out, "'***'"));
}

BOOST_AUTO_TEST_SUITE_END()
