// The engine's behaviour every backend must share, through reflorm's public API: round trips of
// every column kind, generated keys, server defaults, typed integrity errors, transactions and
// savepoints, strict reads and row counts. One source, run once per backend (SQLite is the
// reference); where a backend legitimately differs (NaN, infinities, unsigned 64-bit values),
// the test branches on the backend and checks its documented behaviour. Ground truth comes
// from each backend's own client (db.raw()).
#define BOOST_TEST_MODULE engine_conformance
#include <boost/test/unit_test.hpp>

#include "support/backend.hpp"

#include <reflorm/reflorm.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using reflorm::c;
using reflorm_test::backend;
using reflorm_test::database;

namespace conformance {

struct Kinds {
    std::int64_t id;
    bool flag;
    std::int8_t i8;
    std::int16_t i16;
    std::int32_t i32;
    std::int64_t i64;
    std::uint8_t u8;
    std::uint16_t u16;
    std::uint32_t u32;
    std::uint64_t u64;
    float f32;
    double f64;
    std::string text;
    std::optional<std::string> maybe_text;
    std::optional<std::int64_t> maybe_int;
    std::optional<double> maybe_real;
    reflorm::date day;
    std::optional<reflorm::date> maybe_day;
    reflorm::timestamp at;
    reflorm::timestamp_us at_us;
    std::optional<reflorm::timestamp_us> maybe_at;
    reflorm::blob bytes;
    std::optional<reflorm::blob> maybe_bytes;
};

struct Author {
    std::int64_t id;
    std::string name;
    std::optional<std::string> email;
};

struct Book {
    std::int64_t id;
    std::string title;
    std::int64_t author_id;
    std::optional<std::int32_t> pages;
};

struct Ticket {
    std::int64_t id;
    std::optional<std::string> code;
};

// Columns the database fills when the member is empty.
struct Gadget {
    std::int64_t id;
    std::string name;
    std::optional<std::int32_t> rank;
    std::optional<std::string> label;
    std::optional<reflorm::timestamp> created;
};

// Read from a table made by hand with text where the model has numbers and dates.
struct Loose {
    std::int64_t id;
    std::int64_t amount;
    std::optional<reflorm::date> day;
};

}  // namespace conformance

using namespace conformance;

template <>
struct reflorm::model<Kinds> {
    static constexpr std::string_view table = "kinds";
};
template <>
struct reflorm::model<Author> {
    static constexpr auto columns = reflorm::columns(reflorm::unique<&Author::name>, reflorm::max_length<&Author::name, 40>);
};
template <>
struct reflorm::model<Book> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Book::author_id, &Author::id>);
};
template <>
struct reflorm::model<Ticket> {
    static constexpr auto columns = reflorm::columns(reflorm::not_null<&Ticket::code>, reflorm::max_length<&Ticket::code, 20>);
};
template <>
struct reflorm::model<Gadget> {
    static constexpr auto columns = reflorm::columns(
        reflorm::max_length<&Gadget::name, 40>, reflorm::max_length<&Gadget::label, 20>,
        reflorm::server_default<&Gadget::rank>("7"), reflorm::server_default<&Gadget::label>("'new'"),
        reflorm::server_default<&Gadget::created>("CURRENT_TIMESTAMP"));
};
template <>
struct reflorm::model<Loose> {
    static constexpr std::string_view table = "loose";
};

