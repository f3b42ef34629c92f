// migrate layer on each backend: inspect() reads back what create_all made, compare() against the
// models finds nothing; after hand-made DDL (text), compare() finds exactly those changes.
#define BOOST_TEST_MODULE migrate_inspect
#include "support/backend.hpp"

#include "models.hpp"
#include "world_tpch/models.hpp"

#include <reflorm/migrate.hpp>

#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace rm = reflorm::migrate;
BOOST_TEST_DONT_PRINT_LOG_VALUE(reflorm::migrate::type_family)
BOOST_TEST_DONT_PRINT_LOG_VALUE(reflorm::referential_action)
using reflorm_test::backend;
using namespace migrate_test;

namespace {

struct database_fixture {
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    reflorm::connection conn = engine.connect();

    void create() {
        reflorm::create_all<world::Country, world::City, world::CountryLanguage, tpch::Region, tpch::Nation, tpch::Supplier,
                            tpch::Customer, tpch::Part, tpch::PartSupp, tpch::Order, tpch::LineItem, Author, Book, Note>(conn);
    }
    rm::schema_model models() const {
        return rm::from_models<world::Country, world::City, world::CountryLanguage, tpch::Region, tpch::Nation, tpch::Supplier,
                               tpch::Customer, tpch::Part, tpch::PartSupp, tpch::Order, tpch::LineItem, Author, Book, Note>(
            conn.dialect());
    }
    rm::schema_diff diff() { return rm::compare(models(), rm::inspect(conn), conn.dialect().id()); }
    // One statement per backend, run as it is.
    void exec(const std::string& sqlite, const std::string& postgresql, const std::string& mysql) {
        const auto kind = db.kind();
        conn.exec_driver_sql(kind == backend::sqlite ? sqlite : kind == backend::postgresql ? postgresql : mysql);
    }
};

// "kind table.name[ detail]" per operation: what the assertions compare.
std::vector<std::string> summary(const rm::schema_diff& diff) {
    struct visitor {
        std::string operator()(const rm::create_table& o) const { return "create_table " + o.table.name; }
        std::string operator()(const rm::drop_table& o) const { return "drop_table " + o.table.name; }
        std::string operator()(const rm::add_column& o) const { return "add_column " + o.table + "." + o.column.name; }
        std::string operator()(const rm::drop_column& o) const { return "drop_column " + o.table + "." + o.column.name; }
        std::string operator()(const rm::alter_column& o) const {
            return "alter_column " + o.table + "." + o.target.name + (o.type_changed ? " type" : "") +
                   (o.nullable_changed ? " nullable" : "") + (o.server_default_changed ? " server_default" : "");
        }
        std::string operator()(const rm::create_index& o) const { return "create_index " + o.table + "." + o.index.name; }
        std::string operator()(const rm::drop_index& o) const { return "drop_index " + o.table + "." + o.index.name; }
        std::string operator()(const rm::create_unique_constraint& o) const { return "create_unique " + o.table + "." + o.constraint.name; }
        std::string operator()(const rm::drop_unique_constraint& o) const { return "drop_unique " + o.table; }
        std::string operator()(const rm::create_foreign_key& o) const { return "create_foreign_key " + o.table + "." + o.key.name; }
        std::string operator()(const rm::drop_foreign_key& o) const { return "drop_foreign_key " + o.table; }
        // Renames and primary key changes: written by hand, never found by compare().
        std::string operator()(const rm::rename_table& o) const { return "unexpected " + rm::describe(o); }
        std::string operator()(const rm::rename_column& o) const { return "unexpected " + rm::describe(o); }
        std::string operator()(const rm::create_primary_key& o) const { return "unexpected " + rm::describe(o); }
        std::string operator()(const rm::drop_primary_key& o) const { return "unexpected " + rm::describe(o); }
    };
    std::vector<std::string> out;
    for (const auto& op : diff.operations) out.push_back(std::visit(visitor{}, op));
    return out;
}

std::string described(const rm::schema_diff& diff) {
    std::string out;
    for (const auto& op : diff.operations) (out += rm::describe(op)) += '\n';
    return out;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(create_all_then_inspect_differs_in_nothing, database_fixture) {
    create();
    conn.exec_driver_sql("CREATE TABLE reflorm_version (version_num VARCHAR(32) NOT NULL)");  // the version table is skipped
    const auto schema = rm::inspect(conn);
    BOOST_TEST(schema.tables.size() == 14u);
    BOOST_TEST(!schema.table("reflorm_version"));
    const auto diff = rm::compare(models(), schema, conn.dialect().id());
    BOOST_TEST(diff.empty(), "unexpected operations:\n" << described(diff));
    BOOST_TEST(diff.warnings.empty());

    // What was read, beyond "no difference": keys, actions, indexes, defaults, nullability.
    const auto* books = schema.table("books");
    BOOST_TEST_REQUIRE(books);
    BOOST_TEST((books->primary_key == std::vector<std::string>{"id"}));
    BOOST_TEST(books->column("id")->autoincrement);
    BOOST_TEST(!books->column("author_id")->autoincrement);
    BOOST_TEST(books->column("pages")->nullable);
    BOOST_TEST(!books->column("title")->nullable);
    BOOST_TEST(rm::normalise_server_default(books->column("pages")->server_default) == "0");
    BOOST_TEST(rm::normalise_server_default(schema.table("notes")->column("body")->server_default) == "'none'");
    BOOST_TEST_REQUIRE(books->foreign_keys.size() == 1u);
    BOOST_TEST(books->foreign_keys[0].referred_table == "authors");
    BOOST_TEST((books->foreign_keys[0].referred_columns == std::vector<std::string>{"id"}));
    BOOST_TEST(books->foreign_keys[0].on_delete == reflorm::referential_action::cascade);
    BOOST_TEST(std::any_of(books->indexes.begin(), books->indexes.end(), [](const rm::index_model& i) {
        return i.name == "ix_books_title" && i.columns == std::vector<std::string>{"title"} && !i.unique;
    }));
    BOOST_TEST(std::any_of(books->unique_constraints.begin(), books->unique_constraints.end(), [](const rm::unique_constraint_model& u) {
        return u.columns == std::vector<std::string>{"isbn", "edition"};
    }));
    const auto* lineitem = schema.table("lineitem");
    BOOST_TEST_REQUIRE(lineitem);
    BOOST_TEST((lineitem->primary_key == std::vector<std::string>{"l_orderkey", "l_linenumber"}));
    BOOST_TEST(lineitem->foreign_keys.size() == 2u);
    // create_all names its constraints by the naming convention; the servers keep the names,
    // SQLite's CREATE TABLE text too.
    BOOST_TEST(books->foreign_keys[0].name == "fk_books_author_id");
    BOOST_TEST(!books->foreign_keys[0].deferrable);
    BOOST_TEST(books->unique_constraints.size() == 1u);
    BOOST_TEST(books->unique_constraints[0].name == "uq_books_isbn_edition");
    BOOST_TEST(schema.table("authors")->unique_constraints[0].name == "uq_authors_name");
    if (db.kind() != backend::mysql) BOOST_TEST(books->primary_key_name == "books_pkey");  // MariaDB's is PRIMARY
    // The key create_all adds by ALTER TABLE (SQLite: inline) to close the country <-> city cycle
    // has the convention's name, and is deferred where the backend can defer.
    const auto& keys = schema.table("country")->foreign_keys;
    BOOST_TEST_REQUIRE(keys.size() == 1u);
    BOOST_TEST(keys[0].name == "fk_country_capital");
    BOOST_TEST(keys[0].deferrable == (db.kind() != backend::mysql));
}

BOOST_FIXTURE_TEST_CASE(hand_made_changes_are_found_exactly, database_fixture) {
    create();
    BOOST_TEST_REQUIRE(diff().empty());
    // A column the models lack, an index dropped, a table the models lack.
    conn.exec_driver_sql("ALTER TABLE authors ADD COLUMN nickname VARCHAR(20)");
    exec("DROP INDEX ix_books_title", "DROP INDEX ix_books_title", "DROP INDEX ix_books_title ON books");
    conn.exec_driver_sql("CREATE TABLE extras (id INTEGER NOT NULL, label VARCHAR(10), PRIMARY KEY (id))");
    // notes.score's type changed, notes.body made nullable (SQLite: by recreating the table).
    if (db.kind() == backend::sqlite) {
        conn.exec_driver_sql("DROP TABLE notes");
        conn.exec_driver_sql("CREATE TABLE notes (id INTEGER NOT NULL, body TEXT DEFAULT 'none', score INTEGER, PRIMARY KEY (id))");
    } else if (db.kind() == backend::postgresql) {
        conn.exec_driver_sql("ALTER TABLE notes ALTER COLUMN score TYPE INTEGER, ALTER COLUMN body DROP NOT NULL");
    } else {
        conn.exec_driver_sql("ALTER TABLE notes MODIFY score INTEGER NULL, MODIFY body LONGTEXT NULL DEFAULT 'none'");
    }
    std::vector<std::string> expected{"drop_table extras", "alter_column notes.body nullable", "alter_column notes.score type",
                                      "drop_column authors.nickname", "create_index books.ix_books_title"};
    // A changed server default (SQLite's ALTER TABLE cannot change one).
    if (db.kind() != backend::sqlite) {
        conn.exec_driver_sql("ALTER TABLE books ALTER COLUMN pages SET DEFAULT 5");
        expected.insert(expected.begin() + 1, "alter_column books.pages server_default");
    }
    const auto found = diff();
    BOOST_TEST(summary(found) == expected, boost::test_tools::per_element());
    BOOST_TEST(found.warnings.empty());
    BOOST_TEST(described(found).find("Detected added index 'ix_books_title' on ['title'] of table books") != std::string::npos);
    BOOST_TEST(described(found).find("Detected removed column 'authors.nickname'") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(renamed_column_is_drop_and_add_with_a_warning, database_fixture) {
    create();
    conn.exec_driver_sql("ALTER TABLE notes RENAME COLUMN body TO text_body");
    const auto found = diff();
    BOOST_TEST(summary(found) == (std::vector<std::string>{"add_column notes.body", "drop_column notes.text_body"}),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(found.warnings.size() == 1u);
    BOOST_TEST(found.warnings[0].find("op.alter_column(\"notes\", \"text_body\", {.new_column_name = \"body\"})") != std::string::npos,
               found.warnings[0]);
}

BOOST_FIXTURE_TEST_CASE(check_constraints_are_read, database_fixture) {
    conn.exec_driver_sql("CREATE TABLE checked (id INTEGER NOT NULL, qty INTEGER, note VARCHAR(20),"
                         " CONSTRAINT ck_checked_qty CHECK (qty > 0), PRIMARY KEY (id))");
    const auto schema = rm::inspect(conn);
    const auto* checked = schema.table("checked");
    BOOST_TEST_REQUIRE(checked);
    BOOST_TEST_REQUIRE(checked->check_constraints.size() == 1u);
    BOOST_TEST(checked->check_constraints[0].name == "ck_checked_qty");
    const auto& sql = checked->check_constraints[0].sql;  // the expression as the backend spells it, without CHECK: (qty > 0), `qty` > 0
    BOOST_TEST((sql.find("qty") != std::string::npos && sql.find("> 0") != std::string::npos), sql);
    BOOST_TEST(sql.find("CHECK") == std::string::npos, sql);
    // Check constraints are not compared (Alembic does not either): the table is only extra.
    BOOST_TEST(summary(rm::compare({}, schema, conn.dialect().id())) == std::vector<std::string>{"drop_table checked"},
               boost::test_tools::per_element());
}

// Batch mode (SQLite) rebuilds a table from what inspect reads: the rebuilt table keeps its
// constraints' names and the capital's DEFERRABLE INITIALLY DEFERRED key, so a country still goes
// in before its capital city in one transaction. The servers' ALTERs keep both anyway; inspect
// reads the deferrable key on PostgreSQL too (MariaDB has none).
BOOST_FIXTURE_TEST_CASE(batch_mode_keeps_constraint_names_and_deferrable_keys, database_fixture) {
    reflorm::create_all<world::Country, world::City, Author, Book>(conn);
    const bool deferrable = db.kind() != backend::mysql;
    const auto before = rm::inspect(conn);
    BOOST_TEST_REQUIRE(before.table("country")->foreign_keys.size() == 1u);
    BOOST_TEST(before.table("country")->foreign_keys[0].name == "fk_country_capital");
    BOOST_TEST(before.table("country")->foreign_keys[0].deferrable == deferrable);
    BOOST_TEST_REQUIRE(before.table("books")->foreign_keys.size() == 1u);
    BOOST_TEST(before.table("books")->foreign_keys[0].name == "fk_books_author_id");
    BOOST_TEST(!before.table("books")->foreign_keys[0].deferrable);
    BOOST_TEST_REQUIRE(before.table("books")->unique_constraints.size() == 1u);
    BOOST_TEST(before.table("books")->unique_constraints[0].name == "uq_books_isbn_edition");
    const auto four = rm::from_models<world::Country, world::City, Author, Book>(conn.dialect());
    BOOST_TEST(rm::compare(four, before, conn.dialect().id()).empty(), described(rm::compare(four, before, conn.dialect().id())));
    BOOST_TEST(four.table("country")->foreign_keys[0].deferrable == deferrable);  // from_models: as create_all writes it

    rm::revision_map map;
    map.add({"a1", "", "alter country and books", "",
             [](rm::operations& op) {
                 op.alter_column("country", "name", {.type = rm::types::string(60)});
                 op.alter_column("books", "pages", {.type = rm::types::big_integer()});
             },
             [](rm::operations&) {}});
    std::ostringstream log;
    rm::migration_context(conn, map, log).upgrade("head");

    const auto after = rm::inspect(conn);
    for (const std::string name : {"country", "books"}) {
        const auto& was = *before.table(name);
        const auto& is = *after.table(name);
        BOOST_TEST(is.primary_key_name == was.primary_key_name, name);
        BOOST_TEST((is.unique_constraints == was.unique_constraints), name);
        BOOST_TEST((is.foreign_keys == was.foreign_keys), name);
    }
    BOOST_TEST(after.table("country")->foreign_keys[0].deferrable == deferrable);
    if (!deferrable) return;  // MariaDB checks every row at once
    auto tx = conn.begin();
    conn.exec_driver_sql("INSERT INTO country (code, name, surface_area, population, capital) VALUES ('ATL', 'Atlantis', 1, 2, 9001)");
    conn.exec_driver_sql("INSERT INTO city (id, name, country_code, population) VALUES (9001, 'Poseidonia', 'ATL', 2)");
    BOOST_CHECK_NO_THROW(tx.commit());
}

// SQLite keeps constraint names and DEFERRABLE only in its CREATE TABLE text: the parser reads
// quoted names, skips strings with commas and parentheses, comments, nested parentheses in CHECK
// and DEFAULT, and tells column constraints from table ones. SQLite only: the servers' catalogs
// report these as columns.
BOOST_FIXTURE_TEST_CASE(sqlite_constraints_are_read_from_the_create_table_text, database_fixture,
                        *reflorm_test::only_on_sqlite("only SQLite's catalog needs the CREATE TABLE text")) {
    conn.exec_driver_sql("CREATE TABLE \"odd \"\"parent\"\"\" (id INTEGER PRIMARY KEY, code TEXT)");
    conn.exec_driver_sql(
        "CREATE TABLE [odd child] (\n"
        "  id INTEGER NOT NULL, -- the key, (with a comment\n"
        "  note TEXT CONSTRAINT nn NOT NULL DEFAULT ('a, b) CONSTRAINT fake UNIQUE (x)') CHECK (length(note) > (1)),\n"
        "  \"parent id\" INTEGER CONSTRAINT \"fk child, parent\" REFERENCES \"odd \"\"parent\"\"\" (id) ON DELETE SET NULL\n"
        "    DEFERRABLE INITIALLY DEFERRED,\n"
        "  other INTEGER,\n"
        "  code TEXT COLLATE NOCASE,\n"
        "  /* a block, comment ) */ CONSTRAINT `pk child` PRIMARY KEY (id),\n"
        "  CONSTRAINT uq_child_code UNIQUE (code COLLATE NOCASE, other DESC),\n"
        "  UNIQUE (other),\n"
        "  CONSTRAINT ck_child CHECK (other IN (1, 2, (3))),\n"
        "  FOREIGN KEY (other) REFERENCES \"odd \"\"parent\"\"\" (id) DEFERRABLE INITIALLY IMMEDIATE\n"
        ")");
    const auto schema = rm::inspect(conn);
    const auto* child = schema.table("odd child");
    BOOST_TEST_REQUIRE(child);
    BOOST_TEST(child->primary_key_name == "pk child");
    BOOST_TEST_REQUIRE(child->unique_constraints.size() == 2u);
    const auto& named = child->unique_constraints[0].name == "uq_child_code" ? child->unique_constraints[0] : child->unique_constraints[1];
    const auto& unnamed = &named == &child->unique_constraints[0] ? child->unique_constraints[1] : child->unique_constraints[0];
    BOOST_TEST(named.name == "uq_child_code");
    BOOST_TEST((named.columns == std::vector<std::string>{"code", "other"}));
    BOOST_TEST(unnamed.name.starts_with("sqlite_autoindex_"), unnamed.name);  // SQLite's own name
    BOOST_TEST((unnamed.columns == std::vector<std::string>{"other"}));
    BOOST_TEST_REQUIRE(child->foreign_keys.size() == 2u);
    for (const auto& key : child->foreign_keys) {
        BOOST_TEST(key.referred_table == "odd \"parent\"");
        BOOST_TEST((key.referred_columns == std::vector<std::string>{"id"}));
        if (key.columns == std::vector<std::string>{"parent id"}) {
            BOOST_TEST(key.name == "fk child, parent");
            BOOST_TEST(key.deferrable);
            BOOST_TEST(key.on_delete == reflorm::referential_action::set_null);
        } else {
            BOOST_TEST((key.columns == std::vector<std::string>{"other"}));
            BOOST_TEST(key.name.empty());
            BOOST_TEST(!key.deferrable);  // DEFERRABLE INITIALLY IMMEDIATE is checked at once
        }
    }
    BOOST_TEST_REQUIRE(child->check_constraints.size() == 2u);
    BOOST_TEST(child->check_constraints[0].name == "");
    BOOST_TEST(child->check_constraints[0].sql == "length(note) > (1)");
    BOOST_TEST(child->check_constraints[1].name == "ck_child");
    BOOST_TEST(child->check_constraints[1].sql == "other IN (1, 2, (3))");
}

namespace {
std::vector<rm::operation> pending;  // what the next revision of the test below runs
}  // namespace

// A foreign key's DEFERRABLE INITIALLY DEFERRED is compared, as Alembic's autogenerate does
// where the backend reflects it: a change is the key removed and added again (remove_fk,
// add_fk), autogenerate writes the deferrable key, and running the operations makes the
// database match. MariaDB has no deferrable keys: no change there.
BOOST_FIXTURE_TEST_CASE(a_changed_deferrability_drops_and_creates_the_key, database_fixture) {
    reflorm::create_all<world::Country, world::City>(conn);
    const auto models = rm::from_models<world::Country, world::City>(conn.dialect());
    rm::revision_map map;
    map.add({"d1", "", "an immediate capital key", "",
             [](rm::operations& op) {
                 op.drop_constraint("fk_country_capital", "country", rm::constraint_kind::foreign_key);
                 op.create_foreign_key("fk_country_capital", "country", "city", {"capital"}, {"id"});
             },
             [](rm::operations&) {}});
    map.add({"d2", "d1", "what compare found", "", [](rm::operations& op) {
                 for (const auto& o : pending) op.run(o);
             },
             [](rm::operations&) {}});
    std::ostringstream log;
    rm::migration_context(conn, map, log).upgrade("d1");
    BOOST_TEST(!rm::inspect(conn).table("country")->foreign_keys.at(0).deferrable);

    const auto diff = rm::compare(models, rm::inspect(conn), conn.dialect().id());
    if (db.kind() == backend::mysql) {
        BOOST_TEST(diff.empty(), described(diff));
        return;
    }
    BOOST_TEST(summary(diff) == (std::vector<std::string>{"drop_foreign_key country", "create_foreign_key country.fk_country_capital"}),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(diff.operations.size() == 2u);
    BOOST_TEST(rm::operation_cpp(diff.operations[1]) ==
               "op.create_foreign_key(\"fk_country_capital\", \"country\", \"city\", {\"capital\"}, {\"id\"}, "
               "reflorm::referential_action::no_action, reflorm::referential_action::no_action, true)");
    pending = diff.operations;
    rm::migration_context(conn, map, log).upgrade("head");
    pending.clear();
    BOOST_TEST(rm::inspect(conn).table("country")->foreign_keys.at(0).deferrable);
    BOOST_TEST(rm::compare(models, rm::inspect(conn), conn.dialect().id()).empty());
    auto tx = conn.begin();  // the key is checked at COMMIT again
    conn.exec_driver_sql("INSERT INTO country (code, name, surface_area, population, capital) VALUES ('ATL', 'Atlantis', 1, 2, 9001)");
    conn.exec_driver_sql("INSERT INTO city (id, name, country_code, population) VALUES (9001, 'Poseidonia', 'ATL', 2)");
    BOOST_CHECK_NO_THROW(tx.commit());
}
