// Models the migration tests create and compare: one of each column type create_all renders,
// a unique constraint (single and composite), an index, a foreign key with ON DELETE CASCADE,
// optional, string-length and numeric columns, server defaults.
#pragma once

#include <reflorm/reflorm.hpp>

#include <boost/describe/enum.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace migrate_test {

enum class genre { fiction, biography };
BOOST_DESCRIBE_ENUM(genre, fiction, biography)
enum class priority : std::int16_t { low = 1, high = 9 };  // not described: stored as its integer

struct Author {
    std::int64_t id;
    std::string name;
    std::optional<std::string> email;
    reflorm::numeric<10, 2> royalties;
};

struct Book {
    std::int64_t id;
    std::int64_t author_id;
    std::string isbn;
    std::string title;
    std::optional<std::int32_t> pages;
    double price;
    float weight;
    bool in_print;
    std::int16_t edition;
    std::uint32_t copies;
    reflorm::date published;
    reflorm::timestamp added;
    std::optional<reflorm::timestamp_us> touched;
    reflorm::blob cover;
    genre kind;
    reflorm::uuid ref;
    std::optional<boost::json::value> meta;
    std::uint64_t views;
    std::int8_t grade;
    priority urgency;
};

// What the hand-made changes alter: a type and a nullability.
struct Note {
    std::int64_t id;
    std::string body;
    std::optional<double> score;
};

}  // namespace migrate_test

template <>
struct reflorm::model<migrate_test::Author> {
    static constexpr auto columns = reflorm::columns(reflorm::unique<&migrate_test::Author::name>,
                                                     reflorm::max_length<&migrate_test::Author::name, 40>);
};

template <>
struct reflorm::model<migrate_test::Book> {
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&migrate_test::Book::author_id, &migrate_test::Author::id>.on_delete(reflorm::referential_action::cascade),
        reflorm::index<&migrate_test::Book::title>,
        reflorm::unique<&migrate_test::Book::isbn, &migrate_test::Book::edition>,
        reflorm::max_length<&migrate_test::Book::isbn, 13>,
        reflorm::max_length<&migrate_test::Book::title, 200>,
        reflorm::server_default<&migrate_test::Book::pages>("0"),
        reflorm::server_default<&migrate_test::Book::added>("CURRENT_TIMESTAMP"),
        reflorm::with_time_zone<&migrate_test::Book::touched>);
};

template <>
struct reflorm::model<migrate_test::Note> {
    static constexpr auto columns = reflorm::columns(reflorm::server_default<&migrate_test::Note::body>("'none'"));
};