namespace {

using namespace std::chrono;

backend kind() { return reflorm_test::current_backend(); }

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// An engine on a fresh database with the test models created.
struct fixture {
    database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    fixture() { reflorm::create_all<Kinds, Author, Book, Ticket, Gadget>(engine); }
};

reflorm::blob bytes(std::initializer_list<int> values) {
    reflorm::blob out;
    for (int v : values) out.push_back(static_cast<std::byte>(v));
    return out;
}

const std::string hostile = "quote ' double \" backslash \\ semicolon ; comment -- /* c */ percent % under_score "
                            "tab\t newline\n cr\r unicode \xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 end";

Kinds sample() {
    Kinds k{};
    k.flag = true;
    k.i8 = -128;
    k.i16 = -32768;
    k.i32 = std::numeric_limits<std::int32_t>::min();
    k.i64 = std::numeric_limits<std::int64_t>::min();
    k.u8 = 255;
    k.u16 = 65535;
    k.u32 = 4294967295u;
    k.u64 = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    k.f32 = 0.1f;
    k.f64 = 0.1;
    k.text = hostile;
    k.maybe_text = std::nullopt;
    k.maybe_int = std::nullopt;
    k.maybe_real = std::nullopt;
    k.day = year{2024} / February / 29;
    k.maybe_day = std::nullopt;
    k.at = sys_days{year{1969} / July / 20} + hours{20} + minutes{17} + seconds{40};
    k.at_us = sys_days{year{2000} / January / 1} + microseconds{250};
    k.maybe_at = std::nullopt;
    k.bytes = bytes({0, 0xff, 0x27, 0, 0x5c, 0x22});
    k.maybe_bytes = std::nullopt;
    return k;
}

template <class F>
reflorm::integrity_error::kind violation(F&& f) {
    try {
        f();
    } catch (const reflorm::integrity_error& e) {
        BOOST_TEST(!e.sql().empty());
        return e.constraint();
    }
    BOOST_FAIL("no integrity_error was thrown");
    return reflorm::integrity_error::kind::other;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(round_trips)

BOOST_AUTO_TEST_CASE(every_column_kind_round_trips) {
    fixture f;
    auto conn = f.engine.connect();
    Kinds low = sample();
    Kinds high = sample();
    high.flag = false;
    high.i8 = 127;
    high.i16 = 32767;
    high.i32 = std::numeric_limits<std::int32_t>::max();
    high.i64 = std::numeric_limits<std::int64_t>::max();
    high.u8 = 0;
    high.u16 = 0;
    high.u32 = 0;
    high.u64 = 0;
    high.f32 = -1.5e30f;
    high.f64 = -1.7976931348623157e308;
    high.text = std::string(5000, 'x') + hostile;  // longer than a first fetch buffer
    high.maybe_text = "";
    high.maybe_int = 0;
    high.maybe_real = 0.0;
    high.day = year{1000} / January / 1;
    high.maybe_day = year{9999} / December / 31;
    high.at = sys_days{year{9999} / December / 31} + hours{23} + minutes{59} + seconds{59};
    high.at_us = sys_days{year{2038} / January / 19} + hours{3} + minutes{14} + seconds{8} + microseconds{999999};
    high.maybe_at = sys_days{year{1970} / January / 1} + microseconds{1};
    high.bytes = {};  // empty, not NULL
    high.maybe_bytes = reflorm::blob(70000, std::byte{0});
    (*high.maybe_bytes)[69999] = std::byte{0x7f};
    conn.insert(low);
    conn.insert(high);
    BOOST_TEST(low.id != 0);
    BOOST_TEST(high.id != 0);
    // The same rows through insert_all (a batch: multi-row INSERTs on MariaDB) store the same
    // values; deleted below, after the comparison.
    std::vector<Kinds> batch{low, high, low, high, high, low};
    for (Kinds& k : batch) k.id = 0;
    conn.insert_all(batch);

    std::vector<const Kinds*> expected_rows{&low, &high};
    for (const Kinds& k : batch) expected_rows.push_back(&k);
    for (const Kinds* expected : expected_rows) {
        const auto loaded = conn.get<Kinds>(expected->id);
        BOOST_TEST_REQUIRE(loaded.has_value());
        const Kinds& k = *loaded;
        BOOST_TEST(k.flag == expected->flag);
        BOOST_TEST(k.i8 == expected->i8);
        BOOST_TEST(k.i16 == expected->i16);
        BOOST_TEST(k.i32 == expected->i32);
        BOOST_TEST(k.i64 == expected->i64);
        BOOST_TEST(k.u8 == expected->u8);
        BOOST_TEST(k.u16 == expected->u16);
        BOOST_TEST(k.u32 == expected->u32);
        BOOST_TEST(k.u64 == expected->u64);
        BOOST_TEST(k.f32 == expected->f32);
        BOOST_TEST(k.f64 == expected->f64);
        BOOST_TEST(k.text == expected->text);
        BOOST_TEST((k.maybe_text == expected->maybe_text));
        BOOST_TEST((k.maybe_int == expected->maybe_int));
        BOOST_TEST((k.maybe_real == expected->maybe_real));
        BOOST_TEST((k.day == expected->day));
        BOOST_TEST((k.maybe_day == expected->maybe_day));
        BOOST_TEST((k.at == expected->at));
        BOOST_TEST((k.at_us == expected->at_us));
        BOOST_TEST((k.maybe_at == expected->maybe_at));
        BOOST_TEST((k.bytes == expected->bytes));
        BOOST_TEST((k.maybe_bytes == expected->maybe_bytes));
    }
    conn.execute(reflorm::delete_<Kinds>().where(c<&Kinds::id> > high.id));
    // Empty values are not NULL, and NULL is not an empty value: asked of the backend itself.
    auto raw = f.db.raw();
    const std::string where = " FROM kinds WHERE id = " + std::to_string(high.id);
    BOOST_TEST((raw.value("SELECT maybe_text" + where) == std::string()));
    BOOST_TEST((raw.value("SELECT bytes" + where) == std::string()));
    BOOST_TEST(raw.integer("SELECT count(*) FROM kinds WHERE maybe_text IS NULL AND maybe_bytes IS NULL") == 1);
    BOOST_TEST((raw.value("SELECT text FROM kinds WHERE id = " + std::to_string(low.id)) == hostile));
    BOOST_TEST((raw.value("SELECT bytes FROM kinds WHERE id = " + std::to_string(low.id)) == std::string("\0\xff'\0\\\"", 6)));
    BOOST_TEST(raw.integer("SELECT count(*) FROM kinds WHERE i64 = -9223372036854775808") == 1);
    // Selected by value: bound parameters compare equal to what was stored.
    BOOST_TEST(conn.count(reflorm::select<Kinds>().where(c<&Kinds::text> == hostile)) == 1);
    BOOST_TEST(conn.count(reflorm::select<Kinds>().where(c<&Kinds::at_us> == high.at_us)) == 1);
    BOOST_TEST(conn.count(reflorm::select<Kinds>().where(c<&Kinds::day> == low.day)) == 1);
    BOOST_TEST(conn.count(reflorm::select<Kinds>().where(c<&Kinds::bytes> == low.bytes)) == 1);
}

BOOST_AUTO_TEST_CASE(unsigned_64_bit_values_above_int64_max_follow_the_backend) {
    fixture f;
    auto conn = f.engine.connect();
    Kinds k = sample();
    k.u64 = std::numeric_limits<std::uint64_t>::max();
    if (conn.support().uint64) {  // MySQL's BIGINT UNSIGNED, PostgreSQL's NUMERIC(20)
        conn.insert(k);
        BOOST_TEST(conn.get<Kinds>(k.id)->u64 == 18446744073709551615ull);
        BOOST_TEST(*f.db.raw().value("SELECT u64 FROM kinds") == "18446744073709551615");
        BOOST_TEST(conn.count(reflorm::select<Kinds>().where(c<&Kinds::u64> == k.u64)) == 1);
    } else {  // SQLite's signed 64-bit integers: refused before anything is written
        BOOST_CHECK_EXCEPTION(conn.insert(k), reflorm::data_error,
                              [](const auto& e) { return contains(e.what(), "18446744073709551615"); });
        BOOST_TEST(f.db.raw().integer("SELECT count(*) FROM kinds") == 0);
    }
}

BOOST_AUTO_TEST_CASE(nan_and_infinities_follow_the_backend) {
    fixture f;
    auto conn = f.engine.connect();
    // SQLite would store NaN as NULL and MariaDB has no IEEE specials: both refuse NaN before
    // binding. SQLite stores infinities; MariaDB refuses them. PostgreSQL stores all three.
    const bool nan_stored = kind() == backend::postgresql;
    const bool infinity_stored = kind() != backend::mysql;
    Kinds k = sample();
    k.f64 = std::numeric_limits<double>::quiet_NaN();
    if (nan_stored) {
        conn.insert(k);
        BOOST_TEST(std::isnan(conn.get<Kinds>(k.id)->f64));
        conn.execute(reflorm::delete_<Kinds>());
    } else {
        BOOST_CHECK_EXCEPTION(conn.insert(k), reflorm::data_error, [](const auto& e) { return contains(e.what(), "NaN"); });
    }
    for (double value : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
        k = sample();
        k.f64 = value;
        if (infinity_stored) {
            conn.insert(k);
            BOOST_TEST(conn.get<Kinds>(k.id)->f64 == value);
        } else {
            BOOST_CHECK_EXCEPTION(conn.insert(k), reflorm::data_error, [](const auto& e) { return contains(e.what(), "infinity"); });
        }
    }
    BOOST_TEST(f.db.raw().integer("SELECT count(*) FROM kinds") == (infinity_stored ? 2 : 0));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(generated_values)

BOOST_AUTO_TEST_CASE(insert_and_insert_all_write_generated_keys_back_in_order) {
    fixture f;
    auto conn = f.engine.connect();
    Author first{0, "first", std::nullopt};
    conn.insert(first);
    BOOST_TEST(first.id > 0);
    std::vector<Author> authors;
    for (int i = 0; i < 25; ++i) authors.push_back(Author{0, "author " + std::to_string(i), std::nullopt});
    conn.insert_all(authors);
    auto raw = f.db.raw();
    std::int64_t previous = first.id;
    for (const Author& a : authors) {
        BOOST_TEST_REQUIRE(a.id > previous);
        previous = a.id;
        BOOST_TEST(raw.integer("SELECT id FROM authors WHERE name = '" + a.name + "'") == a.id);
    }
    Author explicit_key{1000, "explicit", std::nullopt};
    conn.insert(explicit_key);
    BOOST_TEST(explicit_key.id == 1000);
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 27);
}

// A large insert_all (MariaDB: multi-row INSERTs, PostgreSQL: a pipeline) writes every
// generated key back to its own object, in order, while another connection inserts into the
// same table; on MariaDB in far fewer statement executions than rows.
BOOST_AUTO_TEST_CASE(insert_all_of_many_rows_writes_every_key_back_under_concurrent_inserts) {
    fixture f;
    auto conn = f.engine.connect();
    constexpr int n = 1000;
    std::vector<Author> authors;
    for (int i = 0; i < n; ++i) authors.push_back(Author{0, "batch " + std::to_string(i), std::nullopt});
    // SQLite has one writer at a time: the concurrent inserter runs on the servers only.
    std::atomic<bool> stop{false};
    std::atomic<int> others{0};
    std::thread other;
    if (kind() != backend::sqlite)
        other = std::thread([&] {
            auto other_conn = f.engine.connect();
            while (!stop && others < 5000) {
                Author o{0, "other " + std::to_string(others.load()), std::nullopt};
                other_conn.insert(o);
                ++others;
            }
        });
    // Counted on the inserting connection itself (session status): other test programs share
    // the server. Each reading is itself one execution.
    const auto executions = [&] {
        return std::get<0>(conn.execute(reflorm::text("SELECT CAST(VARIABLE_VALUE AS SIGNED) FROM information_schema.SESSION_STATUS "
                                                  "WHERE VARIABLE_NAME = 'COM_STMT_EXECUTE'")
                                        .columns<std::int64_t>()).one());
    };
    const std::int64_t executions_before = kind() == backend::mysql ? executions() : 0;
    try {
        conn.insert_all(authors);
    } catch (...) {
        stop = true;
        if (other.joinable()) other.join();
        throw;
    }
    const std::int64_t executions_after = kind() == backend::mysql ? executions() : 0;
    stop = true;
    if (other.joinable()) other.join();
    std::map<std::string, std::int64_t> stored;
    for (const auto& [id, name] : conn.execute(reflorm::text("SELECT id, name FROM authors").columns<std::int64_t, std::string>()).all())
        stored[name] = id;
    BOOST_TEST(stored.size() == static_cast<std::size_t>(n + others.load()));
    std::int64_t previous = 0;
    for (const Author& a : authors) {
        BOOST_TEST_REQUIRE(a.id > previous, a.name);
        previous = a.id;
        BOOST_TEST_REQUIRE(stored[a.name] == a.id, a.name);
    }
    if (kind() == backend::mysql) {
        const std::int64_t ours = executions_after - executions_before - 1;  // less the first reading
        BOOST_TEST_MESSAGE("insert_all of " << n << " rows: " << ours << " statement executions (" << others.load()
                                            << " concurrent inserts)");
        BOOST_TEST(ours < n / 50, ours << " statement executions for " << n << " rows");
    }
}

// A row failing in the middle of a large batch: the typed error names the row, the insert_all
// writes nothing and gives no keys, and the surrounding transaction goes on.
BOOST_AUTO_TEST_CASE(a_row_failing_in_the_middle_of_a_large_batch_is_a_typed_error) {
    fixture f;
    auto conn = f.engine.connect();
    auto tx = conn.begin();
    Author taken{0, "taken", std::nullopt};
    conn.insert(taken);
    std::vector<Author> authors;
    for (int i = 0; i < 1000; ++i) authors.push_back(Author{0, i == 700 ? "taken" : "row " + std::to_string(i), std::nullopt});
    BOOST_CHECK_EXCEPTION(conn.insert_all(authors), reflorm::integrity_error, [](const reflorm::integrity_error& e) {
        return e.constraint() == reflorm::integrity_error::kind::unique && contains(e.what(), "row 701 of 1000") &&
               e.sql().rfind("INSERT INTO authors", 0) == 0 && contains(e.what(), "'taken'");
    });
    for (const Author& a : authors) BOOST_TEST_REQUIRE(a.id == 0);
    BOOST_TEST(conn.in_transaction());
    BOOST_TEST(conn.count(reflorm::select<Author>()) == 1);
    // A duplicate inside the batch itself, then the batch again without it.
    authors[700].name = "row 3";
    BOOST_CHECK_THROW(conn.insert_all(authors), reflorm::integrity_error);
    authors[700].name = "row 700";
    conn.insert_all(authors);
    tx.commit();
    auto raw = f.db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 1001);
    BOOST_TEST(raw.integer("SELECT id FROM authors WHERE name = 'row 999'") == authors[999].id);
    BOOST_TEST(raw.integer("SELECT id FROM authors WHERE name = 'row 0'") == authors[0].id);
}

BOOST_AUTO_TEST_CASE(server_defaults_are_read_back) {
    fixture f;
    auto conn = f.engine.connect();
    const auto before = floor<seconds>(system_clock::now()) - minutes{5};
    Gadget g{0, "plain", std::nullopt, std::nullopt, std::nullopt};
    conn.insert(g);
    BOOST_TEST(g.id > 0);
    BOOST_TEST((g.rank == 7));
    BOOST_TEST((g.label == std::string("new")));
    BOOST_TEST_REQUIRE(g.created.has_value());
    BOOST_TEST((*g.created >= before && *g.created <= before + minutes{10}), "CURRENT_TIMESTAMP is UTC");
    Gadget given{0, "given", 3, "mine", std::nullopt};
    conn.insert(given);
    BOOST_TEST((given.rank == 3));
    BOOST_TEST((given.label == std::string("mine")));
    std::vector<Gadget> many{{0, "a", std::nullopt, std::nullopt, std::nullopt}, {0, "b", 5, std::nullopt, std::nullopt}};
    conn.insert_all(many);
    BOOST_TEST((many[0].rank == 7));
    BOOST_TEST((many[1].rank == 5));
    BOOST_TEST((many[1].label == std::string("new")));
    BOOST_TEST(many[1].id > many[0].id);
    BOOST_TEST(f.db.raw().integer("SELECT rank FROM gadgets WHERE name = 'a'") == 7);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(violations_are_typed_integrity_errors) {
    fixture f;
    auto conn = f.engine.connect();
    Author a{0, "ann", std::nullopt};
    conn.insert(a);
    using kind_t = reflorm::integrity_error::kind;
    Author same_key{a.id, "other", std::nullopt};
    BOOST_TEST((violation([&] { conn.insert(same_key); }) == kind_t::primary_key));
    Author same_name{0, "ann", std::nullopt};
    BOOST_TEST((violation([&] { conn.insert(same_name); }) == kind_t::unique));
    BOOST_TEST(same_name.id == 0);  // a failed insert leaves the key to the database again
    Book orphan{0, "orphan", 999, std::nullopt};
    BOOST_TEST((violation([&] { conn.insert(orphan); }) == kind_t::foreign_key));
    Ticket ticket{0, std::nullopt};
    BOOST_TEST((violation([&] { conn.insert(ticket); }) == kind_t::not_null));
    Book kept{0, "kept", a.id, 1};
    conn.insert(kept);
    BOOST_TEST((violation([&] { conn.execute(reflorm::delete_<Author>().where(c<&Author::id> == a.id)); }) == kind_t::foreign_key));
    auto raw = f.db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 1);
    BOOST_TEST(raw.integer("SELECT count(*) FROM books") == 1);
    BOOST_TEST(raw.integer("SELECT count(*) FROM tickets") == 0);
    // The connection is usable after the errors.
    Author b{0, "bob", std::nullopt};
    conn.insert(b);
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 2);
}

