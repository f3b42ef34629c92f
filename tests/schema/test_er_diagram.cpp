// schema layer: er_diagram<Models...>() as whole Mermaid and DOT texts for a small set of models
// (a foreign key, a nullable one, a composite primary key, a many-to-many association table, a
// self-reference, a one-to-one), the type name of every column kind, its escaping, and its entity
// and relationship counts for the flagship sample's World and TPC-H models. No database is needed.
#define BOOST_TEST_MODULE er_diagram
#include <boost/test/unit_test.hpp>

#include <reflorm/schema/er_diagram.hpp>
#include <reflorm/schema/options.hpp>

#include <boost/json/value.hpp>
#include <engine/models.hpp>
#include <world_tpch/models.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace er_test {

struct Author {
    std::int32_t id;
    std::string name;
};

struct Book {
    std::int32_t id;
    std::string title;
    std::int32_t author_id;                 // a foreign key
    std::optional<std::int32_t> editor_id;  // a nullable foreign key
};

struct Edition {  // a composite primary key, part of it a foreign key
    std::int32_t book_id;
    std::int32_t number;
    std::optional<std::string> isbn;
};

struct Tag {
    std::int32_t id;
    std::string label;
};

struct BookTag {  // the association table of a many-to-many between Book and Tag
    std::int32_t book_id;
    std::int32_t tag_id;
};

struct Employee {  // a self-reference
    std::int32_t id;
    std::optional<std::int32_t> manager_id;
};

struct Profile {  // one-to-one: the key is the primary key
    std::int32_t author_id;
    std::string bio;
};

// Names Mermaid cannot take bare: a table name with a quote and a percent sign, and columns
// named as Mermaid's key markers or not an ASCII word.
struct Odd {
    std::int32_t id;
    std::int32_t pk;
    std::string two_words;
};

// The column kinds engine_test::Sample (tests/engine/models.hpp) leaves out.
struct Extra {
    std::int64_t id;
    std::string code;
    reflorm::timestamp at_tz;
    reflorm::timestamp_us at_us_tz;
    reflorm::numeric<15, 2> price;
    reflorm::uuid key;
    boost::json::value doc;
};

}  // namespace er_test

template <>
struct reflorm::model<er_test::Extra> {
    static constexpr auto columns = reflorm::columns(reflorm::max_length<&er_test::Extra::code, 8>,
                                                     reflorm::with_time_zone<&er_test::Extra::at_tz>,
                                                     reflorm::with_time_zone<&er_test::Extra::at_us_tz>);
};
template <>
struct reflorm::model<er_test::Author> {
    static constexpr auto columns = reflorm::columns(reflorm::max_length<&er_test::Author::name, 80>,
                                                     reflorm::unique<&er_test::Author::name>);
};
template <>
struct reflorm::model<er_test::Book> {
    static constexpr auto columns =
        reflorm::columns(reflorm::foreign_key<&er_test::Book::author_id, &er_test::Author::id>,
                         reflorm::foreign_key<&er_test::Book::editor_id, &er_test::Author::id>);
};
template <>
struct reflorm::model<er_test::Edition> {
    static constexpr auto primary_key = reflorm::primary_key<&er_test::Edition::book_id, &er_test::Edition::number>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&er_test::Edition::book_id, &er_test::Book::id>);
};
template <>
struct reflorm::model<er_test::BookTag> {
    static constexpr std::string_view table = "book_tag";
    static constexpr auto primary_key = reflorm::primary_key<&er_test::BookTag::book_id, &er_test::BookTag::tag_id>;
    static constexpr auto columns =
        reflorm::columns(reflorm::foreign_key<&er_test::BookTag::book_id, &er_test::Book::id>,
                         reflorm::foreign_key<&er_test::BookTag::tag_id, &er_test::Tag::id>);
};
template <>
struct reflorm::model<er_test::Employee> {
    static constexpr auto columns =
        reflorm::columns(reflorm::foreign_key<&er_test::Employee::manager_id, &er_test::Employee::id>);
};
template <>
struct reflorm::model<er_test::Profile> {
    static constexpr auto primary_key = reflorm::primary_key<&er_test::Profile::author_id>;
    static constexpr bool autoincrement = false;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&er_test::Profile::author_id, &er_test::Author::id>);
};
template <>
struct reflorm::model<er_test::Odd> {
    static constexpr std::string_view table = "odd \"name\" 100%";
    static constexpr auto columns = reflorm::columns(reflorm::unique<&er_test::Odd::pk, &er_test::Odd::two_words>);
};

