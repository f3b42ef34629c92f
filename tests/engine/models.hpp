// Models shared by the engine tests.
#pragma once

#include <reflorm/reflorm.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace engine_test {

enum class colour { red, green, blue };
BOOST_DESCRIBE_ENUM(colour, red, green, blue)

enum class priority : std::int16_t { low = 1, high = 9 };  // not described: stored as its integer

struct Author {
    std::int64_t id;
    std::string name;
    std::optional<std::string> email;
};

struct Book {
    std::int64_t id;
    std::string title;
    std::int64_t author_id;
    std::optional<std::int32_t> pages;
};

// One member of every supported column type.
struct Sample {
    std::int64_t id;
    bool flag;
    std::int8_t i8;
    std::int16_t i16;
    std::int32_t i32;
    std::int64_t i64;
    std::uint8_t u8;
    std::uint16_t u16;
    std::uint32_t u32;
    std::uint64_t u64;
    float f32;
    double f64;
    std::string text;
    std::optional<std::string> maybe_text;
    reflorm::date day;
    reflorm::timestamp at;
    reflorm::timestamp_us at_us;
    reflorm::blob bytes;
    colour paint;
    priority urgency;
    std::optional<double> maybe_number;
};

// A composite primary key, not generated.
struct Membership {
    std::string group_name;
    std::int32_t member_number;
    std::string role;
};

// Private members: PFR cannot read it, Boost.Describe does (the opt-in route).
class Account {
public:
    Account() = default;
    Account(std::int64_t id, std::string owner, double balance) : id_(id), owner_(std::move(owner)), balance_(balance) {}
    std::int64_t id() const { return id_; }
    const std::string& owner() const { return owner_; }
    double balance() const { return balance_; }

private:
    std::int64_t id_ = 0;
    std::string owner_;
    double balance_ = 0;
    BOOST_DESCRIBE_CLASS(Account, (), (), (), (id_, owner_, balance_))
};

// A NOT NULL constraint the C++ type does not enforce, to provoke the database's own check.
struct Ticket {
    std::int64_t id;
    std::optional<std::string> code;
};

}  // namespace engine_test

template <>
struct reflorm::model<engine_test::Author> {
    static constexpr auto columns = reflorm::columns(reflorm::unique<&engine_test::Author::name>,
                                                     reflorm::max_length<&engine_test::Author::name, 40>);
};

template <>
struct reflorm::model<engine_test::Book> {
    static constexpr auto columns = reflorm::columns(
        reflorm::foreign_key<&engine_test::Book::author_id, &engine_test::Author::id>,
        reflorm::index<&engine_test::Book::author_id>,
        reflorm::index<&engine_test::Book::title, &engine_test::Book::pages>);
};

template <>
struct reflorm::model<engine_test::Membership> {
    static constexpr auto primary_key =
        reflorm::primary_key<&engine_test::Membership::group_name, &engine_test::Membership::member_number>;
};

template <>
struct reflorm::model<engine_test::Account> {
    static constexpr std::string_view table = "accounts";
};

template <>
struct reflorm::model<engine_test::Ticket> {
    static constexpr auto columns = reflorm::columns(reflorm::not_null<&engine_test::Ticket::code>);
};
