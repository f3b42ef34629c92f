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

std::size_t render_insert_into(render_context& ctx, const schema::table_info& table, std::string_view omitted,
                               bool skip_duplicates) {
    ctx.dialect.insert_into(ctx.sql, skip_duplicates);
    ctx.identifier(table.name);
    std::size_t named = 0;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        if (c < omitted.size() && omitted[c] == '1') continue;
        ctx << (named++ ? ", " : " (");
        ctx.identifier(table.columns[c].name);
    }
    ctx << (named ? ")" : ctx.dialect.default_values_sql());
    return named;
}

void render_insert_shape(render_context& ctx, const schema::table_info& table, std::string_view omitted, std::string_view returned) {
    if (const auto values = render_insert_into(ctx, table, omitted, false)) {
        ctx << " VALUES ";
        ctx.parameter_row(values);
    }
    if (returned.find('1') != std::string_view::npos) {
        ctx << " RETURNING ";
        bool first = true;
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            if (c >= returned.size() || returned[c] != '1') continue;
            ctx << (first ? "" : ", ");
            first = false;
            ctx.identifier(table.columns[c].name);
        }
    }
}

void render_select_flagged_by_key(render_context& ctx, const schema::table_info& table, std::string_view columns) {
    ctx << "SELECT ";
    bool first = true;
    for (std::size_t c = 0; c < table.columns.size() && c < columns.size(); ++c) {
        if (columns[c] != '1') continue;
        ctx << (first ? "" : ", ");
        first = false;
        ctx.identifier(table.columns[c].name);
    }
    ctx << " FROM ";
    ctx.identifier(table.name);
    ctx << " WHERE ";
    first = true;
    for (auto k : table.primary_key.view()) {
        ctx << (first ? "" : " AND ");
        first = false;
        ctx.identifier(table.columns[k].name);
        ctx << " = ";
        ctx.parameter();
    }
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

namespace {

// `t.c1 = ? AND t.c2 = ?` (qualified when `qualify`).
void render_column_equalities(render_context& ctx, const schema::table_info& table, const schema::column_list& columns,
                              bool qualify) {
    bool first = true;
    for (auto c : columns.view()) {
        if (!first) ctx << " AND ";
        first = false;
        if (qualify)
            ctx.qualified(table.name, table.columns[c].name);
        else
            ctx.identifier(table.columns[c].name);
        ctx << " = ";
        ctx.parameter();
    }
}

}  // namespace

void render_update_changed(render_context& ctx, const schema::table_info& table, std::string_view changed) {
    ctx << "UPDATE ";
    ctx.identifier(table.name);
    ctx << " SET ";
    bool first = true;
    for (std::size_t c = 0; c < table.columns.size() && c < changed.size(); ++c) {
        if (changed[c] != '1') continue;
        if (!first) ctx << ", ";
        first = false;
        ctx.identifier(table.columns[c].name);
        ctx << " = ";
        ctx.parameter();
    }
    ctx << " WHERE ";
    render_column_equalities(ctx, table, table.primary_key, false);
}

void render_delete_where(render_context& ctx, const schema::table_info& table, const schema::column_list& columns) {
    ctx << "DELETE FROM ";
    ctx.identifier(table.name);
    ctx << " WHERE ";
    render_column_equalities(ctx, table, columns, false);
}

void render_select_where(render_context& ctx, const schema::table_info& table, const schema::column_list& columns) {
    ctx << "SELECT ";
    render_column_list(ctx, table);
    ctx << " FROM ";
    ctx.identifier(table.name);
    ctx << " WHERE ";
    render_column_equalities(ctx, table, columns, true);
}

void render_column_pairs(render_context& ctx, std::string_view left, const schema::table_info& left_table,
                         const schema::column_list& left_columns, std::string_view right, const schema::table_info& right_table,
                         const schema::column_list& right_columns) {
    for (std::size_t i = 0; i < left_columns.size; ++i) {
        if (i) ctx << " AND ";
        ctx.qualified(left, left_table.columns[left_columns.items[i]].name);
        ctx << " = ";
        ctx.qualified(right, right_table.columns[right_columns.items[i]].name);
    }
}

void render_in_keys(render_context& ctx, std::string_view table, const schema::table_info& columns_of,
                    const schema::column_list& keys, std::size_t count) {
    const bool tuple = keys.size > 1;
    if (tuple) ctx << "(";
    for (std::size_t i = 0; i < keys.size; ++i) {
        if (i) ctx << ", ";
        ctx.qualified(table, columns_of.columns[keys.items[i]].name);
    }
    if (tuple) {
        ctx << ")";
        ctx.dialect.tuple_in(ctx, count, keys.size);
        return;
    }
    ctx << " IN ";
    ctx.parameter_row(count);
}

void render_select_in(render_context& ctx, const schema::table_info& table, const schema::column_list& keys, std::size_t count) {
    ctx << "SELECT ";
    render_column_list(ctx, table);
    ctx << " FROM ";
    ctx.identifier(table.name);
    ctx << " WHERE ";
    render_in_keys(ctx, table.name, table, keys, count);
}

void render_select_through_in(render_context& ctx, const schema::table_info& target, const schema::table_info& secondary,
                              const schema::foreign_key_info& to_target, const schema::foreign_key_info& to_owner,
                              std::size_t count) {
    ctx << "SELECT ";
    render_column_list(ctx, target);
    for (auto c : to_owner.columns.view()) {
        ctx << ", ";
        ctx.qualified(secondary.name, secondary.columns[c].name);
    }
    ctx << " FROM ";
    ctx.identifier(target.name);
    ctx << " JOIN ";
    ctx.identifier(secondary.name);
    ctx << " ON ";
    render_column_pairs(ctx, secondary.name, secondary, to_target.columns, target.name, target, to_target.target_columns);
    ctx << " WHERE ";
    render_in_keys(ctx, secondary.name, secondary, to_owner.columns, count);
}

void render_select_through(render_context& ctx, const schema::table_info& target, const schema::table_info& secondary,
                           const schema::foreign_key_info& to_target, const schema::foreign_key_info& to_owner) {
    ctx << "SELECT ";
    render_column_list(ctx, target);
    ctx << " FROM ";
    ctx.identifier(target.name);
    ctx << " JOIN ";
    ctx.identifier(secondary.name);
    ctx << " ON ";
    render_column_pairs(ctx, secondary.name, secondary, to_target.columns, target.name, target, to_target.target_columns);
    ctx << " WHERE ";
    render_column_equalities(ctx, secondary, to_owner.columns, true);
}

namespace {

struct table_statement_args {
    const schema::table_info* table;
    table_statement kind;
    std::string_view a;
    std::string_view b;
};

void render_table_statement(const void* statement, render_context& ctx) {
    const auto& s = *static_cast<const table_statement_args*>(statement);
    switch (s.kind) {
    case table_statement::insert_shape: render_insert_shape(ctx, *s.table, s.a, s.b); break;
    case table_statement::select_columns_by_key: render_select_flagged_by_key(ctx, *s.table, s.a); break;
    case table_statement::update_changed: render_update_changed(ctx, *s.table, s.a); break;
    case table_statement::delete_by_primary_key: render_delete_where(ctx, *s.table, s.table->primary_key); break;
    case table_statement::count: break;
    }
}

}  // namespace

namespace detail {

const std::string& table_statement_text(statement_slot& slot, const schema::table_info& table, table_statement kind,
                                        std::string_view a, std::string_view b, const compiler& dialect) {
    const table_statement_args args{&table, kind, a, b};
    // The shape keys statement_text<insert_shape_statement<T>> etc. used: the whole-row INSERT
    // and the DELETE have the fixed shape (no lock, no map).
    std::string key;
    if (kind == table_statement::insert_shape) {
        if (!a.empty() || !b.empty()) {
            key.reserve(a.size() + b.size() + 1);
            key.append(a);
            key += ':';
            key.append(b);
        }
    } else {
        key.append(a);
    }
    if (!key.empty()) return shaped_text(slot, dialect, std::move(key), &render_table_statement, &args);
    return fixed_text(slot, dialect, &render_table_statement, &args);
}

}  // namespace detail

}  // namespace reflorm::sql
