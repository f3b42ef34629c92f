// Engine-level data-changing statements on real SQLite databases (a temporary file, and an
// in-memory database): insert (one row, many rows, from a select, upsert, RETURNING), update,
// delete and text(). Ground truth comes from raw sqlite3 queries, not from reflorm. Hostile
// strings (quotes, comment markers, NUL bytes, invalid UTF-8, 1 MB) go through every statement
// kind and must come back byte for byte, with every table intact.
#define BOOST_TEST_MODULE engine_dml
#include <boost/test/unit_test.hpp>

#include "raw_sqlite.hpp"
#include "support/backend.hpp"

#include <reflorm/reflorm.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <atomic>
#include <tuple>
#include <vector>

namespace dml_engine_test {

struct Person {
    std::int64_t id;
    std::string name;
    std::int32_t age;
    std::optional<std::string> note;
};

// As many columns as Person: the target of insert-from-select.
struct Archive {
    std::int64_t id;
    std::string name;
    std::int32_t age;
    std::optional<std::string> note;
};

// A text primary key: upserts on it.
struct Setting {
    std::string key;
    std::string value;
    std::int32_t revision;
};

}  // namespace dml_engine_test

using namespace dml_engine_test;
using namespace engine_test;  // raw_sqlite, temp_dir

template <>
struct reflorm::model<Person> {
    static constexpr auto table = "people";
    static constexpr auto columns = reflorm::columns(reflorm::unique<&Person::name>);
};
template <>
struct reflorm::model<Archive> {
    static constexpr auto table = "archive";
    static constexpr auto columns = reflorm::columns(reflorm::unique<&Archive::name>);
};
template <>
struct reflorm::model<Setting> {
    static constexpr auto primary_key = reflorm::primary_key<&Setting::key>;
};

using reflorm::c;
namespace fs = std::filesystem;

namespace {

using reflorm_test::backend;
using reflorm_test::raw_client;

backend kind() { return reflorm_test::current_backend(); }

// An engine on a fresh database of the backend under test with the test tables, and the
// backend's own client on the same database.
struct file_database {
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    file_database() { reflorm::create_all<Person, Archive, Setting>(engine); }
    raw_client raw() const { return db.raw(); }
};

/// What a multi-row INSERT writes for a key the database generates: SQLite's rowid takes NULL,
/// an identity or AUTO_INCREMENT column DEFAULT.
std::string generated_key() { return kind() == backend::sqlite ? "NULL" : "DEFAULT"; }

/// `name` quoted as an identifier on the backend under test (`key` is reserved in MySQL).
std::string quoted(std::string_view name) {
    return kind() == backend::mysql ? "`" + std::string(name) + "`" : "\"" + std::string(name) + "\"";
}

/// SQL for the upper-case hex of a text column's bytes, on the backend under test.
std::string hex_sql(std::string_view column) {
    switch (kind()) {
    case backend::postgresql: return "upper(encode(convert_to(" + std::string(column) + ", 'UTF8'), 'hex'))";
    case backend::sqlite:
    case backend::mysql: break;
    }
    return "hex(" + std::string(column) + ")";
}

std::vector<Person> people(int n, int first_age = 20) {
    std::vector<Person> out;
    for (int i = 0; i < n; ++i)
        out.push_back(Person{0, "p" + std::to_string(i + 1), first_age + i, i % 2 ? std::optional<std::string>("odd") : std::nullopt});
    return out;
}

using table = std::vector<std::vector<std::optional<std::string>>>;

std::string upper_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

template <class Exception>
bool message_contains(const Exception& e, std::string_view text) {
    return std::string_view(e.what()).find(text) != std::string_view::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(insert_statements)

BOOST_AUTO_TEST_CASE(one_row_and_many_rows_in_one_statement) {
    file_database db;
    auto conn = db.engine.connect();
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(Person{0, "ann", 30, "first"})).rowcount() == 1);
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(Person{10, "bob", 40, std::nullopt})).rowcount() == 1);

    reflorm::statement_counter counter{db.engine};
    auto raw = db.raw();
    if (kind() == backend::postgresql) {
        // PostgreSQL's identity does not move past keys given explicitly: its tenth key is 10,
        // bob's, and the whole statement fails (as it does under SQLAlchemy).
        BOOST_CHECK_EXCEPTION(conn.execute(reflorm::insert<Person>().values(people(50))), reflorm::integrity_error,
                              [](const auto& e) { return e.constraint() == reflorm::integrity_error::kind::primary_key; });
        BOOST_TEST(raw.integer("SELECT count(*) FROM people") == 2);
        return;
    }
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(people(50))).rowcount() == 50);
    BOOST_TEST(counter.count() == 1u);  // one statement for all 50 rows
    const std::string row = "(" + generated_key() + ", ?, ?, ?)";
    BOOST_TEST(reflorm_test::with_qmarks(counter.statements()[0]).starts_with("INSERT INTO people (id, name, age, note) VALUES " + row + ", " + row));

    BOOST_TEST(raw.integer("SELECT count(*) FROM people") == 52);
    BOOST_TEST(raw.rows("SELECT id, name, age, note FROM people WHERE id IN (1, 10, 11, 12, 60) ORDER BY id") ==
               (table{{"1", "ann", "30", "first"}, {"10", "bob", "40", std::nullopt}, {"11", "p1", "20", std::nullopt},
                      {"12", "p2", "21", "odd"}, {"60", "p50", "69", "odd"}}));
}

