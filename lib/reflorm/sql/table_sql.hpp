#pragma once
// SQL for whole-row statements, rendered from a table's metadata (no templates).
#include <reflorm/sql/render_context.hpp>

#include <string>

namespace reflorm::sql {

/// Appends `t.c1, t.c2, ...` for every column, in column order.
void render_column_list(render_context& ctx, const schema::table_info& table);

/// `INSERT INTO t (c1, c2, ...) VALUES (?, ?, ...)` over every column, in column order. A
/// key to be generated is bound as NULL.
void render_insert(render_context& ctx, const schema::table_info& table);

/// `SELECT <columns> FROM t WHERE k1 = ? AND k2 = ?` over the primary key, in key order.
void render_select_by_primary_key(render_context& ctx, const schema::table_info& table);

/// The whole-row INSERT of model T, as a statement shape whose text is cached.
template <class T>
struct insert_row_statement {
    void render(render_context& ctx) const { render_insert(ctx, schema::table_of<T>); }
};

/// The SELECT of one T by primary key, as a statement shape whose text is cached.
template <class T>
struct get_by_primary_key_statement {
    void render(render_context& ctx) const { render_select_by_primary_key(ctx, schema::table_of<T>); }
};

}  // namespace reflorm::sql
