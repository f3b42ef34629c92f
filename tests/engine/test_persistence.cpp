// Engine-level persistence on a fresh database of every backend (SQLite files and in-memory
// databases, PostgreSQL, MariaDB): DDL, insert, bulk insert, select, get, errors. Ground truth
// comes from the backend's own client (reflorm_test::raw_client), not from reflorm. Tests of what
// is SQLite's alone (URL forms, PRAGMAs, typeof()) run on SQLite only.
#define BOOST_TEST_MODULE engine_persistence
#include <boost/test/unit_test.hpp>

#include "models.hpp"
#include "raw_sqlite.hpp"
#include "support/backend.hpp"

#include <algorithm>
#include <unistd.h>

using namespace engine_test;
using reflorm::c;
namespace fs = std::filesystem;

namespace {

using reflorm_test::backend;
using reflorm_test::raw_client;
using reflorm_test::with_qmarks;

backend kind() { return reflorm_test::current_backend(); }

// An engine on a fresh database of the backend under test, with the test models created, and
// the backend's own client on the same database.
struct file_database {
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    file_database() { reflorm::create_all<Author, Book, Sample, Membership, Account, Ticket>(engine); }
    raw_client raw() const { return db.raw(); }
};

using rows_t = std::vector<std::vector<std::optional<std::string>>>;

/// The schema of the test database in the backend's SQL: PostgreSQL's current schema, MariaDB's
/// current database.
std::string schema() { return kind() == backend::postgresql ? "current_schema()" : "database()"; }

/// The names of the tables in the test database, sorted.
std::vector<std::string> table_names(raw_client& raw) {
    const auto rows = kind() == backend::sqlite
                          ? raw.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                          : raw.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema() +
                                     " ORDER BY table_name");
    std::vector<std::string> names;
    for (const auto& row : rows) names.push_back(*row[0]);
    return names;
}

/// How many indexes named `name` the test database has.
long long index_count(raw_client& raw, const std::string& name) {
    switch (kind()) {
    case backend::sqlite: return raw.integer("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '" + name + "'");
    case backend::postgresql:
        return raw.integer("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = '" + name + "'");
    case backend::mysql: break;
    }
    return raw.integer("SELECT count(DISTINCT index_name) FROM information_schema.statistics WHERE table_schema = database() "
                       "AND index_name = '" + name + "'");
}

/// 1 when the column `table`.`column` is NOT NULL, else 0.
long long not_null(raw_client& raw, const std::string& table, const std::string& column) {
    if (kind() == backend::sqlite)
        return raw.integer("SELECT \"notnull\" FROM pragma_table_info('" + table + "') WHERE name = '" + column + "'");
    return *raw.value("SELECT is_nullable FROM information_schema.columns WHERE table_schema = " + schema() + " AND table_name = '" +
                      table + "' AND column_name = '" + column + "'") == "NO";
}

/// The primary key columns of `table`, in key order.
std::vector<std::string> primary_key_columns(raw_client& raw, const std::string& table) {
    rows_t rows;
    switch (kind()) {
    case backend::sqlite: rows = raw.rows("SELECT name FROM pragma_table_info('" + table + "') WHERE pk > 0 ORDER BY pk"); break;
    case backend::postgresql:
        rows = raw.rows("SELECT k.column_name FROM information_schema.table_constraints t JOIN information_schema.key_column_usage k "
                        "ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name "
                        "WHERE t.table_schema = current_schema() AND t.table_name = '" + table +
                        "' AND t.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position");
        break;
    case backend::mysql:
        rows = raw.rows("SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = database() AND table_name = '" +
                        table + "' AND constraint_name = 'PRIMARY' ORDER BY ordinal_position");
        break;
    }
    std::vector<std::string> names;
    for (const auto& row : rows) names.push_back(*row[0]);
    return names;
}

/// The database's message for a second author named `name` (authors.name is UNIQUE).
std::string unique_violation_message(const std::string& name) {
    switch (kind()) {
    case backend::postgresql:
        return "duplicate key value violates unique constraint \"uq_authors_name\"\nDETAIL:  Key (name)=(" + name + ") already exists.";
    case backend::mysql: return "Duplicate entry '" + name + "' for key 'uq_authors_name'";
    case backend::sqlite: break;
    }
    return "UNIQUE constraint failed: authors.name";
}

