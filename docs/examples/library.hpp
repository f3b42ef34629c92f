// Models and checking helpers shared by the snippets of docs/session.md (compiled and run by
// tests/docs, so the statements the document shows are the statements the session emits).
#pragma once

#include <reflorm/orm.hpp>

#include <cstdint>
#include <initializer_list>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

// Authors and their books: one-to-many with a nullable foreign key and the default cascade.
struct Book;

struct Author {
    std::int64_t id = 0;
    std::string name{};                  // unique
    std::optional<std::string> email{};
    reflorm::many<Book> books{};
};

struct Book {
    std::int64_t id = 0;
    std::optional<std::int64_t> author_id{};
    std::string title{};
    std::int32_t pages = 0;
    reflorm::one<Author> author{};
};

// Orders own their lines: NOT NULL foreign key, cascade all | delete_orphan.
struct Line;

struct Order {
    std::int64_t id = 0;
    std::string customer{};
    reflorm::many<Line> lines{};
};

struct Line {
    std::int64_t id = 0;
    std::int64_t order_id = 0;
    std::string product{};
    std::int32_t quantity = 1;
};

// Playlists and tracks: NOT NULL foreign key, the default cascade (save_update only).
struct Track;

struct Playlist {
    std::int64_t id = 0;
    std::string name{};
    reflorm::many<Track> tracks{};
};

struct Track {
    std::int64_t id = 0;
    std::int64_t playlist_id = 0;
    std::string title{};
};

// A self-referential tree.
struct Category {
    std::int64_t id = 0;
    std::optional<std::int64_t> parent_id{};
    std::string name{};
    reflorm::one<Category> parent{};
    reflorm::many<Category> children{};
};

// Many-to-many through an association model.
struct Tag;

struct Article {
    std::int64_t id = 0;
    std::string title{};
    reflorm::many<Tag> tags{};
};

struct Tag {
    std::int64_t id = 0;
    std::string name{};
    reflorm::many<Article> articles{};
};

struct ArticleTag {
    std::int64_t article_id = 0;
    std::int64_t tag_id = 0;
};

// Two models that refer to each other (a cycle of nullable foreign keys).
struct Player;

struct Team {
    std::int64_t id = 0;
    std::string name{};
    std::optional<std::int64_t> captain_id{};
    reflorm::one<Player> captain{};
};

struct Player {
    std::int64_t id = 0;
    std::optional<std::int64_t> team_id{};
    std::string name{};
    reflorm::one<Team> team{};
};

template <>
struct reflorm::model<Author> {
    static constexpr auto columns = reflorm::columns(reflorm::unique<&Author::name>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&Author::books>{}.back_populates<&Book::author>().order_by(reflorm::c<&Book::id>));
};
template <>
struct reflorm::model<Book> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Book::author_id, &Author::id>);
    static constexpr auto relationships =
        reflorm::relationships(reflorm::relationship<&Book::author>{}.back_populates<&Author::books>());
};
template <>
struct reflorm::model<Order> {
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&Order::lines>{}
            .cascade(reflorm::cascade::all | reflorm::cascade::delete_orphan)
            .order_by(reflorm::c<&Line::id>));
};
template <>
struct reflorm::model<Line> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Line::order_id, &Order::id>);
};
template <>
struct reflorm::model<Track> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Track::playlist_id, &Playlist::id>);
};
template <>
struct reflorm::model<Category> {
    static constexpr auto table = "categories";
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Category::parent_id, &Category::id>);
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&Category::children>{}
            .back_populates<&Category::parent>()
            .cascade(reflorm::cascade::all)
            .order_by(reflorm::c<&Category::id>),
        reflorm::relationship<&Category::parent>{}.back_populates<&Category::children>());
};
template <>
struct reflorm::model<ArticleTag> {
    static constexpr auto table = "article_tags";
    static constexpr auto primary_key = reflorm::primary_key<&ArticleTag::article_id, &ArticleTag::tag_id>;
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&ArticleTag::article_id, &Article::id>,
                                                     reflorm::foreign_key<&ArticleTag::tag_id, &Tag::id>);
};
template <>
struct reflorm::model<Article> {
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&Article::tags>{}.secondary<ArticleTag>().back_populates<&Tag::articles>().order_by(reflorm::c<&Tag::id>));
};
template <>
struct reflorm::model<Tag> {
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&Tag::articles>{}.secondary<ArticleTag>().back_populates<&Article::tags>());
};
template <>
struct reflorm::model<Team> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Team::captain_id, &Player::id>);
};
template <>
struct reflorm::model<Player> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&Player::team_id, &Team::id>);
};

/// An in-memory database with every table above created.
inline reflorm::engine library() {
    auto engine = reflorm::create_engine("sqlite://");
    reflorm::create_all<Author, Book, Order, Line, Playlist, Track, Category, Article, Tag, ArticleTag, Team, Player>(engine);
    return engine;
}

/// Stops the program (failing the documentation test) when what the document claims is false.
inline void check(bool condition, std::string_view claim) {
    if (!condition) throw std::logic_error("the document claims: " + std::string(claim));
}

/// Checks that `counted` saw exactly the statements `expected`, in order.
inline void check_sql(const reflorm::statement_counter& counted, std::initializer_list<std::string_view> expected) {
    bool same = counted.statements().size() == expected.size();
    for (std::size_t i = 0; same && i < expected.size(); ++i) same = counted.statements()[i] == expected.begin()[i];
    if (same) return;
    std::cerr << "the document shows:\n";
    for (std::string_view sql : expected) std::cerr << "  " << sql << '\n';
    std::cerr << "the session emitted:\n";
    for (const std::string& sql : counted.statements()) std::cerr << "  " << sql << '\n';
    throw std::logic_error("the statements differ");
}
