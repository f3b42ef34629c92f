// expect: reflorm: on_conflict_do_update(...) needs .set_excluded(c<&T::member>...)
// on_conflict_do_update() without saying which columns to update, rendered.
#include <reflorm/sql/insert.hpp>
#include <reflorm/sql/to_sql.hpp>
#include <cstdint>
#include <string>

struct Person {
    std::int64_t id;
    std::string name;
};

std::string render(const reflorm::sql::compiler& dialect) {
    return reflorm::sql::to_sql(
        reflorm::insert<Person>().values(Person{0, "x"}).on_conflict_do_update(reflorm::c<&Person::name>), dialect);
}
