// Rows shared by the snippets of docs/relationships.md, over the models of examples/library.hpp
// (compiled and run by tests/docs, so the SQL the document shows is the SQL each loader emits).
#pragma once

#include "library.hpp"

/// An in-memory database with the tables of examples/library.hpp and these rows:
/// authors Ann (books First and Second), Bob (Third) and Cid (none), and a book without an author
/// (Anonymous); the categories root > fiction > crime > noir and root > science; the articles
/// News (tags new and hot) and Old (no tags).
inline reflorm::engine library_with_rows() {
    auto engine = library();
    reflorm::session session{engine};
    session.add(Author{.name = "Ann", .books = {Book{.title = "First", .pages = 320}, Book{.title = "Second", .pages = 180}}});
    session.add(Author{.name = "Bob", .books = {Book{.title = "Third", .pages = 240}}});
    session.add(Author{.name = "Cid"});
    session.add(Book{.title = "Anonymous", .pages = 90});
    Category root{.name = "root"};
    root.children.push_back(Category{.name = "fiction"}).children.push_back(Category{.name = "crime"}).children.push_back(
        Category{.name = "noir"});
    root.children.push_back(Category{.name = "science"});
    session.add(std::move(root));
    session.add(Article{.title = "News", .tags = {Tag{.name = "new"}, Tag{.name = "hot"}}});
    session.add(Article{.title = "Old"});
    session.commit();
    return engine;
}
