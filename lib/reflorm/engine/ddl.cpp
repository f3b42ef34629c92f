#include <reflorm/engine/ddl.hpp>
#include <reflorm/sql/ddl.hpp>

namespace reflorm::detail {

void create_tables(connection& c, std::span<const schema::table_info* const> tables) {
    auto tx = c.begin();
    for (const auto* table : sql::sort_by_dependency(tables)) {
        c.execute(sql::create_table_sql(c.dialect(), *table));
        for (const auto& statement : sql::create_index_sql(c.dialect(), *table)) c.execute(statement);
    }
    tx.commit();
}

void drop_tables(connection& c, std::span<const schema::table_info* const> tables) {
    auto order = sql::sort_by_dependency(tables);
    auto tx = c.begin();
    if (const auto defer = c.dialect().defer_foreign_keys_sql(); !defer.empty()) c.execute(std::string(defer));
    for (auto it = order.rbegin(); it != order.rend(); ++it) c.execute(sql::drop_table_sql(c.dialect(), **it));
    tx.commit();
}

}  // namespace reflorm::detail
