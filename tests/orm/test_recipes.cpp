// The recipes of docs/session.md, checked against the rows they leave in the database and the
// SQL they emit. Soft delete: a nullable deleted_at, a before_flush listener that turns the
// session's deletions into UPDATEs of it, and a query helper that filters on it.
#define BOOST_TEST_MODULE orm_recipes
#include <boost/test/unit_test.hpp>

#include <reflorm/orm.hpp>

#include "support/backend.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace recipes {

struct Document;

struct Folder {
    std::int64_t id = 0;
    std::string name;
    std::optional<reflorm::timestamp> deleted_at{};
    reflorm::many<Document> documents{};
};

struct Document {
    std::int64_t id = 0;
    std::optional<std::int64_t> folder_id{};
    std::string title;
    std::optional<reflorm::timestamp> deleted_at{};
};

/// A model without deleted_at: its deletions stay DELETEs.
struct Comment {
    std::int64_t id = 0;
    std::string text;
};

}  // namespace recipes

template <>
struct reflorm::model<recipes::Folder> {
    static constexpr auto relationships = reflorm::relationships(
        reflorm::relationship<&recipes::Folder::documents>{}.cascade(reflorm::cascade::all).order_by(reflorm::c<&recipes::Document::id>));
};
template <>
struct reflorm::model<recipes::Document> {
    static constexpr auto columns = reflorm::columns(reflorm::foreign_key<&recipes::Document::folder_id, &recipes::Folder::id>);
};

using namespace recipes;
using reflorm::c;

namespace {

reflorm::timestamp now_seconds() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

/// The recipe: session.delete_() of a T sets T::deleted_at instead.
template <class T>
void soft_delete(reflorm::session& session) {
    session.before_flush([](reflorm::session& s) {
        const reflorm::timestamp now = now_seconds();
        for (T* object : s.deleted_objects<T>()) {
            object->deleted_at = now;
            s.undelete(*object);
        }
    });
}

/// The recipe's default filter.
template <class T>
auto live() {
    return reflorm::select<T>().where(c<&T::deleted_at>.is_null());
}

struct fixture {
    // A fresh database on the backend under test (a file on SQLite, so that raw checks can open
    // their own connection while a session holds one), dropped after the engine.
    reflorm_test::database db;
    reflorm::engine engine = reflorm::create_engine(db.url());
    fixture() {
        reflorm::create_all<Folder, Document, Comment>(engine);
        reflorm::session s{engine};
        // Documents 1 "plan" and 2 "budget" in folder 1 "work"; document 3 "loose" in none.
        s.add(Folder{.name = "work", .documents = {Document{.title = "plan"}, Document{.title = "budget"}}});
        s.add(Document{.title = "loose"});
        s.add(Comment{.text = "hello"});
        s.commit();
    }

    /// "<id> live" or "<id> deleted" for every document row, by id, as the backend's own client
    /// reads them.
    std::vector<std::string> document_rows() {
        std::vector<std::string> out;
        for (const auto& row : db.raw().rows("SELECT id, deleted_at FROM documents ORDER BY id"))
            out.push_back(row.at(0).value() + (row.at(1) ? " deleted" : " live"));
        return out;
    }
};

using rows = std::vector<std::string>;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(soft_delete_recipe, fixture)

BOOST_AUTO_TEST_CASE(a_deletion_becomes_one_update_of_deleted_at_and_the_row_stays) {
    reflorm::session s{engine};
    soft_delete<Document>(s);
    auto plan = s.get<Document>(1);
    const reflorm::timestamp before = now_seconds();
    reflorm::statement_counter n{engine};
    s.delete_(plan);
    s.commit();
    const std::vector<std::string> expected{"UPDATE documents SET deleted_at = ? WHERE id = ?"};
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()) == expected, boost::test_tools::per_element());
    BOOST_TEST((s.state_of(*plan) == reflorm::object_state::persistent));
    BOOST_TEST(document_rows() == (rows{"1 deleted", "2 live", "3 live"}), boost::test_tools::per_element());

    auto conn = engine.connect();
    const auto stored = conn.get<Document>(1);
    BOOST_REQUIRE(stored.has_value());
    BOOST_TEST(stored->title == "plan");
    BOOST_REQUIRE(stored->deleted_at.has_value());
    BOOST_TEST((*stored->deleted_at >= before && *stored->deleted_at <= now_seconds()));
}

