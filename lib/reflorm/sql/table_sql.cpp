#include <reflorm/sql/table_sql.hpp>

namespace reflorm::sql {

void render_column_list(render_context& ctx, const schema::table_info& table) {
    bool first = true;
    for (const auto& column : table.columns) {
        if (!first) ctx << ", ";
        first = false;
        ctx.qualified(table.name, column.name);
    }
}

void render_insert(render_context& ctx, const schema::table_info& table) {
    ctx << "INSERT INTO ";
    ctx.identifier(table.name);
    ctx << " (";
    bool first = true;
    for (const auto& column : table.columns) {
        if (!first) ctx << ", ";
        first = false;
        ctx.identifier(column.name);
    }
    ctx << ") VALUES (";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i) ctx << ", ";
        ctx.parameter();
    }
    ctx << ")";
}

void render_select_by_primary_key(render_context& ctx, const schema::table_info& table) {
    ctx << "SELECT ";
    render_column_list(ctx, table);
    ctx << " FROM ";
    ctx.identifier(table.name);
    ctx << " WHERE ";
    bool first = true;
    for (auto c : table.primary_key.view()) {
        if (!first) ctx << " AND ";
        first = false;
        ctx.qualified(table.name, table.columns[c].name);
        ctx << " = ";
        ctx.parameter();
    }
}

}  // namespace reflorm::sql
