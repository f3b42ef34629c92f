#pragma once
// A statement as readable text: its SQL followed by its bound values as literals,
//
//     UPDATE cities SET population = ? WHERE cities.id = ?  -- parameters: (5, 42)
//
// for logs and debugging. What runs is always the SQL with placeholders and bound values. A
// value for a secret column (reflorm::secret) reads '***'.
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/literal.hpp>
#include <reflorm/sql/to_sql.hpp>

#include <string>

namespace reflorm::sql {

/// The dialect str() renders for when none is given: SQLite's. Declared here and defined by
/// the dialect layer (dialect/dialect.cpp), which the sql layer's headers may not include.
const compiler& readable_dialect();

namespace detail {
/// A parameter visitor appending literals, a secret column's value as '***'.
struct literal_appender {
    std::string& values;
    bool& first;
    void add(const std::string& literal) {
        if (!first) values += ", ";
        first = false;
        values += literal;
    }
    template <class V>
    void operator()(const V& value) {
        add(format_literal(value));
    }
    template <class V>
    void operator()(const V&, secret_tag) {
        add("'***'");
    }
};
}  // namespace detail

/// `statement` rendered for `dialect`, then `  -- parameters: (v1, v2, ...)` when it binds values.
template <class Statement>
std::string str(const Statement& statement, const compiler& dialect) {
    std::string out = to_sql(statement, dialect);
    std::string values;
    bool first = true;
    detail::literal_appender append{values, first};
    statement.for_each_parameter(append);
    if (!first) out += "  -- parameters: (" + values + ")";
    return out;
}

/// `statement` rendered for SQLite with its bound values: see above.
template <class Statement>
std::string str(const Statement& statement) {
    return str(statement, readable_dialect());
}

}  // namespace reflorm::sql
