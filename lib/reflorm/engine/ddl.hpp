#pragma once
// create_all / drop_all for a set of models, in foreign key order.
#include <reflorm/engine/connection.hpp>

#include <array>
#include <span>

namespace reflorm {

namespace detail {
void create_tables(connection& c, std::span<const schema::table_info* const> tables);
void drop_tables(connection& c, std::span<const schema::table_info* const> tables);
}  // namespace detail

/// CREATE TABLE IF NOT EXISTS for each model, referenced tables first, then its indexes; in one
/// transaction. Idempotent: tables that exist are left as they are (not altered).
template <class... Models>
void create_all(connection& c) {
    const std::array<const schema::table_info*, sizeof...(Models)> tables{&schema::table_of<Models>...};
    detail::create_tables(c, tables);
}
template <class... Models>
void create_all(engine& e) {
    auto c = e.connect();
    create_all<Models...>(c);
}

/// DROP TABLE IF EXISTS for each model, referencing tables first; in one transaction with
/// foreign key checks deferred to its end, so reference cycles drop too. Idempotent.
template <class... Models>
void drop_all(connection& c) {
    const std::array<const schema::table_info*, sizeof...(Models)> tables{&schema::table_of<Models>...};
    detail::drop_tables(c, tables);
}
template <class... Models>
void drop_all(engine& e) {
    auto c = e.connect();
    drop_all<Models...>(c);
}

}  // namespace reflorm