BOOST_AUTO_TEST_CASE(mixed_generated_and_given_keys_in_one_statement) {
    file_database db;
    auto conn = db.engine.connect();
    std::vector<Person> rows{{0, "a", 1, std::nullopt}, {100, "b", 2, std::nullopt}, {0, "c", 3, std::nullopt}};
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(rows)).rowcount() == 3);
    // SQLite and MySQL go on after the largest key; PostgreSQL's identity ignores given keys.
    const std::string third = kind() == backend::postgresql ? "2" : "101";
    BOOST_TEST(db.raw().rows("SELECT id, name FROM people ORDER BY name") == (table{{"1", "a"}, {"100", "b"}, {third, "c"}}));
}

BOOST_AUTO_TEST_CASE(returning_reads_generated_keys_and_values) {
    file_database db;
    auto conn = db.engine.connect();
    if (!conn.dialect().supports_returning()) {  // MySQL 8 (docs/backends.md): refused before it runs
        BOOST_CHECK_THROW(conn.execute(reflorm::insert<Person>().values(people(3)).returning(c<&Person::id>)).all(), reflorm::unsupported_error);
        BOOST_TEST(db.raw().integer("SELECT count(*) FROM people") == 0);
        return;
    }
    auto rows = conn.execute(reflorm::insert<Person>().values(people(3)).returning(c<&Person::id>, c<&Person::name>, c<&Person::note>)).all();
    std::sort(rows.begin(), rows.end());  // SQLite does not promise the order of RETURNING rows
    using row = std::tuple<std::int64_t, std::string, std::optional<std::string>>;
    BOOST_TEST((rows == std::vector<row>{{1, "p1", std::nullopt}, {2, "p2", "odd"}, {3, "p3", std::nullopt}}));

    const auto one = conn.execute(reflorm::insert<Person>().values(Person{0, "solo", 9, std::nullopt}).returning(c<&Person::id>)).one();
    BOOST_TEST(std::get<0>(one) == 4);
    const auto first = conn.execute(reflorm::insert<Person>().values(Person{0, "first", 9, std::nullopt}).returning(c<&Person::age>)).first();
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(std::get<0>(*first) == 9);
    // first() stops reading after one row, but SQLite has made every change at the first step.
    BOOST_TEST(db.raw().integer("SELECT count(*) FROM people") == 5);
    // execute() on a RETURNING statement counts the rows.
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(people(2, 50)).on_conflict_do_nothing().returning(c<&Person::id>)).rowcount() == 0);
    // A failing INSERT ... RETURNING is a typed error, and the same statement runs again after it
    // (MariaDB's client library used to wait forever on that next run).
    const auto named = [](std::string name) { return reflorm::insert<Person>().values(Person{0, std::move(name), 1, std::nullopt}).returning(c<&Person::name>); };
    BOOST_CHECK_THROW(conn.execute(named("solo")).one(), reflorm::integrity_error);
    BOOST_TEST(std::get<0>(conn.execute(named("again")).one()) == "again");
}

BOOST_AUTO_TEST_CASE(on_conflict_do_nothing_skips_only_the_conflicting_rows) {
    file_database db;
    auto conn = db.engine.connect();
    conn.execute(reflorm::insert<Person>().values(people(2)));  // p1, p2
    std::vector<Person> batch{{0, "p1", 99, "dup"}, {0, "p3", 22, std::nullopt}, {0, "p2", 99, "dup"}};
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(batch).on_conflict_do_nothing(c<&Person::name>)).rowcount() == 1);
    BOOST_TEST(db.raw().rows("SELECT name, age, note FROM people ORDER BY name") ==
               (table{{"p1", "20", std::nullopt}, {"p2", "21", "odd"}, {"p3", "22", std::nullopt}}));
    // With RETURNING, only the inserted rows come back.
    const auto with_returning =
        reflorm::insert<Person>().values(std::vector<Person>{{0, "p1", 1, std::nullopt}, {0, "p4", 1, std::nullopt}}).on_conflict_do_nothing();
    if (conn.dialect().supports_returning())
        BOOST_TEST((conn.execute(with_returning.returning(c<&Person::name>)).all() == std::vector<std::tuple<std::string>>{{"p4"}}));
    else
        BOOST_TEST(conn.execute(with_returning).rowcount() == 1);
    // Without a conflict clause the duplicate is an integrity error carrying the SQL and values.
    BOOST_CHECK_EXCEPTION(conn.execute(reflorm::insert<Person>().values(Person{0, "p1", 5, std::nullopt})),
                          reflorm::integrity_error, ([](const reflorm::integrity_error& e) {
                              return e.constraint() == reflorm::integrity_error::kind::unique &&
                                     reflorm_test::with_qmarks(e.sql()) ==
                                         "INSERT INTO people (id, name, age, note) VALUES (" + generated_key() + ", ?, ?, ?)" &&
                                     e.parameters() == std::vector<std::string>{"'p1'", "5", "NULL"};
                          }));
}