BOOST_AUTO_TEST_CASE(an_error_carries_the_sql_and_the_values) {
    fixture f;
    auto conn = f.engine.connect();
    Author a{0, "ann", std::nullopt};
    conn.insert(a);
    Author again{0, "ann", "x@example.org"};
    try {
        conn.insert(again);
        BOOST_FAIL("a duplicate must throw");
    } catch (const reflorm::integrity_error& e) {
        BOOST_TEST(e.sql().rfind("INSERT INTO authors", 0) == 0, e.sql());
        BOOST_TEST(contains(e.what(), "'x@example.org'"), e.what());
        BOOST_TEST(!e.database_message().empty());
    }
    BOOST_CHECK_EXCEPTION(conn.execute(reflorm::text("SELECT nothing FROM no_such_table").columns<std::int64_t>()).all(),
                          reflorm::programming_error, [](const auto& e) { return contains(e.what(), "no_such_table"); });
}

BOOST_AUTO_TEST_CASE(a_failing_insert_all_writes_nothing) {
    fixture f;
    auto conn = f.engine.connect();
    Author taken{0, "taken", std::nullopt};
    conn.insert(taken);
    std::vector<Author> batch{{0, "a", std::nullopt}, {0, "b", std::nullopt}, {0, "taken", std::nullopt}, {0, "d", std::nullopt}};
    BOOST_CHECK_EXCEPTION(conn.insert_all(batch), reflorm::integrity_error, [](const reflorm::integrity_error& e) {
        return e.constraint() == reflorm::integrity_error::kind::unique && contains(e.what(), "row 3 of 4");
    });
    BOOST_TEST(!conn.in_transaction());
    for (const Author& a : batch) BOOST_TEST(a.id == 0);
    BOOST_TEST(f.db.raw().integer("SELECT count(*) FROM authors") == 1);
    batch[2].name = "c";
    conn.insert_all(batch);
    BOOST_TEST(f.db.raw().integer("SELECT count(*) FROM authors") == 5);
}

