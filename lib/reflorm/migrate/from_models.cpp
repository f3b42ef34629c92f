#include <reflorm/migrate/from_models.hpp>
#include <reflorm/migrate/type_compare.hpp>
#include <reflorm/sql/ddl.hpp>

namespace reflorm::migrate {

namespace {

std::vector<std::string> column_names(const schema::table_info& table, const schema::column_list& columns) {
    std::vector<std::string> names;
    for (auto c : columns.view()) names.emplace_back(table.columns[c].name);
    return names;
}

}  // namespace

table_model table_from_info(const schema::table_info& table, const sql::compiler& dialect, const naming_convention& naming) {
    table_model out;
    out.name = table.name;
    for (const auto& column : table.columns) {
        column_model c;
        c.name = column.name;
        const auto type_name = sql::column_type_sql(dialect, table, column);
        c.type = parse_type(dialect.id(), type_name);
        // Keyed only where that changes the type (MySQL's VARCHAR(255) for a keyed string).
        c.portable = column_type{column.kind, column.max_length, column.precision, column.scale, column.with_time_zone,
                                 type_name != dialect.type_name(column, false)};
        c.nullable = column.nullable;
        c.server_default = column.server_default;
        c.autoincrement = column.autoincrement;
        out.columns.push_back(std::move(c));
        if (column.unique) {
            const std::vector<std::string> columns{std::string(column.name)};
            out.unique_constraints.push_back({apply_naming_convention(naming.uq, table.name, columns), columns});
        }
    }
    out.primary_key = column_names(table, table.primary_key);
    if (!out.primary_key.empty()) out.primary_key_name = apply_naming_convention(naming.pk, table.name, out.primary_key);
    for (const auto& index : table.indexes) {
        auto columns = column_names(table, index.columns);
        if (index.unique)
            out.unique_constraints.push_back({apply_naming_convention(naming.uq, table.name, columns), std::move(columns)});
        else
            out.indexes.push_back({apply_naming_convention(naming.ix, table.name, columns), std::move(columns), false});
    }
    for (const auto& fk : table.foreign_keys) {
        const auto& target = fk.target();
        foreign_key_model key;
        key.columns = column_names(table, fk.columns);
        key.referred_table = target.name;
        key.referred_columns = column_names(target, fk.target_columns);
        key.name = apply_naming_convention(naming.fk, table.name, key.columns, key.referred_table);
        key.on_delete = fk.on_delete;
        key.on_update = fk.on_update;
        key.deferrable = fk.deferrable && dialect.supports_deferrable();  // as create_all writes it
        out.foreign_keys.push_back(std::move(key));
    }
    return out;
}

}  // namespace reflorm::migrate
