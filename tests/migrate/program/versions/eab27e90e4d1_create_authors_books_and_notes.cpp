// Create authors, books and notes
//
// Revision ID: eab27e90e4d1
// Revises: <base>
// Create Date: 2026-12-07 03:55:12
#include <reflorm/migrate.hpp>

namespace {

void upgrade(reflorm::migrate::operations& op) {
    op.create_table("authors",
        {reflorm::migrate::column("id", reflorm::migrate::types::big_integer()).as_primary_key(true),
         reflorm::migrate::column("name", reflorm::migrate::types::string(40)).not_null(),
         reflorm::migrate::column("email", reflorm::migrate::types::text()),
         reflorm::migrate::column("royalties", reflorm::migrate::types::numeric(10, 2)).not_null()},
        {},
        {{"name"}});
    op.create_table("books",
        {reflorm::migrate::column("id", reflorm::migrate::types::big_integer()).as_primary_key(true),
         reflorm::migrate::column("author_id", reflorm::migrate::types::big_integer()).not_null(),
         reflorm::migrate::column("isbn", reflorm::migrate::types::string(13)).not_null(),
         reflorm::migrate::column("title", reflorm::migrate::types::string(200)).not_null(),
         reflorm::migrate::column("pages", reflorm::migrate::types::integer()).with_server_default("0"),
         reflorm::migrate::column("price", reflorm::migrate::types::float64()).not_null(),
         reflorm::migrate::column("weight", reflorm::migrate::types::float32()).not_null(),
         reflorm::migrate::column("in_print", reflorm::migrate::types::boolean()).not_null(),
         reflorm::migrate::column("edition", reflorm::migrate::types::small_integer()).not_null(),
         reflorm::migrate::column("copies", reflorm::migrate::types::of(reflorm::schema::column_kind::uint32)).not_null(),
         reflorm::migrate::column("published", reflorm::migrate::types::date()).not_null(),
         reflorm::migrate::column("added", reflorm::migrate::types::timestamp()).not_null().with_server_default("CURRENT_TIMESTAMP"),
         reflorm::migrate::column("touched", reflorm::migrate::types::timestamp_us(true)),
         reflorm::migrate::column("cover", reflorm::migrate::types::blob()).not_null(),
         reflorm::migrate::column("kind", reflorm::migrate::types::of(reflorm::schema::column_kind::enum_name, 9)).not_null(),
         reflorm::migrate::column("ref", reflorm::migrate::types::uuid()).not_null(),
         reflorm::migrate::column("meta", reflorm::migrate::types::json()),
         reflorm::migrate::column("views", reflorm::migrate::types::of(reflorm::schema::column_kind::uint64)).not_null(),
         reflorm::migrate::column("grade", reflorm::migrate::types::of(reflorm::schema::column_kind::int8)).not_null(),
         reflorm::migrate::column("urgency", reflorm::migrate::types::of(reflorm::schema::column_kind::enum_integer)).not_null()},
        {{{"author_id"}, "authors", {"id"}, reflorm::referential_action::cascade, reflorm::referential_action::no_action, "fk_books_author_id"}},
        {{"isbn", "edition"}});
    op.create_index("ix_books_title", "books", {"title"});
    op.create_table("notes",
        {reflorm::migrate::column("id", reflorm::migrate::types::big_integer()).as_primary_key(true),
         reflorm::migrate::column("body", reflorm::migrate::types::text()).not_null().with_server_default("'none'"),
         reflorm::migrate::column("score", reflorm::migrate::types::float64())});
}

void downgrade(reflorm::migrate::operations& op) {
    op.drop_table("notes");
    op.drop_index("ix_books_title", "books");
    op.drop_table("books");
    op.drop_table("authors");
}

const reflorm::migrate::registration revision({
    .id = "eab27e90e4d1",
    .down_revision = "",
    .message = "Create authors, books and notes",
    .create_date = "2026-12-07 03:55:12",
    .upgrade = upgrade,
    .downgrade = downgrade,
});

}  // namespace
