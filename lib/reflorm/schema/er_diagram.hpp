#pragma once
// An entity-relationship diagram of a set of models, as Mermaid or Graphviz DOT text. The
// template only collects the models' table_info; the text is built in er_diagram.cpp. What a
// Mermaid name may hold follows Mermaid's erDiagram grammar (mermaid-js, erDiagram.jison).
#include <reflorm/schema/table.hpp>

#include <span>
#include <string>

namespace reflorm {

/// The text format er_diagram writes.
enum class er_format {
    mermaid,  ///< a Mermaid `erDiagram` (rendered by GitHub in a ```mermaid block)
    dot,      ///< a Graphviz `digraph` (render with `dot -Tsvg`)
};

namespace schema {

/// The diagram of `tables`. Entities come sorted by table name, a table listed twice once;
/// each lists its columns in column order with a neutral, one-word type name (neutral_type_name),
/// PK/FK/UK markers and "nullable" on nullable columns. One relationship per foreign key, from
/// the referencing table to the referenced one, sorted as the entities and then in key order,
/// labelled with the key's columns (DOT: crow's-foot arrow ends saying the same):
///   - `}o--||` many-to-one; `}o--o|` when a key column is nullable;
///   - `|o--||` (`|o--o|`) one-to-one, when the key's columns are the table's primary key or a
///     UNIQUE constraint.
/// A many-to-many shows as its association table with its two keys. A key to a table not in
/// `tables` still gives its relationship (Mermaid then draws that entity without columns).
/// Names are quoted where Mermaid or DOT needs it; characters Mermaid cannot show in a name at
/// all (`"`, `%`, `\`, backtick, control characters) are written as `_`. Throws std::bad_alloc only.
std::string er_diagram(std::span<const table_info* const> tables, er_format format = er_format::mermaid);

/// A column's type as the diagram names it, in one word (Mermaid's attribute types cannot hold
/// spaces): BOOLEAN, SMALLINT, INTEGER, BIGINT, NUMERIC(20) (64-bit unsigned), REAL, DOUBLE,
/// VARCHAR(n) or TEXT, DATE, TIMESTAMP, TIMESTAMP(6), TIMESTAMPTZ, TIMESTAMPTZ(6), BLOB,
/// NUMERIC(p,s), UUID, JSON. These are the ANSI names of create_all's base renderer
/// (sql::compiler::type_name) where those are one word; unlike it, a UUID or JSON column is
/// named for what it holds rather than for the CHAR(36) or TEXT that stores it on ANSI SQL.
std::string neutral_type_name(const column_info& column);

}  // namespace schema

/// The diagram of the Models' tables (schema::er_diagram): `er_diagram<Country, City>()`.
template <class... Models>
std::string er_diagram(er_format format = er_format::mermaid) {
    static_assert(sizeof...(Models) > 0, "reflorm: er_diagram<Models...>() needs at least one model");
    static constexpr const schema::table_info* tables[] = {&schema::table_of<Models>...};
    return schema::er_diagram(tables, format);
}

}  // namespace reflorm
