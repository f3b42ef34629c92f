// Creates an in-memory SQLite database, a table, inserts a row and reads it back.
// Exits non-zero on any mismatch, so that the consumer test fails.
#include <reflorm/reflorm.hpp>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

struct Note {
    std::int64_t id;
    std::string title;
    std::optional<std::string> body;
    std::int32_t stars;
};

template <>
struct reflorm::model<Note> {
    static constexpr auto columns = reflorm::columns(reflorm::max_length<&Note::title, 40>);
};

namespace {
int failures = 0;
void expect(bool ok, const char* what) {
    if (!ok) {
        std::cerr << "consumer: mismatch: " << what << "\n";
        ++failures;
    }
}
}  // namespace

int main() {
    try {
        auto engine = reflorm::create_engine("sqlite://");
        auto connection = engine.connect();
        reflorm::create_all<Note>(connection);

        Note note{0, "first", std::nullopt, 4};
        connection.insert(note);
        expect(note.id != 0, "the generated key is written back");

        const auto found = connection.get<Note>(note.id);
        expect(found.has_value(), "get finds the inserted row");
        if (found) {
            expect(found->id == note.id, "id");
            expect(found->title == "first", "title");
            expect(!found->body.has_value(), "body is NULL");
            expect(found->stars == 4, "stars");
        }

        using reflorm::c;
        const auto rows = connection.execute(reflorm::select<Note>().where(c<&Note::stars> >= 3)).all();
        expect(rows.size() == 1 && rows[0].title == "first", "select ... where stars >= 3");
        expect(connection.execute(reflorm::select<Note>().where(c<&Note::stars> > 4)).all().empty(), "select ... where stars > 4");
    } catch (const std::exception& e) {
        std::cerr << "consumer: " << e.what() << "\n";
        return EXIT_FAILURE;
    }
    if (failures) return EXIT_FAILURE;
    std::cout << "consumer: ok\n";
    return EXIT_SUCCESS;
}
