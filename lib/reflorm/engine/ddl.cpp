#include <reflorm/engine/ddl.hpp>
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/sql/ddl.hpp>

namespace reflorm::detail {

namespace {

bool table_exists(connection& c, const schema::table_info& table) {
    std::int64_t n = 0;
    c.query(
        std::string(c.dialect().table_exists_sql()), [&](driver::cursor& cursor) { cursor.bind_text(1, table.name); },
        [&](driver::cursor& cursor) { codec::read_value(cursor, 0, n, "count"); },
        [&] { return std::vector<std::string>{codec::quote_for_message(table.name)}; });
    return n > 0;
}

// Whether table.foreign_keys[key] exists, where the dialect cannot drop it IF EXISTS (MySQL 8).
bool foreign_key_exists(connection& c, const schema::table_info& table, std::size_t key) {
    const std::string name = sql::foreign_key_name(table, key);
    std::int64_t n = 0;
    c.query(
        std::string(c.dialect().foreign_key_exists_sql()),
        [&](driver::cursor& cursor) {
            cursor.bind_text(1, table.name);
            cursor.bind_text(2, name);
        },
        [&](driver::cursor& cursor) { codec::read_value(cursor, 0, n, "count"); },
        [&] { return std::vector<std::string>{codec::quote_for_message(table.name), codec::quote_for_message(name)}; });
    return n > 0;
}

}  // namespace

void create_tables(connection& c, std::span<const schema::table_info* const> tables) {
    const auto order = sql::sort_by_dependency(tables);
    const auto& dialect = c.dialect();
    // A reference cycle's closing keys are added once both tables exist (SQLAlchemy's use_alter);
    // only to tables this call creates, as the tables that exist are left as they are.
    const auto forward = dialect.alters_foreign_keys() ? sql::forward_foreign_keys(order) : std::vector<std::uint64_t>(order.size());
    std::vector<bool> created(order.size());
    auto tx = c.begin();
    // Without CREATE INDEX IF NOT EXISTS (MySQL), a table that exists keeps its indexes as they are.
    const bool index_if_not_exists = dialect.create_index_if_not_exists();
    for (std::size_t i = 0; i < order.size(); ++i) {
        const bool existed = (forward[i] || !index_if_not_exists) && table_exists(c, *order[i]);
        created[i] = forward[i] && !existed;
        c.exec_driver_sql(sql::create_table_sql(dialect, *order[i], true, forward[i]));
        if (index_if_not_exists || !existed)
            for (const auto& statement : sql::create_index_sql(dialect, *order[i])) c.exec_driver_sql(statement);
    }
    for (std::size_t i = 0; i < order.size(); ++i)
        for (std::size_t k = 0; created[i] && k < 64; ++k)
            if (forward[i] >> k & 1) c.exec_driver_sql(sql::add_foreign_key_sql(dialect, *order[i], k));
    tx.commit();
}

void drop_tables(connection& c, std::span<const schema::table_info* const> tables) {
    const auto order = sql::sort_by_dependency(tables);
    const auto& dialect = c.dialect();
    auto tx = c.begin();
    if (const auto defer = dialect.defer_foreign_keys_sql(); !defer.empty()) c.exec_driver_sql(std::string(defer));
    if (dialect.alters_foreign_keys()) {
        // A server refuses to drop a table another one still references, deferred or not.
        const auto forward = sql::forward_foreign_keys(order);
        for (std::size_t i = 0; i < order.size(); ++i)
            for (std::size_t k = 0; k < 64; ++k)
                if ((forward[i] >> k & 1) && (dialect.drop_foreign_key_if_exists() || foreign_key_exists(c, *order[i], k)))
                    c.exec_driver_sql(sql::drop_foreign_key_sql(dialect, *order[i], k));
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) c.exec_driver_sql(sql::drop_table_sql(dialect, **it));
    tx.commit();
}

}  // namespace reflorm::detail
