#pragma once
// Small object graphs for the session tests: one-to-many with back_populates, a NOT NULL
// child with delete-orphan, a self-referential tree, a many-to-many, and a self-referential
// many-to-many.
#include <reflorm/orm.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace orm_test {

struct Address;

struct User {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
    reflorm::many<Address> addresses;
};

struct Address {
    std::int64_t id = 0;
    std::optional<std::int64_t> user_id;
    std::string email_address;
    reflorm::one<User> user;
};

struct Item;

struct Order {
    std::int64_t id = 0;
    std::string customer;
    reflorm::many<Item> items;
};

struct Item {
    std::int64_t id = 0;
    std::int64_t order_id = 0;
    std::string product;
    std::int32_t quantity = 1;
    reflorm::one<Order> order;
};

struct Node {
    std::int64_t id = 0;
    std::optional<std::int64_t> parent_id;
    std::string label;
    reflorm::one<Node> parent;
    reflorm::many<Node> children;
};

struct Tag;

struct Post {
    std::int64_t id = 0;
    std::string title;
    reflorm::many<Tag> tags;
};

struct Tag {
    std::int64_t id = 0;
    std::string name;
    reflorm::many<Post> posts;
};

struct PostTag {
    std::int64_t post_id = 0;
    std::int64_t tag_id = 0;
};

struct Player;

// A cycle of foreign keys: a team's captain is one of its players. Only captain_id is nullable.
struct Team {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::int64_t> captain_id;
    reflorm::one<Player> captain;
    reflorm::many<Player> players;
};

struct Player {
    std::int64_t id = 0;
    std::int64_t team_id = 0;
    std::string name;
    reflorm::one<Team> team;
};

// A self-referential many-to-many in both directions: follows.follower_id and followed_id both
// refer to people; each side names the key that refers to its owner.
struct Person {
    std::int64_t id = 0;
    std::string name;
    reflorm::many<Person> following;
    reflorm::many<Person> followers;
};
struct Follow {
    std::int64_t follower_id = 0;
    std::int64_t followed_id = 0;
};

}  // namespace orm_test

template <>
struct reflorm::model<orm_test::User> {
    static constexpr auto columns = reflorm::columns(reflorm::unique<&orm_test::User::name>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_test::User::addresses>{}.back_populates<&orm_test::Address::user>().order_by(
            reflorm::c<&orm_test::Address::id>));
};
template <>
struct reflorm::model<orm_test::Address> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_test::Address::user_id, &orm_test::User::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&orm_test::Address::user>{}.back_populates<&orm_test::User::addresses>());
};
template <>
struct reflorm::model<orm_test::Order> {
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_test::Order::items>{}
            .back_populates<&orm_test::Item::order>()
            .cascade(reflorm::cascade::all | reflorm::cascade::delete_orphan)
            .order_by(reflorm::c<&orm_test::Item::id>));
};
template <>
struct reflorm::model<orm_test::Item> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_test::Item::order_id, &orm_test::Order::id>);
};
template <>
struct reflorm::model<orm_test::Node> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_test::Node::parent_id, &orm_test::Node::id>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_test::Node::children>{}
            .back_populates<&orm_test::Node::parent>()
            .cascade(reflorm::cascade::all)
            .order_by(reflorm::c<&orm_test::Node::id>),
        reflorm::relationship<&orm_test::Node::parent>{}.back_populates<&orm_test::Node::children>());
};
template <>
struct reflorm::model<orm_test::PostTag> {
    static constexpr auto table = "post_tags";
    static constexpr auto primary_key = reflorm::primary_key<&orm_test::PostTag::post_id, &orm_test::PostTag::tag_id>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_test::PostTag::post_id, &orm_test::Post::id>,
                                                     reflorm::foreign_key<&orm_test::PostTag::tag_id, &orm_test::Tag::id>);
};
template <>
struct reflorm::model<orm_test::Post> {
    static constexpr auto relationships = reflorm::relationships(reflorm::relationship<&orm_test::Post::tags>{}
                                                                     .secondary<orm_test::PostTag>()
                                                                     .back_populates<&orm_test::Tag::posts>()
                                                                     .order_by(reflorm::c<&orm_test::Tag::id>));
};
template <>
struct reflorm::model<orm_test::Tag> {
    static constexpr auto relationships = reflorm::relationships(reflorm::relationship<&orm_test::Tag::posts>{}
                                                                     .secondary<orm_test::PostTag>()
                                                                     .back_populates<&orm_test::Post::tags>()
                                                                     .order_by(reflorm::c<&orm_test::Post::id>));
};
template <>
struct reflorm::model<orm_test::Team> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_test::Team::captain_id, &orm_test::Player::id>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&orm_test::Team::players>{}.back_populates<&orm_test::Player::team>().order_by(reflorm::c<&orm_test::Player::id>));
};
template <>
struct reflorm::model<orm_test::Player> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_test::Player::team_id, &orm_test::Team::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&orm_test::Player::team>{}.back_populates<&orm_test::Team::players>());
};
template <>
struct reflorm::model<orm_test::Person> {
    static constexpr auto table = "people";
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&orm_test::Person::following>{}
                                   .secondary<orm_test::Follow>()
                                   .foreign_keys<&orm_test::Follow::follower_id>()
                                   .back_populates<&orm_test::Person::followers>()
                                   .order_by(reflorm::c<&orm_test::Person::id>),
                               reflorm::relationship<&orm_test::Person::followers>{}
                                   .secondary<orm_test::Follow>()
                                   .foreign_keys<&orm_test::Follow::followed_id>()
                                   .back_populates<&orm_test::Person::following>()
                                   .order_by(reflorm::c<&orm_test::Person::id>));
};
template <>
struct reflorm::model<orm_test::Follow> {
    static constexpr auto primary_key = reflorm::primary_key<&orm_test::Follow::follower_id, &orm_test::Follow::followed_id>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&orm_test::Follow::follower_id, &orm_test::Person::id>,
                                                     reflorm::foreign_key<&orm_test::Follow::followed_id, &orm_test::Person::id>);
};
