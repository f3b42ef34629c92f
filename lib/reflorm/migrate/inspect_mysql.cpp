// MySQL's and MariaDB's catalog (information_schema), for the tables of DATABASE(). COLUMN_TYPE
// gives each column's full type ("int(11)", "bigint(20) unsigned", "varchar(40)"). A unique
// index is a unique constraint there: every unique index is read as one.
#include <reflorm/migrate/detail/catalog_rows.hpp>
#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/type_compare.hpp>
#include <reflorm/sql/text.hpp>

#include <cstdint>
#include <optional>

namespace reflorm::migrate::detail {

namespace {

// The columns of `table` (all of them, or the one named `only`), with what MODIFY COLUMN needs restated.
auto column_rows(connection& c, const std::string& table, const std::string& only = {}) {
    return c.execute(text("SELECT column_name, column_type, is_nullable, column_default, extra, column_comment, character_set_name,"
                          " collation_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = :t"
                          " AND (:c = '' OR column_name = :c) ORDER BY ordinal_position")
                         .bind("t", table)
                         .bind("c", only)
                         .columns<std::string, std::string, std::string, std::optional<std::string>, std::string, std::string,
                                  std::optional<std::string>, std::optional<std::string>>())
        .all();
}

void read_attributes(column_model& column, const std::string& extra, const std::string& comment, const std::optional<std::string>& charset,
                     const std::optional<std::string>& collation) {
    column.comment = comment;
    column.charset = charset.value_or("");
    column.collation = collation.value_or("");
    // EXTRA: "on update current_timestamp()" (MariaDB), "DEFAULT_GENERATED on update CURRENT_TIMESTAMP" (MySQL 8).
    const auto at = extra.find("on update ");
    column.on_update = at == std::string::npos ? "" : extra.substr(at + 10, extra.find(' ', at + 10) - (at + 10));
}

void read_columns(connection& c, table_model& table, sql::dialect_id dialect) {
    for (const auto& [name, type, nullable, default_sql, extra, comment, charset, collation] : column_rows(c, table.name)) {
        column_model column;
        column.name = name;
        column.type = parse_type(dialect, type);
        column.nullable = nullable == "YES";
        column.server_default = default_sql.value_or("");
        column.autoincrement = extra.find("auto_increment") != std::string::npos;
        read_attributes(column, extra, comment, charset, collation);
        table.columns.push_back(std::move(column));
    }
}

void read_indexes(connection& c, table_model& table) {
    const auto rows = c.execute(text("SELECT index_name, non_unique, column_name FROM information_schema.statistics"
                                     " WHERE table_schema = DATABASE() AND table_name = :t ORDER BY index_name, seq_in_index")
                                    .bind("t", table.name)
                                    .columns<std::string, std::int64_t, std::string>())
                          .all();
    for (const auto& [name, non_unique, column] : rows) {
        if (name == "PRIMARY") {
            table.primary_key_name = name;
            table.primary_key.push_back(column);
        } else if (non_unique == 0) {
            named(table.unique_constraints, name).columns.push_back(column);
        } else {
            named(table.indexes, name).columns.push_back(column);
        }
    }
}

void read_foreign_keys(connection& c, table_model& table) {
    const auto rows =
        c.execute(text("SELECT k.constraint_name, k.column_name, k.referenced_table_name, k.referenced_column_name, r.delete_rule,"
                       " r.update_rule FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r"
                       " ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name"
                       " AND r.table_name = k.table_name"
                       " WHERE k.table_schema = DATABASE() AND k.table_name = :t AND k.referenced_table_name IS NOT NULL"
                       " ORDER BY k.constraint_name, k.ordinal_position")
                      .bind("t", table.name)
                      .columns<std::string, std::string, std::string, std::string, std::string, std::string>())
            .all();
    for (const auto& [name, column, referred_table, referred_column, on_delete, on_update] : rows) {
        auto& fk = named(table.foreign_keys, name);
        fk.columns.push_back(column);
        fk.referred_table = referred_table;
        fk.referred_columns.push_back(referred_column);
        fk.on_delete = action_from_name(on_delete);
        fk.on_update = action_from_name(on_update);
    }
}

void read_checks(connection& c, table_model& table) {
    const auto rows = c.execute(text("SELECT constraint_name, check_clause FROM information_schema.check_constraints"
                                     " WHERE constraint_schema = DATABASE() AND table_name = :t ORDER BY constraint_name")
                                    .bind("t", table.name)
                                    .columns<std::string, std::string>())
                          .all();
    for (const auto& [name, clause] : rows) table.check_constraints.push_back({name, clause});
}

}  // namespace

void refresh_mysql_column(connection& c, table_model& table, const std::string& column) {
    for (auto& kept : table.columns)
        if (kept.name == column)
            for (const auto& [name, type, nullable, default_sql, extra, comment, charset, collation] : column_rows(c, table.name, column))
                read_attributes(kept, extra, comment, charset, collation);
}

schema_model inspect_mysql(connection& c) {
    const auto dialect = c.dialect().id();
    const auto names = c.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
                                      " AND table_type = 'BASE TABLE' AND table_name <> 'reflorm_version' ORDER BY table_name")
                                     .columns<std::string>())
                           .scalars()
                           .all();
    return read_tables(names, [&](table_model& table) {
        read_columns(c, table, dialect);
        read_indexes(c, table);
        read_foreign_keys(c, table);
        read_checks(c, table);
    });
}

}  // namespace reflorm::migrate::detail