BOOST_AUTO_TEST_CASE(deletions_in_one_flush_share_one_executemany) {
    reflorm::session s{engine};
    soft_delete<Document>(s);
    auto docs = s.scalars(reflorm::select<Document>().order_by(c<&Document::id>)).all();
    std::vector<std::size_t> parameter_sets;
    reflorm::statement_counter n{engine};
    const auto listener = engine.add_listener([&](const reflorm::execute_event& e) { parameter_sets.push_back(e.parameter_sets); });
    s.delete_(docs[0]);
    s.delete_(docs[2]);
    s.commit();
    engine.remove_listener(listener);
    const std::vector<std::string> expected{"UPDATE documents SET deleted_at = ? WHERE id = ?"};
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()) == expected, boost::test_tools::per_element());
    BOOST_TEST(parameter_sets == std::vector<std::size_t>{2}, boost::test_tools::per_element());
    BOOST_TEST(document_rows() == (rows{"1 deleted", "2 live", "3 deleted"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_soft_deleted_object_with_other_changes_is_written_by_one_update) {
    reflorm::session s{engine};
    soft_delete<Document>(s);
    auto budget = s.get<Document>(2);
    budget->title = "budget (old)";
    reflorm::statement_counter n{engine};
    s.delete_(budget);
    s.commit();
    const std::vector<std::string> expected{"UPDATE documents SET title = ?, deleted_at = ? WHERE id = ?"};
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()) == expected, boost::test_tools::per_element());
    auto conn = engine.connect();
    BOOST_TEST(conn.get<Document>(2)->title == "budget (old)");
    BOOST_TEST(document_rows() == (rows{"1 live", "2 deleted", "3 live"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_default_filter_hides_soft_deleted_rows_and_combines_with_other_conditions) {
    reflorm::session s{engine};
    soft_delete<Document>(s);
    s.delete_(s.get<Document>(1));
    s.commit();

    const auto query = live<Document>().where(c<&Document::title>.like("%l%")).order_by(c<&Document::id>);
    // As the backend under test renders it.
    BOOST_TEST(reflorm_test::with_qmarks(reflorm::sql::to_sql(query, engine.dialect())) ==
               "SELECT documents.id, documents.folder_id, documents.title, documents.deleted_at FROM documents "
               "WHERE documents.deleted_at IS NULL AND documents.title LIKE ? ORDER BY documents.id ASC");
    reflorm::statement_counter n{engine};
    const auto found = s.scalars(query).all();
    BOOST_TEST(n.count() == 1u);
    BOOST_REQUIRE(found.size() == 1u);  // "plan" matches too, but it is soft-deleted
    BOOST_TEST(found[0]->title == "loose");
    BOOST_TEST(s.scalars(live<Document>()).all().size() == 2u);
    BOOST_TEST(s.scalars(reflorm::select<Document>()).all().size() == 3u);  // without the filter, the row is there
}

BOOST_AUTO_TEST_CASE(models_without_the_listener_are_still_deleted) {
    reflorm::session s{engine};
    soft_delete<Document>(s);
    auto comment = s.get<Comment>(1);
    reflorm::statement_counter n{engine};
    s.delete_(comment);
    s.commit();
    const std::vector<std::string> expected{"DELETE FROM comments WHERE id = ?"};
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()) == expected, boost::test_tools::per_element());
    auto conn = engine.connect();
    BOOST_TEST(conn.count(reflorm::select<Comment>()) == 0);
}

BOOST_AUTO_TEST_CASE(cascade_delete_does_not_reach_through_a_soft_deleted_parent) {
    reflorm::session s{engine};
    soft_delete<Folder>(s);
    soft_delete<Document>(s);
    auto work = s.get<Folder>(1);
    reflorm::statement_counter n{engine};
    s.delete_(work);
    s.commit();
    const std::vector<std::string> expected{"UPDATE folders SET deleted_at = ? WHERE id = ?"};
    BOOST_TEST(reflorm_test::with_qmarks(n.statements()) == expected, boost::test_tools::per_element());
    BOOST_TEST(document_rows() == (rows{"1 live", "2 live", "3 live"}), boost::test_tools::per_element());
    auto conn = engine.connect();
    BOOST_TEST(conn.get<Folder>(1)->deleted_at.has_value());
}

BOOST_AUTO_TEST_CASE(rollback_undoes_a_flushed_soft_delete_in_the_database_and_the_object) {
    reflorm::session s{engine, {.expire_on_commit = false}};
    soft_delete<Document>(s);
    auto plan = s.get<Document>(1);
    s.delete_(plan);
    s.flush();
    BOOST_TEST(plan->deleted_at.has_value());
    s.rollback();
    BOOST_TEST(!plan->deleted_at.has_value());
    BOOST_TEST((s.state_of(*plan) == reflorm::object_state::persistent));
    BOOST_TEST(document_rows() == (rows{"1 live", "2 live", "3 live"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