namespace {

using namespace er_test;

std::size_t count(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

/// Lines of an erDiagram that open an entity block, and lines that relate two entities.
std::size_t entities(std::string_view mermaid) { return count(mermaid, "\" {\n"); }
std::size_t relationships(std::string_view mermaid) { return count(mermaid, "\" : \""); }

}  // namespace

BOOST_AUTO_TEST_CASE(mermaid_text_of_keys_nullable_keys_composite_keys_association_and_self_reference) {
    // Given in no particular order, with Book twice: entities come sorted by table name, once.
    const std::string text = reflorm::er_diagram<Tag, Book, Employee, BookTag, Author, Edition, Book>();
    // Default table names are the models' names in snake case and plural (docs/models.md).
    BOOST_TEST(text ==
               "erDiagram\n"
               "    \"authors\" {\n"
               "        INTEGER id PK\n"
               "        VARCHAR(80) name UK\n"
               "    }\n"
               "    \"book_tag\" {\n"
               "        INTEGER book_id PK, FK\n"
               "        INTEGER tag_id PK, FK\n"
               "    }\n"
               "    \"books\" {\n"
               "        INTEGER id PK\n"
               "        TEXT title\n"
               "        INTEGER author_id FK\n"
               "        INTEGER editor_id FK \"nullable\"\n"
               "    }\n"
               "    \"editions\" {\n"
               "        INTEGER book_id PK, FK\n"
               "        INTEGER number PK\n"
               "        TEXT isbn \"nullable\"\n"
               "    }\n"
               "    \"employees\" {\n"
               "        INTEGER id PK\n"
               "        INTEGER manager_id FK \"nullable\"\n"
               "    }\n"
               "    \"tags\" {\n"
               "        INTEGER id PK\n"
               "        TEXT label\n"
               "    }\n"
               "    \"book_tag\" }o--|| \"books\" : \"book_id\"\n"
               "    \"book_tag\" }o--|| \"tags\" : \"tag_id\"\n"
               "    \"books\" }o--|| \"authors\" : \"author_id\"\n"
               "    \"books\" }o--o| \"authors\" : \"editor_id\"\n"
               "    \"editions\" }o--|| \"books\" : \"book_id\"\n"
               "    \"employees\" }o--o| \"employees\" : \"manager_id\"\n");
}

BOOST_AUTO_TEST_CASE(every_column_kind_has_a_one_word_type_name) {
    const std::string text = reflorm::er_diagram<engine_test::Sample, Extra>();
    BOOST_TEST(text ==
               "erDiagram\n"
               "    \"extras\" {\n"
               "        BIGINT id PK\n"
               "        VARCHAR(8) code\n"
               "        TIMESTAMPTZ at_tz\n"
               "        TIMESTAMPTZ(6) at_us_tz\n"
               "        NUMERIC(15,2) price\n"
               "        UUID key\n"
               "        JSON doc\n"
               "    }\n"
               "    \"samples\" {\n"
               "        BIGINT id PK\n"
               "        BOOLEAN flag\n"
               "        SMALLINT i8\n"
               "        SMALLINT i16\n"
               "        INTEGER i32\n"
               "        BIGINT i64\n"
               "        SMALLINT u8\n"
               "        INTEGER u16\n"
               "        BIGINT u32\n"
               "        NUMERIC(20) u64\n"
               "        REAL f32\n"
               "        DOUBLE f64\n"
               "        TEXT text\n"
               "        TEXT maybe_text \"nullable\"\n"
               "        DATE day\n"
               "        TIMESTAMP at\n"
               "        TIMESTAMP(6) at_us\n"
               "        BLOB bytes\n"
               "        VARCHAR(5) paint\n"
               "        INTEGER urgency\n"
               "        DOUBLE maybe_number \"nullable\"\n"
               "    }\n");
}

BOOST_AUTO_TEST_CASE(a_key_that_is_the_primary_key_is_one_to_one) {
    const std::string text = reflorm::er_diagram<Profile, Author>();
    BOOST_TEST(text.ends_with("    \"profiles\" |o--|| \"authors\" : \"author_id\"\n"));
    BOOST_TEST(text.find("        INTEGER author_id PK, FK\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(names_mermaid_cannot_take_bare_are_quoted_or_replaced) {
    BOOST_TEST(reflorm::er_diagram<Odd>() ==
               "erDiagram\n"
               "    \"odd _name_ 100_\" {\n"
               "        INTEGER id PK\n"
               "        INTEGER `pk` UK\n"
               "        TEXT two_words UK\n"
               "    }\n");
}

BOOST_AUTO_TEST_CASE(a_key_to_a_model_left_out_still_gives_its_relationship) {
    const std::string text = reflorm::er_diagram<Book>();
    BOOST_TEST(entities(text) == 1u);
    BOOST_TEST(relationships(text) == 2u);
    BOOST_TEST(text.find("    \"books\" }o--o| \"authors\" : \"editor_id\"\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dot_text_of_a_foreign_key_and_a_nullable_one) {
    BOOST_TEST(reflorm::er_diagram<Employee>(reflorm::er_format::dot) ==
               "digraph er {\n"
               "    graph [rankdir=LR];\n"
               "    node [shape=plaintext];\n"
               "    edge [dir=both];\n"
               "    \"employees\" [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">"
               "<tr><td colspan=\"3\"><b>employees</b></td></tr>"
               "<tr><td align=\"left\">id</td><td align=\"left\">INTEGER</td><td align=\"left\">PK</td></tr>"
               "<tr><td align=\"left\">manager_id</td><td align=\"left\">INTEGER</td><td align=\"left\">FK, nullable</td></tr>"
               "</table>>];\n"
               "    \"employees\" -> \"employees\" [label=\"manager_id\", arrowtail=crowodot, arrowhead=teeodot];\n"
               "}\n");
    const std::string odd = reflorm::er_diagram<Odd, Book, Author>(reflorm::er_format::dot);
    BOOST_TEST(odd.find("    \"odd \\\"name\\\" 100%\" [label=<") != std::string::npos);
    BOOST_TEST(odd.find("<b>odd &quot;name&quot; 100%</b>") != std::string::npos);
    BOOST_TEST(odd.find("    \"books\" -> \"authors\" [label=\"author_id\", arrowtail=crowodot, arrowhead=teetee];\n") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(world_models_give_three_entities_and_three_relationships) {
    const std::string text = reflorm::er_diagram<world::Country, world::City, world::CountryLanguage>();
    BOOST_TEST(entities(text) == 3u);
    BOOST_TEST(relationships(text) == 3u);
    // The capital is nullable; Country and City reference each other.
    BOOST_TEST(text.find("    \"country\" }o--o| \"city\" : \"capital\"\n") != std::string::npos);
    BOOST_TEST(text.find("    \"city\" }o--|| \"country\" : \"country_code\"\n") != std::string::npos);
    // The relationship members (reflorm::one, reflorm::many) are not columns.
    BOOST_TEST(text.find("cities") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(tpch_models_give_eight_entities_and_eight_relationships) {
    const std::string text = reflorm::er_diagram<tpch::Region, tpch::Nation, tpch::Supplier, tpch::Customer, tpch::Part,
                                                 tpch::PartSupp, tpch::Order, tpch::LineItem>();
    BOOST_TEST(entities(text) == 8u);
    BOOST_TEST(relationships(text) == 8u);
    // The composite key from lineitem to partsupp is one relationship labelled with both columns.
    BOOST_TEST(text.find("    \"lineitem\" }o--|| \"partsupp\" : \"l_partkey, l_suppkey\"\n") != std::string::npos);
    const std::string dot = reflorm::er_diagram<tpch::Region, tpch::Nation, tpch::Supplier, tpch::Customer, tpch::Part,
                                                tpch::PartSupp, tpch::Order, tpch::LineItem>(reflorm::er_format::dot);
    BOOST_TEST(count(dot, " [label=<") == 8u);
    BOOST_TEST(count(dot, " -> ") == 8u);
}
