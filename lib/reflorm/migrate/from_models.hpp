#pragma once
// The runtime schema of a set of models: what create_all<Models...> creates, as schema_model
// values (SQLAlchemy's MetaData as the models declare it).
#include <reflorm/migrate/naming_convention.hpp>
#include <reflorm/migrate/schema_model.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/compiler.hpp>

#include <array>
#include <span>

namespace reflorm::migrate {

/// One table of the models as create_all renders it on `dialect`: each column's type is the
/// type name its CREATE TABLE writes, parsed (parse_type); constraints and indexes are named
/// by `naming` (a single-column reflorm::unique is a unique constraint of its own). Throws
/// invalid_request_error when a template of `naming` has an unknown token.
table_model table_from_info(const schema::table_info& table, const sql::compiler& dialect, const naming_convention& naming = {});

/// The tables of `Models...`, in the given order, as create_all<Models...> creates them on
/// `dialect` (pass connection::dialect(): an engine on a mysql:// URL is MariaDB's once
/// connected). Throws as table_from_info.
template <class... Models>
schema_model from_models(const sql::compiler& dialect, const naming_convention& naming = {}) {
    const std::array<const schema::table_info*, sizeof...(Models)> tables{&schema::table_of<Models>...};
    schema_model out;
    for (const auto* table : tables) out.tables.push_back(table_from_info(*table, dialect, naming));
    return out;
}

}  // namespace reflorm::migrate
