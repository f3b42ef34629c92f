// The command line on each backend: upgrade, current, downgrade, stamp, check (exit 1 when the
// models and the database differ), revision --autogenerate (the source written from compare()),
// init, and the clear errors (an unknown revision, a database ahead of the code).
#define BOOST_TEST_MODULE migrate_cli
#include "support/backend.hpp"

#include "chain.hpp"
#include "models.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rm = reflorm::migrate;
namespace fs = std::filesystem;
using namespace migrate_test;

namespace {

struct fixture {
    reflorm_test::database db;
    rm::revision_map map = migrate_chain::chain();
    std::ostringstream out, err;
    fs::path dir = fs::temp_directory_path() / ("reflorm_migrate_cli_" + std::to_string(::getpid()));

    fixture() { fs::remove_all(dir); }
    ~fixture() { fs::remove_all(dir); }

    int run(std::vector<std::string> args, const rm::models_function& models = rm::models<>()) {
        out.str("");
        err.str("");
        args.insert(args.begin(), {"--url", db.url(), "--dir", dir.string()});
        return rm::run_command(args, map, models, out, err);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(upgrade_current_downgrade, fixture) {
    BOOST_TEST(run({"current"}) == 0);
    BOOST_TEST(out.str() == "");
    BOOST_TEST(run({"upgrade", "c3"}) == 0);
    BOOST_TEST(out.str() == "Running upgrade <base> -> a1, create country and city\n"
                            "Running upgrade a1 -> b2, country.continent NOT NULL with a server default\n"
                            "Running upgrade b2 -> c3, index on city.name, population to BIGINT, name nullable\n");
    BOOST_TEST(run({"current"}) == 0);
    BOOST_TEST(out.str() == "c3\n");
    BOOST_TEST(run({"upgrade"}) == 0);
    BOOST_TEST(run({"current"}) == 0);
    BOOST_TEST(out.str() == "d4 (head)\n");
    BOOST_TEST(run({"downgrade", "-1"}) == 0);
    BOOST_TEST(out.str() == "Running downgrade d4 -> c3, languages into their own table\n");
    BOOST_TEST(run({"downgrade", "base"}) == 0);
    BOOST_TEST(run({"current"}) == 0);
    BOOST_TEST(out.str() == "");
}

BOOST_FIXTURE_TEST_CASE(errors_are_clear, fixture) {
    BOOST_TEST(run({"upgrade", "nosuch"}) == 1);
    BOOST_TEST(err.str() == "error: reflorm: Can't locate revision identified by 'nosuch' (the target)\n");
    BOOST_TEST(run({"downgrade"}) == 2);
    BOOST_TEST(run({"upgrade"}) == 0);
    map = migrate_chain::chain(2);
    BOOST_TEST(run({"upgrade"}) == 1);
    BOOST_TEST(err.str().find("the database is at revision d4, which this program does not know: the database is ahead of the code") !=
               std::string::npos);
    map.add({"b3", "a1", "a branch", "", nullptr, nullptr});
    BOOST_TEST(run({"stamp", "head"}) == 1);
    BOOST_TEST(err.str().find("Multiple heads are present: b2, b3") != std::string::npos);
    // The password never shows.
    BOOST_TEST(rm::run_command({"--url", "postgresql://u:s3cret@127.0.0.1:1/x", "current"}, map, rm::models<>(), out, err) == 1);
    BOOST_TEST(err.str().find("s3cret") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(check_fails_when_a_model_changes, fixture) {
    {
        auto engine = reflorm::create_engine(db.url());
        auto conn = engine.connect();
        reflorm::create_all<Author, Book>(conn);
    }
    BOOST_TEST(run({"check"}, rm::models<Author, Book>()) == 0);
    BOOST_TEST(out.str() == "No new upgrade operations detected.\n");
    // A model added: the database lacks its table.
    BOOST_TEST(run({"check"}, rm::models<Author, Book, Note>()) == 1);
    BOOST_TEST(out.str() == "New upgrade operations detected:\n  Detected added table 'notes'\n");
}

BOOST_FIXTURE_TEST_CASE(revision_autogenerate_writes_the_differences, fixture) {
    map = rm::revision_map{};
    BOOST_TEST(run({"init"}) == 0);
    BOOST_TEST(fs::exists(dir / "meson.build"));
    BOOST_TEST(run({"init"}) == 1);  // exists already
    {
        auto engine = reflorm::create_engine(db.url());
        auto conn = engine.connect();
        reflorm::create_all<Author>(conn);
    }
    BOOST_TEST(run({"revision", "-m", "Add books", "--autogenerate"}, rm::models<Author, Book>()) == 0);
    BOOST_TEST(out.str().starts_with("Detected added table 'books'\nDetected added index 'ix_books_title'"));
    std::vector<fs::path> sources;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".cpp") sources.push_back(e.path());
    BOOST_TEST_REQUIRE(sources.size() == 1u);
    BOOST_TEST(sources[0].filename().string().ends_with("_add_books.cpp"));
    std::ifstream file(sources[0]);
    const std::string source((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    BOOST_TEST(source.find("op.create_table(\"books\",") != std::string::npos);
    BOOST_TEST(source.find("reflorm::migrate::column(\"isbn\", reflorm::migrate::types::string(13)).not_null()") != std::string::npos);
    BOOST_TEST(source.find("op.drop_table(\"books\");") != std::string::npos);
    BOOST_TEST(source.find(".down_revision = \"\",") != std::string::npos);
    std::ifstream list(dir / "meson.build");
    const std::string meson((std::istreambuf_iterator<char>(list)), std::istreambuf_iterator<char>());
    BOOST_TEST(meson.find("  '" + sources[0].filename().string() + "',\n") != std::string::npos);
}

// Branches on the command line: heads, history's branchpoint and mergepoint, current with two
// heads, upgrade heads, revision refused until merge writes the merge revision.
BOOST_FIXTURE_TEST_CASE(branches_heads_and_merge, fixture) {
    map = migrate_chain::chain(1);
    map.add({"b2", "a1", "branch two", "", nullptr, nullptr});
    map.add({"b3", "a1", "branch three", "", nullptr, nullptr});
    BOOST_TEST(run({"heads"}) == 0);
    BOOST_TEST(out.str() == "b2 (head)\nb3 (head)\n");
    BOOST_TEST(run({"upgrade", "heads"}) == 0);
    BOOST_TEST(run({"current"}) == 0);
    BOOST_TEST(out.str() == "b2 (head)\nb3 (head)\n");
    BOOST_TEST(run({"init"}) == 0);
    BOOST_TEST(run({"revision", "-m", "next"}) == 1);
    BOOST_TEST(err.str().find("Multiple heads are present: b2, b3; merge them first") != std::string::npos, err.str());
    BOOST_TEST(run({"merge", "-m", "join the branches", "heads"}) == 0);
    std::string source;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".cpp") {
            std::ifstream file(entry.path());
            source.assign(std::istreambuf_iterator<char>(file), {});
        }
    BOOST_TEST(source.find("// Revises: b2, b3\n") != std::string::npos, source);
    BOOST_TEST(source.find(".down_revision = \"b2\",") != std::string::npos, source);
    BOOST_TEST(source.find(".other_down_revisions = {\"b3\"},") != std::string::npos, source);
    // What that source registers, as the rebuilt program would hold it.
    map.add({"m4", "b2", "join the branches", "", nullptr, nullptr, {"b3"}});
    BOOST_TEST(run({"history"}) == 0);
    BOOST_TEST(out.str() == "b2, b3 -> m4 (head) (mergepoint), join the branches\na1 -> b3, branch three\na1 -> b2, branch two\n"
                            "<base> -> a1 (branchpoint), " + map.find("a1")->message + "\n");
    BOOST_TEST(run({"upgrade"}) == 0);
    BOOST_TEST(out.str() == "Running upgrade b2, b3 -> m4, join the branches\n");
    BOOST_TEST(run({"current"}) == 0);
    BOOST_TEST(out.str() == "m4 (head)\n");
}