template <class Exception>
bool message_contains(const Exception& e, std::string_view text) {
    return std::string_view(e.what()).find(text) != std::string_view::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(urls_and_engines)

BOOST_AUTO_TEST_CASE(relative_absolute_and_memory_urls_open_the_right_database,
                     *reflorm_test::only_on_sqlite("sqlite:/// URL forms: relative and absolute files, in-memory databases")) {
    temp_dir dir;
    const fs::path previous = fs::current_path();
    fs::current_path(dir.path);
    {
        auto relative = reflorm::create_engine("sqlite:///relative.db");
        reflorm::create_all<Author>(relative);
    }
    fs::current_path(previous);
    BOOST_TEST(fs::exists(dir.path / "relative.db"));

    const fs::path absolute = dir.path / "sub dir" / "absolute.db";
    fs::create_directories(absolute.parent_path());
    auto engine = reflorm::create_engine("sqlite:///" + absolute.string());  // sqlite:////abs/...
    BOOST_TEST(engine.url().database == absolute.string());
    reflorm::create_all<Author>(engine);
    BOOST_TEST(fs::exists(absolute));

    auto memory = reflorm::create_engine("sqlite://");
    BOOST_TEST(memory.url().in_memory());
    reflorm::create_all<Author>(memory);
    Author a{0, "ann", std::nullopt};
    memory.connect().insert(a);
    // One in-memory database per engine, shared by its connections.
    BOOST_TEST(memory.connect().count(reflorm::select<Author>()) == 1);
    BOOST_TEST(reflorm::create_engine("sqlite://").url().in_memory());
}

BOOST_AUTO_TEST_CASE(bad_urls_are_rejected_with_the_url_quoted) {
    BOOST_CHECK_EXCEPTION(reflorm::create_engine("sqlit:///x.db"), reflorm::url_error, [](const auto& e) {
        return message_contains(e, "'sqlit:///x.db'") && message_contains(e, "unknown backend 'sqlit'");
    });
    BOOST_CHECK_EXCEPTION(reflorm::create_engine("app.db"), reflorm::url_error,
                          [](const auto& e) { return message_contains(e, "'app.db'"); });
    // A server URL: refused when reflorm was built without that driver, else connecting fails
    // (nothing listens on port 1 of the loopback); either way the error quotes the URL.
    BOOST_CHECK_EXCEPTION(reflorm::create_engine("postgresql://u:secret@127.0.0.1:1/db").connect(), reflorm::error, [](const auto& e) {
        return message_contains(e, "postgresql://u:***@127.0.0.1:1/db") && !message_contains(e, "secret");
    });
}

BOOST_AUTO_TEST_CASE(sqlite_settings_in_the_url_query_apply_to_every_connection,
                     *reflorm_test::only_on_sqlite("SQLite's URL settings and PRAGMAs")) {
    temp_dir dir;
    const std::string path = (dir.path / "tuned.db").string();
    auto engine = reflorm::create_engine("sqlite:///" + path + "?journal_mode=WAL&cache_size=-8192&busy_timeout=250");
    BOOST_TEST(engine.url().database == path);
    const auto pragma = [](reflorm::connection& c, const std::string& name) {
        std::string value;
        c.query(
            "PRAGMA " + name, [](reflorm::driver::cursor&) {},
            [&](reflorm::driver::cursor& cursor) { reflorm::codec::read_value(cursor, 0, value, "pragma"); }, [] { return std::vector<std::string>{}; });
        return value;
    };
    auto first = engine.connect();
    auto second = engine.connect();  // a second pooled connection gets them too
    for (auto* c : {&first, &second}) {
        BOOST_TEST(pragma(*c, "journal_mode") == "wal");
        BOOST_TEST(pragma(*c, "cache_size") == "-8192");
        BOOST_TEST(pragma(*c, "busy_timeout") == "250");
        BOOST_TEST(pragma(*c, "foreign_keys") == "1");  // still enforced
    }
}

BOOST_AUTO_TEST_CASE(a_bad_sqlite_setting_is_a_url_error_at_create_engine,
                     *reflorm_test::only_on_sqlite("SQLite's URL settings")) {
    BOOST_CHECK_EXCEPTION(reflorm::create_engine("sqlite:///x.db?cache_size=1;DROP TABLE t"), reflorm::url_error,
                          [](const auto& e) { return message_contains(e, "cache_size takes an integer"); });
    BOOST_CHECK_EXCEPTION(reflorm::create_engine("sqlite://?journal_mode=fast"), reflorm::url_error,
                          [](const auto& e) { return message_contains(e, "journal_mode takes delete, truncate"); });
    BOOST_CHECK_EXCEPTION(reflorm::create_engine("sqlite://?page_size=4096"), reflorm::url_error, [](const auto& e) {
        return message_contains(e, "unknown SQLite setting 'page_size'") && message_contains(e, "sqlite://?page_size=4096");
    });
}

BOOST_AUTO_TEST_CASE(an_unopenable_file_is_an_operational_error, *reflorm_test::only_on_sqlite("a database file path")) {
    auto engine = reflorm::create_engine("sqlite:////nonexistent-dir-reflorm/x.db");
    BOOST_CHECK_THROW(engine.connect(), reflorm::operational_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ddl)

BOOST_AUTO_TEST_CASE(create_all_creates_tables_indexes_and_constraints_idempotently) {
    file_database db;
    reflorm::create_all<Author, Book, Sample, Membership, Account, Ticket>(db.engine);  // a second time: no error
    auto raw = db.raw();
    BOOST_TEST(table_names(raw) == (std::vector<std::string>{"accounts", "authors", "books", "memberships", "samples", "tickets"}),
               boost::test_tools::per_element());
    BOOST_TEST(index_count(raw, "ix_books_author_id") == 1);
    BOOST_TEST(index_count(raw, "ix_books_title_pages") == 1);
    switch (kind()) {
    case backend::sqlite:
        BOOST_TEST(raw.integer("SELECT count(*) FROM pragma_foreign_key_list('books') WHERE \"table\" = 'authors'") == 1);
        BOOST_TEST(raw.integer("SELECT count(*) FROM pragma_index_list('authors') WHERE \"unique\" = 1") == 1);
        BOOST_TEST(*raw.value("SELECT type FROM pragma_table_info('authors') WHERE name = 'name'") == "VARCHAR(40)");
        break;
    case backend::postgresql:
        BOOST_TEST(raw.integer("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'books'::regclass "
                               "AND confrelid = 'authors'::regclass") == 1);
        BOOST_TEST(raw.integer("SELECT count(*) FROM pg_constraint WHERE contype = 'u' AND conrelid = 'authors'::regclass") == 1);
        BOOST_TEST(*raw.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'authors'::regclass "
                              "AND attname = 'name'") == "character varying(40)");
        break;
    case backend::mysql:
        BOOST_TEST(raw.integer("SELECT count(*) FROM information_schema.referential_constraints WHERE constraint_schema = database() "
                               "AND table_name = 'books' AND referenced_table_name = 'authors'") == 1);
        BOOST_TEST(raw.integer("SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = database() "
                               "AND table_name = 'authors' AND constraint_type = 'UNIQUE'") == 1);
        BOOST_TEST(*raw.value("SELECT column_type FROM information_schema.columns WHERE table_schema = database() "
                              "AND table_name = 'authors' AND column_name = 'name'") == "varchar(40)");
        break;
    }
    BOOST_TEST(not_null(raw, "authors", "name") == 1);
    BOOST_TEST(not_null(raw, "authors", "email") == 0);
    BOOST_TEST(not_null(raw, "tickets", "code") == 1);
    BOOST_TEST(primary_key_columns(raw, "memberships") == (std::vector<std::string>{"group_name", "member_number"}),
               boost::test_tools::per_element());
    // The private-member model maps `id_` to column "id".
    BOOST_TEST(primary_key_columns(raw, "accounts") == std::vector<std::string>{"id"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(drop_all_drops_in_foreign_key_order_and_is_idempotent) {
    file_database db;
    Author a{0, "ann", std::nullopt};
    auto conn = db.engine.connect();
    conn.insert(a);
    Book b{0, "one", a.id, 10};
    conn.insert(b);
    reflorm::drop_all<Book, Author>(conn);  // children first, or the foreign key would object
    reflorm::drop_all<Book, Author>(conn);
    auto raw = db.raw();
    BOOST_TEST(table_names(raw) == (std::vector<std::string>{"accounts", "memberships", "samples", "tickets"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(insert_and_select)

BOOST_AUTO_TEST_CASE(insert_writes_the_generated_key_back) {
    file_database db;
    auto conn = db.engine.connect();
    Author ann{0, "ann", "ann@example.org"};
    Author bob{0, "bob", std::nullopt};
    conn.insert(ann);
    conn.insert(bob);
    BOOST_TEST(ann.id == 1);
    BOOST_TEST(bob.id == 2);
    Author explicit_key{40, "cy", std::nullopt};
    conn.insert(explicit_key);
    BOOST_TEST(explicit_key.id == 40);
    auto raw = db.raw();
    BOOST_TEST(raw.rows("SELECT id, name, email FROM authors ORDER BY id") ==
               (std::vector<std::vector<std::optional<std::string>>>{
                   {"1", "ann", "ann@example.org"}, {"2", "bob", std::nullopt}, {"40", "cy", std::nullopt}}));
}

BOOST_AUTO_TEST_CASE(insert_all_is_one_prepared_executemany_in_one_transaction) {
    file_database db;
    std::vector<Author> authors;
    for (int i = 0; i < 1000; ++i) authors.push_back(Author{0, "author " + std::to_string(i), std::nullopt});
    reflorm::statement_counter counter{db.engine};
    db.engine.connect().insert_all(authors);
    BOOST_TEST(counter.count() == 1);
    BOOST_TEST(with_qmarks(counter.statements()[0]) == reflorm_test::generated_key_insert("authors", {"name", "email"}));
    for (int i = 0; i < 1000; ++i) BOOST_TEST_REQUIRE(authors[static_cast<std::size_t>(i)].id == i + 1);
    auto raw = db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 1000);
    BOOST_TEST(*raw.value("SELECT name FROM authors WHERE id = 500") == "author 499");
}

BOOST_AUTO_TEST_CASE(a_failing_bulk_insert_writes_nothing_and_restores_keys) {
    file_database db;
    auto conn = db.engine.connect();
    Author existing{0, "taken", std::nullopt};
    conn.insert(existing);
    std::vector<Author> batch{{0, "a", std::nullopt}, {0, "b", std::nullopt}, {0, "taken", std::nullopt}, {0, "d", std::nullopt}};
    // SQLite binds the generated key NULL; the servers leave it out.
    const auto parameters = kind() == backend::sqlite ? std::vector<std::string>{"NULL", "'taken'", "NULL"}
                                                      : std::vector<std::string>{"'taken'", "NULL"};
    BOOST_CHECK_EXCEPTION(conn.insert_all(batch), reflorm::integrity_error, ([&](const reflorm::integrity_error& e) {
        return e.constraint() == reflorm::integrity_error::kind::unique && message_contains(e, "row 3 of 4") &&
               with_qmarks(e.sql()) == reflorm_test::generated_key_insert("authors", {"name", "email"}) &&
               e.parameters() == parameters && message_contains(e, unique_violation_message("taken"));
    }));
    BOOST_TEST(!conn.in_transaction());
    for (const auto& a : batch) BOOST_TEST(a.id == 0);
    auto raw = db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 1);
    // The connection is usable afterwards.
    batch[2].name = "c";
    conn.insert_all(batch);
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 5);
}

BOOST_AUTO_TEST_CASE(a_failing_bulk_insert_inside_a_transaction_rolls_back_only_itself) {
    file_database db;
    auto conn = db.engine.connect();
    auto tx = conn.begin();
    Author kept{0, "kept", std::nullopt};
    conn.insert(kept);
    std::vector<Book> books{{0, "fine", kept.id, 1}, {0, "orphan", 999, 2}};
    BOOST_CHECK_THROW(conn.insert_all(books), reflorm::integrity_error);
    BOOST_TEST(conn.in_transaction());
    tx.commit();
    auto raw = db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 1);
    BOOST_TEST(raw.integer("SELECT count(*) FROM books") == 0);
}

BOOST_AUTO_TEST_CASE(a_transaction_rolls_back_unless_committed) {
    file_database db;
    auto conn = db.engine.connect();
    {
        auto tx = conn.begin();
        Author a{0, "gone", std::nullopt};
        conn.insert(a);
        BOOST_CHECK_THROW(conn.begin(), reflorm::invalid_request_error);
    }
    BOOST_TEST(!conn.in_transaction());
    BOOST_TEST(conn.count(reflorm::select<Author>()) == 0);
    {
        auto tx = conn.begin();
        Author a{0, "stays", std::nullopt};
        conn.insert(a);
        tx.commit();
        BOOST_CHECK_THROW(tx.commit(), reflorm::invalid_request_error);
    }
    BOOST_TEST(conn.count(reflorm::select<Author>()) == 1);
}

BOOST_AUTO_TEST_CASE(select_where_order_limit_offset_and_count) {
    file_database db;
    auto conn = db.engine.connect();
    std::vector<Author> authors;
    for (int i = 1; i <= 20; ++i)
        authors.push_back(Author{0, "a" + std::to_string(i), i % 2 ? std::optional<std::string>("x") : std::nullopt});
    conn.insert_all(authors);

    const auto query = reflorm::select<Author>().where(c<&Author::id> > 5 && c<&Author::email>.is_not_null());
    const auto rows = conn.execute(query.order_by(c<&Author::id>.desc()).limit(3).offset(1)).all();
    std::vector<std::int64_t> ids;
    for (const auto& a : rows) ids.push_back(a.id);
    BOOST_TEST(ids == (std::vector<std::int64_t>{17, 15, 13}), boost::test_tools::per_element());
    BOOST_TEST(conn.count(query) == 7);  // 7, 9, ..., 19
    BOOST_TEST(conn.count(query.limit(3)) == 3);
    BOOST_TEST(conn.count(reflorm::select<Author>().where(c<&Author::email>.is_null() || c<&Author::id> == 1)) == 11);
    BOOST_TEST(conn.execute(reflorm::select<Author>().where(c<&Author::name> == "nobody")).all().empty());

    BOOST_TEST(conn.execute(reflorm::select<Author>().order_by(c<&Author::name>)).first()->name == "a1");
    BOOST_TEST(!conn.execute(reflorm::select<Author>().where(c<&Author::id> < 0)).first().has_value());
    BOOST_TEST(conn.execute(reflorm::select<Author>().where(c<&Author::name> == "a7")).one().id == 7);
    BOOST_CHECK_THROW(conn.execute(reflorm::select<Author>().where(c<&Author::id> < 0)).one(), reflorm::no_result_found);
    BOOST_CHECK_THROW(conn.execute(reflorm::select<Author>()).one(), reflorm::multiple_results_found);

    // Cross-check one query against hand-written SQL.
    auto raw = db.raw();
    BOOST_TEST(conn.count(reflorm::select<Author>().where(c<&Author::id> >= 4 && c<&Author::id> <= 9)) ==
               raw.integer("SELECT count(*) FROM authors WHERE id BETWEEN 4 AND 9"));
}

BOOST_AUTO_TEST_CASE(get_by_single_and_composite_primary_key) {
    file_database db;
    auto conn = db.engine.connect();
    Author a{0, "ann", std::nullopt};
    conn.insert(a);
    std::vector<Membership> memberships{{"chess", 1, "captain"}, {"chess", 2, "player"}, {"go", 1, "player"}};
    conn.insert_all(memberships);

    BOOST_TEST(conn.get<Author>(a.id)->name == "ann");
    BOOST_TEST(!conn.get<Author>(99).has_value());
    BOOST_TEST(conn.get<Membership>("chess", 2)->role == "player");
    BOOST_TEST(conn.get<Membership>(std::string("go"), 1)->role == "player");
    BOOST_TEST(!conn.get<Membership>("go", 2).has_value());
}

BOOST_AUTO_TEST_CASE(a_described_class_with_private_members_persists) {
    file_database db;
    auto conn = db.engine.connect();
    Account account{0, "ann", 12.5};
    conn.insert(account);
    BOOST_TEST(account.id() == 1);
    const auto loaded = conn.get<Account>(1);
    BOOST_TEST_REQUIRE(loaded.has_value());
    BOOST_TEST(loaded->owner() == "ann");
    BOOST_TEST(loaded->balance() == 12.5);
    auto raw = db.raw();
    BOOST_TEST(*raw.value("SELECT owner FROM accounts WHERE id = 1") == "ann");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(types)

BOOST_AUTO_TEST_CASE(every_supported_type_round_trips_and_is_stored_as_documented) {
    file_database db;
    auto conn = db.engine.connect();
    using namespace std::chrono;
    Sample s{};
    s.flag = true;
    s.i8 = -128;
    s.i16 = -32768;
    s.i32 = -2147483647 - 1;
    s.i64 = std::numeric_limits<std::int64_t>::min();
    s.u8 = 255;
    s.u16 = 65535;
    s.u32 = 4294967295u;
    s.u64 = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    s.f32 = 1.5f;
    s.f64 = 0.1;
    s.text = std::string("quote ' semicolon ; comment -- nul \0 end", 39);
    s.maybe_text = std::nullopt;
    s.day = year{2024} / February / 29;
    s.at = sys_days{year{1999} / December / 31} + hours{23} + minutes{59} + seconds{58};
    s.at_us = sys_days{year{2000} / January / 1} + microseconds{250};
    s.bytes = {std::byte{0}, std::byte{0xff}, std::byte{0x27}, std::byte{0}};
    s.paint = colour::blue;
    s.urgency = priority::high;
    s.maybe_number = 2.25;
    if (kind() == backend::postgresql) {
        // PostgreSQL's text holds no NUL: the driver refuses it before sending (docs/backends.md).
        BOOST_CHECK_THROW(conn.insert(s), reflorm::data_error);
        BOOST_TEST(conn.count(reflorm::select<Sample>()) == 0);
        s.text[s.text.find('\0')] = '\x01';
    }
    conn.insert(s);

    const auto loaded = conn.get<Sample>(s.id);
    BOOST_TEST_REQUIRE(loaded.has_value());
    BOOST_TEST(loaded->flag == s.flag);
    BOOST_TEST(loaded->i8 == s.i8);
    BOOST_TEST(loaded->i16 == s.i16);
    BOOST_TEST(loaded->i32 == s.i32);
    BOOST_TEST(loaded->i64 == s.i64);
    BOOST_TEST(loaded->u8 == s.u8);
    BOOST_TEST(loaded->u16 == s.u16);
    BOOST_TEST(loaded->u32 == s.u32);
    BOOST_TEST(loaded->u64 == s.u64);
    BOOST_TEST(loaded->f32 == s.f32);
    BOOST_TEST(loaded->f64 == s.f64);
    BOOST_TEST(loaded->text == s.text);
    BOOST_TEST(loaded->text.size() == 39u);
    BOOST_TEST(!loaded->maybe_text.has_value());
    BOOST_TEST((loaded->day == s.day));
    BOOST_TEST((loaded->at == s.at));
    BOOST_TEST((loaded->at_us == s.at_us));
    BOOST_TEST((loaded->bytes == s.bytes));
    BOOST_TEST((loaded->paint == colour::blue));
    BOOST_TEST((loaded->urgency == priority::high));
    BOOST_TEST((loaded->maybe_number == 2.25));

    auto raw = db.raw();
    std::string sql;
    switch (kind()) {
    case backend::sqlite: sql = "SELECT flag, day, at, at_us, paint, urgency, typeof(bytes), hex(bytes), maybe_text FROM samples"; break;
    case backend::postgresql:
        sql = "SELECT flag, day, at, at_us, paint, urgency, pg_typeof(bytes)::text, upper(encode(bytes, 'hex')), maybe_text FROM samples";
        break;
    case backend::mysql:
        sql = "SELECT flag, day, at, at_us, paint, urgency, (SELECT data_type FROM information_schema.columns WHERE table_schema = "
              "database() AND table_name = 'samples' AND column_name = 'bytes'), hex(bytes), maybe_text FROM samples";
        break;
    }
    const auto row = raw.rows(sql)[0];
    BOOST_TEST(*row[0] == (kind() == backend::postgresql ? "t" : "1"));  // BOOLEAN on PostgreSQL
    BOOST_TEST(*row[1] == "2024-02-29");
    BOOST_TEST(*row[2] == "1999-12-31 23:59:58");
    // PostgreSQL prints a timestamp's fraction without its trailing zeros.
    BOOST_TEST(*row[3] == (kind() == backend::postgresql ? "2000-01-01 00:00:00.00025" : "2000-01-01 00:00:00.000250"));
    BOOST_TEST(*row[4] == "blue");  // a described enum is stored by name
    BOOST_TEST(*row[5] == "9");     // any other enum by value
    BOOST_TEST(*row[6] == (kind() == backend::sqlite ? "blob" : kind() == backend::postgresql ? "bytea" : "longblob"));
    BOOST_TEST(*row[7] == "00FF2700");
    BOOST_TEST(!row[8].has_value());
}

BOOST_AUTO_TEST_CASE(unstorable_and_unreadable_values_are_data_errors) {
    file_database db;
    auto conn = db.engine.connect();
    Sample s{};
    s.day = std::chrono::year{2024} / 1 / 1;
    s.u64 = std::numeric_limits<std::uint64_t>::max();
    auto raw = db.raw();
    if (kind() == backend::sqlite) {  // SQLite integers are signed 64-bit
        BOOST_CHECK_EXCEPTION(conn.insert(s), reflorm::data_error, [](const reflorm::data_error& e) {
            return message_contains(e, "18446744073709551615") && message_contains(e, "INSERT INTO samples");
        });
        BOOST_TEST(conn.count(reflorm::select<Sample>()) == 0);
    } else {  // NUMERIC(20) on PostgreSQL, BIGINT UNSIGNED on MariaDB: both hold it
        conn.insert(s);
        BOOST_TEST(*raw.value("SELECT u64 FROM samples") == "18446744073709551615");
        BOOST_TEST(conn.get<Sample>(s.id)->u64 == std::numeric_limits<std::uint64_t>::max());
        raw.execute("DELETE FROM samples");
    }

    s.u64 = 0;
    s.paint = static_cast<colour>(42);  // not an enumerator: no name to store
    BOOST_CHECK_THROW(conn.insert(s), reflorm::data_error);

    s.paint = colour::red;
    conn.insert(s);
    // The servers' own types refuse the values below (MariaDB's TINYINT; the enum's VARCHAR(5)
    // and DATE on both): widen those columns by hand, as a database made outside reflorm might have them.
    // Then read on a new connection: PostgreSQL refuses to run a statement prepared before the
    // ALTER whose result type changed ("cached plan must not change result type").
    if (kind() == backend::mysql)
        raw.execute("ALTER TABLE samples MODIFY i8 SMALLINT NOT NULL, MODIFY paint VARCHAR(10) NOT NULL, MODIFY day VARCHAR(10) NOT NULL");
    if (kind() == backend::postgresql) raw.execute("ALTER TABLE samples ALTER COLUMN paint TYPE TEXT, ALTER COLUMN day TYPE TEXT");
    auto fresh = db.engine.connect();
    raw.rows("UPDATE samples SET i8 = 1000");
    BOOST_CHECK_EXCEPTION(fresh.get<Sample>(s.id), reflorm::data_error,
                          [](const auto& e) { return message_contains(e, "1000") && message_contains(e, "i8"); });
    raw.rows("UPDATE samples SET i8 = 0, paint = 'purple'");
    BOOST_CHECK_EXCEPTION(fresh.get<Sample>(s.id), reflorm::data_error,
                          [](const auto& e) { return message_contains(e, "'purple'"); });
    raw.rows("UPDATE samples SET paint = 'red', day = '2024-13-01'");
    BOOST_CHECK_EXCEPTION(fresh.get<Sample>(s.id), reflorm::data_error,
                          [](const auto& e) { return message_contains(e, "'2024-13-01'"); });
}

BOOST_AUTO_TEST_CASE(a_null_read_into_a_non_optional_member_is_a_data_error) {
    reflorm_test::database db;
    {
        // A table made by hand, looser than the model: NULL is allowed where the model has none.
        auto raw = db.raw();
        raw.execute("CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT, email TEXT)");
        raw.execute("INSERT INTO authors VALUES (1, NULL, NULL)");
    }
    auto engine = reflorm::create_engine(db.url());
    BOOST_CHECK_EXCEPTION(engine.connect().get<Author>(1), reflorm::data_error, [](const auto& e) {
        return message_contains(e, "column name is NULL") && message_contains(e, "std::optional");
    });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(constraint_violations_are_typed_integrity_errors_with_sql_and_values) {
    file_database db;
    auto conn = db.engine.connect();
    Author a{0, "ann", std::nullopt};
    conn.insert(a);

    Author duplicate_key{a.id, "other", std::nullopt};
    BOOST_CHECK_EXCEPTION(conn.insert(duplicate_key), reflorm::integrity_error, ([](const reflorm::integrity_error& e) {
        return (e.constraint() == reflorm::integrity_error::kind::primary_key ||
                e.constraint() == reflorm::integrity_error::kind::unique) &&
               e.parameters() == std::vector<std::string>{"1", "'other'", "NULL"};
    }));
    Author duplicate_name{0, "ann", std::nullopt};
    BOOST_CHECK_EXCEPTION(conn.insert(duplicate_name), reflorm::integrity_error, [](const reflorm::integrity_error& e) {
        return e.constraint() == reflorm::integrity_error::kind::unique && e.database_message() == unique_violation_message("ann");
    });
    Book orphan{0, "orphan", 999, std::nullopt};
    BOOST_CHECK_EXCEPTION(conn.insert(orphan), reflorm::integrity_error, [](const reflorm::integrity_error& e) {
        return e.constraint() == reflorm::integrity_error::kind::foreign_key && message_contains(e, "[SQL: INSERT INTO books");
    });
    Ticket ticket{0, std::nullopt};
    const std::string not_null_message = kind() == backend::sqlite       ? "NOT NULL constraint failed: tickets.code"
                                         : kind() == backend::postgresql ? "null value in column \"code\" of relation \"tickets\""
                                                                          : "Column 'code' cannot be null";
    BOOST_CHECK_EXCEPTION(conn.insert(ticket), reflorm::integrity_error, [&](const reflorm::integrity_error& e) {
        return e.constraint() == reflorm::integrity_error::kind::not_null && message_contains(e, not_null_message);
    });
    auto raw = db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 1);
    BOOST_TEST(raw.integer("SELECT count(*) FROM books") == 0);
    BOOST_TEST(raw.integer("SELECT count(*) FROM tickets") == 0);
}

BOOST_AUTO_TEST_CASE(a_second_statement_in_one_text_is_refused_not_ignored) {
    file_database db;
    auto conn = db.engine.connect();
    Author a{0, "kept", std::nullopt};
    conn.insert(a);
    // SQLite would run the first statement alone: reflorm refuses the text. The servers refuse
    // it themselves: PostgreSQL prepares one command only, MariaDB's prepared statements too.
    const std::string message = kind() == backend::sqlite       ? "more than one statement"
                                : kind() == backend::postgresql ? "cannot insert multiple commands into a prepared statement"
                                                                : "right syntax to use near 'DELETE FROM authors'";
    BOOST_CHECK_EXCEPTION(conn.execute(reflorm::text("INSERT INTO authors (name) VALUES (:name); DELETE FROM authors").bind("name", "x")),
                          reflorm::programming_error, [&](const auto& e) { return message_contains(e, message); });
    // Trailing semicolons and comments are not statements.
    BOOST_TEST(conn.execute(reflorm::text("INSERT INTO authors (name) VALUES (:name); -- done\n").bind("name", "y")).rowcount() == 1);
    auto raw = db.raw();
    BOOST_TEST(raw.integer("SELECT count(*) FROM authors") == 2);
}

BOOST_AUTO_TEST_CASE(a_query_on_a_missing_table_is_a_programming_error) {
    reflorm_test::database db;  // empty
    auto engine = reflorm::create_engine(db.url());
    auto conn = engine.connect();
    const std::string message = kind() == backend::sqlite       ? "no such table: authors"
                                : kind() == backend::postgresql ? "relation \"authors\" does not exist"
                                                                : "Table '" + db.name() + ".authors' doesn't exist";
    BOOST_CHECK_EXCEPTION(conn.execute(reflorm::select<Author>().where(c<&Author::name> == "x")).all(), reflorm::programming_error,
                          [&](const reflorm::programming_error& e) { return message_contains(e, message); });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(execution)

BOOST_AUTO_TEST_CASE(statement_text_is_rendered_once_per_shape_and_reused) {
    reflorm_test::database db;
    auto engine = reflorm::create_engine(db.url());
    reflorm::create_all<Author>(engine);
    auto conn = engine.connect();
    std::vector<Author> authors{{0, "a", std::nullopt}, {0, "b", std::nullopt}, {0, "c", std::nullopt}};
    conn.insert_all(authors);

    const auto by_name = [&](const std::string& name) {
        return conn.execute(reflorm::select<Author>().where(c<&Author::name> == name).limit(1)).all();
    };
    by_name("a");
    const auto rendered = reflorm::sql::render_count().load();
    reflorm::statement_counter counter{engine};
    BOOST_TEST(by_name("b").at(0).id == 2);
    BOOST_TEST(by_name("c").at(0).id == 3);
    BOOST_TEST(by_name("zz").empty());
    BOOST_TEST(reflorm::sql::render_count().load() == rendered);  // new values, no new rendering
    BOOST_TEST(counter.count() == 3);
    BOOST_TEST(with_qmarks(counter.statements()[2]) ==
               "SELECT authors.id, authors.name, authors.email FROM authors WHERE authors.name = ? LIMIT ?");
}

BOOST_AUTO_TEST_CASE(listeners_see_each_statement_and_can_be_removed) {
    reflorm_test::database db;
    auto engine = reflorm::create_engine(db.url());
    reflorm::create_all<Author>(engine);
    std::vector<std::pair<std::string, std::size_t>> seen;
    const auto id = engine.add_listener([&](const reflorm::execute_event& e) { seen.emplace_back(e.sql, e.parameter_sets); });
    auto conn = engine.connect();
    std::vector<Author> authors{{0, "a", std::nullopt}, {0, "b", std::nullopt}};
    conn.insert_all(authors);
    conn.get<Author>(1);
    engine.remove_listener(id);
    conn.get<Author>(2);
    BOOST_TEST_REQUIRE(seen.size() == 2u);
    BOOST_TEST(seen[0].second == 2u);  // one executemany of two rows
    BOOST_TEST(with_qmarks(seen[1].first) == "SELECT authors.id, authors.name, authors.email FROM authors WHERE authors.id = ?");
}

BOOST_AUTO_TEST_CASE(a_pooled_file_connection_is_reused) {
    file_database db;
    { auto first = db.engine.connect(); }
    reflorm::statement_counter counter{db.engine};
    {
        auto second = db.engine.connect();
        Author a{0, "x", std::nullopt};
        second.insert(a);
    }
    auto third = db.engine.connect();
    BOOST_TEST(third.count(reflorm::select<Author>()) == 1);
    BOOST_TEST(counter.count() == 2);
}

BOOST_AUTO_TEST_SUITE_END()