BOOST_AUTO_TEST_CASE(on_conflict_do_update_sets_only_the_chosen_columns) {
    file_database db;
    auto conn = db.engine.connect();
    conn.execute(reflorm::insert<Person>().values(std::vector<Person>{{0, "ann", 30, "keep"}, {0, "bob", 40, "keep"}}));
    const auto upsert = [](std::vector<Person> rows) {
        return reflorm::insert<Person>().values(std::move(rows)).on_conflict_do_update(c<&Person::name>).set_excluded(c<&Person::age>);
    };
    // MySQL counts a row an upsert updated twice (its documented affected-rows value).
    BOOST_TEST(conn.execute(upsert({{0, "ann", 31, "new"}, {0, "cy", 50, "new"}})).rowcount() == (kind() == backend::mysql ? 3 : 2));
    // PostgreSQL's identity spends a key on the row that conflicted: cy's is 4.
    const std::string cy = kind() == backend::postgresql ? "4" : "3";
    BOOST_TEST(db.raw().rows("SELECT id, name, age, note FROM people ORDER BY id") ==
               (table{{"1", "ann", "31", "keep"}, {"2", "bob", "40", "keep"}, {cy, "cy", "50", "new"}}));

    // A text primary key; two columns taken from the new row; RETURNING the result.
    conn.execute(reflorm::insert<Setting>().values(Setting{"theme", "dark", 1}));
    const auto settings = reflorm::insert<Setting>()
                              .values(std::vector<Setting>{{"theme", "light", 2}, {"lang", "nl", 1}})
                              .on_conflict_do_update(c<&Setting::key>)
                              .set_excluded(c<&Setting::value>, c<&Setting::revision>);
    if (conn.dialect().supports_returning())
        BOOST_TEST(conn.execute(settings.returning(c<&Setting::key>, c<&Setting::value>, c<&Setting::revision>)).all().size() == 2u);
    else
        BOOST_TEST(conn.execute(settings).rowcount() == 3);  // MySQL: 2 for the updated row, 1 for the new one
    BOOST_TEST(db.raw().rows("SELECT " + quoted("key") + ", value, revision FROM settings ORDER BY " + quoted("key")) ==
               (table{{"lang", "nl", "1"}, {"theme", "light", "2"}}));
}

BOOST_AUTO_TEST_CASE(insert_from_select) {
    file_database db;
    auto conn = db.engine.connect();
    conn.execute(reflorm::insert<Person>().values(people(10)));
    // Of another model with as many columns, filtered.
    BOOST_TEST(conn.execute(reflorm::insert<Archive>().from_select(reflorm::select<Person>().where(c<&Person::age> >= 25))).rowcount() == 5);
    auto raw = db.raw();
    BOOST_TEST(raw.rows("SELECT id, name, age, note FROM archive ORDER BY id") ==
               raw.rows("SELECT id, name, age, note FROM people WHERE age >= 25 ORDER BY id"));
    // Without a WHERE and with a conflict clause (SQLite's ambiguity, resolved with WHERE TRUE).
    BOOST_TEST(conn.execute(reflorm::insert<Archive>().from_select(reflorm::select<Person>()).on_conflict_do_nothing(c<&Archive::id>)).rowcount() == 5);
    BOOST_TEST(raw.integer("SELECT count(*) FROM archive") == 10);
    // A select of expressions, computed by the database; upsert on the name.
    const auto doubled = reflorm::insert<Archive>()
                             .from_select(reflorm::select(c<&Person::id>, c<&Person::name>, c<&Person::age> * 2, c<&Person::note>)
                                              .where(c<&Person::age> < 22))
                             .on_conflict_do_update(c<&Archive::name>)
                             .set_excluded(c<&Archive::age>);
    BOOST_TEST(conn.execute(doubled).rowcount() == (kind() == backend::mysql ? 4 : 2));  // as above: 2 per updated row on MySQL
    BOOST_TEST(raw.rows("SELECT name, age FROM archive WHERE name IN ('p1', 'p2', 'p3') ORDER BY name") ==
               (table{{"p1", "40"}, {"p2", "42"}, {"p3", "22"}}));
}

