#pragma once
// op.bulk_insert's rows and SQL, as Alembic's op.bulk_insert(table, rows): rows of typed values,
// one map of column name to value per row (Alembic's list of dicts). Online the values are bound
// as parameters, several rows per INSERT; offline (--sql), where nothing is bound, each row is
// one INSERT with its values written as literals escaped for the dialect (Alembic renders its
// offline bulk_insert with literal binds too).
#include <reflorm/migrate/schema_model.hpp>
#include <reflorm/sql/compiler.hpp>
#include <reflorm/sql/text.hpp>

#include <concepts>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace reflorm::migrate {

/// One value of a bulk_insert row: anything text().bind() takes (bool, an integer, float or
/// double, a string, reflorm::blob, date, timestamp, timestamp_us, uuid, an enum, std::nullopt,
/// or a std::optional of these); any other type fails to compile with text().bind()'s message.
struct bulk_value {
    template <class V>
        requires(!std::same_as<std::remove_cvref_t<V>, bulk_value>)
    bulk_value(const V& v) : value(sql::to_text_value(v)) {}  // NOLINT: implicit, for {"name", "France"}
    sql::text_value value;
};

/// One row: column name -> value, as one of Alembic's dicts.
using bulk_row = std::map<std::string, bulk_value>;

/// The rows of op.bulk_insert checked against `table` and laid out in its column order:
/// `columns` the columns the rows name, `rows[i][j]` the value of `columns[j]` in row i.
struct bulk_rows {
    std::vector<std::string> columns;
    std::vector<std::vector<sql::text_value>> rows;
};

/// `rows` for `table`. Throws invalid_request_error when a row names a column the table lacks,
/// or names other columns than the first row (every row must name the same columns, as
/// SQLAlchemy's executemany requires).
bulk_rows bulk_rows_for(const table_model& table, const std::vector<bulk_row>& rows);

/// `value` as a SQL literal for `dialect`, for offline SQL only. Strings: '' doubled; on
/// PostgreSQL a string with a backslash is an E'' literal with it doubled; on MySQL/MariaDB a
/// string with a backslash or a NUL byte is a hex literal (_utf8mb4 X'..'), which reads the same
/// whatever the sql_mode (NO_BACKSLASH_ESCAPES or not); SQLite writes a NUL as char(0). Blobs:
/// X'..' (PostgreSQL: decode('..', 'hex')). Dates and timestamps: quoted ISO 8601. Doubles: the
/// shortest text that reads back the same; PostgreSQL's 'NaN'/'Infinity'. Throws
/// invalid_request_error for what the dialect cannot write: a NUL byte in a PostgreSQL string, a
/// NaN or infinite double on MySQL/MariaDB.
std::string sql_literal(const sql::text_value& value, const sql::compiler& dialect);

/// `INSERT INTO table (columns) VALUES (:p0, :p1, ...), (...)` statements holding every row,
/// as many rows per statement as keep it under 999 parameters, with their values bound: what
/// op.bulk_insert runs online.
std::vector<sql::text_statement<>> bulk_insert_statements(const std::string& table, const bulk_rows& rows, const sql::compiler& dialect);

/// One `INSERT INTO table (columns) VALUES (literals)` per row (sql_literal): what op.bulk_insert
/// prints offline. Throws as sql_literal.
std::vector<std::string> bulk_insert_literal_sql(const std::string& table, const bulk_rows& rows, const sql::compiler& dialect);

}  // namespace reflorm::migrate
