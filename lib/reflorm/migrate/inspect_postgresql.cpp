// PostgreSQL's catalog (pg_catalog), for the tables of current_schema(): format_type() spells
// each column's type with its modifiers, pg_get_expr() its default; constraints come from
// pg_constraint, and indexes that back no constraint from pg_index.
#include <reflorm/migrate/detail/catalog_rows.hpp>
#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/type_compare.hpp>
#include <reflorm/sql/text.hpp>

#include <cstdint>
#include <optional>

namespace reflorm::migrate::detail {

namespace {

// pg_constraint.confdeltype / confupdtype.
referential_action postgresql_action(std::string_view code) {
    if (code == "r") return referential_action::restrict;
    if (code == "c") return referential_action::cascade;
    if (code == "n") return referential_action::set_null;
    if (code == "d") return referential_action::set_default;
    return referential_action::no_action;
}

// The FROM clause shared by the constraint queries: constraint `con` of table `t` in the current schema.
constexpr std::string_view constraint_of_table =
    " FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class t ON t.oid = con.conrelid"
    " JOIN pg_catalog.pg_namespace ns ON ns.oid = t.relnamespace";

void read_columns(connection& c, table_model& table) {
    const auto rows =
        c.execute(text("SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                       " pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text"
                       " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class t ON t.oid = a.attrelid"
                       " JOIN pg_catalog.pg_namespace ns ON ns.oid = t.relnamespace"
                       " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                       " WHERE ns.nspname = current_schema() AND t.relname = :t AND a.attnum > 0 AND NOT a.attisdropped"
                       " ORDER BY a.attnum")
                      .bind("t", table.name)
                      .columns<std::string, std::string, bool, std::optional<std::string>, std::string>())
            .all();
    for (const auto& [name, type, not_null, default_sql, identity] : rows) {
        column_model column;
        column.name = name;
        column.type = parse_type(sql::dialect_id::postgresql, type);
        column.nullable = !not_null;
        column.server_default = default_sql.value_or("");
        // An identity column, or a serial one (its default draws from a sequence).
        column.autoincrement = !identity.empty() || column.server_default.starts_with("nextval(");
        if (column.autoincrement) column.server_default.clear();
        table.columns.push_back(std::move(column));
    }
}

void read_constraints(connection& c, table_model& table) {
    const auto keys = c.execute(text("SELECT con.conname::text, con.contype::text, a.attname::text" + std::string(constraint_of_table) +
                                     " CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)"
                                     " JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum"
                                     " WHERE ns.nspname = current_schema() AND t.relname = :t AND con.contype IN ('p', 'u', 'f')"
                                     " ORDER BY con.conname, k.n")
                                    .bind("t", table.name)
                                    .columns<std::string, std::string, std::string>())
                          .all();
    for (const auto& [name, type, column] : keys) {
        if (type == "p") {
            table.primary_key_name = name;
            table.primary_key.push_back(column);
        } else if (type == "u") {
            named(table.unique_constraints, name).columns.push_back(column);
        } else {
            named(table.foreign_keys, name).columns.push_back(column);
        }
    }
    const auto referred = c.execute(text("SELECT con.conname::text, r.relname::text, a.attname::text, con.confdeltype::text,"
                                         " con.confupdtype::text, con.condeferrable AND con.condeferred" + std::string(constraint_of_table) +
                                         " JOIN pg_catalog.pg_class r ON r.oid = con.confrelid"
                                         " CROSS JOIN LATERAL unnest(con.confkey) WITH ORDINALITY AS k(attnum, n)"
                                         " JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum"
                                         " WHERE ns.nspname = current_schema() AND t.relname = :t AND con.contype = 'f'"
                                         " ORDER BY con.conname, k.n")
                                        .bind("t", table.name)
                                        .columns<std::string, std::string, std::string, std::string, std::string, bool>())
                              .all();
    for (const auto& [name, referred_table, column, on_delete, on_update, deferred] : referred) {
        auto& fk = named(table.foreign_keys, name);
        fk.referred_table = referred_table;
        fk.referred_columns.push_back(column);
        fk.on_delete = postgresql_action(on_delete);
        fk.on_update = postgresql_action(on_update);
        fk.deferrable = deferred;  // DEFERRABLE INITIALLY DEFERRED (INITIALLY IMMEDIATE is not deferred)
    }
    const auto checks = c.execute(text("SELECT con.conname::text, pg_catalog.pg_get_expr(con.conbin, con.conrelid)" + std::string(constraint_of_table) +
                                       " WHERE ns.nspname = current_schema() AND t.relname = :t AND con.contype = 'c'"
                                       " ORDER BY con.conname")
                                      .bind("t", table.name)
                                      .columns<std::string, std::string>())
                            .all();
    for (const auto& [name, definition] : checks) table.check_constraints.push_back({name, definition});
}

// Indexes that back no primary key or unique constraint (those are constraints above).
void read_indexes(connection& c, table_model& table) {
    const auto rows = c.execute(text("SELECT i.relname::text, ix.indisunique, a.attname::text FROM pg_catalog.pg_index ix"
                                     " JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid"
                                     " JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid"
                                     " JOIN pg_catalog.pg_namespace ns ON ns.oid = t.relnamespace"
                                     " CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)"
                                     " JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
                                     " WHERE ns.nspname = current_schema() AND t.relname = :t AND NOT ix.indisprimary"
                                     " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = ix.indexrelid"
                                     " AND con.contype IN ('p', 'u'))"
                                     " ORDER BY i.relname, k.n")
                                    .bind("t", table.name)
                                    .columns<std::string, bool, std::string>())
                          .all();
    for (const auto& [name, unique, column] : rows) {
        auto& index = named(table.indexes, name);
        index.unique = unique;
        index.columns.push_back(column);
    }
}

}  // namespace

schema_model inspect_postgresql(connection& c) {
    const auto names = c.execute(text("SELECT t.relname::text FROM pg_catalog.pg_class t"
                                      " JOIN pg_catalog.pg_namespace ns ON ns.oid = t.relnamespace"
                                      " WHERE ns.nspname = current_schema() AND t.relkind IN ('r', 'p')"
                                      " AND t.relname <> 'reflorm_version' ORDER BY t.relname")
                                     .columns<std::string>())
                           .scalars()
                           .all();
    return read_tables(names, [&](table_model& table) {
        read_columns(c, table);
        read_constraints(c, table);
        read_indexes(c, table);
    });
}

}  // namespace reflorm::migrate::detail
