// reflorm's side of the comparison with Alembic (compare_alembic.py drives it): creates the
// World schema at one version with create_all, then prints what compare() finds against other
// versions' models, one operation a line, in Alembic's diff vocabulary (add_column,
// modify_type, add_fk, ...), fields separated by tabs. Types are printed as spelled (the
// database's for the existing side, create_all's for the target); the script normalises them.
//
//     REFLORM_COMPARE_URL=sqlite:///tmp/w.db world_compare 1 1 2
//     == v1
//     == v2
//     add_index	city	ix_city_name	name	0
//
// The URL comes from the environment so that a server's password is never on a command line.
#include "common/world_versions.hpp"

#include <reflorm/migrate.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <variant>

namespace rm = reflorm::migrate;

namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ",") + name;
    return out;
}

std::string fk_text(const rm::foreign_key_model& fk) {
    return joined(fk.columns) + "\t" + fk.referred_table + "(" + joined(fk.referred_columns) + ")";
}

struct line_of {
    std::string operator()(const rm::create_table& o) const { return "add_table\t" + o.table.name; }
    std::string operator()(const rm::drop_table& o) const { return "remove_table\t" + o.table.name; }
    std::string operator()(const rm::add_column& o) const {
        return "add_column\t" + o.table + "\t" + o.column.name + "\t" + o.column.type.name + "\t" +
               (o.column.nullable ? "1" : "0") + "\t" + o.column.server_default;
    }
    std::string operator()(const rm::drop_column& o) const { return "remove_column\t" + o.table + "\t" + o.column.name; }
    std::string operator()(const rm::alter_column& o) const {
        // Alembic reports each changed aspect as its own modify_* entry.
        const std::string column = o.table + "\t" + o.target.name + "\t";
        std::string out;
        const auto add = [&](const std::string& line) { out += (out.empty() ? "" : "\n") + line; };
        if (o.type_changed) add("modify_type\t" + column + o.existing.type.name + "\t" + o.target.type.name);
        if (o.nullable_changed)
            add("modify_nullable\t" + column + (o.existing.nullable ? "1" : "0") + "\t" + (o.target.nullable ? "1" : "0"));
        if (o.server_default_changed) add("modify_default\t" + column + o.existing.server_default + "\t" + o.target.server_default);
        return out;
    }
    std::string operator()(const rm::create_index& o) const {
        return "add_index\t" + o.table + "\t" + o.index.name + "\t" + joined(o.index.columns) + "\t" + (o.index.unique ? "1" : "0");
    }
    std::string operator()(const rm::drop_index& o) const {
        return "remove_index\t" + o.table + "\t" + o.index.name + "\t" + joined(o.index.columns) + "\t" + (o.index.unique ? "1" : "0");
    }
    std::string operator()(const rm::create_unique_constraint& o) const {
        return "add_constraint\t" + o.table + "\tunique(" + joined(o.constraint.columns) + ")";
    }
    std::string operator()(const rm::drop_unique_constraint& o) const {
        return "remove_constraint\t" + o.table + "\tunique(" + joined(o.constraint.columns) + ")";
    }
    std::string operator()(const rm::create_foreign_key& o) const { return "add_fk\t" + o.table + "\t" + fk_text(o.key); }
    std::string operator()(const rm::drop_foreign_key& o) const { return "remove_fk\t" + o.table + "\t" + fk_text(o.key); }
    // Renames and primary key changes are written by hand; compare() never returns them.
    std::string operator()(const auto& o) const { return "unexpected\t" + rm::describe(o); }
};

template <class... Models>
void create(reflorm::connection& conn, world_versions::model_set<Models...>) {
    reflorm::create_all<Models...>(conn);
}

template <class... Models>
rm::schema_model models(const reflorm::connection& conn, world_versions::model_set<Models...>) {
    return rm::from_models<Models...>(conn.dialect());
}

template <class F>
void with_version(int version, F&& f) {
    switch (version) {
    case 0: f(world_versions::v0{}); return;
    case 1: f(world_versions::v1{}); return;
    case 2: f(world_versions::v2{}); return;
    case 3: f(world_versions::v3{}); return;
    case 4: f(world_versions::v4{}); return;
    default: throw std::invalid_argument("no World version " + std::to_string(version) + " (0 to 4)");
    }
}

}  // namespace

int main(int argc, char** argv) try {
    const char* url = std::getenv("REFLORM_COMPARE_URL");
    if (!url || argc < 3) {
        std::cerr << "usage: REFLORM_COMPARE_URL=<url> world_compare <version to create> <version to compare with>...\n";
        return 2;
    }
    auto engine = reflorm::create_engine(url);
    auto conn = engine.connect();
    with_version(std::stoi(argv[1]), [&](auto version) { create(conn, version); });
    for (int i = 2; i < argc; ++i) {
        std::cout << "== v" << argv[i] << '\n';
        rm::schema_diff diff;
        with_version(std::stoi(argv[i]), [&](auto version) { diff = rm::compare(models(conn, version), rm::inspect(conn), conn.dialect().id()); });
        for (const auto& op : diff.operations) std::cout << std::visit(line_of{}, op) << '\n';
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "world_compare: " << e.what() << '\n';
    return 1;
}
