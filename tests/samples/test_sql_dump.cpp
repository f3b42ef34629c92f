#define BOOST_TEST_MODULE sql_dump
#include <boost/test/unit_test.hpp>

#include "sql_dump.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>
#include <vector>

using reflorm::samples::dump_row;
using reflorm::samples::parse_insert_rows;
using reflorm::samples::read_file;

namespace {

using namespace std::string_literals;

// Rows as text, so that failed checks print them: every value quoted, NULL bare.
std::string show(const dump_row& row)
{
    std::string text = "(";
    for (const auto& value : row) {
        if (text.size() > 1) text += ',';
        text += value ? "'" + *value + "'" : "NULL";
    }
    return text + ")";
}

std::string show(const std::vector<dump_row>& rows)
{
    std::string text;
    for (const auto& row : rows) text += show(row);
    return text;
}

// The message of the error parse_insert_rows throws, empty when it does not throw.
std::string parse_error(std::string_view sql)
{
    try {
        parse_insert_rows(sql);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return {};
}

bool mentions(const std::string& message, std::string_view part)
{
    return message.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parsing)

BOOST_AUTO_TEST_CASE(numbers_keep_their_text)
{
    const auto tables = parse_insert_rows("INSERT INTO t VALUES (1,-1,652090.00,1e5,+2,.5,-3.25E-2,0);");
    BOOST_TEST_REQUIRE(tables.size() == 1u);
    BOOST_TEST_REQUIRE(tables.at("t").size() == 1u);
    BOOST_TEST(show(tables.at("t")[0]) == "('1','-1','652090.00','1e5','+2','.5','-3.25E-2','0')");
}

BOOST_AUTO_TEST_CASE(escapes)
{
    const auto tables = parse_insert_rows(R"(INSERT INTO t VALUES ('it\'s','a\\b','l1\nl2','c1\tc2','nul\0x','cr\r','\"q\"','don''t','',"dq ""x"" \"y\"",'50\%','\q');)");
    const std::vector<std::string> expected = {"it's", "a\\b", "l1\nl2", "c1\tc2", "nul\0x"s, "cr\r", "\"q\"", "don't", "",
                                               "dq \"x\" \"y\"", "50\\%", "q"};
    BOOST_TEST_REQUIRE(tables.at("t").size() == 1u);
    const dump_row& got = tables.at("t")[0];
    BOOST_TEST_REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        BOOST_TEST_CONTEXT("value " << i)
        {
            BOOST_TEST_REQUIRE(got[i].has_value());
            BOOST_TEST(*got[i] == expected[i]);
        }
    }
    BOOST_TEST(got[4]->size() == 5u);  // the \0 is kept as a real NUL byte
}

BOOST_AUTO_TEST_CASE(null_in_any_case)
{
    const auto tables = parse_insert_rows("INSERT INTO t VALUES (NULL,null,Null,'NULL',1);");
    const dump_row& got = tables.at("t").at(0);
    BOOST_TEST_REQUIRE(got.size() == 5u);
    BOOST_TEST(!got[0].has_value());
    BOOST_TEST(!got[1].has_value());
    BOOST_TEST(!got[2].has_value());
    BOOST_TEST(got[3].value_or("<null>") == "NULL");
    BOOST_TEST(got[4].value_or("<null>") == "1");
}

BOOST_AUTO_TEST_CASE(strings_with_delimiters)
{
    const auto tables = parse_insert_rows("INSERT INTO t VALUES ('a),(b',';'),('x,y','(');\n"
                                          "INSERT INTO u VALUES (1);");
    BOOST_TEST_REQUIRE(tables.at("t").size() == 2u);
    BOOST_TEST(show(tables.at("t")) == "('a),(b',';')('x,y','(')");
    BOOST_TEST(show(tables.at("u")) == "('1')");
}

