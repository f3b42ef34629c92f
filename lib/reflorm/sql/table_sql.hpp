#pragma once
// SQL for whole-row statements, rendered from a table's metadata (no templates).
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/render_context.hpp>
#include <reflorm/sql/to_sql.hpp>

#include <string>
#include <string_view>

namespace reflorm::sql {

/// Appends `t.c1, t.c2, ...` for every column, in column order.
void render_column_list(render_context& ctx, const schema::table_info& table);

/// `INSERT INTO t (<columns not omitted>)`, or with every column omitted the dialect's
/// `INSERT INTO t DEFAULT VALUES`: `omitted` holds one '0'/'1' per column, in column order
/// (empty: none). `skip_duplicates` renders MySQL's INSERT IGNORE (compiler::insert_into).
/// Returns the number of columns named. The one INSERT head, of insert<T>() and of the engine's.
std::size_t render_insert_into(render_context& ctx, const schema::table_info& table, std::string_view omitted = {},
                               bool skip_duplicates = false);

/// `INSERT INTO t (<columns not omitted>) VALUES (?, ...)[ RETURNING <returned columns>]`:
/// `omitted` and `returned` hold one '0'/'1' per column, in column order (empty: none). The
/// database fills the omitted columns (a generated key, a server default); with none omitted,
/// every column is bound (a key to be generated as NULL).
void render_insert_shape(render_context& ctx, const schema::table_info& table, std::string_view omitted, std::string_view returned);

/// `SELECT <columns> FROM t WHERE k1 = ? AND k2 = ?` over the primary key, in key order.
void render_select_by_primary_key(render_context& ctx, const schema::table_info& table);

/// `UPDATE t SET c = ?, ... WHERE k1 = ? AND ...`: the columns whose `changed` flag is '1'
/// (one character per column, in column order), then the primary key, in key order.
void render_update_changed(render_context& ctx, const schema::table_info& table, std::string_view changed);

/// `DELETE FROM t WHERE c1 = ? AND ...` over `columns` (the primary key, or a foreign key).
void render_delete_where(render_context& ctx, const schema::table_info& table, const schema::column_list& columns);

/// `SELECT <columns whose flag is '1'> FROM t WHERE <primary key> = ?`.
void render_select_flagged_by_key(render_context& ctx, const schema::table_info& table, std::string_view columns);

/// `SELECT <columns> FROM t WHERE t.c1 = ? AND ...` over `columns`.
void render_select_where(render_context& ctx, const schema::table_info& table, const schema::column_list& columns);

/// `SELECT <target columns> FROM target JOIN secondary ON <to_target> WHERE <to_owner> = ? ...`:
/// the targets a many-to-many reaches from one owner row.
void render_select_through(render_context& ctx, const schema::table_info& target, const schema::table_info& secondary,
                           const schema::foreign_key_info& to_target, const schema::foreign_key_info& to_owner);

/// `left.a = right.b AND ...`: `left_columns` of `left_table` named through `left`, paired in
/// order with `right_columns` of `right_table` named through `right` (a table name or alias).
void render_column_pairs(render_context& ctx, std::string_view left, const schema::table_info& left_table,
                         const schema::column_list& left_columns, std::string_view right, const schema::table_info& right_table,
                         const schema::column_list& right_columns);

/// `<t.k1> IN (?, ...)`, or for several key columns `(t.k1, t.k2) IN ((?, ?), ...)` (a VALUES
/// list where the dialect needs one): `count` keys of `keys.size` values each.
void render_in_keys(render_context& ctx, std::string_view table, const schema::table_info& columns_of,
                    const schema::column_list& keys, std::size_t count);

/// `SELECT <columns of t> FROM t WHERE <keys> IN (...)`: a batch of selectinload.
void render_select_in(render_context& ctx, const schema::table_info& table, const schema::column_list& keys, std::size_t count);

/// `SELECT <target columns>, <secondary to_owner columns> FROM target JOIN secondary ON <to_target>
/// WHERE <secondary to_owner columns> IN (...)`: a batch of selectinload over a many-to-many.
void render_select_through_in(render_context& ctx, const schema::table_info& target, const schema::table_info& secondary,
                              const schema::foreign_key_info& to_target, const schema::foreign_key_info& to_owner,
                              std::size_t count);

/// The statements the unit of work and the engine build from a table's metadata alone, by
/// kind: their texts are rendered and cached by code compiled once (table_sql.cpp), not by one
/// statement_text / render_erased instantiation per model and kind (compile time, issue 13).
enum class table_statement : unsigned char { insert_shape, select_columns_by_key, update_changed, delete_by_primary_key, count };

namespace detail {
/// Where table T keeps the texts of each table_statement (a variable per model, no code).
template <class T>
inline constinit statement_slot table_slots[static_cast<std::size_t>(table_statement::count)];
/// The text of `kind` over `table` for `dialect`, cached in `slot` per shape: `a` and `b` are
/// the kind's flags ('0'/'1' per column): insert_shape's omitted and returned columns,
/// select_columns_by_key's and update_changed's columns (b empty); none for delete_by_primary_key.
const std::string& table_statement_text(statement_slot& slot, const schema::table_info& table, table_statement kind,
                                        std::string_view a, std::string_view b, const compiler& dialect);
}  // namespace detail

/// The cached text of `kind` over T's table (see detail::table_statement_text).
template <class T>
const std::string& table_text(table_statement kind, std::string_view a, std::string_view b, const compiler& dialect) {
    return detail::table_statement_text(detail::table_slots<T>[static_cast<std::size_t>(kind)], schema::table_of<T>, kind, a, b,
                                        dialect);
}

/// An INSERT of T, every column bound or (omitted, returned: '0'/'1' per column, in column
/// order; empty: none) some left to the database and read back; see render_insert_shape. Its
/// text is cached per shape; the whole-row shape (both empty) adds nothing to the shape key, so
/// its lookup allocates nothing (statement_text).
template <class T>
struct insert_shape_statement {
    std::string_view omitted;
    std::string_view returned;
    void shape(std::string& key) const {
        if (omitted.empty() && returned.empty()) return;
        key.append(omitted);
        key += ':';
        key.append(returned);
    }
    void render(render_context& ctx) const { render_insert_shape(ctx, schema::table_of<T>, omitted, returned); }
};

/// The SELECT of one T by primary key, as a statement shape whose text is cached.
template <class T>
struct get_by_primary_key_statement {
    void render(render_context& ctx) const { render_select_by_primary_key(ctx, schema::table_of<T>); }
};

/// The UPDATE of T's changed columns by primary key; its text is cached per set of columns.
template <class T>
struct update_changed_statement {
    std::string_view changed;  // '0'/'1' per column
    void shape(std::string& key) const { key.append(changed); }
    void render(render_context& ctx) const { render_update_changed(ctx, schema::table_of<T>, changed); }
};

/// The DELETE of one T by primary key.
template <class T>
struct delete_by_primary_key_statement {
    void render(render_context& ctx) const { render_delete_where(ctx, schema::table_of<T>, schema::table_of<T>.primary_key); }
};

/// `SELECT T's columns WHERE <T's foreign key number Key> = ? ORDER BY <order>`.
template <class T, std::size_t Key, class OrderBy>
struct select_by_foreign_key_statement {
    OrderBy order;
    void render(render_context& ctx) const {
        render_select_where(ctx, schema::table_of<T>, schema::table_of<T>.foreign_keys[Key].columns);
        if constexpr (requires(const OrderBy& o, render_context& c) { o.render(c); }) {
            ctx << " ORDER BY ";
            order.render(ctx);
        }
    }
};

/// The Ts a many-to-many reaches from one owner row: through Secondary's foreign keys
/// ToTarget and ToOwner.
template <class T, class Secondary, std::size_t ToTarget, std::size_t ToOwner, class OrderBy>
struct select_through_statement {
    OrderBy order;
    void render(render_context& ctx) const {
        constexpr const auto& secondary = schema::table_of<Secondary>;
        render_select_through(ctx, schema::table_of<T>, secondary, secondary.foreign_keys[ToTarget], secondary.foreign_keys[ToOwner]);
        if constexpr (requires(const OrderBy& o, render_context& c) { o.render(c); }) {
            ctx << " ORDER BY ";
            order.render(ctx);
        }
    }
};

/// A selectinload batch of `count` keys over T's columns Keys, ordered by OrderBy.
template <class T, const schema::column_list& Keys, class OrderBy>
struct select_in_statement {
    std::size_t count = 0;
    OrderBy order{};
    void shape(std::string& key) const { append_count(key, count); }
    void render(render_context& ctx) const {
        render_select_in(ctx, schema::table_of<T>, Keys, count);
        if constexpr (requires(const OrderBy& o, render_context& c) { o.render(c); }) {
            ctx << " ORDER BY ";
            order.render(ctx);
        }
    }
};

/// A selectinload batch over a many-to-many: targets T with the owner key they were reached by.
template <class T, class Secondary, std::size_t ToTarget, std::size_t ToOwner, class OrderBy>
struct select_through_in_statement {
    std::size_t count = 0;
    OrderBy order{};
    void shape(std::string& key) const { append_count(key, count); }
    void render(render_context& ctx) const {
        constexpr const auto& secondary = schema::table_of<Secondary>;
        render_select_through_in(ctx, schema::table_of<T>, secondary, secondary.foreign_keys[ToTarget],
                                 secondary.foreign_keys[ToOwner], count);
        if constexpr (requires(const OrderBy& o, render_context& c) { o.render(c); }) {
            ctx << " ORDER BY ";
            order.render(ctx);
        }
    }
};

// statement_text of the table statements: one cache for every model (more specialized than
// statement_text<Statement>, so these are chosen).
template <class T>
const std::string& statement_text(const insert_shape_statement<T>& s, const compiler& dialect) {
    return table_text<T>(table_statement::insert_shape, s.omitted, s.returned, dialect);
}
template <class T>
const std::string& statement_text(const update_changed_statement<T>& s, const compiler& dialect) {
    return table_text<T>(table_statement::update_changed, s.changed, {}, dialect);
}
template <class T>
const std::string& statement_text(const delete_by_primary_key_statement<T>&, const compiler& dialect) {
    return table_text<T>(table_statement::delete_by_primary_key, {}, {}, dialect);
}

}  // namespace reflorm::sql