BOOST_AUTO_TEST_CASE(an_insert_inside_a_rolled_back_transaction_leaves_nothing) {
    file_database db;
    auto conn = db.engine.connect();
    {
        auto tx = conn.begin();
        conn.execute(reflorm::insert<Person>().values(people(3)));
    }
    BOOST_TEST(db.raw().integer("SELECT count(*) FROM people") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(update_and_delete)

BOOST_AUTO_TEST_CASE(update_with_expressions_values_and_null) {
    file_database db;
    auto conn = db.engine.connect();
    conn.execute(reflorm::insert<Person>().values(people(6)));  // ages 20..25; notes null/odd alternating
    BOOST_TEST(conn.execute(reflorm::update<Person>().set(c<&Person::age> = c<&Person::age> + 1).where(c<&Person::age> >= 23)).rowcount() == 3);
    BOOST_TEST(conn.execute(reflorm::update<Person>().set(c<&Person::note> = std::nullopt, c<&Person::name> = "renamed")
                                .where(c<&Person::id> == 2)).rowcount() == 1);
    BOOST_TEST(conn.execute(reflorm::update<Person>().set(c<&Person::note> = c<&Person::name>).where(c<&Person::id> == 1)).rowcount() == 1);
    BOOST_TEST(conn.execute(reflorm::update<Person>().set(c<&Person::age> = 0).where(c<&Person::id> > 100)).rowcount() == 0);
    BOOST_TEST(db.raw().rows("SELECT id, name, age, note FROM people ORDER BY id") ==
               (table{{"1", "p1", "20", "p1"}, {"2", "renamed", "21", std::nullopt}, {"3", "p3", "22", std::nullopt},
                      {"4", "p4", "24", "odd"}, {"5", "p5", "25", std::nullopt}, {"6", "p6", "26", "odd"}}));
    // Without where: every row.
    BOOST_TEST(conn.execute(reflorm::update<Person>().set(c<&Person::age> = c<&Person::age> * 2 - c<&Person::id>)).rowcount() == 6);
    BOOST_TEST(db.raw().rows("SELECT age FROM people ORDER BY id") == (table{{"39"}, {"40"}, {"41"}, {"44"}, {"45"}, {"46"}}));
    // RETURNING the new values (MariaDB has no UPDATE ... RETURNING: refused before it runs).
    const auto returning = reflorm::update<Person>().set(c<&Person::age> = 1).where(c<&Person::id> <= 2).returning(c<&Person::id>, c<&Person::age>);
    if (!conn.dialect().supports_update_returning()) {
        BOOST_CHECK_THROW(conn.execute(returning).all(), reflorm::unsupported_error);
        return;
    }
    auto rows = conn.execute(returning).all();
    std::sort(rows.begin(), rows.end());
    BOOST_TEST((rows == std::vector<std::tuple<std::int64_t, std::int32_t>>{{1, 1}, {2, 1}}));
}

BOOST_AUTO_TEST_CASE(delete_where_returning_and_all) {
    file_database db;
    auto conn = db.engine.connect();
    conn.execute(reflorm::insert<Person>().values(people(10)));
    BOOST_TEST(conn.execute(reflorm::delete_<Person>().where(c<&Person::age> < 23).where(c<&Person::note>.is_null())).rowcount() == 2);
    const auto p10 = reflorm::delete_<Person>().where(c<&Person::name> == "p10");
    if (conn.dialect().supports_returning())
        BOOST_TEST((conn.execute(p10.returning(c<&Person::id>, c<&Person::name>)).all() == std::vector<std::tuple<std::int64_t, std::string>>{{10, "p10"}}));
    else
        BOOST_TEST(conn.execute(p10).rowcount() == 1);
    auto raw = db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM people") == 7);
    BOOST_TEST(raw.integer("SELECT count(*) FROM people WHERE name IN ('p1', 'p3', 'p10')") == 0);
    BOOST_TEST(conn.execute(reflorm::delete_<Person>().where(c<&Person::id> > 1000)).rowcount() == 0);
    BOOST_TEST(conn.execute(reflorm::delete_<Person>()).rowcount() == 7);  // no where: every row
    BOOST_TEST(raw.integer("SELECT count(*) FROM people") == 0);
}

BOOST_AUTO_TEST_CASE(correlated_subqueries_in_update_and_delete) {
    file_database db;
    auto conn = db.engine.connect();
    conn.execute(reflorm::insert<Person>().values(people(6)));  // p1..p6, ages 20..25
    conn.execute(reflorm::insert<Archive>().values(std::vector<Archive>{{0, "p2", 70, "archived"}, {0, "p5", 80, "archived"}}));
    // Each person takes the note of the archive row with the same name; others get NULL.
    BOOST_TEST(conn.execute(reflorm::update<Person>().set(
                   c<&Person::note> = reflorm::select(c<&Archive::note>).where(c<&Archive::name> == c<&Person::name>).scalar_subquery())).rowcount() == 6);
    BOOST_TEST(db.raw().rows("SELECT name FROM people WHERE note = 'archived' ORDER BY name") == (table{{"p2"}, {"p5"}}));
    BOOST_TEST(db.raw().integer("SELECT count(*) FROM people WHERE note IS NULL") == 4);
    // Delete the people that have an archive row.
    BOOST_TEST(conn.execute(reflorm::delete_<Person>().where(
                   reflorm::exists(reflorm::select(c<&Archive::id>).where(c<&Archive::name> == c<&Person::name>)))).rowcount() == 2);
    BOOST_TEST(db.raw().rows("SELECT name FROM people ORDER BY id") == (table{{"p1"}, {"p3"}, {"p4"}, {"p6"}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_statements)

BOOST_AUTO_TEST_CASE(text_reads_rows_and_changes_rows) {
    file_database db;
    auto conn = db.engine.connect();
    conn.execute(reflorm::insert<Person>().values(people(10)));
    const auto names = conn.execute(reflorm::text("SELECT name, age FROM people WHERE age > :min AND (note = :note OR :note IS NULL) "
                                              "ORDER BY age")
                                    .columns<std::string, std::int64_t>()
                                    .bind("min", 25)
                                    .bind("note", "odd")).all();
    using row = std::tuple<std::string, std::int64_t>;
    BOOST_TEST((names == std::vector<row>{{"p8", 27}, {"p10", 29}}));
    // NULL bound to the same name in both places.
    const auto all_above = conn.execute(reflorm::text("SELECT count(*) FROM people WHERE age > :min AND (note = :note OR :note IS NULL)")
                                        .columns<std::int64_t>()
                                        .bind("min", 25)
                                        .bind("note", std::nullopt)).all();
    BOOST_TEST(std::get<0>(all_above.at(0)) == 4);
    // Colons in strings and casts are not parameters.
    const std::string cast = kind() == backend::mysql ? "concat(CAST(:v AS CHAR), '::x')" : "CAST(:v AS TEXT) || '::x'";
    const auto literal = conn.execute(reflorm::text("SELECT ':min', " + cast).columns<std::string, std::string>().bind("v", 5)).one();
    BOOST_TEST(std::get<0>(literal) == ":min");
    BOOST_TEST(std::get<1>(literal) == "5::x");
    // A data-changing text counts rows.
    BOOST_TEST(conn.execute(reflorm::text("UPDATE people SET note = :note WHERE age BETWEEN :low AND :high")
                                .bind("note", "mid")
                                .bind("low", 22)
                                .bind("high", 24)).rowcount() == 3);
    BOOST_TEST(db.raw().integer("SELECT count(*) FROM people WHERE note = 'mid'") == 3);
    // An unbound name fails before anything runs, as a reflorm error like every connection failure.
    BOOST_CHECK_EXCEPTION(conn.execute(reflorm::text("DELETE FROM people WHERE age > :age")), reflorm::invalid_request_error,
                          [](const auto& e) { return message_contains(e, ":age has no value"); });
    BOOST_TEST(db.raw().integer("SELECT count(*) FROM people") == 10);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(in_memory)

// SQLite's in-memory database: the servers have none (skipped there, saying so).
BOOST_AUTO_TEST_CASE(every_statement_kind_on_an_in_memory_database, *reflorm_test::only_on_sqlite("an in-memory database is SQLite's")) {
    auto engine = reflorm::create_engine("sqlite://");
    reflorm::create_all<Person, Archive, Setting>(engine);
    auto conn = engine.connect();
    const auto count = [&](std::string_view sql) {
        return std::get<0>(conn.execute(reflorm::text(sql).columns<std::int64_t>()).one());
    };
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(people(5))).rowcount() == 5);
    const auto keys = conn.execute(reflorm::insert<Person>().values(Person{0, "x", 1, std::nullopt}).returning(c<&Person::id>)).all();
    BOOST_TEST(std::get<0>(keys.at(0)) == 6);
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(Person{0, "x", 2, "dup"}).on_conflict_do_update(c<&Person::name>).set_excluded(c<&Person::note>)).rowcount() == 1);
    BOOST_TEST(count("SELECT count(*) FROM people WHERE name = 'x' AND note = 'dup' AND age = 1") == 1);
    BOOST_TEST(conn.execute(reflorm::insert<Archive>().from_select(reflorm::select<Person>())).rowcount() == 6);
    BOOST_TEST(conn.execute(reflorm::update<Person>().set(c<&Person::age> = c<&Person::age> + 100)).rowcount() == 6);
    BOOST_TEST(count("SELECT min(age) FROM people") == 101);
    BOOST_TEST(conn.execute(reflorm::delete_<Archive>().where(c<&Archive::age> > 3)).rowcount() == 5);  // all but "x", age 1
    BOOST_TEST(count("SELECT count(*) FROM archive WHERE name = 'x'") == 1);
    // A second connection of the engine sees the same database.
    BOOST_TEST(engine.connect().count(reflorm::select<Person>()) == 6);
}

// Each thread gets a connection of its own on one shared database (it was one connection handed
// to every thread). Four threads insert 200 rows each, every insert in its own transaction.
BOOST_AUTO_TEST_CASE(threads_get_their_own_connections_to_one_database, *reflorm_test::only_on_sqlite("an in-memory database is SQLite's")) {
    auto engine = reflorm::create_engine("sqlite://", {.begin_immediate = true});
    reflorm::create_all<Person>(engine);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            try {
                auto conn = engine.connect();
                for (int i = 0; i < 200; ++i) {
                    auto tx = conn.begin();
                    Person p{0, "t" + std::to_string(t) + "-" + std::to_string(i), i, std::nullopt};
                    conn.insert(p);
                    tx.commit();
                }
            } catch (...) {
                ++failures;
            }
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(engine.connect().count(reflorm::select<Person>()) == 800);
    // A rolled-back transaction of one connection leaves nothing for the others.
    {
        auto writer = engine.connect();
        auto tx = writer.begin();
        Person uncommitted{0, "uncommitted", 1, std::nullopt};
        writer.insert(uncommitted);
        tx.rollback();
    }
    BOOST_TEST(engine.connect().count(reflorm::select<Person>()) == 800);
    // Two engines are two databases.
    auto other = reflorm::create_engine("sqlite://");
    reflorm::create_all<Person>(other);
    BOOST_TEST(other.connect().count(reflorm::select<Person>()) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- hostile strings ----------------------------------------------------------------------

namespace {

std::vector<std::string> every_hostile_string();

bool valid_utf8(std::string_view s, bool surrogates_allowed = false) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
        if (n == 3 && b == 0xed && static_cast<unsigned char>(s[i + 1]) >= 0xa0 && !surrogates_allowed) return false;  // a surrogate
        i += n;
    }
    return true;
}

/// Whether the backend under test stores `s` in a text column as it is: SQLite stores any bytes;
/// PostgreSQL's text is valid UTF-8 without NUL; MariaDB's utf8mb4 is valid UTF-8, and a keyed
/// text column is VARCHAR(255) there.
bool storable(std::string_view s, bool keyed) {
    switch (kind()) {
    case backend::sqlite: return true;
    // A B-tree index entry holds at most about 2,700 bytes.
    case backend::postgresql: return valid_utf8(s) && s.find('\0') == std::string_view::npos && (!keyed || s.size() <= 2000);
    // MariaDB's utf8mb4 takes an encoded surrogate (ED A0 80) and gives it back; PostgreSQL refuses it.
    case backend::mysql: return valid_utf8(s, true) && (!keyed || s.size() <= 255);
    }
    return false;
}

/// PostgreSQL: a B-tree entry (the unique name) holds at most about 2,700 bytes.
/// Strings that break SQL built by concatenation, break C strings, or are not valid UTF-8: on a
/// server, those its text type stores (every_hostile_string() has all of them).
std::vector<std::string> hostile_strings() {
    std::vector<std::string> out;
    for (auto& s : every_hostile_string())
        if (storable(s, true) && storable(s + "!", false)) out.push_back(std::move(s));
    return out;
}

std::vector<std::string> every_hostile_string() {
    std::vector<std::string> out{
        "it's",
        "''",
        "\"double\" quotes",
        "semi;colon;",
        "-- line comment",
        "/* block */ comment",
        "'); DROP TABLE people; --",
        "\"); DROP TABLE people; --",
        "x' OR '1'='1",
        std::string("nul\0inside", 10),
        std::string("\0", 1),
        std::string("\0\0trailing\0", 11),
        "\xff\xfe",
        "\xc3\x28",
        "\xed\xa0\x80 lone surrogate",
        "\xf0\x9f\x98\x80 emoji",
        ":name ? $1 %s {0}",
        "back\\slash\\",
        "\n\r\t\x1b",
        "",
    };
    std::string big;
    big.reserve(1 << 20);
    for (std::size_t i = 0; big.size() < (1u << 20); ++i) big += static_cast<char>(i * 7 % 256);  // every byte value
    out.push_back(std::move(big));
    std::string big_utf8;  // 1 MB of valid UTF-8, 4-byte characters included
    while (big_utf8.size() < (1u << 20)) big_utf8 += "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80'\"";
    out.push_back(std::move(big_utf8));
    return out;
}

/// The row's name read back as raw bytes through the backend's own client, and as hex in SQL.
void check_stored(raw_client& raw, std::string_view column, std::int64_t id, const std::string& expected, std::size_t index) {
    const auto bytes = raw.rows("SELECT " + std::string(column) + " FROM people WHERE id = " + std::to_string(id));
    BOOST_TEST_REQUIRE(bytes.size() == 1u, "hostile string #" << index << ": row " << id << " is missing");
    BOOST_TEST((bytes[0][0] == std::optional<std::string>(expected)), "hostile string #" << index << ": stored bytes differ");
    BOOST_TEST((raw.value("SELECT " + hex_sql(column) + " FROM people WHERE id = " + std::to_string(id)) ==
                std::optional<std::string>(upper_hex(expected))),
               "hostile string #" << index << ": hex() differs");
    if (kind() == backend::sqlite)  // SQLite's own storage class: text, not a blob
        BOOST_TEST(*raw.value("SELECT typeof(" + std::string(column) + ") FROM people WHERE id = " + std::to_string(id)) == "text");
}

void check_tables_intact(raw_client& raw, long long people_rows) {
    const std::string tables = kind() == backend::sqlite ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name"
                               : kind() == backend::postgresql
                                   ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name"
                                   : "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name";
    BOOST_TEST(raw.integer(tables + " IN ('people', 'archive', 'settings')") == 3);
    BOOST_TEST(raw.integer("SELECT count(*) FROM people") == people_rows);
}

/// Reads row `id` back through reflorm's select and compares every member.
void check_read_back(reflorm::connection& conn, std::int64_t id, const std::string& name, const std::string& note, std::size_t index) {
    const auto row = conn.get<Person>(id);
    BOOST_TEST_REQUIRE(row.has_value(), "hostile string #" << index);
    BOOST_TEST((row->name == name), "hostile string #" << index << ": name read back differs");
    BOOST_TEST((row->note == std::optional<std::string>(note)), "hostile string #" << index << ": note read back differs");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_strings_through_every_statement)

BOOST_AUTO_TEST_CASE(insert_one_row_each_and_select_where) {
    file_database db;
    auto conn = db.engine.connect();
    auto raw = db.raw();
    const auto strings = hostile_strings();
    for (std::size_t i = 0; i < strings.size(); ++i) {
        Person person{0, strings[i], static_cast<std::int32_t>(i), strings[i] + "!"};
        std::int64_t id = 0;
        if (conn.dialect().supports_returning()) {
            id = std::get<0>(conn.execute(reflorm::insert<Person>().values(person).returning(c<&Person::id>)).all().at(0));
        } else {
            conn.insert(person);  // the key through LAST_INSERT_ID()
            id = person.id;
        }
        check_stored(raw, "name", id, strings[i], i);
        check_stored(raw, "note", id, strings[i] + "!", i);
        check_read_back(conn, id, strings[i], strings[i] + "!", i);
        // The existing select finds it by its exact bytes, and only it.
        const auto found = conn.execute(reflorm::select<Person>().where(c<&Person::name> == strings[i])).all();
        BOOST_TEST_REQUIRE(found.size() == 1u, "hostile string #" << i);
        BOOST_TEST(found[0].id == id);
        BOOST_TEST((found[0].note == std::optional<std::string>(strings[i] + "!")));
    }
    check_tables_intact(raw, static_cast<long long>(strings.size()));
}

BOOST_AUTO_TEST_CASE(insert_all_in_one_multi_row_statement) {
    file_database db;
    auto conn = db.engine.connect();
    auto raw = db.raw();
    const auto strings = hostile_strings();
    std::vector<Person> rows;
    for (std::size_t i = 0; i < strings.size(); ++i)
        rows.push_back(Person{static_cast<std::int64_t>(i + 1), strings[i], 0, strings[strings.size() - 1 - i]});
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(rows)).rowcount() == static_cast<std::int64_t>(strings.size()));
    for (std::size_t i = 0; i < strings.size(); ++i) {
        check_stored(raw, "name", static_cast<std::int64_t>(i + 1), strings[i], i);
        check_stored(raw, "note", static_cast<std::int64_t>(i + 1), strings[strings.size() - 1 - i], i);
        check_read_back(conn, static_cast<std::int64_t>(i + 1), strings[i], strings[strings.size() - 1 - i], i);
    }
    check_tables_intact(raw, static_cast<long long>(strings.size()));
}

BOOST_AUTO_TEST_CASE(upsert_both_forms) {
    file_database db;
    auto conn = db.engine.connect();
    auto raw = db.raw();
    const auto strings = hostile_strings();
    std::vector<Person> rows;
    for (std::size_t i = 0; i < strings.size(); ++i) rows.push_back(Person{0, strings[i], 1, std::string("old")});
    conn.execute(reflorm::insert<Person>().values(rows));
    // DO NOTHING: the same names again change nothing.
    for (auto& row : rows) row.note = "ignored";
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(rows).on_conflict_do_nothing(c<&Person::name>)).rowcount() == 0);
    // DO UPDATE: each row's note becomes its own name (a hostile string), matched by the hostile name.
    for (auto& row : rows) row.note = row.name;
    BOOST_TEST(conn.execute(reflorm::insert<Person>().values(rows).on_conflict_do_update(c<&Person::name>).set_excluded(c<&Person::note>)).rowcount() ==
               static_cast<std::int64_t>(strings.size()) * (kind() == backend::mysql ? 2 : 1));  // MySQL: 2 per updated row
    for (std::size_t i = 0; i < strings.size(); ++i) {
        check_stored(raw, "name", static_cast<std::int64_t>(i + 1), strings[i], i);
        check_stored(raw, "note", static_cast<std::int64_t>(i + 1), strings[i], i);
    }
    check_tables_intact(raw, static_cast<long long>(strings.size()));
}