BOOST_AUTO_TEST_CASE(statements_accumulate_per_table)
{
    const auto tables = parse_insert_rows("INSERT INTO City VALUES (1,'Kabul'),(2,'Qandahar');\n"
                                          "INSERT INTO Country VALUES ('AFG');\n"
                                          "INSERT IGNORE INTO City VALUES (3,'Herat');\n"
                                          "insert ignore into `City` values (4,'Mazar-e-Sharif');\n");
    BOOST_TEST_REQUIRE(tables.size() == 2u);
    const auto& city = tables.at("City");
    BOOST_TEST_REQUIRE(city.size() == 4u);
    BOOST_TEST(show(city) == "('1','Kabul')('2','Qandahar')('3','Herat')('4','Mazar-e-Sharif')");
    BOOST_TEST(tables.at("Country").size() == 1u);
    BOOST_TEST(!tables.contains("city"));  // names are kept as written
}

BOOST_AUTO_TEST_CASE(comments_and_other_statements_are_skipped)
{
    const auto tables = parse_insert_rows("#\n# Populate the world database\n#\n"
                                          "-- a comment; with INSERT INTO x VALUES (1);\n"
                                          "/* INSERT INTO x VALUES (2); */\n"
                                          "CREATE TABLE t (\n"
                                          "  id int(11) NOT NULL DEFAULT '0',\n"
                                          "  note varchar(10) DEFAULT ';', -- why; not\n"
                                          "  PRIMARY KEY (id)\n"
                                          ");\n"
                                          "INSERT INTO t VALUES # trailing comment\n"
                                          "  (1, /* inline */ 'a') -- after the row\n"
                                          "  , (2,'b');\n"
                                          "ANALYZE TABLE t, x;\n"
                                          "SET @a = 1--2;\n");
    BOOST_TEST_REQUIRE(tables.size() == 1u);
    BOOST_TEST(show(tables.at("t")) == "('1','a')('2','b')");
}

BOOST_AUTO_TEST_CASE(whitespace_between_tokens)
{
    const auto tables = parse_insert_rows("INSERT INTO City VALUES\r\n(799,'Pasay','PHL',354908),\n"
                                          "  (800,'Navotas','PHL',230403);\n"
                                          "INSERT\tINTO\n City\nVALUES\n(\n801 ,\n'Dagupan' , 'PHL'\t,130328\n)\n;");
    BOOST_TEST_REQUIRE(tables.at("City").size() == 3u);
    BOOST_TEST(show(tables.at("City")[1]) == "('800','Navotas','PHL','230403')");
    BOOST_TEST(show(tables.at("City")[2]) == "('801','Dagupan','PHL','130328')");
}

BOOST_AUTO_TEST_CASE(no_inserts)
{
    BOOST_TEST(parse_insert_rows("").empty());
    BOOST_TEST(parse_insert_rows("  \n# only a comment\nCREATE TABLE t (a int);").empty());
}

BOOST_AUTO_TEST_CASE(malformed_input_names_the_line)
{
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"INSERT INTO t VALUES (1,2);\n\nINSERT INTO t VALUES (1 2);", "line 3:"},
        {"# x\nINSERT INTO t VALUES (1,'open);\n", "line 2:"},
        {"INSERT INTO t VALUES\n(1),\n(2)\n", "line 1:"},       // no ';'
        {"INSERT INTO t VALUES\n(1,2),\n(3);", "line 3:"},       // row width changes
        {"\n\nINSERT INTO t (a) VALUES (1);", "line 3:"},        // column lists
        {"INSERT INTO t VALUES (1,);", "line 1:"},
        {"\nINSERT INTO t VALUES (abc);", "line 2:"},
        {"\n\n\n\nINSERT INTO t VALUES (1) (2);", "line 5:"},
        {"INSERT INTO t VALUES ();", "line 1:"},
        {"INSERT t VALUES (1);", "line 1:"},
        {"\n/* never closed\n", "line 2:"},
        {"CREATE TABLE t (a int DEFAULT 'x);\n", "line 1:"},
        {"INSERT INTO t VALUES (1e);", "line 1:"},
        {"INSERT INTO t VALUES (12abc);", "line 1:"},
    };
    for (const auto& [sql, line] : cases) {
        BOOST_TEST_CONTEXT("sql: " << sql)
        {
            const std::string message = parse_error(sql);
            BOOST_TEST(mentions(message, line), "message '" << message << "' lacks '" << line << "'");
        }
    }
}

