// migrate layer without a database: type comparison per dialect, server default normalisation,
// the naming convention, from_models' names and types, and compare() on hand-built schemas
// (order, descriptions, rename warnings, reverse operations).
#define BOOST_TEST_MODULE migrate_compare
#include <boost/test/unit_test.hpp>

#include "models.hpp"

#include <reflorm/dialect/dialect.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/migrate.hpp>

#include <string>
#include <utility>
#include <vector>

namespace rm = reflorm::migrate;
BOOST_TEST_DONT_PRINT_LOG_VALUE(reflorm::migrate::type_family)
BOOST_TEST_DONT_PRINT_LOG_VALUE(reflorm::referential_action)
using reflorm::sql::dialect_id;
using namespace migrate_test;

namespace {

bool same(dialect_id d, std::string_view model, std::string_view database) {
    return rm::same_type(rm::parse_type(d, model), rm::parse_type(d, database), d);
}

// Each pair {model's spelling, database's spelling} in `same` is one type on `d`; each in
// `different` is a change.
void check_pairs(dialect_id d, std::vector<std::pair<const char*, const char*>> same_pairs,
                 std::vector<std::pair<const char*, const char*>> different_pairs) {
    for (const auto& [model, database] : same_pairs) BOOST_TEST(same(d, model, database), model << " / " << database);
    for (const auto& [model, database] : different_pairs) BOOST_TEST(!same(d, model, database), model << " / " << database);
}

std::vector<std::string> descriptions(const rm::schema_diff& diff) {
    std::vector<std::string> out;
    for (const auto& op : diff.operations) out.push_back(rm::describe(op));
    return out;
}

rm::table_model notes(std::vector<std::string> columns) {
    rm::table_model t;
    t.name = "notes";
    for (auto& c : columns) t.columns.push_back({c, rm::parse_type(dialect_id::sqlite, "TEXT"), true, "", false});
    return t;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sqlite_compares_type_families_only) {
    check_pairs(dialect_id::sqlite,
                {
                    {"INTEGER", "BIGINT"},
                    {"INTEGER", "INT"},
                    {"SMALLINT", "integer"},
                    {"VARCHAR(40)", "TEXT"},
                    {"VARCHAR(40)", "varchar(10)"},
                    {"FLOAT", "REAL"},
                    {"NUMERIC(10, 2)", "NUMERIC(12,4)"},
                    {"UNSIGNED BIG INT", "INTEGER"},  // SQLite's INT affinity rule
                },
                {
                    {"INTEGER", "TEXT"},
                    {"FLOAT", "INTEGER"},
                    {"BOOLEAN", "INTEGER"},
                    {"DATETIME", "DATE"},
                });
}

BOOST_AUTO_TEST_CASE(postgresql_spellings_compare_equal) {
    check_pairs(dialect_id::postgresql,
                {
                    {"INTEGER", "integer"},
                    {"INTEGER", "int4"},
                    {"BIGINT", "int8"},
                    {"SMALLINT", "int2"},
                    {"VARCHAR(40)", "character varying(40)"},
                    {"CHAR(36)", "character(36)"},
                    {"TIMESTAMP(0)", "timestamp(0) without time zone"},
                    {"TIMESTAMP(6)", "timestamp without time zone"},  // 6 digits by default
                    {"TIMESTAMP(0) WITH TIME ZONE", "timestamp(0) with time zone"},
                    {"NUMERIC(10, 2)", "numeric(10,2)"},
                    {"NUMERIC(20)", "numeric(20,0)"},
                    {"DOUBLE PRECISION", "double precision"},
                    {"FLOAT", "float8"},
                    {"JSONB", "jsonb"},
                    {"BYTEA", "bytea"},
                },
                {
                    {"INTEGER", "bigint"},
                    {"VARCHAR(40)", "character varying(50)"},
                    {"VARCHAR(40)", "text"},
                    {"TIMESTAMP(0) WITH TIME ZONE", "timestamp(0) without time zone"},
                    {"TIMESTAMP(0)", "timestamp(6) without time zone"},
                    {"NUMERIC(10, 2)", "numeric(12,2)"},
                    {"REAL", "double precision"},
                    {"JSONB", "json"},
                });
}

BOOST_AUTO_TEST_CASE(mariadb_display_widths_booleans_and_json) {
    check_pairs(dialect_id::mariadb,
                {
                    {"INTEGER", "int(11)"},
                    {"BIGINT", "bigint(20)"},
                    {"INTEGER UNSIGNED", "int(10) unsigned"},
                    {"BOOL", "tinyint(1)"},
                    {"TINYINT", "tinyint(4)"},
                    {"JSON", "longtext"},
                    {"DATETIME", "datetime"},
                    {"DATETIME(6)", "datetime(6)"},
                    {"DECIMAL(10, 2)", "decimal(10,2)"},
                    {"FLOAT", "float"},
                    {"LONGBLOB", "longblob"},
                },
                {
                    {"INTEGER UNSIGNED", "int(11)"},
                    {"TINYINT", "tinyint(1)"},
                    {"LONGTEXT", "text"},
                    {"DATETIME(6)", "datetime"},
                    {"FLOAT", "double"},
                    {"VARCHAR(255)", "varchar(100)"},
                });
}

BOOST_AUTO_TEST_CASE(unknown_types_compare_by_name) {
    BOOST_TEST(rm::parse_type(dialect_id::postgresql, "tsvector").family == rm::type_family::other);
    BOOST_TEST(same(dialect_id::postgresql, "TSVECTOR", "tsvector"));
    BOOST_TEST(!same(dialect_id::postgresql, "tsvector", "inet"));
}

BOOST_AUTO_TEST_CASE(server_defaults_normalised) {
    BOOST_TEST(rm::normalise_server_default("'abc'::character varying") == "'abc'");
    BOOST_TEST(rm::normalise_server_default("('ABC')") == "'ABC'");  // literals keep their case
    BOOST_TEST(rm::normalise_server_default("(0)") == "0");
    BOOST_TEST(rm::normalise_server_default("NULL").empty());
    BOOST_TEST(rm::normalise_server_default("(a) + (b)") == "(a) + (b)");
    BOOST_TEST(rm::same_server_default("CURRENT_TIMESTAMP", "current_timestamp()"));
    BOOST_TEST(rm::same_server_default("CURRENT_TIMESTAMP", "now()"));
    BOOST_TEST(rm::same_server_default("", "NULL"));
    BOOST_TEST(!rm::same_server_default("0", "1"));
    BOOST_TEST(!rm::same_server_default("'a'", "'A'"));
}

BOOST_AUTO_TEST_CASE(naming_convention_tokens) {
    const std::vector<std::string> columns{"a", "b"};
    BOOST_TEST(rm::apply_naming_convention("ix_%(table_name)s_%(column_0_N_name)s", "t", columns) == "ix_t_a_b");
    // Past 63 characters (PostgreSQL would truncate it silently): shortened with a hash, as create_all does.
    const std::vector<std::string> long_columns{"first_long_column_name", "second_long_column_name"};
    BOOST_TEST(rm::apply_naming_convention("fk_%(table_name)s_%(column_0_N_name)s", "a_table_with_a_rather_long_name", long_columns) ==
               "fk_a_table_with_a_rather_long_name_first_long_column_n_7fd852a6");
    BOOST_TEST(rm::apply_naming_convention("uq_%(table_name)s_%(column_0_name)s", "t", columns) == "uq_t_a");
    BOOST_TEST(rm::apply_naming_convention("ix_%(column_0_label)s", "t", columns) == "ix_t_a");
    BOOST_TEST(rm::apply_naming_convention("ix_%(column_0_N_label)s", "t", columns) == "ix_t_a_t_b");
    BOOST_TEST(rm::apply_naming_convention("fk_%(table_name)s_%(referred_table_name)s", "t", columns, "r") == "fk_t_r");
    BOOST_CHECK_THROW(rm::apply_naming_convention("x_%(colour)s", "t", columns), reflorm::invalid_request_error);
    BOOST_CHECK_THROW(rm::apply_naming_convention("x_%(column_0_name)s", "t", {}), reflorm::invalid_request_error);
    BOOST_CHECK_THROW(rm::apply_naming_convention("x_%(table_name", "t", columns), reflorm::invalid_request_error);
}

BOOST_AUTO_TEST_CASE(from_models_names_and_types) {
    const auto schema = rm::from_models<Author, Book>(reflorm::dialect::sqlite());
    BOOST_TEST_REQUIRE(schema.tables.size() == 2u);
    const auto& authors = schema.tables[0];
    const auto& books = schema.tables[1];
    BOOST_TEST(authors.name == "authors");
    BOOST_TEST(authors.primary_key_name == "authors_pkey");
    BOOST_TEST_REQUIRE(authors.unique_constraints.size() == 1u);
    BOOST_TEST(authors.unique_constraints[0].name == "uq_authors_name");
    BOOST_TEST(authors.column("id")->autoincrement);
    BOOST_TEST(authors.column("email")->nullable);
    BOOST_TEST(!authors.column("name")->nullable);
    BOOST_TEST(authors.column("name")->type.name == "VARCHAR(40)");
    BOOST_TEST_REQUIRE(books.indexes.size() == 1u);
    BOOST_TEST(books.indexes[0].name == "ix_books_title");  // what create_all's CREATE INDEX names it
    BOOST_TEST(books.unique_constraints[0].name == "uq_books_isbn_edition");
    BOOST_TEST((books.unique_constraints[0].columns == std::vector<std::string>{"isbn", "edition"}));
    BOOST_TEST_REQUIRE(books.foreign_keys.size() == 1u);
    BOOST_TEST(books.foreign_keys[0].name == "fk_books_author_id");  // sql::foreign_key_name's
    BOOST_TEST(books.foreign_keys[0].referred_table == "authors");
    BOOST_TEST(books.foreign_keys[0].on_delete == reflorm::referential_action::cascade);
    BOOST_TEST(books.column("added")->server_default == "CURRENT_TIMESTAMP");

    // The types are the dialect's: a keyed string is VARCHAR(255) on MariaDB, JSON its own type.
    const auto maria = rm::from_models<Author, Book>(reflorm::dialect::mariadb());
    BOOST_TEST(maria.tables[0].column("email")->type.name == "LONGTEXT");
    BOOST_TEST(maria.tables[1].column("meta")->type.family == rm::type_family::json);
    BOOST_TEST(maria.tables[1].column("in_print")->type.family == rm::type_family::boolean);
    const auto pg = rm::from_models<Author, Book>(reflorm::dialect::postgresql());
    BOOST_TEST(pg.tables[1].column("added")->type.precision == 0);
    BOOST_TEST(pg.tables[1].column("touched")->type.precision == 6);
}

BOOST_AUTO_TEST_CASE(models_compared_with_themselves_differ_in_nothing) {
    for (const auto* d : {&reflorm::dialect::sqlite(), &reflorm::dialect::postgresql(), &reflorm::dialect::mariadb()}) {
        const auto schema = rm::from_models<Author, Book, Note>(*d);
        const auto diff = rm::compare(schema, schema, d->id());
        BOOST_TEST(diff.empty(), d->name());
        BOOST_TEST(diff.warnings.empty());
    }
}

BOOST_AUTO_TEST_CASE(new_tables_are_created_referenced_first_and_dropped_referencing_first) {
    const auto& d = reflorm::dialect::postgresql();
    const auto schema = rm::from_models<Book, Author>(d);  // Book first: compare must put authors first
    const auto up = rm::compare(schema, {}, d.id());
    BOOST_TEST(descriptions(up) == (std::vector<std::string>{"Detected added table 'authors'", "Detected added table 'books'",
                                                              "Detected added index 'ix_books_title' on ['title'] of table books"}),
               boost::test_tools::per_element());
    const auto down = rm::compare({}, schema, d.id());
    BOOST_TEST(descriptions(down) == (std::vector<std::string>{"Detected removed index 'ix_books_title' on table books",
                                                                "Detected removed table 'books'", "Detected removed table 'authors'"}),
               boost::test_tools::per_element());
    // The created table carries its constraints, not its indexes (they are operations of their own).
    const auto& created = std::get<rm::create_table>(up.operations[1]).table;
    BOOST_TEST(created.indexes.empty());
    BOOST_TEST(created.foreign_keys.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_renamed_column_is_a_drop_and_an_add_with_a_warning) {
    rm::schema_model models{{notes({"id", "body"})}};
    rm::schema_model database{{notes({"id", "text"})}};
    const auto diff = rm::compare(models, database, dialect_id::sqlite);
    BOOST_TEST(descriptions(diff) ==
                   (std::vector<std::string>{"Detected added column 'notes.body'", "Detected removed column 'notes.text'"}),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(diff.warnings.size() == 1u);
    BOOST_TEST(diff.warnings[0].find("op.alter_column(\"notes\", \"text\", {.new_column_name = \"body\"})") != std::string::npos, diff.warnings[0]);
}

// The warning names the call as a revision writes it (op.rename_table of op.hpp).
BOOST_AUTO_TEST_CASE(a_renamed_table_is_a_drop_and_a_create_with_a_warning) {
    auto memos = notes({"id", "body"});
    memos.name = "memos";
    const auto diff = rm::compare({{memos}}, {{notes({"id", "body"})}}, dialect_id::postgresql);
    BOOST_TEST_REQUIRE(diff.warnings.size() == 1u);
    BOOST_TEST(diff.warnings[0].find("use op.rename_table(\"notes\", \"memos\") instead") != std::string::npos, diff.warnings[0]);
}

BOOST_AUTO_TEST_CASE(alter_column_describes_each_change_and_reverses) {
    auto database = notes({"id", "body"});
    auto models = database;
    models.columns[1].type = rm::parse_type(dialect_id::postgresql, "VARCHAR(10)");
    models.columns[1].nullable = false;
    models.columns[1].server_default = "'x'";
    database.columns[1].type = rm::parse_type(dialect_id::postgresql, "text");
    const auto diff = rm::compare({{models}}, {{database}}, dialect_id::postgresql);
    BOOST_TEST_REQUIRE(diff.operations.size() == 1u);
    BOOST_TEST(rm::describe(diff.operations[0]) ==
               "Detected type change from text to VARCHAR(10) on 'notes.body'; Detected NOT NULL on column 'notes.body'; "
               "Detected server default 'x' on column 'notes.body'");
    const auto back = std::get<rm::alter_column>(rm::reverse(diff.operations[0]));
    BOOST_TEST(back.target.type.name == "text");
    BOOST_TEST(back.target.nullable);
    BOOST_TEST(back.existing.server_default == "'x'");
    BOOST_TEST(std::holds_alternative<rm::drop_table>(rm::reverse(rm::create_table{models})));
}

BOOST_AUTO_TEST_CASE(constraints_compare_by_name_where_the_database_keeps_names) {
    auto models = rm::from_models<Author, Book>(reflorm::dialect::mariadb());
    auto database = models;
    database.tables[1].foreign_keys[0].name = "books_ibfk_1";  // the name MariaDB gives an unnamed key
    database.tables[1].unique_constraints[0].name = "isbn";    // and an unnamed unique constraint
    BOOST_TEST(descriptions(rm::compare(models, database, dialect_id::mariadb)) ==
                   (std::vector<std::string>{"Detected removed foreign key (author_id)(authors)(id) on table books",
                                             "Detected removed unique constraint 'isbn' on ['isbn', 'edition'] of table books",
                                             "Detected added unique constraint 'uq_books_isbn_edition' on ['isbn', 'edition'] of table books",
                                             "Detected added foreign key (author_id)(authors)(id) on table books"}),
               boost::test_tools::per_element());
    // SQLite keeps no foreign key names and names unique constraints itself: matched without names.
    auto sqlite_models = rm::from_models<Author, Book>(reflorm::dialect::sqlite());
    auto sqlite_database = sqlite_models;
    sqlite_database.tables[1].foreign_keys[0].name.clear();
    sqlite_database.tables[1].unique_constraints[0].name = "sqlite_autoindex_books_1";
    BOOST_TEST(rm::compare(sqlite_models, sqlite_database, dialect_id::sqlite).empty());

    database = models;
    database.tables[1].foreign_keys[0].on_delete = reflorm::referential_action::restrict;
    const auto diff = rm::compare(models, database, dialect_id::mariadb);
    BOOST_TEST(descriptions(diff) == (std::vector<std::string>{"Detected removed foreign key (author_id)(authors)(id) on table books",
                                                                "Detected added foreign key (author_id)(authors)(id) on table books"}),
               boost::test_tools::per_element());
    // RESTRICT and NO ACTION are one action on MySQL/MariaDB.
    models.tables[1].foreign_keys[0].on_delete = reflorm::referential_action::no_action;
    BOOST_TEST(rm::compare(models, database, dialect_id::mariadb).empty());
    BOOST_TEST(!rm::compare(models, database, dialect_id::postgresql).empty());
}