BOOST_AUTO_TEST_CASE(update_set_and_where) {
    file_database db;
    auto conn = db.engine.connect();
    auto raw = db.raw();
    const auto strings = hostile_strings();
    std::vector<Person> rows;
    for (std::size_t i = 0; i < strings.size(); ++i) rows.push_back(Person{0, "plain" + std::to_string(i), 1, std::nullopt});
    conn.execute(reflorm::insert<Person>().values(rows));
    for (std::size_t i = 0; i < strings.size(); ++i) {
        // SET by a plain WHERE, then find the row by the hostile value in WHERE and SET again.
        BOOST_TEST(conn.execute(reflorm::update<Person>().set(c<&Person::name> = strings[i]).where(c<&Person::name> == "plain" + std::to_string(i))).rowcount() == 1);
        BOOST_TEST(conn.execute(reflorm::update<Person>().set(c<&Person::note> = strings[i] + "?").where(c<&Person::name> == strings[i])).rowcount() == 1,
                   "hostile string #" << i);
        check_stored(raw, "name", static_cast<std::int64_t>(i + 1), strings[i], i);
        check_stored(raw, "note", static_cast<std::int64_t>(i + 1), strings[i] + "?", i);
        check_read_back(conn, static_cast<std::int64_t>(i + 1), strings[i], strings[i] + "?", i);
    }
    check_tables_intact(raw, static_cast<long long>(strings.size()));
}

