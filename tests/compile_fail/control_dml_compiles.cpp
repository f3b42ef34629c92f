// expect-success
// Positive control for the data-changing statements: correct uses of what the insert_*,
// update_* and upsert_* snippets misuse.
#include <reflorm/sql/delete.hpp>
#include <reflorm/sql/insert.hpp>
#include <reflorm/sql/text.hpp>
#include <reflorm/sql/to_sql.hpp>
#include <reflorm/sql/update.hpp>

#include <cstdint>
#include <optional>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
    std::int32_t age;
    std::optional<std::string> note;
};

struct Other {
    std::int64_t id;
    std::string label;
    std::int32_t size;
    std::optional<std::string> remark;
};

std::string render(const reflorm::sql::compiler& dialect) {
    using reflorm::c;
    std::string out;
    out += reflorm::sql::to_sql(reflorm::update<Person>()
                                    .set(c<&Person::age> = 40, c<&Person::name> = "x", c<&Person::note> = std::nullopt)
                                    .where(c<&Person::id> == 1),
                                dialect);
    out += reflorm::sql::to_sql(reflorm::update<Person>().set(c<&Person::note> = c<&Person::name>, c<&Person::age> = c<&Person::age> + 1), dialect);
    out += reflorm::sql::to_sql(reflorm::insert<Person>().from_select(reflorm::select<Other>()), dialect);
    out += reflorm::sql::to_sql(reflorm::insert<Person>()
                                    .values(Person{0, "x", 1, std::nullopt})
                                    .on_conflict_do_update(c<&Person::name>)
                                    .set_excluded(c<&Person::age>)
                                    .returning(c<&Person::id>),
                                dialect);
    out += reflorm::sql::to_sql(reflorm::delete_<Person>().where(c<&Person::id> == 1), dialect);
    out += reflorm::sql::to_sql(reflorm::text("SELECT :x").bind("x", 1).columns<std::int64_t>(), dialect);
    return out;
}
