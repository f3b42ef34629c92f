// Shared by the sql text tests: a statement's SQL in each dialect, and the values it binds in
// placeholder order as comparable variants.
#pragma once

#include <boost/test/unit_test.hpp>

#include <reflorm/dialect/dialect.hpp>
#include <reflorm/schema/column_type.hpp>
#include <reflorm/sql/to_sql.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace sql_test {

std::string sqlite_sql(const auto& statement) { return reflorm::sql::to_sql(statement, reflorm::dialect::sqlite()); }
std::string pg_sql(const auto& statement) { return reflorm::sql::to_sql(statement, reflorm::dialect::postgresql()); }
std::string mysql_sql(const auto& statement) { return reflorm::sql::to_sql(statement, reflorm::dialect::mysql()); }

/// One bound value; its alternative is its C++ type (int is std::int32_t here).
using parameter = std::variant<std::int32_t, std::int64_t, double, std::string, reflorm::date>;

/// Every value `s` binds, in placeholder order; a value of another type fails the test.
template <class Statement>
std::vector<parameter> parameters_of(const Statement& s) {
    std::vector<parameter> out;
    auto collect = [&](const auto& v) {
        using V = std::remove_cvref_t<decltype(v)>;
        if constexpr (std::is_constructible_v<parameter, V>) out.emplace_back(std::in_place_type<V>, v);
        else BOOST_FAIL("unexpected parameter type");
    };
    s.for_each_parameter(collect);
    return out;
}

}  // namespace sql_test