BOOST_AUTO_TEST_CASE(read_file_round_trip_and_errors)
{
    const auto path = std::filesystem::temp_directory_path() / ("reflorm_sql_dump_" + std::to_string(::getpid()) + ".sql");
    {
        std::ofstream out(path, std::ios::binary);
        out << "INSERT INTO t VALUES ('\xC3\xA9'),\r\n('b');";
    }
    const std::string text = read_file(path);
    std::filesystem::remove(path);
    BOOST_TEST(text.size() == 36u);
    BOOST_TEST(show(parse_insert_rows(text).at("t")) == "('\xC3\xA9')('b')");

    // A missing file fails on open, a directory only on read: both name the path.
    for (const auto& bad : {std::filesystem::path("/nonexistent/reflorm/none.sql"), std::filesystem::temp_directory_path()}) {
        BOOST_TEST_CONTEXT("path " << bad)
        {
            std::string message;
            try {
                read_file(bad);
            } catch (const std::runtime_error& e) {
                message = e.what();
            }
            BOOST_TEST(mentions(message, bad.string()), "message '" << message << "'");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

// The real MariaDB test databases: the data is GPL-2 and only present after
// scripts/lib.sh fetched it, so these cases are skipped (reported, not passed)
// when REFLORM_DATA_DIR is unset or empty.
namespace {

boost::test_tools::assertion_result data_dir_given(boost::unit_test::test_unit_id)
{
    const char* dir = std::getenv("REFLORM_DATA_DIR");
    boost::test_tools::assertion_result given(dir != nullptr && *dir != '\0');
    if (!given) given.message() << "REFLORM_DATA_DIR is not set";
    return given;
}

std::filesystem::path data_file(const char* name) { return std::filesystem::path(std::getenv("REFLORM_DATA_DIR")) / name; }

struct expected_table {
    std::string_view name;
    std::size_t rows;
    std::size_t columns;
};

void check_tables(const std::map<std::string, std::vector<dump_row>, std::less<>>& tables,
                  std::initializer_list<expected_table> expected)
{
    BOOST_TEST(tables.size() == expected.size());
    for (const auto& table : expected) {
        BOOST_TEST_CONTEXT("table " << table.name)
        {
            const auto it = tables.find(table.name);
            BOOST_TEST_REQUIRE((it != tables.end()));
            BOOST_TEST(it->second.size() == table.rows);
            std::size_t wrong_width = 0;
            for (const auto& row : it->second) wrong_width += row.size() != table.columns;
            BOOST_TEST(wrong_width == 0u);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(real_data)

BOOST_AUTO_TEST_CASE(world, *boost::unit_test::precondition(data_dir_given))
{
    const auto tables = parse_insert_rows(read_file(data_file("world.inc")));
    check_tables(tables, {{"Country", 239, 5}, {"City", 4079, 4}, {"CountryLanguage", 984, 3}});

    BOOST_TEST(show(tables.at("City").front()) == "('1','Kabul','AFG','1780000')");
    BOOST_TEST(show(tables.at("City").back()) == "('4079','Rafah','PSE','92020')");
    BOOST_TEST(show(tables.at("Country").front()) == "('AFG','Afghanistan','652090.00','22720000','1')");
    BOOST_TEST(show(tables.at("CountryLanguage").front()) == "('AFG','Pashto','52.4')");
    // Antarctica has no capital: the dump's NULL must come through as nullopt.
    std::size_t null_capitals = 0;
    for (const auto& country : tables.at("Country")) null_capitals += !country.at(4).has_value();
    BOOST_TEST(null_capitals > 0u);
}

BOOST_AUTO_TEST_CASE(dbt3, *boost::unit_test::precondition(data_dir_given))
{
    const auto tables = parse_insert_rows(read_file(data_file("dbt3_s001.inc")));
    check_tables(tables, {{"region", 5, 3},
                          {"nation", 25, 4},
                          {"supplier", 10, 7},
                          {"customer", 150, 8},
                          {"part", 200, 9},
                          {"partsupp", 700, 5},
                          {"orders", 1500, 9},
                          {"lineitem", 6005, 16}});
    BOOST_TEST(show(tables.at("region").front()) ==
               "('0','AFRICA','special Tiresias about the furiously even dolphins are furi')");
    BOOST_TEST(tables.at("lineitem").front().at(0).value_or("<null>") == "1");
}

BOOST_AUTO_TEST_SUITE_END()
