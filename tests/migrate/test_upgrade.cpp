// Revisions on each backend: the chain of tests/migrate/chain.hpp upgraded to head and
// downgraded to base keeps every row and value both ways; SQLite's batch mode keeps rows,
// indexes and foreign keys; the version table follows each revision; a failing revision on a
// transactional backend leaves the database at the revision before.
#define BOOST_TEST_MODULE migrate_upgrade
#include "support/backend.hpp"

#include "chain.hpp"

#include <reflorm/migrate/render.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace rm = reflorm::migrate;
using reflorm_test::backend;

namespace {

struct fixture {
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    reflorm::connection conn = engine.connect();
    rm::revision_map map = migrate_chain::chain();
    std::ostringstream log;
    rm::migration_context context{conn, map, log};

    std::int64_t count(const std::string& table) {
        std::int64_t n = -1;
        for (const auto& [v] : conn.execute(reflorm::text("SELECT count(*) FROM " + table).columns<std::int64_t>()).all()) n = v;
        return n;
    }
    const rm::table_model& table(const rm::schema_model& s, const std::string& name) {
        const auto* t = s.table(name);
        BOOST_TEST_REQUIRE(t != nullptr, "no table " << name);
        return *t;
    }
    void fill() {
        conn.exec_driver_sql("INSERT INTO country (code, name, languages) VALUES ('FRA', 'France', 'Breton,French'), "
                             "('NLD', 'Netherlands', 'Dutch,Frisian'), ('ATA', 'Antarctica', NULL)");
        conn.exec_driver_sql("INSERT INTO city (country_code, name, population) VALUES ('FRA', 'Paris', 2125246), "
                             "('FRA', 'Rennes', 206229), ('NLD', 'Amsterdam', 731200), ('NLD', 'Leeuwarden', 88887)");
    }
    // Each row as "a|b|c" (NULL: "-").
    std::vector<std::string> countries() {
        std::vector<std::string> out;
        for (const auto& [code, name, languages] : conn.execute(reflorm::text("SELECT code, name, languages FROM country ORDER BY code")
                                                                     .columns<std::string, std::string, std::optional<std::string>>())
                                                         .all())
            out.push_back(code + "|" + name + "|" + languages.value_or("-"));
        return out;
    }
    std::vector<std::string> cities() {
        std::vector<std::string> out;
        for (const auto& [code, name, population] :
             conn.execute(reflorm::text("SELECT country_code, name, population FROM city ORDER BY name").columns<std::string, std::string, std::int64_t>())
                 .all())
            out.push_back(code + "|" + name + "|" + std::to_string(population));
        return out;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(upgrade_to_head_and_downgrade_to_base_keep_the_data, fixture) {
    BOOST_TEST(context.current() == "");
    context.upgrade("a1");
    BOOST_TEST(context.current() == "a1");
    fill();
    const auto countries_before = countries();
    const auto cities_before = cities();

    context.upgrade("head");
    BOOST_TEST(context.current() == "d4");
    BOOST_TEST(log.str().find("Running upgrade c3 -> d4, languages into their own table") != std::string::npos);
    BOOST_TEST(count("country") == 3);
    BOOST_TEST(count("city") == 4);
    BOOST_TEST(count("country_language") == 4);
    // The server default filled the new NOT NULL column of the existing rows.
    BOOST_TEST(count("country WHERE continent = 'Asia'") == 3);
    BOOST_TEST(count("country_language WHERE country_code = 'NLD' AND language = 'Frisian'") == 1);
    BOOST_TEST(cities() == cities_before, boost::test_tools::per_element());

    const auto schema = rm::inspect(conn);
    const auto& city = table(schema, "city");
    BOOST_TEST((city.column("population")->type.family == rm::type_family::integer));
    BOOST_TEST(city.column("population")->type.size == 8);
    BOOST_TEST(city.column("name")->nullable);
    // MariaDB also lists the index it made for the foreign key.
    BOOST_TEST(std::count_if(city.indexes.begin(), city.indexes.end(), [](const auto& i) { return i.name == "ix_city_name"; }) == 1);
    BOOST_TEST_REQUIRE(city.foreign_keys.size() == 1u);
    BOOST_TEST(city.foreign_keys[0].referred_table == "country");
    BOOST_TEST((city.foreign_keys[0].on_delete == reflorm::referential_action::cascade));
    BOOST_TEST(table(schema, "country").column("languages") == nullptr);
    BOOST_TEST(table(schema, "country_language").foreign_keys.size() == 1u);
    // A big value now fits.
    conn.exec_driver_sql("UPDATE city SET population = 5000000000 WHERE name = 'Paris'");
    conn.exec_driver_sql("UPDATE city SET population = 2125246 WHERE name = 'Paris'");

    context.downgrade("a1");
    BOOST_TEST(context.current() == "a1");
    BOOST_TEST(countries() == countries_before, boost::test_tools::per_element());
    BOOST_TEST(cities() == cities_before, boost::test_tools::per_element());
    const auto back = rm::inspect(conn);
    const auto& city_back = table(back, "city");
    BOOST_TEST(std::none_of(city_back.indexes.begin(), city_back.indexes.end(), [](const auto& i) { return i.name == "ix_city_name"; }));
    BOOST_TEST(!table(back, "city").column("name")->nullable);
    BOOST_TEST(table(back, "country").column("continent") == nullptr);
    BOOST_TEST(back.table("country_language") == nullptr);

    context.downgrade("base");
    BOOST_TEST(context.current() == "");
    BOOST_TEST(rm::inspect(conn).tables.empty());
}

BOOST_FIXTURE_TEST_CASE(relative_targets_move_by_revisions, fixture) {
    context.upgrade("+2");
    BOOST_TEST(context.current() == "b2");
    context.upgrade("+1");
    BOOST_TEST(context.current() == "c3");
    context.downgrade("-2");
    BOOST_TEST(context.current() == "a1");
    BOOST_CHECK_THROW(context.downgrade("-2"), rm::migration_error);
    BOOST_CHECK_THROW(context.upgrade("+4"), rm::migration_error);
    BOOST_CHECK_THROW(context.downgrade("c3"), rm::migration_error);  // ahead: an upgrade
    BOOST_TEST(context.current() == "a1");
    // A count past the end of std::ptrdiff_t is refused, not added (UBSan sees an overflow).
    context.upgrade("+1");
    BOOST_CHECK_EXCEPTION(context.upgrade("+9223372036854775807"), rm::migration_error, [](const rm::migration_error& e) {
        return std::string(e.what()).find("goes past the head from b2") != std::string::npos;
    });
    BOOST_CHECK_THROW(context.downgrade("-9223372036854775807"), rm::migration_error);
    BOOST_TEST(context.current() == "b2");
}

// As Alembic: the version row of the revision before must be the one row updated or deleted.
BOOST_FIXTURE_TEST_CASE(a_version_row_gone_missing_is_an_error, fixture) {
    const auto delete_version = [](rm::operations& op) { op.execute("DELETE FROM reflorm_version"); };
    rm::revision_map touching;
    touching.add({"t1", "", "nothing; its downgrade deletes the version row", "", nullptr, delete_version});
    touching.add({"t2", "t1", "deletes the version row", "", delete_version, delete_version});
    rm::migration_context ctx(conn, touching, log);
    const auto says = [](std::string what) {
        return [what](const rm::migration_error& e) { return std::string(e.what()).find(what) != std::string::npos; };
    };
    ctx.upgrade("t1");
    BOOST_CHECK_EXCEPTION(ctx.upgrade("t2"), rm::migration_error,
                          says("expected to match one row when updating t1 to t2 in reflorm_version; 0 rows matched"));
    ctx.stamp("t2");
    BOOST_CHECK_EXCEPTION(ctx.downgrade("t1"), rm::migration_error, says("when updating t2 to t1"));
    ctx.stamp("t1");
    BOOST_CHECK_EXCEPTION(ctx.downgrade("base"), rm::migration_error, says("when deleting t1"));
}

// A table dropped and created again by the reverse operation keeps its CHECK, read from the
// catalog (PostgreSQL's pg_get_constraintdef text, "CHECK ((qty > 0))", was wrapped twice).
// MariaDB's CHECKs are not restated (render.cpp), so there only the round trip is checked.
BOOST_FIXTURE_TEST_CASE(a_dropped_table_comes_back_with_its_check, fixture) {
    conn.exec_driver_sql("CREATE TABLE checked (id INTEGER NOT NULL, qty INTEGER, CONSTRAINT ck_checked_qty CHECK (qty > 0), PRIMARY KEY (id))");
    const auto before = rm::inspect(conn);
    const rm::operation dropped = rm::drop_table{table(before, "checked")};
    for (const auto& sql : rm::render(dropped, conn.dialect(), before)) conn.exec_driver_sql(sql);
    const auto after = rm::inspect(conn);
    for (const auto& sql : rm::render(rm::reverse(dropped), conn.dialect(), after)) conn.exec_driver_sql(sql);
    conn.exec_driver_sql("INSERT INTO checked (id, qty) VALUES (1, 5)");
    if (db.kind() != backend::mysql)
        BOOST_CHECK_THROW(conn.exec_driver_sql("INSERT INTO checked (id, qty) VALUES (2, 0)"), reflorm::integrity_error);
    BOOST_TEST(count("checked") == 1);
}

BOOST_FIXTURE_TEST_CASE(stamp_records_without_running, fixture) {
    context.stamp("b2");
    BOOST_TEST(context.current() == "b2");
    BOOST_TEST(rm::inspect(conn).table("country") == nullptr);
    context.stamp("base");
    BOOST_TEST(context.current() == "");
}

BOOST_FIXTURE_TEST_CASE(a_database_ahead_of_the_code_is_refused, fixture) {
    context.upgrade("b2");
    auto older = migrate_chain::chain(1);
    rm::migration_context behind(conn, older, log);
    BOOST_CHECK_EXCEPTION(behind.upgrade("head"), rm::migration_error, [](const rm::migration_error& e) {
        return std::string(e.what()).find("the database is at revision b2, which this program does not know") != std::string::npos;
    });
}

// A revision that fails halfway: on PostgreSQL and SQLite its transaction is rolled back and the
// version stays; MariaDB commits each DDL statement, so its first statement stays done.
BOOST_FIXTURE_TEST_CASE(a_failing_revision_leaves_the_revision_before, fixture) {
    rm::revision_map failing = migrate_chain::chain(1);
    failing.add({"e5", "a1", "fails halfway", "", [](rm::operations& op) {
                     op.add_column("country", rm::column("area", rm::types::integer()));
                     op.execute("INSERT INTO no_such_table VALUES (1)");
                 },
                 nullptr});
    rm::migration_context ctx(conn, failing, log);
    ctx.upgrade("a1");
    BOOST_CHECK_THROW(ctx.upgrade("head"), reflorm::database_error);
    BOOST_TEST(ctx.current() == "a1");
    const bool area_stayed = rm::inspect(conn).table("country")->column("area") != nullptr;
    BOOST_TEST(area_stayed == (db.kind() == backend::mysql));
    if (db.kind() == backend::sqlite) {  // foreign keys are on again after the failed batch
        std::int64_t on = 0;
        for (const auto& [v] : conn.execute(reflorm::text("SELECT foreign_keys FROM pragma_foreign_keys").columns<std::int64_t>()).all()) on = v;
        BOOST_TEST(on == 1);
    }
}

// SQLite's batch mode: the table is recreated with its rows, indexes and foreign keys, and
// foreign keys are on again after the revision.
BOOST_FIXTURE_TEST_CASE(sqlite_batch_mode_keeps_rows_indexes_and_keys, fixture,
                        *reflorm_test::only_on_sqlite("batch mode is SQLite's")) {
    context.upgrade("b2");
    fill();
    context.upgrade("c3");  // creates ix_city_name, then alters city twice: two batches
    BOOST_TEST(count("city") == 4);
    const auto schema = rm::inspect(conn);
    BOOST_TEST(table(schema, "city").indexes.size() == 1u);
    BOOST_TEST(table(schema, "city").foreign_keys.size() == 1u);
    BOOST_TEST(schema.table("_reflorm_tmp_city") == nullptr);
    // A CHECK constraint outlives a batch too.
    conn.exec_driver_sql("CREATE TABLE checked (id INTEGER NOT NULL, qty INTEGER, CONSTRAINT ck_checked_qty CHECK (qty > 0), PRIMARY KEY (id))");
    rm::revision_map with_check = migrate_chain::chain(3);
    with_check.add({"e5", "c3", "alter checked", "", [](rm::operations& op) { op.alter_column("checked", "qty", {.nullable = false}); },
                    [](rm::operations& op) { op.alter_column("checked", "qty", {.nullable = true}); }});
    rm::migration_context check_context(conn, with_check, log);
    check_context.upgrade("e5");
    const auto checked = rm::inspect(conn);
    BOOST_TEST_REQUIRE(table(checked, "checked").check_constraints.size() == 1u);
    BOOST_TEST(table(checked, "checked").check_constraints[0].name == "ck_checked_qty");
    BOOST_CHECK_THROW(conn.exec_driver_sql("INSERT INTO checked (id, qty) VALUES (1, 0)"), reflorm::integrity_error);
    check_context.downgrade("c3");
    std::int64_t on = 0;
    for (const auto& [v] : conn.execute(reflorm::text("SELECT foreign_keys FROM pragma_foreign_keys").columns<std::int64_t>()).all()) on = v;
    BOOST_TEST(on == 1);
    // The foreign key still acts: ON DELETE CASCADE removes France's cities.
    conn.exec_driver_sql("DELETE FROM country WHERE code = 'FRA'");
    BOOST_TEST(count("city") == 2);
    // A batch whose copy breaks a foreign key is rolled back: a city of a country that does not exist.
    conn.exec_driver_sql("PRAGMA foreign_keys = OFF");
    conn.exec_driver_sql("INSERT INTO city (country_code, name, population) VALUES ('XXX', 'Nowhere', 1)");
    conn.exec_driver_sql("PRAGMA foreign_keys = ON");
    BOOST_CHECK_EXCEPTION(context.downgrade("b2"), reflorm::integrity_error, [](const reflorm::integrity_error& e) {
        return std::string(e.what()).find("leaves 1 foreign key violation (the first: a row of city whose foreign key to country") !=
               std::string::npos;
    });
    BOOST_TEST(context.current() == "c3");
    BOOST_TEST(rm::inspect(conn).table("city")->indexes.size() == 1u);
}

// A default SQLite reads back without its parentheses, (datetime('now')) as datetime('now'),
// survives a batch: it is written back in parentheses, as SQLAlchemy's SQLite DDL does.
BOOST_FIXTURE_TEST_CASE(sqlite_batch_mode_keeps_an_expression_default, fixture, *reflorm_test::only_on_sqlite("batch mode is SQLite's")) {
    conn.exec_driver_sql("CREATE TABLE stamped (id INTEGER NOT NULL PRIMARY KEY, qty INTEGER, at TEXT DEFAULT (datetime('now')), n INTEGER DEFAULT -1)");
    conn.exec_driver_sql("INSERT INTO stamped (id, qty, at) VALUES (1, 5, '2020-01-01 00:00:00')");
    rm::revision_map batch;
    batch.add({"s1", "", "qty not null", "", [](rm::operations& op) { op.alter_column("stamped", "qty", {.nullable = false}); }, nullptr});
    rm::migration_context ctx(conn, batch, log);
    ctx.upgrade("s1");
    std::vector<std::string> rows;
    for (const auto& [id, qty, at, n] :
         conn.execute(reflorm::text("SELECT id, qty, at, n FROM stamped ORDER BY id").columns<std::int64_t, std::int64_t, std::string, std::int64_t>()).all())
        rows.push_back(std::to_string(id) + "|" + std::to_string(qty) + "|" + at + "|" + std::to_string(n));
    BOOST_TEST(rows == std::vector<std::string>{"1|5|2020-01-01 00:00:00|-1"}, boost::test_tools::per_element());
    conn.exec_driver_sql("INSERT INTO stamped (id, qty) VALUES (2, 6)");
    BOOST_TEST(count("stamped WHERE id = 2 AND at IS NOT NULL AND n = -1") == 1);
    const auto schema = rm::inspect(conn);
    const auto* at = table(schema, "stamped").column("at");
    BOOST_TEST_REQUIRE(at != nullptr);
    BOOST_TEST(at->server_default == "datetime('now')");
}

// Batch mode copies the CHECKs; one that names a dropped column would break the new table, so
// the drop is refused naming the check.
BOOST_FIXTURE_TEST_CASE(sqlite_batch_mode_refuses_to_drop_a_checked_column, fixture, *reflorm_test::only_on_sqlite("batch mode is SQLite's")) {
    conn.exec_driver_sql("CREATE TABLE checked (id INTEGER NOT NULL PRIMARY KEY, qty INTEGER, CONSTRAINT ck_checked_qty CHECK (\"qty\" > 0))");
    conn.exec_driver_sql("CREATE INDEX ix_checked_qty ON checked (qty)");  // in an index: a batch
    rm::revision_map batch;
    batch.add({"s1", "", "drop qty", "", [](rm::operations& op) { op.drop_column("checked", "qty"); }, nullptr});
    rm::migration_context ctx(conn, batch, log);
    BOOST_CHECK_EXCEPTION(ctx.upgrade("s1"), rm::migration_error, [](const rm::migration_error& e) {
        return std::string(e.what()).find("check constraint ck_checked_qty refers to it; drop the constraint first") != std::string::npos;
    });
    BOOST_TEST(ctx.current() == "");
    const auto schema = rm::inspect(conn);
    BOOST_TEST(table(schema, "checked").column("qty") != nullptr);
}

namespace {

// Tables for the renames and the primary key change: note (renamed to memo, body to text_body)
// with note_tag referring to it, and pair, whose key goes from (a, b) to (a, c).
void create_note_and_pair(rm::operations& op) {
    op.create_table("note", {rm::column("id", rm::types::integer()).as_primary_key(), rm::column("body", rm::types::string(20)).not_null()});
    op.create_table("note_tag", {rm::column("note_id", rm::types::integer()).as_primary_key(), rm::column("tag", rm::types::string(10)).as_primary_key()},
                    {{{"note_id"}, "note", {"id"}}});
    op.create_table("pair", {rm::column("a", rm::types::integer()).as_primary_key(), rm::column("b", rm::types::integer()).as_primary_key(),
                             rm::column("c", rm::types::integer()).not_null(), rm::column("v", rm::types::string(10))});
}
void drop_note_and_pair(rm::operations& op) {
    op.drop_table("pair");
    op.drop_table("note_tag");
    op.drop_table("note");
}
void rename_note(rm::operations& op) {
    op.alter_column("note", "body", {.new_column_name = "text_body"});
    op.rename_table("note", "memo");
}
void unrename_note(rm::operations& op) {
    op.rename_table("memo", "note");
    op.alter_column("note", "text_body", {.new_column_name = "body"});
}
void key_a_c(rm::operations& op) {
    op.drop_constraint("pair_pkey", "pair", rm::constraint_kind::primary);
    op.create_primary_key("pair_pkey", "pair", {"a", "c"});
}
void key_a_b(rm::operations& op) {
    op.drop_constraint("pair_pkey", "pair", rm::constraint_kind::primary);
    op.create_primary_key("pair_pkey", "pair", {"a", "b"});
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(renames_and_a_primary_key_change_keep_the_rows, fixture) {
    rm::revision_map renames;
    renames.add({"r1", "", "note and pair", "", create_note_and_pair, drop_note_and_pair});
    renames.add({"r2", "r1", "note to memo, body to text_body", "", rename_note, unrename_note});
    renames.add({"r3", "r2", "pair's key (a, b) to (a, c)", "", key_a_c, key_a_b});
    rm::migration_context ctx(conn, renames, log);
    ctx.upgrade("r1");
    conn.exec_driver_sql("INSERT INTO note (id, body) VALUES (1, 'one'), (2, 'two')");
    conn.exec_driver_sql("INSERT INTO note_tag (note_id, tag) VALUES (1, 'x'), (2, 'y')");
    conn.exec_driver_sql("INSERT INTO pair (a, b, c, v) VALUES (1, 1, 10, 'p'), (1, 2, 20, 'q'), (2, 1, 10, 'r')");
    const auto rows = [&](const std::string& table, const std::string& text) {
        std::vector<std::string> out;
        for (const auto& [id, body] :
             conn.execute(reflorm::text("SELECT id, " + text + " FROM " + table + " ORDER BY id").columns<std::int64_t, std::string>()).all())
            out.push_back(std::to_string(id) + "|" + body);
        return out;
    };
    const auto pairs = [&] {
        std::vector<std::string> out;
        for (const auto& [a, b, c, v] :
             conn.execute(reflorm::text("SELECT a, b, c, v FROM pair ORDER BY a, b").columns<std::int64_t, std::int64_t, std::int64_t, std::string>()).all())
            out.push_back(std::to_string(a) + "|" + std::to_string(b) + "|" + std::to_string(c) + "|" + v);
        return out;
    };
    const std::vector<std::string> notes{"1|one", "2|two"};
    const std::vector<std::string> pair_rows{"1|1|10|p", "1|2|20|q", "2|1|10|r"};

    ctx.upgrade("head");
    BOOST_TEST(ctx.current() == "r3");
    BOOST_TEST(rows("memo", "text_body") == notes, boost::test_tools::per_element());
    BOOST_TEST(count("note_tag") == 2);
    BOOST_TEST(pairs() == pair_rows, boost::test_tools::per_element());
    auto schema = rm::inspect(conn);
    BOOST_TEST(schema.table("note") == nullptr);
    BOOST_TEST(table(schema, "memo").column("text_body") != nullptr);
    BOOST_TEST(table(schema, "memo").column("body") == nullptr);
    BOOST_TEST_REQUIRE(table(schema, "note_tag").foreign_keys.size() == 1u);
    BOOST_TEST(table(schema, "note_tag").foreign_keys[0].referred_table == "memo");  // the database followed the rename
    BOOST_TEST(table(schema, "pair").primary_key == (std::vector<std::string>{"a", "c"}), boost::test_tools::per_element());
    // The new key holds: (a, c) taken, (a, b) free.
    BOOST_CHECK_THROW(conn.exec_driver_sql("INSERT INTO pair (a, b, c, v) VALUES (1, 3, 10, 's')"), reflorm::integrity_error);
    conn.exec_driver_sql("INSERT INTO pair (a, b, c, v) VALUES (1, 1, 30, 's')");
    conn.exec_driver_sql("DELETE FROM pair WHERE c = 30");

    ctx.downgrade("r1");
    BOOST_TEST(ctx.current() == "r1");
    BOOST_TEST(rows("note", "body") == notes, boost::test_tools::per_element());
    BOOST_TEST(pairs() == pair_rows, boost::test_tools::per_element());
    schema = rm::inspect(conn);
    BOOST_TEST(schema.table("memo") == nullptr);
    BOOST_TEST(table(schema, "note_tag").foreign_keys[0].referred_table == "note");
    BOOST_TEST(table(schema, "pair").primary_key == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
    BOOST_CHECK_THROW(conn.exec_driver_sql("INSERT INTO pair (a, b, c, v) VALUES (1, 1, 99, 's')"), reflorm::integrity_error);
    ctx.downgrade("base");
    BOOST_TEST(rm::inspect(conn).table("pair") == nullptr);
}

// An index created unique in one revision is dropped by name in the next and in the downgrade.
// MySQL's catalog reports it as a unique constraint, which drop_index falls back to there.
BOOST_FIXTURE_TEST_CASE(a_unique_index_is_dropped_in_a_later_revision, fixture) {
    rm::revision_map revisions;
    revisions.add({"u1", "", "tagged", "", [](rm::operations& op) {
                       op.create_table("tagged", {rm::column("id", rm::types::integer()).as_primary_key(), rm::column("a", rm::types::integer())});
                   },
                   [](rm::operations& op) { op.drop_table("tagged"); }});
    revisions.add({"u2", "u1", "unique index", "", [](rm::operations& op) { op.create_index("ix_u", "tagged", {"a"}, true); },
                   [](rm::operations& op) { op.drop_index("ix_u", "tagged"); }});
    revisions.add({"u3", "u2", "no unique index", "", [](rm::operations& op) { op.drop_index("ix_u", "tagged"); },
                   [](rm::operations& op) { op.create_index("ix_u", "tagged", {"a"}, true); }});
    rm::migration_context ctx(conn, revisions, log);
    ctx.upgrade("u2");
    conn.exec_driver_sql("INSERT INTO tagged (id, a) VALUES (1, 7)");
    BOOST_CHECK_THROW(conn.exec_driver_sql("INSERT INTO tagged (id, a) VALUES (2, 7)"), reflorm::integrity_error);
    ctx.upgrade("u3");
    BOOST_TEST(ctx.current() == "u3");
    conn.exec_driver_sql("INSERT INTO tagged (id, a) VALUES (2, 7)");  // no longer unique
    conn.exec_driver_sql("DELETE FROM tagged WHERE id = 2");
    ctx.downgrade("u2");
    ctx.downgrade("u1");  // the downgrade drops it too
    BOOST_TEST(ctx.current() == "u1");
    conn.exec_driver_sql("INSERT INTO tagged (id, a) VALUES (2, 7)");
    BOOST_TEST(count("tagged") == 2);
}

// A verbatim type outside the known families keeps its declared text: MariaDB's ENUM column is
// created, then MODIFY'd for its nullability with its values. MariaDB only: PostgreSQL's enums
// are CREATE TYPE objects and SQLite's type names take no quoted arguments.
namespace {
rm::column_def enum_kind() { return rm::column("kind", rm::types::verbatim("ENUM('small','Large')")); }
}  // namespace

BOOST_FIXTURE_TEST_CASE(an_enum_column_is_altered_with_its_values, fixture) {
    if (db.kind() != backend::mysql) return;
    rm::revision_map revisions;
    revisions.add({"k1", "", "kinded", "", [](rm::operations& op) {
                       op.create_table("kinded", {rm::column("id", rm::types::integer()).as_primary_key()});
                   },
                   [](rm::operations& op) { op.drop_table("kinded"); }});
    revisions.add({"k2", "k1", "kind", "", [](rm::operations& op) { op.add_column("kinded", enum_kind()); },
                   [](rm::operations& op) { op.drop_column("kinded", "kind"); }});
    revisions.add({"k3", "k2", "kind not null", "", [](rm::operations& op) { op.alter_column("kinded", "kind", {.nullable = false}); },
                   [](rm::operations& op) { op.alter_column("kinded", "kind", {.nullable = true}); }});
    rm::migration_context ctx(conn, revisions, log);
    ctx.upgrade("k2");
    conn.exec_driver_sql("INSERT INTO kinded (id, kind) VALUES (1, 'small'), (2, 'Large')");
    ctx.upgrade("k3");
    BOOST_TEST(ctx.current() == "k3");
    std::vector<std::string> kinds;
    for (const auto& [k] : conn.execute(reflorm::text("SELECT kind FROM kinded ORDER BY id").columns<std::string>()).all()) kinds.push_back(k);
    BOOST_TEST(kinds == (std::vector<std::string>{"small", "Large"}), boost::test_tools::per_element());
    BOOST_CHECK_THROW(conn.exec_driver_sql("INSERT INTO kinded (id, kind) VALUES (3, 'medium')"), reflorm::database_error);
    const auto database = rm::inspect(conn);
    const auto* column = table(database, "kinded").column("kind");
    BOOST_TEST_REQUIRE(column != nullptr);
    BOOST_TEST(!column->nullable);
    // The models declare the type as written; the catalog reports it in lower case: no change.
    auto models = database;
    auto model_kind = rm::to_column_model(enum_kind(), conn.dialect());
    model_kind.nullable = false;
    for (auto& t : models.tables)
        for (auto& c : t.columns)
            if (c.name == "kind") c = model_kind;
    BOOST_TEST(rm::compare(models, database, conn.dialect().id()).empty());
    ctx.downgrade("k1");
    BOOST_TEST(rm::inspect(conn).table("kinded")->column("kind") == nullptr);
}

namespace {

// Strings that break SQL built by concatenation, or a dialect's escaping: quotes, backslashes
// (MariaDB's escape character), a :name parameter lookalike, a comment, non-ASCII text.
const std::vector<std::string> awkward = {"it's", "C:\\dir\\", "\\'; DROP TABLE note; --", ":p0 and :name", "Zürich 東京", ""};

void create_note(rm::operations& op) {
    op.create_table("note", {rm::column("id", rm::types::integer()).as_primary_key(), rm::column("body", rm::types::text()),
                             rm::column("score", rm::types::float64()), rm::column("day", rm::types::date())});
}

std::vector<rm::bulk_row> note_rows(std::int64_t first_id) {
    std::vector<rm::bulk_row> rows;
    for (std::size_t i = 0; i < awkward.size(); ++i) {
        rm::bulk_row row{{"id", first_id + static_cast<std::int64_t>(i)}, {"body", awkward[i]}, {"score", 0.5 + static_cast<double>(i)},
                         {"day", reflorm::date{std::chrono::year{2026} / 12 / static_cast<unsigned>(i + 1)}}};
        if (i == 1) row.insert_or_assign("score", rm::bulk_value(std::nullopt));
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

// op.bulk_insert in a revision binds its values (online), and the same rows printed offline as
// literal INSERTs read back the same on this backend: every value as given, none lost to escaping.
BOOST_FIXTURE_TEST_CASE(bulk_insert_keeps_every_value_online_and_offline, fixture) {
    rm::revision_map notes;
    notes.add({"n1", "", "notes", "",
               [](rm::operations& op) {
                   create_note(op);
                   op.bulk_insert("note", note_rows(1));
               },
               [](rm::operations& op) { op.drop_table("note"); }});
    std::ostringstream out;
    rm::migration_context(conn, notes, out).upgrade("head");
    // Offline: the literal INSERTs of the same rows (ids from 101), run here as they are printed.
    const auto schema = rm::inspect(conn);
    for (const auto& sql : rm::bulk_insert_literal_sql("note", rm::bulk_rows_for(table(schema, "note"), note_rows(101)), conn.dialect()))
        conn.exec_driver_sql(sql);

    const auto rows = conn.execute(reflorm::text("SELECT id, body, score, day FROM note ORDER BY id")
                                       .columns<std::int64_t, std::optional<std::string>, std::optional<double>, std::optional<reflorm::date>>())
                          .all();
    BOOST_TEST_REQUIRE(rows.size() == 2 * awkward.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto i = k % awkward.size();
        const auto& [id, body, score, day] = rows[k];
        BOOST_TEST(id == static_cast<std::int64_t>((k < awkward.size() ? 1 : 101) + i));
        // MariaDB's and PostgreSQL's TEXT keep "" apart from NULL; so does SQLite.
        BOOST_TEST(body.value_or("<null>") == awkward[i], "row " << id);
        BOOST_TEST(score.has_value() == (i != 1), "row " << id);
        if (score) BOOST_TEST(*score == 0.5 + static_cast<double>(i));
        BOOST_TEST((day == reflorm::date{std::chrono::year{2026} / 12 / static_cast<unsigned>(i + 1)}), "row " << id);
    }
    BOOST_TEST(count("note") == static_cast<std::int64_t>(2 * awkward.size()));  // the DROP TABLE in a value stayed a value
}

// More rows than one INSERT's parameters hold: several statements, every row written.
BOOST_FIXTURE_TEST_CASE(bulk_insert_splits_many_rows, fixture) {
    rm::revision_map many;
    many.add({"m1", "", "many", "",
              [](rm::operations& op) {
                  create_note(op);
                  std::vector<rm::bulk_row> rows;
                  for (std::int64_t id = 1; id <= 1000; ++id) rows.push_back({{"id", id}, {"body", "n" + std::to_string(id)}});
                  op.bulk_insert("note", rows);
              },
              [](rm::operations&) {}});
    std::ostringstream out;
    rm::migration_context(conn, many, out).upgrade("head");
    BOOST_TEST(count("note") == 1000);
    BOOST_TEST(count("note WHERE id = 1000 AND body = 'n1000'") == 1);
}

namespace {

// A table made outside reflorm with what batch mode used to lose: AUTOINCREMENT, a trigger, a
// partial and an expression index, a view and a view on that view, and a trigger of another
// table that writes to it.
void create_item(reflorm::connection& conn) {
    conn.exec_driver_sql("CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(20) NOT NULL, qty INTEGER)");
    conn.exec_driver_sql("CREATE TABLE audit (item_id INTEGER, what TEXT)");
    conn.exec_driver_sql("CREATE TRIGGER item_audit AFTER INSERT ON item BEGIN INSERT INTO audit VALUES (new.id, new.name); END");
    conn.exec_driver_sql("CREATE TRIGGER audit_item AFTER INSERT ON audit WHEN new.what = 'again' BEGIN "
                         "UPDATE item SET qty = qty + 1 WHERE id = new.item_id; END");
    conn.exec_driver_sql("CREATE INDEX ix_item_qty_positive ON item (qty) WHERE qty > 0");
    conn.exec_driver_sql("CREATE INDEX ix_item_lower_name ON item (lower(name))");
    conn.exec_driver_sql("CREATE VIEW item_names AS SELECT id, name FROM item");
    conn.exec_driver_sql("CREATE VIEW item_first AS SELECT name FROM item_names WHERE id = 1");
    conn.exec_driver_sql("INSERT INTO item (name, qty) VALUES ('bolt', 5), ('nut', 0), ('washer', 2)");
    conn.exec_driver_sql("DELETE FROM item WHERE id = 3");
}

std::vector<std::string> sqlite_master(reflorm::connection& conn) {
    std::vector<std::string> out;
    for (const auto& [type, name, sql] :
         conn.execute(reflorm::text("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL "
                                    "ORDER BY name")
                          .columns<std::string, std::string, std::string>())
             .all())
        out.push_back(type + " " + name + ": " + sql);
    return out;
}

}  // namespace

// A batch keeps the table's triggers, partial and expression indexes as they were written, the
// views (and the other table's trigger) that read it, which made SQLite refuse the RENAME before,
// and AUTOINCREMENT with its sequence: a deleted top key is not given again.
BOOST_FIXTURE_TEST_CASE(sqlite_batch_mode_keeps_triggers_views_partial_indexes_and_autoincrement, fixture,
                        *reflorm_test::only_on_sqlite("batch mode is SQLite's")) {
    create_item(conn);
    const auto objects = sqlite_master(conn);
    BOOST_TEST_REQUIRE(objects.size() == 6u);
    rm::revision_map batch;
    batch.add({"i1", "", "longer names", "", [](rm::operations& op) { op.alter_column("item", "name", {.type = rm::types::string(40)}); },
               nullptr});
    rm::migration_context(conn, batch, log).upgrade("i1");

    BOOST_TEST(sqlite_master(conn) == objects, boost::test_tools::per_element());
    const auto create = conn.execute(reflorm::text("SELECT sql FROM sqlite_master WHERE name = 'item'").columns<std::string>()).scalar_one();
    BOOST_TEST(create.find("VARCHAR(40)") != std::string::npos, create);
    BOOST_TEST(create.find("PRIMARY KEY AUTOINCREMENT") != std::string::npos, create);
    conn.exec_driver_sql("INSERT INTO item (name, qty) VALUES ('rivet', 1)");
    BOOST_TEST(count("item WHERE id = 4 AND name = 'rivet'") == 1);  // 3 was given before: AUTOINCREMENT never reuses it
    BOOST_TEST(count("audit WHERE item_id = 4 AND what = 'rivet'") == 1);  // the trigger on item
    conn.exec_driver_sql("INSERT INTO audit VALUES (1, 'again')");
    BOOST_TEST(count("item WHERE id = 1 AND qty = 6") == 1);  // the trigger on audit, which writes to item
    BOOST_TEST(count("item_first WHERE name = 'bolt'") == 1);
    BOOST_TEST(count("item WHERE qty > 0") == 2);  // bolt and rivet, through the partial index
    const auto schema = rm::inspect(conn);
    BOOST_TEST(table(schema, "item").sqlite_autoincrement);
    BOOST_TEST(rm::compare(schema, schema, reflorm::sql::dialect_id::sqlite).empty());
}

// A batch that drops a column which a trigger, a view or an index's WHERE names would break
// them: it is refused, naming the object, and the revision is rolled back.
BOOST_FIXTURE_TEST_CASE(sqlite_batch_mode_refuses_to_drop_a_column_a_trigger_view_or_index_names, fixture,
                        *reflorm_test::only_on_sqlite("batch mode is SQLite's")) {
    conn.exec_driver_sql("CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, a INTEGER, b INTEGER, c INTEGER, d INTEGER)");
    for (const char* column : {"b", "c", "d"})  // each in an index: dropping it is a batch
        conn.exec_driver_sql(std::string("CREATE INDEX ix_t_") + column + " ON t (" + column + ")");
    conn.exec_driver_sql("CREATE TRIGGER t_b AFTER UPDATE ON t BEGIN SELECT new.b; END");
    conn.exec_driver_sql("CREATE VIEW v_c AS SELECT id, c FROM t");
    conn.exec_driver_sql("CREATE INDEX ix_t_a_where_d ON t (a) WHERE d > 0");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"b", "trigger t_b refers to it; drop the trigger first"},
        {"c", "view v_c refers to it; drop the view first"},
        {"d", "index ix_t_a_where_d refers to it; drop the index first"}};
    static std::string column;  // what the revision drops
    for (const auto& [dropped, message] : cases) {
        column = dropped;
        rm::revision_map batch;
        batch.add({"x1", "", "drop a column", "", [](rm::operations& op) { op.drop_column("t", column); }, nullptr});
        rm::migration_context ctx(conn, batch, log);
        BOOST_CHECK_EXCEPTION(ctx.upgrade("x1"), rm::migration_error, [&](const rm::migration_error& e) {
            return std::string(e.what()).find("cannot drop column t." + dropped + ": " + message) != std::string::npos;
        });
        BOOST_TEST(ctx.current() == "");
        BOOST_TEST(table(rm::inspect(conn), "t").column(dropped) != nullptr);
    }
    // A partial index over the column itself goes with it, as a plain index does.
    column = "a";
    rm::revision_map batch;
    batch.add({"x1", "", "drop a", "", [](rm::operations& op) { op.drop_column("t", column); }, nullptr});
    rm::migration_context(conn, batch, log).upgrade("x1");
    const auto after = sqlite_master(conn);
    BOOST_TEST(std::none_of(after.begin(), after.end(), [](const std::string& o) { return o.starts_with("index ix_t_a_where_d"); }));
    BOOST_TEST(std::count_if(after.begin(), after.end(), [](const std::string& o) { return o.starts_with("trigger t_b") || o.starts_with("view v_c"); }) == 2);
}

// MariaDB's MODIFY COLUMN drops the attributes it does not restate: alter_column reads them from
// information_schema.COLUMNS and writes them again. MariaDB only: the other backends alter one
// attribute at a time (PostgreSQL) or rebuild the table from its CREATE text (SQLite).
BOOST_FIXTURE_TEST_CASE(mariadb_alter_column_keeps_comment_collation_and_on_update, fixture) {
    if (db.kind() != backend::mysql) return;
    conn.exec_driver_sql("CREATE TABLE stamp (id INT NOT NULL PRIMARY KEY, "
                         "name VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_german1_ci NOT NULL COMMENT 'the name''s \\\\ text', "
                         "at TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT 'touched', "
                         "n INT COMMENT 'count')");
    rm::revision_map map;
    map.add({"m1", "", "widen and tighten", "",
             [](rm::operations& op) {
                 op.execute("ALTER TABLE stamp MODIFY COLUMN n INT COMMENT 'count, said later'");  // read again before the MODIFY
                 op.alter_column("stamp", "name", {.type = rm::types::string(40)});
                 op.alter_column("stamp", "at", {.nullable = false});
                 op.alter_column("stamp", "n", {.type = rm::types::big_integer()});
             },
             nullptr});
    rm::migration_context(conn, map, log).upgrade("m1");
    std::vector<std::string> columns;
    for (const auto& [name, type, nullable, extra, comment, charset, collation] :
         conn.execute(reflorm::text("SELECT column_name, column_type, is_nullable, extra, column_comment, character_set_name, collation_name"
                                    " FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'stamp' ORDER BY ordinal_position")
                          .columns<std::string, std::string, std::string, std::string, std::string, std::optional<std::string>,
                                   std::optional<std::string>>())
             .all())
        columns.push_back(name + "|" + type + "|" + nullable + "|" + extra + "|" + comment + "|" + charset.value_or("-") + "|" +
                          collation.value_or("-"));
    BOOST_TEST(columns == (std::vector<std::string>{"id|int(11)|NO|||-|-", "name|varchar(40)|NO||the name's \\ text|latin1|latin1_german1_ci",
                                                    "at|timestamp|NO|on update current_timestamp()|touched|-|-",
                                                    "n|bigint(20)|YES||count, said later|-|-"}),
               boost::test_tools::per_element());
}

namespace {

// A branch and its merge, as Alembic's: a1 creates leaf; b1 and b2 both follow a1 (two heads),
// each adding a column; m3 merges them.
rm::revision_map branches(bool merged) {
    rm::revision_map map;
    map.add({"a1", "", "leaf", "", [](rm::operations& op) { op.create_table("leaf", {rm::column("id", rm::types::integer()).as_primary_key()}); },
             [](rm::operations& op) { op.drop_table("leaf"); }});
    map.add({"b1", "a1", "leaf.x", "", [](rm::operations& op) { op.add_column("leaf", rm::column("x", rm::types::integer())); },
             [](rm::operations& op) { op.drop_column("leaf", "x"); }});
    map.add({"b2", "a1", "leaf.y", "", [](rm::operations& op) { op.add_column("leaf", rm::column("y", rm::types::integer())); },
             [](rm::operations& op) { op.drop_column("leaf", "y"); }});
    if (merged) map.add({"m3", "b1", "merge", "", nullptr, nullptr, {"b2"}});
    return map;
}

}  // namespace

// Two heads are upgraded together ("heads") or one at a time; the version table holds a row per
// head; a merge revision joins them into one row, and downgrading it brings both back.
BOOST_FIXTURE_TEST_CASE(branches_and_a_merge_move_the_version_rows, fixture) {
    const auto leaf_columns = [&] {
        std::string out;
        const auto schema = rm::inspect(conn);
        if (const auto* t = schema.table("leaf"))
            for (const auto& c : t->columns) out += c.name + " ";
        return out;
    };
    const auto split = branches(false);
    std::ostringstream out;
    rm::migration_context ctx(conn, split, out);
    BOOST_CHECK_EXCEPTION(ctx.upgrade("head"), rm::migration_error, [](const rm::migration_error& e) {
        return std::string(e.what()).find("Multiple heads are present: b1, b2") != std::string::npos;
    });
    ctx.upgrade("b2");
    BOOST_TEST(ctx.current_heads() == std::vector<std::string>{"b2"}, boost::test_tools::per_element());
    BOOST_TEST(leaf_columns() == "id y ");
    ctx.upgrade("heads");  // b1: after a branch point whose other side is applied, a row of its own
    BOOST_TEST(ctx.current_heads() == (std::vector<std::string>{"b1", "b2"}), boost::test_tools::per_element());
    BOOST_TEST(leaf_columns() == "id y x ");
    BOOST_CHECK_THROW(ctx.current(), rm::migration_error);
    BOOST_CHECK_EXCEPTION(ctx.downgrade("-1"), rm::migration_error, [](const rm::migration_error& e) {
        return std::string(e.what()).find("is ambiguous: the database is at several heads: b1, b2") != std::string::npos;
    });

    const auto joined = branches(true);
    rm::migration_context merge(conn, joined, out);
    merge.upgrade("head");
    BOOST_TEST(merge.current_heads() == std::vector<std::string>{"m3"}, boost::test_tools::per_element());
    BOOST_TEST(count("reflorm_version") == 1);
    merge.downgrade("-1");
    BOOST_TEST(merge.current_heads() == (std::vector<std::string>{"b1", "b2"}), boost::test_tools::per_element());
    merge.downgrade("b1");  // nothing the database has follows b1
    BOOST_TEST(count("reflorm_version") == 2);
    merge.downgrade("a1");  // both branches
    BOOST_TEST(merge.current_heads() == std::vector<std::string>{"a1"}, boost::test_tools::per_element());
    BOOST_TEST(leaf_columns() == "id ");
    BOOST_CHECK_EXCEPTION(merge.upgrade("+1"), rm::migration_error, [](const rm::migration_error& e) {
        return std::string(e.what()).find("is ambiguous at a1: it has several next revisions, b1, b2") != std::string::npos;
    });
    merge.upgrade("head");  // both branches, then the merge
    BOOST_TEST(merge.current_heads() == std::vector<std::string>{"m3"}, boost::test_tools::per_element());
    BOOST_TEST(leaf_columns() == "id x y ");
    merge.downgrade("base");
    BOOST_TEST(merge.current_heads().empty());
    BOOST_TEST(leaf_columns() == "");
    const auto log = out.str();
    for (const char* line : {"Running upgrade a1 -> b2, leaf.y\n", "Running upgrade a1 -> b1, leaf.x\n", "Running upgrade b1, b2 -> m3, merge\n",
                             "Running downgrade m3 -> b1, b2, merge\n", "Running downgrade b2 -> a1, leaf.y\n"})
        BOOST_TEST(log.find(line) != std::string::npos, line);
}
