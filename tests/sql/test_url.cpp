// Database URL parsing (engine/url.hpp): a compiled unit that needs no database.
#include <boost/test/unit_test.hpp>

#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/url.hpp>

#include <string>
#include <string_view>

namespace {

using reflorm::backend;
using reflorm::parse_url;

/// The message of the url_error that parsing `text` throws, or "" when it does not throw.
std::string error_of(std::string_view text) {
    try {
        (void)parse_url(text);
    } catch (const reflorm::url_error& e) {
        return e.what();
    }
    return {};
}

/// Checks that parsing fails with a message that quotes the URL and contains `problem`.
/// `shown`: the URL as the message quotes it (its password masked), when not `text` itself.
void check_rejected(std::string_view text, std::string_view problem, std::string_view shown = {}) {
    BOOST_TEST_CONTEXT("URL '" << text << "'") {
        const std::string message = error_of(text);
        const std::string quoted = "'" + std::string(shown.empty() ? text : shown) + "'";
        BOOST_TEST(!message.empty(), "no url_error was thrown");
        BOOST_TEST(message.find(quoted) != std::string::npos, "the message does not quote the URL: " << message);
        BOOST_TEST(message.find(problem) != std::string::npos, "the message does not say '" << problem << "': " << message);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(url)

BOOST_AUTO_TEST_CASE(sqlite_in_memory) {
    for (std::string_view text : {"sqlite://", "sqlite:///:memory:"}) {
        BOOST_TEST_CONTEXT(text) {
            const auto u = parse_url(text);
            BOOST_TEST((u.kind == backend::sqlite));
            BOOST_TEST(u.database.empty());
            BOOST_TEST(u.in_memory());
            BOOST_TEST(u.host.empty());
            BOOST_TEST(u.to_string() == "sqlite://");
        }
    }
}

BOOST_AUTO_TEST_CASE(sqlite_files) {
    const auto relative = parse_url("sqlite:///rel.db");
    BOOST_TEST((relative.kind == backend::sqlite));
    BOOST_TEST(relative.database == "rel.db");
    BOOST_TEST(!relative.in_memory());
    BOOST_TEST(relative.to_string() == "sqlite:///rel.db");

    const auto nested = parse_url("sqlite:///data/sub/app.db");
    BOOST_TEST(nested.database == "data/sub/app.db");

    const auto absolute = parse_url("sqlite:////abs/path.db");
    BOOST_TEST(absolute.database == "/abs/path.db");
    BOOST_TEST(!absolute.in_memory());
    BOOST_TEST(absolute.to_string() == "sqlite:////abs/path.db");

    const auto escaped = parse_url("sqlite:///my%20file.db?mode=ro");
    BOOST_TEST(escaped.database == "my file.db");
    BOOST_TEST(escaped.query.at("mode") == "ro");
}

BOOST_AUTO_TEST_CASE(postgresql_full) {
    const auto u = parse_url("postgresql://u:p%40ss@host:5432/db?sslmode=require");
    BOOST_TEST((u.kind == backend::postgresql));
    BOOST_TEST(u.driver.empty());
    BOOST_TEST(u.username == "u");
    BOOST_TEST(u.password == "p@ss");
    BOOST_TEST(u.host == "host");
    BOOST_TEST(u.port == 5432);
    BOOST_TEST(u.database == "db");
    BOOST_TEST(u.query.size() == 1u);
    BOOST_TEST(u.query.at("sslmode") == "require");
    BOOST_TEST(!u.in_memory());
}

BOOST_AUTO_TEST_CASE(postgres_alias_and_defaults) {
    const auto u = parse_url("postgres://scott@db.example.com/world");
    BOOST_TEST((u.kind == backend::postgresql));
    BOOST_TEST(u.username == "scott");
    BOOST_TEST(u.password.empty());
    BOOST_TEST(u.host == "db.example.com");
    BOOST_TEST(u.port == 0);  // the backend's default
    BOOST_TEST(u.database == "world");
    BOOST_TEST(u.to_string() == "postgresql://scott@db.example.com/world");

    const auto several = parse_url("postgresql://h/d?a=1&b=two%20words");
    BOOST_TEST(several.query.size() == 2u);
    BOOST_TEST(several.query.at("a") == "1");
    BOOST_TEST(several.query.at("b") == "two words");
    BOOST_TEST(several.username.empty());
}

BOOST_AUTO_TEST_CASE(mysql_and_mariadb) {
    const auto m = parse_url("mysql://root:secret@localhost:3307/world");
    BOOST_TEST((m.kind == backend::mysql));
    BOOST_TEST(m.username == "root");
    BOOST_TEST(m.password == "secret");
    BOOST_TEST(m.host == "localhost");
    BOOST_TEST(m.port == 3307);
    BOOST_TEST(m.database == "world");

    const auto maria = parse_url("mariadb://app@127.0.0.1/tpch");
    BOOST_TEST((maria.kind == backend::mysql));
    BOOST_TEST(maria.host == "127.0.0.1");
    BOOST_TEST(maria.database == "tpch");
}

BOOST_AUTO_TEST_CASE(ipv6_host) {
    const auto u = parse_url("mysql://u:pw@[::1]:3306/db");
    BOOST_TEST(u.host == "::1");
    BOOST_TEST(u.port == 3306);
    BOOST_TEST(u.database == "db");
    BOOST_TEST(u.to_string() == "mysql://u:***@[::1]:3306/db");

    const auto no_port = parse_url("postgresql://[fe80::1]/db");
    BOOST_TEST(no_port.host == "fe80::1");
    BOOST_TEST(no_port.port == 0);
}

BOOST_AUTO_TEST_CASE(driver_suffix) {
    const auto u = parse_url("postgresql+psycopg2://u:pw@host/db");
    BOOST_TEST((u.kind == backend::postgresql));
    BOOST_TEST(u.driver == "psycopg2");
    BOOST_TEST(u.host == "host");
    BOOST_TEST(u.to_string() == "postgresql+psycopg2://u:***@host/db");

    const auto m = parse_url("mysql+pymysql://h/d");
    BOOST_TEST((m.kind == backend::mysql));
    BOOST_TEST(m.driver == "pymysql");
    BOOST_TEST(parse_url("sqlite+pysqlite:///x.db").driver == "pysqlite");
}

BOOST_AUTO_TEST_CASE(to_string_masks_the_password) {
    const auto u = parse_url("postgresql://u:p%40ss@host:5432/db?sslmode=require");
    const std::string text = u.to_string();
    BOOST_TEST(text == "postgresql://u:***@host:5432/db?sslmode=require");
    BOOST_TEST(text.find("p@ss") == std::string::npos);
    BOOST_TEST(text.find("p%40ss") == std::string::npos);
    BOOST_TEST(parse_url("mysql://root@h/d").to_string() == "mysql://root@h/d");  // nothing to mask
    // A password without a user name is not shown either.
    BOOST_TEST(parse_url("postgresql://:hunter2@h/d").to_string().find("hunter2") == std::string::npos);
    // Nor one given in the query; the other settings are.
    BOOST_TEST(parse_url("postgresql://u@h/d?password=hunter2&sslmode=require").to_string() ==
               "postgresql://u@h/d?password=***&sslmode=require");
    BOOST_TEST(parse_url("sqlite:///x.db?cache_size=-8192").to_string() == "sqlite:///x.db?cache_size=-8192");
}

BOOST_AUTO_TEST_CASE(errors_quote_the_url_and_name_the_problem) {
    check_rejected("", "empty");
    check_rejected("localhost/db", "expected '<backend>://");
    check_rejected("://host/db", "expected '<backend>://");
    check_rejected("oracle://u@h/db", "unknown backend 'oracle'");
    check_rejected("SQLITE://", "unknown backend 'SQLITE'");
    check_rejected("sqlite://host/app.db", "a SQLite URL has no host");
    check_rejected("sqlite:///", "the SQLite file path is empty");
    check_rejected("postgresql://h:99999/db", "the port must be a number from 1 to 65535");
    check_rejected("postgresql://h:0/db", "the port must be a number from 1 to 65535");
    check_rejected("postgresql://h:54x/db", "the port must be a number from 1 to 65535");
    check_rejected("postgresql://h:/db", "the port must be a number from 1 to 65535");
    check_rejected("mysql://[::1]:abc/db", "the port must be a number from 1 to 65535");
    check_rejected("mysql://[::1/db", "an IPv6 host must be closed with ']'");
    check_rejected("postgresql://host", "names no database");
    check_rejected("postgresql://u:pw@host:5432/", "names no database", "postgresql://u:***@host:5432/");
    check_rejected("mysql://host?x=1", "names no database");
    check_rejected("postgresql://u:p%4@h/db", "a '%' must be followed by two hexadecimal digits", "postgresql://u:***@h/db");
    check_rejected("postgresql://u:p%zzss@h/db", "a '%' must be followed by two hexadecimal digits", "postgresql://u:***@h/db");
    check_rejected("postgresql://u:p@h/db%", "a '%' must be followed by two hexadecimal digits", "postgresql://u:***@h/db%");
    check_rejected("postgresql://h/db?novalue", "key=value");
}

BOOST_AUTO_TEST_CASE(errors_never_show_the_password) {
    // The URL is refused before it is parsed: the password is found by its delimiters.
    check_rejected("postgresql://app:hunter2@db:99999/prod", "the port must be", "postgresql://app:***@db:99999/prod");
    check_rejected("mysql://app:p@ss:w0rd@db:0/prod", "the port must be", "mysql://app:***@db:0/prod");
    check_rejected("postgresql://app@db:0/prod?sslmode=require&password=hunter2&x=1", "the port must be",
                   "postgresql://app@db:0/prod?sslmode=require&password=***&x=1");
    check_rejected("oracle://app:hunter2@db/prod", "unknown backend", "oracle://app:***@db/prod");
    for (const char* text : {"postgresql://app:hunter2@db:99999/prod", "mysql://app:hunter2@[::1/db", "postgresql://app:hunter2@db/d%zz",
                             "postgresql://app:hunter2@host"})
        BOOST_TEST(error_of(text).find("hunter2") == std::string::npos, error_of(text));
}

BOOST_AUTO_TEST_CASE(errors_are_reflorm_errors) {
    BOOST_CHECK_THROW(parse_url("nope"), reflorm::url_error);
    BOOST_CHECK_THROW(parse_url("nope"), reflorm::error);
    BOOST_CHECK_THROW(parse_url("nope"), std::runtime_error);
    BOOST_CHECK_NO_THROW(parse_url("sqlite://"));
}

BOOST_AUTO_TEST_SUITE_END()
