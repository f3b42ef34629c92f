// The column types beyond SQLite's storage classes, on every backend (issue 12 item 4):
// reflorm::numeric<P, S> (NUMERIC / DECIMAL), reflorm::uuid, boost::json::value (JSONB / JSON /
// TEXT) and timestamps WITH TIME ZONE. Each value is written through reflorm, read back through
// reflorm, and checked with the backend's own client where the stored form matters.
#define BOOST_TEST_MODULE value_types
#include <boost/test/unit_test.hpp>

#include "support/backend.hpp"

#include <reflorm/orm/session.hpp>
#include <reflorm/reflorm.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <chrono>
#include <limits>
#include <optional>
#include <string>

using reflorm::c;
using reflorm_test::backend;
using reflorm_test::database;

namespace {

using money = reflorm::numeric<12, 2>;
using wide = reflorm::numeric<38, 10>;

struct Account {
    std::int64_t id = 0;
    money balance{};
    std::optional<wide> exact{};
    reflorm::numeric<5, 0> whole{};
};

// The accounts table read with a narrower balance: numeric<12, 1>.
struct NarrowAccount {
    std::int64_t id = 0;
    reflorm::numeric<12, 1> balance{};
};

struct Token {
    reflorm::uuid id{};
    std::optional<reflorm::uuid> parent{};
    std::string label{};
};

struct Document {
    std::int64_t id = 0;
    boost::json::value body{};
    std::optional<boost::json::value> extra{};
};

struct Meeting {
    std::int64_t id = 0;
    reflorm::timestamp starts{};
    reflorm::timestamp_us logged{};
    std::optional<reflorm::timestamp_us> ended{};
};

}  // namespace

template <>
struct reflorm::model<NarrowAccount> {
    static constexpr std::string_view table = "accounts";
};

template <>
struct reflorm::model<Meeting> {
    static constexpr auto columns = reflorm::columns(reflorm::with_time_zone<&Meeting::starts>, reflorm::with_time_zone<&Meeting::logged>,
                                                     reflorm::with_time_zone<&Meeting::ended>);
};

