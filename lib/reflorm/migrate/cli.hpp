#pragma once
// The migration program's command line, as Alembic's: the user's program (its models and its
// compiled revisions) calls reflorm::migrate::main from its own main() (docs/migrations.md).
#include <reflorm/migrate/from_models.hpp>
#include <reflorm/migrate/revision.hpp>
#include <reflorm/schema/er_diagram.hpp>

#include <array>

#include <functional>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

namespace reflorm::migrate {

/// What the migration program knows of its models: their schema on a dialect (from_models, for
/// autogenerate and check; what calling it returns) and their ER diagram (er-diagram).
struct models_function {
    std::function<schema_model(const sql::compiler&)> schema;
    std::function<std::string(er_format)> diagram;
    schema_model operator()(const sql::compiler& dialect) const { return schema(dialect); }
};

/// models_function of `Models...`: `reflorm::migrate::models<Author, Book>()`.
template <class... Models>
models_function models() {
    return {[](const sql::compiler& dialect) { return from_models<Models...>(dialect); },
            [](er_format format) {
                const std::array<const schema::table_info*, sizeof...(Models)> tables{&schema::table_of<Models>...};
                return schema::er_diagram(tables, format);
            }};
}

/// Runs one command, Alembic's command set:
///   init                              makes the revisions directory and its meson.build
///   revision -m MSG [--autogenerate]  writes a new revision source (autogenerate: from compare())
///   upgrade [head|+N|REV]             (default head)
///   downgrade -N|REV|base
///   current                           the database's revision
///   history                           the revisions, newest first
///   check                             exit 1 when the models and the database differ
///   stamp head|base|REV               records a revision without running it
///   er-diagram [--dot]                the models' ER diagram, Mermaid (or Graphviz DOT) text
///                                     (reflorm::er_diagram); needs no database
/// Options: --url URL (else the REFLORM_DATABASE_URL environment variable), --dir DIR (the
/// revisions directory; else REFLORM_MIGRATIONS_DIR, else "migrations"), --sql (upgrade,
/// downgrade, stamp: print the SQL instead of running it; upgrade FROM:TO starts at FROM).
/// Returns the exit status: 0; 1 for a failed command or check's differences (the error on
/// `err`, the URL's password masked); 2 for a usage error. Catches every exception reflorm throws.
int run_command(const std::vector<std::string>& args, const revision_map& map, const models_function& models, std::ostream& out,
                std::ostream& err);

/// run_command with argv[1..argc) on std::cout and std::cerr: the migration program's main.
int main(int argc, char** argv, const revision_map& map, const models_function& models);

}  // namespace reflorm::migrate