BOOST_AUTO_TEST_CASE(bad_urls_and_unreachable_databases) {
    database db;
    const std::string url = db.url();
    const std::string bogus = url + (contains(url, "?") ? "&" : "?") + "reflorm_bogus=1";
    BOOST_CHECK_EXCEPTION(reflorm::create_engine(bogus), reflorm::url_error,
                          [](const auto& e) { return contains(e.what(), "reflorm_bogus"); });
    if (kind() == backend::sqlite) {
        auto engine = reflorm::create_engine("sqlite:////nonexistent-dir-reflorm/x.db");
        BOOST_CHECK_THROW(engine.connect(), reflorm::operational_error);
        return;
    }
    const reflorm::url parsed = reflorm::parse_url(url);
    const std::string wrong = reflorm_test::with_database(url, "reflorm_no_such_database");
    auto engine = reflorm::create_engine(wrong);
    try {
        engine.connect();
        BOOST_FAIL("connecting to a missing database must throw");
    } catch (const reflorm::operational_error& e) {
        BOOST_TEST(contains(e.what(), "reflorm_no_such_database"), e.what());
        BOOST_TEST(!contains(e.what(), parsed.password), std::string("the password leaked: ") + e.what());
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(transactions)

// Two transactions that each wait for the other's row lock: the server ends one of them with a
// deadlock error that says a retry may succeed (PostgreSQL 40P01, MariaDB 1213); the other goes
// on. SQLite has no row locks: its equivalent, two readers that both try to write, ends the
// second at once with "database is locked", retryable too.
BOOST_AUTO_TEST_CASE(a_deadlock_is_a_retryable_operational_error) {
    fixture f;
    Author one{0, "one", std::nullopt}, two{0, "two", std::nullopt};
    {
        auto setup = f.engine.connect();
        setup.insert(one);
        setup.insert(two);
    }
    auto a = f.engine.connect();
    auto b = f.engine.connect();
    const auto rename = [](reflorm::connection& conn, std::int64_t id, std::string to) {
        conn.execute(reflorm::update<Author>().set(c<&Author::name> = to).where(c<&Author::id> == id));
    };
    std::atomic<int> deadlocks{0}, other_errors{0};
    std::string message;
    const auto attempt = [&](reflorm::connection& conn, std::int64_t id, std::string to) {
        try {
            rename(conn, id, std::move(to));
        } catch (const reflorm::operational_error& e) {
            if (e.retryable()) ++deadlocks;
            else ++other_errors;
            message = e.what();
        }
    };
    if (kind() == backend::sqlite) {
        auto ta = a.begin();
        auto tb = b.begin();
        BOOST_TEST(a.count(reflorm::select<Author>()) == 2);
        BOOST_TEST(b.count(reflorm::select<Author>()) == 2);
        rename(a, one.id, "a1");
        attempt(b, two.id, "b2");
        BOOST_TEST(deadlocks.load() == 1, message);
        tb.rollback();
        ta.commit();
        return;
    }
    auto ta = a.begin();
    auto tb = b.begin();
    rename(a, one.id, "a1");
    rename(b, two.id, "b2");
    std::thread second([&] {
        attempt(b, one.id, "b1");  // waits for a's lock on row one
        tb.rollback();
    });
    attempt(a, two.id, "a2");  // waits for b's lock on row two: a cycle, which the server breaks
    ta.rollback();
    second.join();
    BOOST_TEST(deadlocks.load() == 1, message);
    BOOST_TEST(other_errors.load() == 0, message);
    BOOST_TEST((contains(message, "40P01") || contains(message, "eadlock")), message);
}


BOOST_AUTO_TEST_CASE(commit_rollback_and_isolation) {
    fixture f;
    auto conn = f.engine.connect();
    auto raw = f.db.raw();
    {
        auto tx = conn.begin();
        Author a{0, "gone", std::nullopt};
        conn.insert(a);
        BOOST_TEST(conn.count(reflorm::select<Author>()) == 1);
    }  // rolled back
    BOOST_TEST(!conn.in_transaction());
    BOOST_TEST(conn.count(reflorm::select<Author>()) == 0);
    {
        auto tx = conn.begin();
        Author a{0, "stays", std::nullopt};
        conn.insert(a);
        BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 0);  // not yet visible elsewhere
        tx.commit();
    }
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 1);
    {
        auto tx = conn.begin();
        conn.execute(reflorm::delete_<Author>());
        tx.rollback();
    }
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 1);
}

