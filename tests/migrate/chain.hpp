// A chain of four revisions as a migration program holds them, the changes issue 15's sample
// makes: tables, a new NOT NULL column with a server default, an index, a type change and a
// nullability change, and a table split with a data migration (a country's comma-separated
// languages into their own table, and back).
#pragma once

#include <reflorm/migrate.hpp>
#include <reflorm/reflorm.hpp>

#include <string>
#include <tuple>

namespace migrate_chain {

namespace rm = reflorm::migrate;
using rm::column;
namespace types = rm::types;

inline void create_tables(rm::operations& op) {
    op.create_table("country", {column("code", types::string(3)).as_primary_key(), column("name", types::string(52)).not_null(),
                                column("languages", types::string(200))});
    op.create_table("city",
                    {column("id", types::big_integer()).as_primary_key(true), column("country_code", types::string(3)).not_null(),
                     column("name", types::string(35)).not_null(), column("population", types::integer()).not_null()},
                    {{{"country_code"}, "country", {"code"}, reflorm::referential_action::cascade}});
}
inline void drop_tables(rm::operations& op) {
    op.drop_table("city");
    op.drop_table("country");
}

inline void add_continent(rm::operations& op) {
    op.add_column("country", column("continent", types::string(20)).not_null().with_server_default("'Asia'"));
}
inline void drop_continent(rm::operations& op) { op.drop_column("country", "continent"); }

inline void index_and_types(rm::operations& op) {
    op.create_index("ix_city_name", "city", {"name"});
    op.alter_column("city", "population", {.type = types::big_integer()});
    op.alter_column("city", "name", {.nullable = true});
}
inline void undo_index_and_types(rm::operations& op) {
    op.alter_column("city", "name", {.nullable = false});
    op.alter_column("city", "population", {.type = types::integer()});
    op.drop_index("ix_city_name", "city");
}

// The data migration goes through the connection (text() with bound values): online only.
inline void split_languages(rm::operations& op) {
    op.create_table("country_language",
                    {column("country_code", types::string(3)).as_primary_key(), column("language", types::string(30)).as_primary_key()},
                    {{{"country_code"}, "country", {"code"}}});
    auto& c = op.bind();
    const auto rows =
        c.execute(reflorm::text("SELECT code, languages FROM country WHERE languages IS NOT NULL").columns<std::string, std::string>()).all();
    for (const auto& [code, languages] : rows) {
        std::size_t start = 0;
        while (start <= languages.size()) {
            const auto end = std::min(languages.find(',', start), languages.size());
            if (end > start)
                c.execute(reflorm::text("INSERT INTO country_language (country_code, language) VALUES (:c, :l)")
                              .bind("c", code)
                              .bind("l", languages.substr(start, end - start)));
            start = end + 1;
        }
    }
    op.drop_column("country", "languages");
}
inline void join_languages(rm::operations& op) {
    op.add_column("country", column("languages", types::string(200)));
    auto& c = op.bind();
    const auto rows = c.execute(reflorm::text("SELECT country_code, language FROM country_language ORDER BY country_code, language")
                                    .columns<std::string, std::string>())
                          .all();
    std::string code, joined;
    const auto flush = [&] {
        if (!code.empty())
            c.execute(reflorm::text("UPDATE country SET languages = :l WHERE code = :c").bind("l", joined).bind("c", code));
    };
    for (const auto& [country, language] : rows) {
        if (country != code) {
            flush();
            code = country;
            joined.clear();
        }
        (joined += joined.empty() ? "" : ",") += language;
    }
    flush();
    op.drop_table("country_language");
}

/// The four revisions, in a map of their own (tests do not share the program's registry).
inline rm::revision_map chain(int count = 4) {
    rm::revision_map map;
    const rm::revision all[] = {
        {"a1", "", "create country and city", "2026-12-01 10:00:00", create_tables, drop_tables},
        {"b2", "a1", "country.continent NOT NULL with a server default", "2026-12-02 10:00:00", add_continent, drop_continent},
        {"c3", "b2", "index on city.name, population to BIGINT, name nullable", "2026-12-03 10:00:00", index_and_types, undo_index_and_types},
        {"d4", "c3", "languages into their own table", "2026-12-04 10:00:00", split_languages, join_languages},
    };
    for (int i = 0; i < count; ++i) map.add(all[i]);
    return map;
}

}  // namespace migrate_chain
