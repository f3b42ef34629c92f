// schema layer, DDL text: CREATE TABLE / CREATE INDEX / DROP TABLE for each dialect, compared
// as whole strings, and identifier quoting. No database is needed.
#include <boost/test/unit_test.hpp>

#include <reflorm/dialect/dialect.hpp>
#include <reflorm/schema/options.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/bounded_identifier.hpp>
#include <reflorm/sql/ddl.hpp>

#include <boost/describe/enum.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ddl_test {

enum class Mood { happy, melancholic };
BOOST_DESCRIBE_ENUM(Mood, happy, melancholic)
enum Level : std::int32_t { low, high };

struct Author {
    std::int64_t id;
    std::string name;
    std::optional<std::string> email;
};

// One member of every supported type, and every kind of option.
struct Book {
    std::int64_t id;
    std::int64_t author_id;
    std::string isbn;
    std::string title;
    std::optional<std::string> subtitle;
    bool in_print;
    std::int8_t i8;
    std::int16_t i16;
    std::int32_t i32;
    std::uint8_t u8;
    std::uint16_t u16;
    std::uint32_t u32;
    std::uint64_t u64;
    float f32;
    double price;
    reflorm::date published;
    reflorm::timestamp added;
    std::optional<reflorm::timestamp_us> touched;
    reflorm::blob cover;
    Mood mood;
    Level level;
    std::string series;
    std::int32_t volume;
};

struct Tag {
    std::string code;
    std::string label;
};

struct BookTag {
    std::int64_t book_id;
    std::string tag_code;
};

// Reserved words and mixed case as table and column names.
struct Order {
    std::int64_t id;
    std::string group;
    std::int32_t user;
    std::string MixedCase;
};

struct Ledger {
    std::int64_t id;
    reflorm::numeric<12, 2> amount;
    std::optional<reflorm::numeric<38, 0>> big;
    reflorm::uuid ref;
    boost::json::value meta;
    reflorm::timestamp at;
    reflorm::timestamp_us at_us;
};

struct Quoted {
    std::int64_t id;
};
struct Backtick {
    std::int64_t id;
};

}  // namespace ddl_test

using namespace ddl_test;
using reflorm::referential_action;

template <>
struct reflorm::model<Book> {
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&Book::author_id, &Author::id>.on_delete(referential_action::cascade).deferrable(),
        reflorm::unique<&Book::isbn>,
        reflorm::max_length<&Book::title, 200>,
        reflorm::server_default<&Book::added>("CURRENT_TIMESTAMP"),
        reflorm::unique<&Book::series, &Book::volume>,
        reflorm::index<&Book::title>,
        reflorm::index<&Book::author_id, &Book::published>);
};
template <>
struct reflorm::model<Tag> {
    static constexpr auto primary_key = reflorm::primary_key<&Tag::code>;
};
template <>
struct reflorm::model<BookTag> {
    static constexpr auto primary_key = reflorm::primary_key<&BookTag::book_id, &BookTag::tag_code>;
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&BookTag::book_id, &Book::id>.on_delete(referential_action::cascade),
        reflorm::foreign_key<&BookTag::tag_code, &Tag::code>.on_update(referential_action::restrict).on_delete(
            referential_action::no_action));
};
template <>
struct reflorm::model<Order> {
    static constexpr auto table = "order";
    static constexpr auto columns = reflorm::columns(reflorm::index<&Order::group, &Order::user>);
};
template <>
struct reflorm::model<Ledger> {
    static constexpr auto columns = reflorm::columns(reflorm::with_time_zone<&Ledger::at>, reflorm::with_time_zone<&Ledger::at_us>);
};

template <>
struct reflorm::model<Quoted> {
    static constexpr auto table = "we\"ird";
};
template <>
struct reflorm::model<Backtick> {
    static constexpr auto table = "back`tick";
};