BOOST_AUTO_TEST_CASE(savepoints_roll_back_part_of_a_transaction) {
    fixture f;
    auto conn = f.engine.connect();
    auto tx = conn.begin();
    Author kept{0, "kept", std::nullopt};
    conn.insert(kept);
    conn.savepoint("sp1");
    Author dropped{0, "dropped", std::nullopt};
    conn.insert(dropped);
    conn.rollback_to_savepoint("sp1");
    conn.release_savepoint("sp1");
    // insert_all inside a transaction uses its own savepoint: a failure undoes only itself.
    std::vector<Book> books{{0, "fine", kept.id, 1}, {0, "orphan", 999, 2}};
    BOOST_CHECK_THROW(conn.insert_all(books), reflorm::integrity_error);
    BOOST_TEST(conn.in_transaction());
    Author later{0, "later", std::nullopt};
    conn.insert(later);
    tx.commit();
    auto raw = f.db.raw();
    BOOST_TEST((raw.rows("SELECT name FROM authors ORDER BY id") == std::vector<reflorm_test::raw_row>{{"kept"}, {"later"}}));
    BOOST_TEST(raw.integer("SELECT count(*) FROM books") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(reads)

BOOST_AUTO_TEST_CASE(values_that_do_not_fit_the_member_are_data_errors) {
    database db;
    auto raw = db.raw();
    raw.execute("CREATE TABLE loose (id INTEGER PRIMARY KEY, amount VARCHAR(20), day VARCHAR(20))");
    raw.execute("INSERT INTO loose (id, amount, day) VALUES (1, '12abc', NULL)");
    raw.execute("INSERT INTO loose (id, amount, day) VALUES (2, '12', NULL)");
    raw.execute("INSERT INTO loose (id, amount, day) VALUES (3, NULL, NULL)");
    raw.execute("INSERT INTO loose (id, amount, day) VALUES (4, NULL, '2024-13-01')");
    raw.execute("INSERT INTO loose (id, amount, day) VALUES (5, NULL, '2024-02-29')");
    auto engine = reflorm::create_engine(db.url());
    auto conn = engine.connect();
    BOOST_CHECK_EXCEPTION(conn.get<Loose>(1), reflorm::data_error,
                          [](const auto& e) { return contains(e.what(), "'12abc'") && contains(e.what(), "amount"); });
    // Text is not a number, even when it reads like one.
    BOOST_CHECK_EXCEPTION(conn.get<Loose>(2), reflorm::data_error, [](const auto& e) { return contains(e.what(), "'12'"); });
    BOOST_CHECK_EXCEPTION(conn.get<Loose>(3), reflorm::data_error, [](const auto& e) { return contains(e.what(), "NULL"); });
    const auto day = [&](std::int64_t id) {
        return std::get<0>(conn.execute(reflorm::text("SELECT day FROM loose WHERE id = :id").columns<std::optional<reflorm::date>>().bind("id", id)).one());
    };
    BOOST_CHECK_EXCEPTION(day(4), reflorm::data_error, [](const auto& e) { return contains(e.what(), "'2024-13-01'"); });
    BOOST_TEST((day(5) == reflorm::date{year{2024} / February / 29}));
    BOOST_TEST(!day(3).has_value());
}

BOOST_AUTO_TEST_CASE(expression_results_read_strictly) {
    fixture f;
    auto conn = f.engine.connect();
    std::vector<Book> none;
    Author a{0, "ann", std::nullopt};
    conn.insert(a);
    std::vector<Book> books{{0, "one", a.id, 10}, {0, "two", a.id, 20}, {0, "three", a.id, std::nullopt}};
    conn.insert_all(books);
    const auto one_int = [&](const std::string& sql) { return std::get<0>(conn.execute(reflorm::text(sql).columns<std::int64_t>()).one()); };
    const auto one_double = [&](const std::string& sql) { return std::get<0>(conn.execute(reflorm::text(sql).columns<double>()).one()); };
    BOOST_TEST(one_int("SELECT count(*) FROM books") == 3);
    BOOST_TEST(one_int("SELECT sum(pages) FROM books") == 30);      // MySQL: a DECIMAL
    BOOST_TEST(one_double("SELECT sum(pages) FROM books") == 30.0);
    BOOST_TEST(one_double("SELECT avg(pages) FROM books") == 15.0);
    BOOST_TEST(one_int("SELECT max(pages) FROM books") == 20);
    BOOST_TEST(one_int("SELECT 2.0") == 2);                          // an exactly integral real
    BOOST_TEST(one_double("SELECT 7") == 7.0);                       // an integer as a double
    BOOST_TEST(std::get<0>(conn.execute(reflorm::text("SELECT 1").columns<bool>()).one()) == true);
    BOOST_TEST(std::get<0>(conn.execute(reflorm::text("SELECT 42").columns<std::string>()).one()) == "42");
    BOOST_TEST(std::get<0>(conn.execute(reflorm::text("SELECT 9223372036854775807").columns<std::uint64_t>()).one()) == 9223372036854775807ull);
    BOOST_CHECK_THROW(one_int("SELECT 1.5"), reflorm::data_error);
    BOOST_CHECK_THROW(one_int("SELECT 'abc'"), reflorm::data_error);
    BOOST_CHECK_THROW(conn.execute(reflorm::text("SELECT 7").columns<bool>()).one(), reflorm::data_error);
    BOOST_CHECK_THROW(conn.execute(reflorm::text("SELECT -1").columns<std::uint64_t>()).one(), reflorm::data_error);
    BOOST_CHECK_THROW(conn.execute(reflorm::text("SELECT 300").columns<std::uint8_t>()).one(), reflorm::data_error);
    BOOST_CHECK_THROW(one_int("SELECT sum(pages) FROM books WHERE pages IS NULL"), reflorm::data_error);  // NULL, not 0
    const auto maybe = conn.execute(reflorm::text("SELECT sum(pages) FROM books WHERE pages IS NULL").columns<std::optional<std::int64_t>>()).one();
    BOOST_TEST(!std::get<0>(maybe).has_value());
    // A bound parameter comes back as what was bound.
    BOOST_TEST(std::get<0>(conn.execute(reflorm::text("SELECT :v").columns<std::string>().bind("v", hostile)).one()) == hostile);
}

BOOST_AUTO_TEST_CASE(update_and_delete_count_the_rows_they_match) {
    fixture f;
    auto conn = f.engine.connect();
    Author a{0, "ann", std::nullopt};
    conn.insert(a);
    std::vector<Book> books;
    for (int i = 1; i <= 6; ++i) books.push_back(Book{0, "b" + std::to_string(i), a.id, i});
    conn.insert_all(books);
    BOOST_TEST(conn.execute(reflorm::update<Book>().set(c<&Book::pages> = c<&Book::pages> + 10).where(c<&Book::pages> > 3)).rowcount() == 3);
    // Rows matched but left unchanged count too (MySQL's CLIENT_FOUND_ROWS).
    BOOST_TEST(conn.execute(reflorm::update<Book>().set(c<&Book::title> = c<&Book::title>).where(c<&Book::pages> > 10)).rowcount() == 3);
    BOOST_TEST(conn.execute(reflorm::update<Book>().set(c<&Book::pages> = 0).where(c<&Book::id> < 0)).rowcount() == 0);
    BOOST_TEST(conn.execute(reflorm::delete_<Book>().where(c<&Book::pages> <= 2)).rowcount() == 2);
    BOOST_TEST(conn.execute(reflorm::delete_<Book>()).rowcount() == 4);
    BOOST_TEST(f.db.raw().integer("SELECT count(*) FROM books") == 0);
}

BOOST_AUTO_TEST_CASE(many_distinct_statements_outgrow_the_statement_cache) {
    fixture f;
    auto conn = f.engine.connect();
    std::vector<Author> authors;
    for (int i = 0; i < 10; ++i) authors.push_back(Author{0, "a" + std::to_string(i), std::nullopt});
    conn.insert_all(authors);
    std::int64_t total = 0;
    for (int i = 0; i < 300; ++i)  // more statements than a connection keeps prepared
        total += std::get<0>(conn.execute(reflorm::text("SELECT count(*) + " + std::to_string(i) + " FROM authors").columns<std::int64_t>()).one());
    BOOST_TEST(total == 300 * 10 + 299 * 300 / 2);
    BOOST_TEST(conn.get<Author>(authors[3].id)->name == "a3");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schema_changes)

// A statement prepared before ALTER TABLE changes what it returns. SQLite and MariaDB prepare it
// again themselves; PostgreSQL refuses to run it ("cached plan must not change result type",
// SQLSTATE 0A000), so reflorm prepares it again and runs it once more, outside a transaction.
// Inside one the server has already aborted the transaction: reflorm raises a retryable
// operational_error, and the transaction run again succeeds.
BOOST_AUTO_TEST_CASE(a_statement_prepared_before_alter_table_runs_after_it) {
    database db;
    auto raw = db.raw();
    raw.execute("CREATE TABLE drift (id INTEGER PRIMARY KEY, amount INTEGER)");
    raw.execute("INSERT INTO drift (id, amount) VALUES (1, 12)");
    auto engine = reflorm::create_engine(db.url());
    auto conn = engine.connect();
    const std::string star = "SELECT * FROM drift WHERE id = :id";
    using std::int64_t, std::optional, std::string;
    const auto two = [&] { return conn.execute(reflorm::text(star).columns<int64_t, int64_t>().bind("id", 1)).one(); };
    const auto three = [&] { return conn.execute(reflorm::text(star).columns<int64_t, int64_t, optional<string>>().bind("id", 1)).one(); };
    const auto four = [&] {
        return conn.execute(reflorm::text(star).columns<int64_t, int64_t, optional<string>, optional<int64_t>>().bind("id", 1)).one();
    };
    BOOST_TEST(std::get<1>(two()) == 12);

    // Another connection adds a column; outside a transaction the same SQL runs.
    raw.execute("ALTER TABLE drift ADD COLUMN note VARCHAR(20)");
    raw.execute("UPDATE drift SET note = 'n1' WHERE id = 1");
    BOOST_TEST(std::get<2>(three()).value_or("-") == "n1");

    // This connection adds one, outside a transaction and then inside one.
    conn.exec_driver_sql(std::string("ALTER TABLE drift ADD COLUMN points INTEGER"));
    raw.execute("UPDATE drift SET points = 5 WHERE id = 1");
    BOOST_TEST(std::get<3>(four()).value_or(-1) == 5);
    {
        auto tx = conn.begin();
        // Behind comments, as a migration script writes it: still seen as DDL.
        conn.exec_driver_sql(std::string("-- migration 7\n/* drop the points */ ALTER TABLE drift DROP COLUMN points"));
        BOOST_TEST(std::get<2>(three()).value_or("-") == "n1");
        tx.commit();
    }

    // Another connection adds a column before a transaction runs the statement: the statement
    // runs, or the transaction fails with a retryable error and runs again.
    raw.execute("ALTER TABLE drift ADD COLUMN score INTEGER");  // SQLite's raw client still knows points
    raw.execute("UPDATE drift SET score = 6 WHERE id = 1");
    bool retried = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            auto tx = conn.begin();
            BOOST_TEST(std::get<3>(four()).value_or(-1) == 6);
            tx.commit();
            break;
        } catch (const reflorm::operational_error& e) {
            BOOST_TEST(e.retryable(), e.what());
            BOOST_TEST(contains(e.what(), "schema change"), e.what());
            BOOST_TEST(!retried, "a second retry was needed: " << e.what());
            retried = true;
        }
    }
    BOOST_TEST(retried == (kind() == backend::postgresql));
    BOOST_TEST(!conn.in_transaction());
    BOOST_TEST(std::get<3>(four()).value_or(-1) == 6);

    // A column changes its type under a statement that names it.
    if (kind() != backend::sqlite) {
        const std::string amount = "SELECT amount FROM drift WHERE id = :id";
        BOOST_TEST(std::get<0>(conn.execute(reflorm::text(amount).columns<int64_t>().bind("id", 1)).one()) == 12);
        raw.execute(kind() == backend::postgresql ? "ALTER TABLE drift ALTER COLUMN amount TYPE VARCHAR(20)"
                                                  : "ALTER TABLE drift MODIFY amount VARCHAR(20)");
        raw.execute("UPDATE drift SET amount = 'twelve' WHERE id = 1");
        BOOST_TEST(std::get<0>(conn.execute(reflorm::text(amount).columns<string>().bind("id", 1)).one()) == "twelve");
    }
}

BOOST_AUTO_TEST_SUITE_END()