BOOST_AUTO_TEST_CASE(delete_where) {
    file_database db;
    auto conn = db.engine.connect();
    auto raw = db.raw();
    const auto strings = hostile_strings();
    std::vector<Person> rows;
    for (std::size_t i = 0; i < strings.size(); ++i) rows.push_back(Person{0, strings[i], 1, std::nullopt});
    conn.execute(reflorm::insert<Person>().values(rows));
    conn.execute(reflorm::insert<Person>().values(Person{0, "survivor", 1, std::nullopt}));
    for (std::size_t i = 0; i < strings.size(); ++i) {
        BOOST_TEST(conn.execute(reflorm::delete_<Person>().where(c<&Person::name> == strings[i])).rowcount() == 1, "hostile string #" << i);
        BOOST_TEST(raw.integer("SELECT count(*) FROM people") == static_cast<long long>(strings.size() - i));
    }
    check_tables_intact(raw, 1);
    BOOST_TEST(*raw.value("SELECT name FROM people") == "survivor");
}

BOOST_AUTO_TEST_CASE(text_binds) {
    file_database db;
    auto conn = db.engine.connect();
    auto raw = db.raw();
    const auto strings = hostile_strings();
    for (std::size_t i = 0; i < strings.size(); ++i) {
        BOOST_TEST(conn.execute(reflorm::text("INSERT INTO people (name, age, note) VALUES (:name, :age, :name)")
                                    .bind("name", strings[i])
                                    .bind("age", static_cast<int>(i))).rowcount() == 1);
        const auto back = conn.execute(reflorm::text("SELECT id, name, note, " + hex_sql("name") + " FROM people WHERE name = :name AND note = :name")
                                       .columns<std::int64_t, std::string, std::optional<std::string>, std::string>()
                                       .bind("name", strings[i])).all();
        BOOST_TEST_REQUIRE(back.size() == 1u, "hostile string #" << i);
        BOOST_TEST((std::get<1>(back[0]) == strings[i]), "hostile string #" << i << ": name read back differs");
        BOOST_TEST((std::get<2>(back[0]) == std::optional<std::string>(strings[i])), "hostile string #" << i);
        BOOST_TEST((std::get<3>(back[0]) == upper_hex(strings[i])), "hostile string #" << i << ": hex differs");
        check_stored(raw, "name", std::get<0>(back[0]), strings[i], i);
    }
    check_tables_intact(raw, static_cast<long long>(strings.size()));
}