namespace {

namespace rd = reflorm::dialect;
namespace rs = reflorm::schema;
using reflorm::sql::create_index_sql;
using reflorm::sql::create_table_sql;
using reflorm::sql::drop_foreign_key_sql;
using reflorm::sql::drop_table_sql;
using strings = std::vector<std::string>;

std::string quoted(const reflorm::sql::compiler& d, std::string_view name) {
    std::string out;
    d.identifier(out, name);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ddl)

BOOST_AUTO_TEST_CASE(sqlite_rich_model) {
    const auto& d = rd::sqlite();
    BOOST_TEST(create_table_sql(d, rs::table_of<Book>) ==
               "CREATE TABLE IF NOT EXISTS books (\n"
               "\tid INTEGER NOT NULL,\n"  // exactly INTEGER: an alias of the rowid
               "\tauthor_id BIGINT NOT NULL,\n"
               "\tisbn TEXT NOT NULL,\n"
               "\ttitle VARCHAR(200) NOT NULL,\n"
               "\tsubtitle TEXT,\n"
               "\tin_print BOOLEAN NOT NULL,\n"
               "\ti8 SMALLINT NOT NULL,\n"
               "\ti16 SMALLINT NOT NULL,\n"
               "\ti32 INTEGER NOT NULL,\n"
               "\tu8 SMALLINT NOT NULL,\n"
               "\tu16 INTEGER NOT NULL,\n"
               "\tu32 BIGINT NOT NULL,\n"
               "\tu64 BIGINT NOT NULL,\n"
               "\tf32 REAL NOT NULL,\n"
               "\tprice FLOAT NOT NULL,\n"
               "\tpublished DATE NOT NULL,\n"
               "\tadded DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
               "\ttouched DATETIME,\n"
               "\tcover BLOB NOT NULL,\n"
               "\tmood VARCHAR(11) NOT NULL,\n"
               "\tlevel INTEGER NOT NULL,\n"
               "\tseries TEXT NOT NULL,\n"
               "\tvolume INTEGER NOT NULL,\n"
               "\tCONSTRAINT books_pkey PRIMARY KEY (id),\n"
               "\tCONSTRAINT uq_books_isbn UNIQUE (isbn),\n"
               "\tCONSTRAINT uq_books_series_volume UNIQUE (series, volume),\n"
               "\tCONSTRAINT fk_books_author_id FOREIGN KEY(author_id) REFERENCES authors (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED\n"
               ")");
    BOOST_TEST(create_index_sql(d, rs::table_of<Book>) ==
                   (strings{"CREATE INDEX IF NOT EXISTS ix_books_title ON books (title)",
                            "CREATE INDEX IF NOT EXISTS ix_books_author_id_published ON books (author_id, published)"}),
               boost::test_tools::per_element());
    BOOST_TEST(drop_table_sql(d, rs::table_of<Book>) == "DROP TABLE IF EXISTS books");
}

BOOST_AUTO_TEST_CASE(postgresql_rich_model) {
    const auto& d = rd::postgresql();
    BOOST_TEST(create_table_sql(d, rs::table_of<Book>) ==
               "CREATE TABLE IF NOT EXISTS books (\n"
               "\tid BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
               "\tauthor_id BIGINT NOT NULL,\n"
               "\tisbn TEXT NOT NULL,\n"
               "\ttitle VARCHAR(200) NOT NULL,\n"
               "\tsubtitle TEXT,\n"
               "\tin_print BOOLEAN NOT NULL,\n"
               "\ti8 SMALLINT NOT NULL,\n"
               "\ti16 SMALLINT NOT NULL,\n"
               "\ti32 INTEGER NOT NULL,\n"
               "\tu8 SMALLINT NOT NULL,\n"
               "\tu16 INTEGER NOT NULL,\n"
               "\tu32 BIGINT NOT NULL,\n"
               "\tu64 NUMERIC(20) NOT NULL,\n"
               "\tf32 REAL NOT NULL,\n"
               "\tprice DOUBLE PRECISION NOT NULL,\n"
               "\tpublished DATE NOT NULL,\n"
               "\tadded TIMESTAMP(0) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
               "\ttouched TIMESTAMP(6),\n"
               "\tcover BYTEA NOT NULL,\n"
               "\tmood VARCHAR(11) NOT NULL,\n"
               "\tlevel INTEGER NOT NULL,\n"
               "\tseries TEXT NOT NULL,\n"
               "\tvolume INTEGER NOT NULL,\n"
               "\tCONSTRAINT books_pkey PRIMARY KEY (id),\n"
               "\tCONSTRAINT uq_books_isbn UNIQUE (isbn),\n"
               "\tCONSTRAINT uq_books_series_volume UNIQUE (series, volume),\n"
               "\tCONSTRAINT fk_books_author_id FOREIGN KEY(author_id) REFERENCES authors (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED\n"
               ")");
    BOOST_TEST(create_index_sql(d, rs::table_of<Book>) ==
                   (strings{"CREATE INDEX IF NOT EXISTS ix_books_title ON books (title)",
                            "CREATE INDEX IF NOT EXISTS ix_books_author_id_published ON books (author_id, published)"}),
               boost::test_tools::per_element());
    BOOST_TEST(drop_table_sql(d, rs::table_of<Book>) == "DROP TABLE IF EXISTS books");
}

BOOST_AUTO_TEST_CASE(mysql_rich_model) {
    const auto& d = rd::mysql();
    BOOST_TEST(create_table_sql(d, rs::table_of<Book>) ==
               "CREATE TABLE IF NOT EXISTS books (\n"
               "\tid BIGINT NOT NULL AUTO_INCREMENT,\n"
               "\tauthor_id BIGINT NOT NULL,\n"
               "\tisbn VARCHAR(255) NOT NULL,\n"  // a keyed TEXT needs a length in MySQL
               "\ttitle VARCHAR(200) NOT NULL,\n"
               "\tsubtitle LONGTEXT,\n"  // TEXT stops at 64 KiB
               "\tin_print BOOL NOT NULL,\n"
               "\ti8 TINYINT NOT NULL,\n"
               "\ti16 SMALLINT NOT NULL,\n"
               "\ti32 INTEGER NOT NULL,\n"
               "\tu8 TINYINT UNSIGNED NOT NULL,\n"
               "\tu16 SMALLINT UNSIGNED NOT NULL,\n"
               "\tu32 INTEGER UNSIGNED NOT NULL,\n"
               "\tu64 BIGINT UNSIGNED NOT NULL,\n"
               "\tf32 FLOAT NOT NULL,\n"
               "\tprice DOUBLE NOT NULL,\n"
               "\tpublished DATE NOT NULL,\n"
               "\tadded DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
               "\ttouched DATETIME(6),\n"
               "\tcover LONGBLOB NOT NULL,\n"
               "\tmood VARCHAR(11) NOT NULL,\n"
               "\tlevel INTEGER NOT NULL,\n"
               "\tseries VARCHAR(255) NOT NULL,\n"  // in a composite UNIQUE
               "\tvolume INTEGER NOT NULL,\n"
               "\tCONSTRAINT books_pkey PRIMARY KEY (id),\n"
               "\tCONSTRAINT uq_books_isbn UNIQUE (isbn),\n"
               "\tCONSTRAINT uq_books_series_volume UNIQUE (series, volume),\n"
               "\tCONSTRAINT fk_books_author_id FOREIGN KEY(author_id) REFERENCES authors (id) ON DELETE CASCADE\n"  // no DEFERRABLE in MySQL
               ")");
    BOOST_TEST(create_index_sql(d, rs::table_of<Book>) ==
                   (strings{"CREATE INDEX ix_books_title ON books (title)",
                            "CREATE INDEX ix_books_author_id_published ON books (author_id, published)"}),
               boost::test_tools::per_element());
    BOOST_TEST(drop_table_sql(d, rs::table_of<Book>) == "DROP TABLE IF EXISTS books");
}

BOOST_AUTO_TEST_CASE(decimal_uuid_json_and_time_zone_columns_per_dialect) {
    const auto columns = [](const reflorm::sql::compiler& d) {
        const std::string sql = create_table_sql(d, rs::table_of<Ledger>, false);
        return sql.substr(sql.find('(') + 1);
    };
    BOOST_TEST(columns(rd::sqlite()) ==
               "\n\tid INTEGER NOT NULL,\n\tamount NUMERIC(12, 2) NOT NULL,\n\tbig NUMERIC(38, 0),\n\tref CHAR(36) NOT NULL,\n"
               "\tmeta TEXT NOT NULL,\n\tat DATETIME NOT NULL,\n\tat_us DATETIME NOT NULL,\n\tCONSTRAINT ledgers_pkey PRIMARY KEY (id)\n)");
    BOOST_TEST(columns(rd::postgresql()) ==
               "\n\tid BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n\tamount NUMERIC(12, 2) NOT NULL,\n\tbig NUMERIC(38, 0),\n"
               "\tref UUID NOT NULL,\n\tmeta JSONB NOT NULL,\n\tat TIMESTAMP(0) WITH TIME ZONE NOT NULL,\n"
               "\tat_us TIMESTAMP(6) WITH TIME ZONE NOT NULL,\n\tCONSTRAINT ledgers_pkey PRIMARY KEY (id)\n)");
    for (const auto* d : {&rd::mysql(), &rd::mariadb()})
        BOOST_TEST(columns(*d) ==
                   "\n\tid BIGINT NOT NULL AUTO_INCREMENT,\n\tamount DECIMAL(12, 2) NOT NULL,\n\tbig DECIMAL(38, 0),\n"
                   "\tref CHAR(36) NOT NULL,\n\tmeta JSON NOT NULL,\n\tat DATETIME NOT NULL,\n\tat_us DATETIME(6) NOT NULL,\n"
                   "\tCONSTRAINT ledgers_pkey PRIMARY KEY (id)\n)");
}

BOOST_AUTO_TEST_CASE(composite_primary_key_and_foreign_keys) {
    const std::string sqlite_pg =
        "CREATE TABLE IF NOT EXISTS book_tags (\n"
        "\tbook_id BIGINT NOT NULL,\n"
        "\ttag_code TEXT NOT NULL,\n"
        "\tCONSTRAINT book_tags_pkey PRIMARY KEY (book_id, tag_code),\n"
        "\tCONSTRAINT fk_book_tags_book_id FOREIGN KEY(book_id) REFERENCES books (id) ON DELETE CASCADE,\n"
        "\tCONSTRAINT fk_book_tags_tag_code FOREIGN KEY(tag_code) REFERENCES tags (code) ON UPDATE RESTRICT\n"
        ")";
    BOOST_TEST(create_table_sql(rd::sqlite(), rs::table_of<BookTag>) == sqlite_pg);
    BOOST_TEST(create_table_sql(rd::postgresql(), rs::table_of<BookTag>) == sqlite_pg);
    BOOST_TEST(create_table_sql(rd::mysql(), rs::table_of<BookTag>) ==
               "CREATE TABLE IF NOT EXISTS book_tags (\n"
               "\tbook_id BIGINT NOT NULL,\n"
               "\ttag_code VARCHAR(255) NOT NULL,\n"
               "\tCONSTRAINT book_tags_pkey PRIMARY KEY (book_id, tag_code),\n"
               "\tCONSTRAINT fk_book_tags_book_id FOREIGN KEY(book_id) REFERENCES books (id) ON DELETE CASCADE,\n"
               "\tCONSTRAINT fk_book_tags_tag_code FOREIGN KEY(tag_code) REFERENCES tags (code) ON UPDATE RESTRICT\n"
               ")");
    // A text primary key is never generated: plain TEXT in SQLite, no IDENTITY in PostgreSQL.
    BOOST_TEST(create_table_sql(rd::sqlite(), rs::table_of<Tag>) ==
               "CREATE TABLE IF NOT EXISTS tags (\n\tcode TEXT NOT NULL,\n\tlabel TEXT NOT NULL,\n\tCONSTRAINT tags_pkey PRIMARY KEY (code)\n)");
    BOOST_TEST(create_table_sql(rd::postgresql(), rs::table_of<Tag>) ==
               "CREATE TABLE IF NOT EXISTS tags (\n\tcode TEXT NOT NULL,\n\tlabel TEXT NOT NULL,\n\tCONSTRAINT tags_pkey PRIMARY KEY (code)\n)");
    BOOST_TEST(create_table_sql(rd::mysql(), rs::table_of<Tag>) ==
               "CREATE TABLE IF NOT EXISTS tags (\n\tcode VARCHAR(255) NOT NULL,\n\tlabel LONGTEXT NOT NULL,\n\tCONSTRAINT tags_pkey PRIMARY KEY (code)\n)");
    BOOST_TEST(create_index_sql(rd::sqlite(), rs::table_of<BookTag>).empty());
}

BOOST_AUTO_TEST_CASE(without_if_exists) {
    BOOST_TEST(create_table_sql(rd::sqlite(), rs::table_of<Author>, false) ==
               "CREATE TABLE authors (\n\tid INTEGER NOT NULL,\n\tname TEXT NOT NULL,\n\temail TEXT,\n\tCONSTRAINT authors_pkey PRIMARY KEY (id)\n)");
    BOOST_TEST(create_table_sql(rd::postgresql(), rs::table_of<Author>, false) ==
               "CREATE TABLE authors (\n\tid BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n\tname TEXT NOT NULL,\n"
               "\temail TEXT,\n\tCONSTRAINT authors_pkey PRIMARY KEY (id)\n)");
    BOOST_TEST(create_table_sql(rd::mysql(), rs::table_of<Author>, false) ==
               "CREATE TABLE authors (\n\tid BIGINT NOT NULL AUTO_INCREMENT,\n\tname LONGTEXT NOT NULL,\n"
               "\temail LONGTEXT,\n\tCONSTRAINT authors_pkey PRIMARY KEY (id)\n)");
    BOOST_TEST(drop_table_sql(rd::postgresql(), rs::table_of<Author>, false) == "DROP TABLE authors");
    BOOST_TEST(create_index_sql(rd::sqlite(), rs::table_of<Book>, false) ==
                   (strings{"CREATE INDEX ix_books_title ON books (title)",
                            "CREATE INDEX ix_books_author_id_published ON books (author_id, published)"}),
               boost::test_tools::per_element());
}

// drop_all first drops the foreign keys that close a reference cycle. PostgreSQL and MariaDB
// (10.5+) take IF EXISTS on both the table and the key; MySQL 8 takes neither, so its dialect
// renders the plain statement and the engine asks information_schema whether the key exists.
BOOST_AUTO_TEST_CASE(dropping_a_foreign_key) {
    const auto& books = rs::table_of<Book>;
    BOOST_TEST(drop_foreign_key_sql(rd::postgresql(), books, 0) ==
               "ALTER TABLE IF EXISTS books DROP CONSTRAINT IF EXISTS fk_books_author_id");
    BOOST_TEST(drop_foreign_key_sql(rd::mariadb(), books, 0) ==
               "ALTER TABLE IF EXISTS books DROP FOREIGN KEY IF EXISTS fk_books_author_id");
    BOOST_TEST(drop_foreign_key_sql(rd::mysql(), books, 0) == "ALTER TABLE books DROP FOREIGN KEY fk_books_author_id");
    BOOST_TEST(drop_foreign_key_sql(rd::mysql(), rs::table_of<BookTag>, 1) ==
               "ALTER TABLE book_tags DROP FOREIGN KEY fk_book_tags_tag_code");
    // Only MySQL 8 asks information_schema first (the drop is skipped when it counts 0).
    BOOST_TEST(rd::postgresql().drop_foreign_key_if_exists());
    BOOST_TEST(rd::mariadb().drop_foreign_key_if_exists());
    BOOST_TEST(!rd::mysql().drop_foreign_key_if_exists());
    BOOST_TEST(rd::mysql().foreign_key_exists_sql() ==
               "SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = DATABASE() AND table_name = ? "
               "AND constraint_name = ? AND constraint_type = 'FOREIGN KEY'");
}

// Names past PostgreSQL's 63 characters are shortened with a hash of the whole (SQLAlchemy's
// way), so that every backend keeps the name create_all and migrations compare by.
BOOST_AUTO_TEST_CASE(long_names_are_shortened_with_a_hash) {
    const std::string at_limit(63, 'x');
    BOOST_TEST(reflorm::sql::bounded_identifier(at_limit) == at_limit);
    BOOST_TEST(reflorm::sql::bounded_identifier("fk_a_table_with_a_rather_long_name_first_long_column_name_second_long_column_name") ==
               "fk_a_table_with_a_rather_long_name_first_long_column_n_7fd852a6");
}

BOOST_AUTO_TEST_CASE(reserved_and_mixed_case_names_are_quoted) {
    BOOST_TEST(create_table_sql(rd::sqlite(), rs::table_of<Order>) ==
               "CREATE TABLE IF NOT EXISTS \"order\" (\n"
               "\tid INTEGER NOT NULL,\n"
               "\t\"group\" TEXT NOT NULL,\n"
               "\t\"user\" INTEGER NOT NULL,\n"
               "\t\"MixedCase\" TEXT NOT NULL,\n"
               "\tCONSTRAINT order_pkey PRIMARY KEY (id)\n"
               ")");
    BOOST_TEST(create_table_sql(rd::postgresql(), rs::table_of<Order>) ==
               "CREATE TABLE IF NOT EXISTS \"order\" (\n"
               "\tid BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
               "\t\"group\" TEXT NOT NULL,\n"
               "\t\"user\" INTEGER NOT NULL,\n"
               "\t\"MixedCase\" TEXT NOT NULL,\n"
               "\tCONSTRAINT order_pkey PRIMARY KEY (id)\n"
               ")");
    BOOST_TEST(create_table_sql(rd::mysql(), rs::table_of<Order>) ==
               "CREATE TABLE IF NOT EXISTS `order` (\n"
               "\tid BIGINT NOT NULL AUTO_INCREMENT,\n"
               "\t`group` VARCHAR(255) NOT NULL,\n"  // indexed
               "\t`user` INTEGER NOT NULL,\n"
               "\t`MixedCase` LONGTEXT NOT NULL,\n"
               "\tCONSTRAINT order_pkey PRIMARY KEY (id)\n"
               ")");
    BOOST_TEST(create_index_sql(rd::sqlite(), rs::table_of<Order>) ==
                   (strings{"CREATE INDEX IF NOT EXISTS ix_order_group_user ON \"order\" (\"group\", \"user\")"}),
               boost::test_tools::per_element());
    BOOST_TEST(create_index_sql(rd::mysql(), rs::table_of<Order>) ==
                   (strings{"CREATE INDEX ix_order_group_user ON `order` (`group`, `user`)"}),
               boost::test_tools::per_element());
    BOOST_TEST(drop_table_sql(rd::sqlite(), rs::table_of<Order>) == "DROP TABLE IF EXISTS \"order\"");
    BOOST_TEST(drop_table_sql(rd::postgresql(), rs::table_of<Order>) == "DROP TABLE IF EXISTS \"order\"");
    BOOST_TEST(drop_table_sql(rd::mysql(), rs::table_of<Order>) == "DROP TABLE IF EXISTS `order`");
}

BOOST_AUTO_TEST_CASE(embedded_quote_characters_are_doubled) {
    BOOST_TEST(drop_table_sql(rd::sqlite(), rs::table_of<Quoted>) == "DROP TABLE IF EXISTS \"we\"\"ird\"");
    BOOST_TEST(drop_table_sql(rd::postgresql(), rs::table_of<Quoted>) == "DROP TABLE IF EXISTS \"we\"\"ird\"");
    BOOST_TEST(drop_table_sql(rd::mysql(), rs::table_of<Quoted>) == "DROP TABLE IF EXISTS `we\"ird`");  // " is not MySQL's quote
    BOOST_TEST(drop_table_sql(rd::mysql(), rs::table_of<Backtick>) == "DROP TABLE IF EXISTS `back``tick`");
    BOOST_TEST(drop_table_sql(rd::sqlite(), rs::table_of<Backtick>) == "DROP TABLE IF EXISTS \"back`tick\"");
}

BOOST_AUTO_TEST_CASE(identifier_quoting_rules) {
    for (const auto* d : {&rd::sqlite(), &rd::postgresql()}) {
        BOOST_TEST_CONTEXT(d->name()) {
            // plain lower-case names, digits and underscores: as they are
            BOOST_TEST(quoted(*d, "users") == "users");
            BOOST_TEST(quoted(*d, "x_y3") == "x_y3");
            BOOST_TEST(quoted(*d, "_leading") == "_leading");
            BOOST_TEST(quoted(*d, "a1b2") == "a1b2");
            BOOST_TEST(quoted(*d, "orders") == "orders");      // contains a reserved word, is none
            BOOST_TEST(quoted(*d, "user_id") == "user_id");
            // reserved words of any of the three dialects
            BOOST_TEST(quoted(*d, "order") == "\"order\"");
            BOOST_TEST(quoted(*d, "group") == "\"group\"");
            BOOST_TEST(quoted(*d, "user") == "\"user\"");
            BOOST_TEST(quoted(*d, "select") == "\"select\"");
            BOOST_TEST(quoted(*d, "key") == "\"key\"");
            BOOST_TEST(quoted(*d, "limit") == "\"limit\"");
            // anything else that is not a plain identifier
            BOOST_TEST(quoted(*d, "Name") == "\"Name\"");
            BOOST_TEST(quoted(*d, "ORDER") == "\"ORDER\"");
            BOOST_TEST(quoted(*d, "2fa") == "\"2fa\"");
            BOOST_TEST(quoted(*d, "a b") == "\"a b\"");
            BOOST_TEST(quoted(*d, "a-b") == "\"a-b\"");
            BOOST_TEST(quoted(*d, "") == "\"\"");
            BOOST_TEST(quoted(*d, "say \"hi\"") == "\"say \"\"hi\"\"\"");
        }
    }
    const auto& m = rd::mysql();
    BOOST_TEST(quoted(m, "users") == "users");
    BOOST_TEST(quoted(m, "order") == "`order`");
    BOOST_TEST(quoted(m, "group") == "`group`");
    BOOST_TEST(quoted(m, "user") == "`user`");
    BOOST_TEST(quoted(m, "Name") == "`Name`");
    BOOST_TEST(quoted(m, "2fa") == "`2fa`");
    BOOST_TEST(quoted(m, "a`b") == "`a``b`");
    BOOST_TEST(quoted(m, "a\"b") == "`a\"b`");
}

BOOST_AUTO_TEST_CASE(dialect_names_and_ids) {
    BOOST_TEST(rd::sqlite().name() == "sqlite");
    BOOST_TEST(rd::postgresql().name() == "postgresql");
    BOOST_TEST(rd::mysql().name() == "mysql");
    BOOST_TEST(&rd::for_id(reflorm::sql::dialect_id::sqlite) == &rd::sqlite());
    BOOST_TEST(&rd::for_id(reflorm::sql::dialect_id::postgresql) == &rd::postgresql());
    BOOST_TEST(&rd::for_id(reflorm::sql::dialect_id::mysql) == &rd::mysql());
    BOOST_TEST(&rd::for_id(reflorm::sql::dialect_id::mariadb) == &rd::mariadb());
    BOOST_TEST(rd::sqlite().supports_returning());
    BOOST_TEST(rd::postgresql().supports_returning());
    BOOST_TEST(!rd::mysql().supports_returning());
    BOOST_TEST(!rd::mysql().supports_deferrable());
    BOOST_TEST(rd::sqlite().defer_foreign_keys_sql() == "PRAGMA defer_foreign_keys = ON");
    BOOST_TEST(rd::postgresql().defer_foreign_keys_sql() == "SET CONSTRAINTS ALL DEFERRED");
    BOOST_TEST(rd::mysql().defer_foreign_keys_sql().empty());
}

BOOST_AUTO_TEST_SUITE_END()
