#pragma once
// Columns as a revision declares them, in types that render per dialect (Alembic's sa.Column
// with sa.String(40), sa.Integer(), ...): a revision written once runs on SQLite, PostgreSQL and
// MariaDB. Each type is rendered by the very code create_all uses (compiler::type_name).
#include <reflorm/migrate/schema_model.hpp>
#include <reflorm/sql/compiler.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace reflorm::migrate {


/// The types, named as SQLAlchemy's (sa.Integer, sa.String(n), ...).
namespace types {
column_type boolean();
column_type small_integer();
column_type integer();
column_type big_integer();
column_type float32();
column_type float64();
column_type string(std::size_t length);  // VARCHAR(length)
column_type text();                      // unbounded: TEXT (MariaDB: LONGTEXT)
column_type numeric(std::uint8_t precision, std::uint8_t scale);
column_type date();
column_type timestamp(bool with_time_zone = false);     // whole seconds
column_type timestamp_us(bool with_time_zone = false);  // microseconds
column_type blob();
column_type uuid();
column_type json();
column_type verbatim(std::string sql);
/// Any storage class as a model member has it: types::of(schema::column_kind::uint64).
column_type of(schema::column_kind kind, std::size_t length = 0);
}  // namespace types

/// A column of a revision: `column("gdp", types::big_integer()).not_null().with_server_default("0")`.
struct column_def {
    std::string name;
    column_type type;
    bool nullable = true;
    std::string server_default;  // SQL text of the DEFAULT, empty for none
    bool primary_key = false;
    bool autoincrement = false;

    column_def& not_null() { nullable = false; return *this; }
    column_def& with_server_default(std::string sql) { server_default = std::move(sql); return *this; }
    column_def& as_primary_key(bool generated = false) {
        primary_key = true;
        nullable = false;
        autoincrement = generated;
        return *this;
    }
};

/// `type` marked as keyed or indexed (column_type::in_key).
column_type keyed(column_type type);

/// A nullable column named `name` of type `type`.
column_def column(std::string name, column_type type);

/// The type name create_all would write for `type` on `dialect` (compiler::type_name).
std::string type_sql(const column_type& type, const sql::compiler& dialect, bool autoincrement = false);

/// `def` as the runtime model on `dialect`: its type rendered (type_sql) and parsed (parse_type).
column_model to_column_model(const column_def& def, const sql::compiler& dialect);

/// The portable type closest to a parsed `type` (for autogenerate, which writes revisions from
/// the models' runtime schema): the family with its size, length, precision and time zone; an
/// `other` family is verbatim.
column_type portable_type(const sql_type& type);

/// C++ source that builds `type`: "reflorm::migrate::types::string(40)" (for autogenerate).
std::string type_cpp(const column_type& type);

}  // namespace reflorm::migrate