BOOST_AUTO_TEST_CASE(strings_a_server_cannot_store_are_data_errors_and_write_nothing) {
    file_database db;
    auto conn = db.engine.connect();
    std::size_t refused = 0;
    for (const auto& s : every_hostile_string()) {
        if (storable(s, false) || s.size() > 1000) continue;  // the megabyte strings are tested below
        ++refused;
        BOOST_TEST_CONTEXT("string " << upper_hex(s)) {
            BOOST_CHECK_THROW(conn.execute(reflorm::insert<Person>().values(Person{0, "n", 1, s})), reflorm::data_error);
        }
    }
    // SQLite stores any bytes; PostgreSQL refuses NUL and invalid UTF-8, MariaDB invalid UTF-8
    // but for the encoded surrogate.
    BOOST_TEST(refused == (kind() == backend::sqlite ? 0u : kind() == backend::postgresql ? 6u : 2u));
    BOOST_TEST(db.raw().integer("SELECT count(*) FROM people") == 0);
}

BOOST_AUTO_TEST_CASE(a_megabyte_of_text_round_trips_in_an_unkeyed_column) {
    file_database db;
    auto conn = db.engine.connect();
    const auto strings = every_hostile_string();
    const std::string& big = strings.back();  // valid UTF-8 on every backend
    BOOST_TEST_REQUIRE(big.size() >= (1u << 20));
    Person p{0, "big", 1, big};
    conn.insert(p);
    auto raw = db.raw();
    check_stored(raw, "note", p.id, big, strings.size() - 1);
    check_read_back(conn, p.id, "big", big, strings.size() - 1);
}

BOOST_AUTO_TEST_SUITE_END()