namespace {

backend kind() { return reflorm_test::current_backend(); }

struct fixture {
    database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    fixture() { reflorm::create_all<Account, Token, Document, Meeting>(engine); }
};

long updates(const reflorm::statement_counter& n) {
    return std::count_if(n.statements().begin(), n.statements().end(), [](const std::string& sql) { return sql.starts_with("UPDATE"); });
}

reflorm::uuid make_uuid(std::string_view text) {
    reflorm::uuid u{};
    BOOST_REQUIRE(reflorm::codec::parse_uuid(text, u));
    return u;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(numeric_values)

BOOST_AUTO_TEST_CASE(canonical_text_and_order_without_a_database) {
    BOOST_TEST(money("12.5").text() == "12.50");
    BOOST_TEST(money("-0.00").text() == "0.00");
    BOOST_TEST(money("+007").text() == "7.00");
    BOOST_TEST(money(".5").text() == "0.50");
    BOOST_TEST(money("1.5e3").text() == "1500.00");
    BOOST_TEST(money("125e-2").text() == "1.25");
    BOOST_TEST(money().text() == "0.00");
    BOOST_TEST(money("9999999999.99").text() == "9999999999.99");
    BOOST_CHECK_THROW(money("10000000000"), std::invalid_argument);  // 11 integer digits
    BOOST_CHECK_THROW(money("0.125"), std::invalid_argument);        // never rounded
    BOOST_CHECK_THROW(money("abc"), std::invalid_argument);
    BOOST_CHECK_THROW(money("1.2.3"), std::invalid_argument);
    BOOST_CHECK_THROW(money(""), std::invalid_argument);
    BOOST_TEST(!money::parse("1e").has_value());
    BOOST_TEST((money("-2") < money("-1.5")));
    BOOST_TEST((money("-1.5") < money("0")));
    BOOST_TEST((money("9.99") < money("10")));
    BOOST_TEST((money("10.01") > money("10")));
    BOOST_TEST((money("1.10") == money("1.1")));
    BOOST_TEST(money("-12.5").to_double() == -12.5);
    // A moved-from value is still a number: zero.
    money moved("3.25");
    money taken = std::move(moved);
    BOOST_TEST(taken.text() == "3.25");
    BOOST_TEST(moved.text() == "0.00");  // NOLINT(bugprone-use-after-move): defined on purpose
    BOOST_TEST((moved < taken));
}

BOOST_AUTO_TEST_CASE(round_trip_exactly_and_compare_as_numbers) {
    fixture f;
    auto conn = f.engine.connect();
    Account small{0, money("-9999999999.99"), wide("-0.0000000001"), reflorm::numeric<5, 0>("-99999")};
    Account large{0, money("9999999999.99"), std::nullopt, reflorm::numeric<5, 0>("99999")};
    Account cents{0, money("0.01"), wide("123456789012.5"), reflorm::numeric<5, 0>("0")};
    conn.insert(small);
    conn.insert(large);
    conn.insert(cents);
    for (const Account* expected : {&small, &large, &cents}) {
        const auto loaded = conn.get<Account>(expected->id);
        BOOST_TEST_REQUIRE(loaded.has_value());
        BOOST_TEST(loaded->balance.text() == expected->balance.text());
        BOOST_TEST((loaded->exact == expected->exact));
        BOOST_TEST(loaded->whole.text() == expected->whole.text());
    }
    // Compared and ordered by the database as numbers, not as text.
    BOOST_TEST(conn.count(reflorm::select<Account>().where(c<&Account::balance> > money("5"))) == 1);
    BOOST_TEST(conn.count(reflorm::select<Account>().where(c<&Account::balance> == money("0.01"))) == 1);
    const auto ordered = conn.execute(reflorm::select<Account>().order_by(c<&Account::balance>)).all();
    BOOST_TEST_REQUIRE(ordered.size() == 3u);
    BOOST_TEST(ordered[0].id == small.id);
    BOOST_TEST(ordered[2].id == large.id);
    // The backend stored the number, not some text: its own client reads it back.
    auto raw = f.db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM accounts WHERE balance * 100 = 1") == 1);
}

BOOST_AUTO_TEST_CASE(digits_past_what_the_backend_keeps_are_refused_on_sqlite_and_exact_on_servers) {
    fixture f;
    auto conn = f.engine.connect();
    Account a{0, money("1"), wide("1234567890123456.123"), reflorm::numeric<5, 0>("1")};  // 19 significant digits
    if (kind() == backend::sqlite) {
        BOOST_CHECK_EXCEPTION(conn.insert(a), reflorm::data_error, [](const reflorm::data_error& e) {
            return std::string_view(e.what()).find("19 significant digits") != std::string_view::npos &&
                   std::string_view(e.what()).find("exact") != std::string_view::npos;
        });
        BOOST_TEST(f.db.raw().integer("SELECT count(*) FROM accounts") == 0);
        // Past 64 bits an integer is a double there: kept when it has at most 15 significant
        // digits, refused otherwise (it was once bound as 0).
        Account huge{0, money("1"), wide("99999999999999999999"), reflorm::numeric<5, 0>("1")};
        BOOST_CHECK_THROW(conn.insert(huge), reflorm::data_error);
        huge.exact = wide("100000000000000000000");
        conn.insert(huge);
        BOOST_TEST(conn.get<Account>(huge.id)->exact->text() == "100000000000000000000.0000000000");
        // An integer that fits 64 bits is exact on SQLite too, whatever its digits.
        a.exact = wide("9223372036854775807");
        conn.insert(a);
    } else {
        conn.insert(a);
    }
    const auto loaded = conn.get<Account>(a.id);
    BOOST_TEST_REQUIRE(loaded.has_value());
    BOOST_TEST((loaded->exact == a.exact));
    BOOST_TEST(loaded->exact->text() == a.exact->text());
    if (kind() == backend::sqlite) return;
    // A bound decimal compares as a decimal, not as a double: two values one unit apart in the
    // 19th digit are told apart (MySQL compares a DECIMAL with a string as doubles).
    Account b{0, money("1"), wide("1234567890123456.124"), reflorm::numeric<5, 0>("1")};
    conn.insert(b);
    BOOST_TEST(conn.count(reflorm::select<Account>().where(c<&Account::exact> == wide("1234567890123456.123"))) == 1);
    BOOST_TEST(conn.count(reflorm::select<Account>().where(c<&Account::exact> > wide("1234567890123456.123"))) == 1);
}

BOOST_AUTO_TEST_CASE(a_stored_value_that_does_not_fit_the_member_is_a_data_error) {
    fixture f;
    auto conn = f.engine.connect();
    Account a{0, money("1.25"), std::nullopt, reflorm::numeric<5, 0>("1")};
    conn.insert(a);
    // Read into numeric<12, 1>: 1.25 has a fractional digit too many; nothing is rounded.
    BOOST_CHECK_EXCEPTION(conn.get<NarrowAccount>(a.id), reflorm::data_error, [](const reflorm::data_error& e) {
        return std::string_view(e.what()).find("1.25") != std::string_view::npos &&
               std::string_view(e.what()).find("at most 11 integer and 1 fractional digits") != std::string_view::npos;
    });
    // 1.20 fits: trailing zeros are not digits lost.
    conn.execute(reflorm::update<Account>().set(c<&Account::balance> = money("1.20")).where(c<&Account::id> == a.id));
    BOOST_TEST(conn.get<NarrowAccount>(a.id)->balance.text() == "1.2");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(uuid_values)

BOOST_AUTO_TEST_CASE(round_trip_as_keys_and_compare) {
    fixture f;
    auto conn = f.engine.connect();
    const auto nil = reflorm::uuid{};
    const auto max = make_uuid("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF");
    const auto some = make_uuid("123e4567-e89b-12d3-a456-426614174000");
    Token tokens[] = {{nil, std::nullopt, "nil"}, {max, nil, "max"}, {some, max, "some"}};
    for (auto& t : tokens) conn.insert(t);
    const auto loaded = conn.get<Token>(some);
    BOOST_TEST_REQUIRE(loaded.has_value());
    BOOST_TEST(loaded->label == "some");
    BOOST_TEST((loaded->parent == max));
    BOOST_TEST((conn.get<Token>(max)->parent == nil));
    BOOST_TEST(!conn.get<Token>(nil)->parent.has_value());
    BOOST_TEST(conn.count(reflorm::select<Token>().where(c<&Token::parent> == max)) == 1);
    // Stored as the canonical lowercase text (or PostgreSQL's uuid, which prints the same).
    BOOST_TEST((f.db.raw().value("SELECT id FROM tokens WHERE label = 'max'") == std::string("ffffffff-ffff-ffff-ffff-ffffffffffff")));
    Token again{some, std::nullopt, "again"};
    BOOST_CHECK_THROW(conn.insert(again), reflorm::integrity_error);
}

BOOST_AUTO_TEST_CASE(text_that_is_not_a_uuid_is_a_data_error) {
    fixture f;
    const std::string bad = "INSERT INTO tokens (id, label) VALUES ('not-a-uuid-at-all-not-a-uuid-at-all', 'bad')";
    if (kind() == backend::postgresql) {  // a uuid column refuses such text when it is written
        BOOST_CHECK_THROW(f.db.raw().execute(bad), std::exception);
        return;
    }
    f.db.raw().execute(bad);
    auto conn = f.engine.connect();
    BOOST_CHECK_EXCEPTION(conn.execute(reflorm::select<Token>()).all(), reflorm::data_error, [](const reflorm::data_error& e) {
        return std::string_view(e.what()).find("a UUID") != std::string_view::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_values)

BOOST_AUTO_TEST_CASE(documents_round_trip) {
    fixture f;
    auto conn = f.engine.connect();
    const std::vector<std::string> texts = {
        R"({})",
        R"([])",
        R"({"name":"\u00e9\u4e2d\ud83d\ude00 quote ' backslash \\ tab \t","n":[1,-2,0.5,true,false,null]})",
        R"({"min":-9223372036854775808,"max":9223372036854775807,"nested":{"a":{"b":{"c":[[],{}]}}}})",
        R"("just a string")",
        R"(42)",
        R"({"big":")" + std::string(1 << 20, 'x') + R"("})",
    };
    std::vector<Document> docs;
    for (const auto& text : texts) docs.push_back(Document{0, boost::json::parse(text), std::nullopt});
    docs[0].extra = boost::json::parse(R"({"k":[1,2,3]})");
    for (auto& d : docs) conn.insert(d);
    for (const auto& expected : docs) {
        const auto loaded = conn.get<Document>(expected.id);
        BOOST_TEST_REQUIRE(loaded.has_value());
        BOOST_TEST((loaded->body == expected.body), boost::json::serialize(loaded->body).substr(0, 200));
        BOOST_TEST((loaded->extra == expected.extra));
    }
    // The backend's own JSON functions see a document, not escaped text.
    auto raw = f.db.raw();
    const std::string id = std::to_string(docs[3].id);
    const std::string path = kind() == backend::postgresql ? "SELECT body->'nested'->'a'->'b'->>'c' FROM documents WHERE id = " + id
                                                           : "SELECT json_extract(body, '$.nested.a.b.c') FROM documents WHERE id = " + id;
    BOOST_TEST((raw.value(path) == std::string("[[], {}]") || raw.value(path) == std::string("[[],{}]")));
}

BOOST_AUTO_TEST_CASE(deeply_nested_documents_follow_the_backend) {
    fixture f;
    auto conn = f.engine.connect();
    boost::json::value nested = boost::json::array{};
    for (int level = 1; level < 100; ++level) nested = boost::json::array{std::move(nested)};
    Document deep{0, nested, std::nullopt};
    if (kind() == backend::mysql) {  // MariaDB's json_valid CHECK refuses documents nested past 31 levels
        BOOST_CHECK_THROW(conn.insert(deep), reflorm::integrity_error);
        return;
    }
    conn.insert(deep);
    BOOST_TEST((conn.get<Document>(deep.id)->body == deep.body));
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_a_data_error_where_the_backend_stores_it) {
    fixture f;
    const std::string bad = "INSERT INTO documents (body) VALUES ('{not json')";
    if (kind() != backend::sqlite) {  // JSONB and MariaDB's json_valid CHECK refuse it when written
        BOOST_CHECK_THROW(f.db.raw().execute(bad), std::exception);
        return;
    }
    f.db.raw().execute(bad);
    auto conn = f.engine.connect();
    BOOST_CHECK_EXCEPTION(conn.execute(reflorm::select<Document>()).all(), reflorm::data_error, [](const reflorm::data_error& e) {
        return std::string_view(e.what()).find("a JSON document") != std::string_view::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(in_the_session)

BOOST_AUTO_TEST_CASE(identity_map_dirty_tracking_and_updates) {
    fixture f;
    const auto key = make_uuid("00000000-0000-4000-8000-000000000001");
    std::int64_t doc_id = 0, account_id = 0;
    {
        reflorm::session s{f.engine};
        s.add(Token{key, std::nullopt, "first"});
        auto doc = s.add(Document{0, boost::json::parse(R"({"tags":["a"]})"), std::nullopt});
        auto account = s.add(Account{0, money("10.00"), std::nullopt, reflorm::numeric<5, 0>("1")});
        s.commit();
        doc_id = doc->id;
        account_id = account->id;
    }
    reflorm::session s{f.engine};
    auto token = s.get<Token>(key);
    BOOST_TEST_REQUIRE(token.get() != nullptr);
    BOOST_TEST(s.get<Token>(key).get() == token.get());  // one object per uuid key
    auto doc = s.get<Document>(doc_id);
    auto account = s.get<Account>(account_id);
    doc->body.as_object()["tags"].as_array().emplace_back("b");
    account->balance = money("10.5");
    token->label = "renamed";
    reflorm::statement_counter n{f.engine};
    s.commit();
    BOOST_TEST(updates(n) == 3);
    auto conn = f.engine.connect();
    BOOST_TEST((conn.get<Document>(doc_id)->body == boost::json::parse(R"({"tags":["a","b"]})")));
    BOOST_TEST(conn.get<Account>(account_id)->balance.text() == "10.50");
    BOOST_TEST(conn.get<Token>(key)->label == "renamed");
    // Setting an equal value (1.1 and 1.10 are one number) is no change.
    reflorm::session again{f.engine};
    auto same = again.get<Account>(account_id);
    same->balance = money("10.500");
    reflorm::statement_counter none{f.engine};
    again.commit();
    BOOST_TEST(updates(none) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(time_zone_timestamps)

BOOST_AUTO_TEST_CASE(round_trip_as_utc_instants) {
    using namespace std::chrono;
    fixture f;
    auto conn = f.engine.connect();
    Meeting m{0, sys_days{year{2024} / March / 31} + hours{1} + minutes{30}, sys_days{year{1} / January / 1} + microseconds{1},
              sys_days{year{9999} / December / 31} + hours{23} + minutes{59} + seconds{59} + microseconds{999999}};
    conn.insert(m);
    const auto loaded = conn.get<Meeting>(m.id);
    BOOST_TEST_REQUIRE(loaded.has_value());
    BOOST_TEST((loaded->starts == m.starts));
    BOOST_TEST((loaded->logged == m.logged));
    BOOST_TEST((loaded->ended == m.ended));
    BOOST_TEST(conn.count(reflorm::select<Meeting>().where(c<&Meeting::starts> == m.starts)) == 1);
    if (kind() == backend::postgresql) {
        auto raw = f.db.raw();
        BOOST_TEST((raw.value("SELECT data_type FROM information_schema.columns WHERE table_name = 'meetings' AND column_name = 'starts'") ==
                    std::string("timestamp with time zone")));
        // The same instant seen from another time zone.
        BOOST_TEST((raw.value("SELECT to_char(starts AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') FROM meetings") ==
                    std::string("2024-03-31 10:30")));
    }
}

BOOST_AUTO_TEST_SUITE_END()
