// Inserting the World tables, whose countries and cities reference each other, on every backend.
#pragma once

#include "models.hpp"

#include <reflorm/reflorm.hpp>

#include <cstddef>
#include <vector>

namespace world {

/// Inserts `countries` and `cities` (bulk inserts), inside the caller's transaction. They
/// reference each other: Country::capital -> City::id and City::country_code -> Country::code.
/// Where a foreign key can be deferred (SQLite, PostgreSQL: the capital key is DEFERRABLE
/// INITIALLY DEFERRED), both go in as they are and the capitals are checked at COMMIT.
/// MySQL/MariaDB have no deferrable keys and check every row at once: the countries go in
/// without their capitals, then the cities, then one UPDATE per country with a capital sets it
/// (as SQLAlchemy's post_update does). Returns the number of those UPDATEs: 0 where deferred.
inline std::size_t insert_countries_and_cities(reflorm::connection& conn, const std::vector<Country>& countries,
                                               const std::vector<City>& cities) {
    std::vector<Country> country_rows = countries;
    std::vector<City> city_rows = cities;
    if (conn.dialect().supports_deferrable()) {
        conn.insert_all(country_rows);
        conn.insert_all(city_rows);
        return 0;
    }
    for (auto& country : country_rows) country.capital.reset();
    conn.insert_all(country_rows);
    conn.insert_all(city_rows);
    std::size_t updates = 0;
    for (const auto& country : countries) {
        if (!country.capital) continue;
        conn.execute(reflorm::update<Country>()
                         .set(reflorm::c<&Country::capital> = *country.capital)
                         .where(reflorm::c<&Country::code> == country.code));
        ++updates;
    }
    return updates;
}

}  // namespace world
