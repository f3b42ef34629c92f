// languages into their own table
//
// Revision ID: e91a0d5c3b74
// Revises: c47f2e1b6a03
// Create Date: 2026-12-07 05:03:00
//
// v3 -> v4: the table split. `revision --autogenerate` finds add_table language, add_column
// country_language.language_id, its foreign key, and remove_column country_language.language
// (docs/migrations.md, "Compared with Alembic"); as written, that would fail on the World data
// (a NOT NULL column without a default on a table with rows) and lose every language name. So
// this revision is written by hand, with a data migration through op.bind() (text() with bound
// values, in the revision's transaction):
//
//   upgrade:   language gets one row per distinct name (ids in byte order of the names), and
//              country_language is rebuilt with language_id in place of the name.
//   downgrade: country_language is rebuilt with the names read back through language_id, and
//              language is dropped.
//
// Why rebuilt rather than add_column language_id (nullable), UPDATE it from the names, make it
// NOT NULL and drop_column language: the primary key changes from (country_code, language) to
// (country_code, language_id), and the operations have no primary key change (Alembic's
// create_primary_key). Dropping a key column refuses on MariaDB ("Key column 'language' doesn't
// exist in table"), drops the whole key on PostgreSQL, and leaves (country_code) alone as the key
// in SQLite's batch mode, where the rows then collide. So the rows are read first (984), the
// table is dropped and created in its new shape, and the rows are written back.
#include <reflorm/migrate.hpp>
#include <reflorm/reflorm.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace {

namespace rm = reflorm::migrate;

// country_language as v0-v3 (`key` = "language", a name) or v4 (`key` = "language_id") have it.
void create_country_language(rm::operations& op, const rm::column_def& key) {
    std::vector<rm::foreign_key_def> keys{{{"country_code"}, "country", {"code"}}};
    if (key.name == "language_id") keys.push_back({{"language_id"}, "language", {"id"}});
    op.create_table("country_language",
                    {rm::column("country_code", rm::types::string(3)).as_primary_key(), rm::column_def(key).as_primary_key(),
                     rm::column("percentage", rm::types::float64()).not_null()},
                    keys);
}

void upgrade(rm::operations& op) {
    auto& c = op.bind();
    const auto rows = c.execute(reflorm::text("SELECT country_code, language, percentage FROM country_language")
                                    .columns<std::string, std::string, double>())
                          .all();
    std::vector<std::string> names;
    for (const auto& row : rows) names.push_back(std::get<1>(row));
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());

    op.create_table("language", {rm::column("id", rm::types::integer()).as_primary_key(true),
                                 rm::column("name", rm::types::string(30)).not_null()},
                    {}, {{"name"}});
    for (const auto& name : names) c.execute(reflorm::text("INSERT INTO language (name) VALUES (:name)").bind("name", name));
    std::map<std::string, std::int32_t> ids;
    for (const auto& [id, name] : c.execute(reflorm::text("SELECT id, name FROM language").columns<std::int32_t, std::string>()).all())
        ids[name] = id;

    op.drop_table("country_language");
    create_country_language(op, rm::column("language_id", rm::types::integer()));
    for (const auto& [code, language, percentage] : rows)
        c.execute(reflorm::text("INSERT INTO country_language (country_code, language_id, percentage) VALUES (:code, :id, :percentage)")
                      .bind("code", code)
                      .bind("id", ids.at(language))
                      .bind("percentage", percentage));
}

void downgrade(rm::operations& op) {
    auto& c = op.bind();
    const auto rows = c.execute(reflorm::text("SELECT cl.country_code, l.name, cl.percentage FROM country_language cl "
                                              "JOIN language l ON l.id = cl.language_id")
                                    .columns<std::string, std::string, double>())
                          .all();
    op.drop_table("country_language");
    op.drop_table("language");
    create_country_language(op, rm::column("language", rm::types::string(30)));
    for (const auto& [code, language, percentage] : rows)
        c.execute(reflorm::text("INSERT INTO country_language (country_code, language, percentage) VALUES (:code, :language, :percentage)")
                      .bind("code", code)
                      .bind("language", language)
                      .bind("percentage", percentage));
}

const rm::registration revision({
    .id = "e91a0d5c3b74",
    .down_revision = "c47f2e1b6a03",
    .message = "languages into their own table",
    .create_date = "2026-12-07 05:03:00",
    .upgrade = upgrade,
    .downgrade = downgrade,
});

}  // namespace
