// expect: reflorm: comparing a column with std::nullopt would render `= NULL`, which is never true in SQL
// expect: is_null()
// expect: &Person::email
// SQL's `= NULL` is never true: the null tests are is_null() / is_not_null().
#include <reflorm/sql/select.hpp>
#include <cstdint>
#include <optional>
#include <string>

struct Person {
    std::int64_t id;
    std::optional<std::string> email;
};

auto statement = reflorm::select<Person>().where(reflorm::c<&Person::email> != std::nullopt);
