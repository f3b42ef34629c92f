#pragma once
// SQL the unit of work and the loaders build from a model's metadata (association rows, rows by
// any columns), and the model's names for their messages.
#include <reflorm/reflect/fields.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/table_sql.hpp>

#include <cstddef>
#include <string>

namespace reflorm {
namespace orm_detail {

/// DELETE of one association row: Secondary's foreign keys ToOwner and ToTarget, both matched.
template <class Secondary, std::size_t ToOwner, std::size_t ToTarget>
struct delete_association_statement {
    static constexpr schema::column_list columns = [] {
        schema::column_list list;
        for (auto c : schema::table_of<Secondary>.foreign_keys[ToOwner].columns.view()) list.push_back(c);
        for (auto c : schema::table_of<Secondary>.foreign_keys[ToTarget].columns.view()) list.push_back(c);
        return list;
    }();
    void render(sql::render_context& ctx) const { sql::render_delete_where(ctx, schema::table_of<Secondary>, columns); }
};

/// SELECT of T by arbitrary columns (a foreign key that references a unique, non-key column).
template <class T, const schema::column_list& Columns>
struct select_where_statement {
    void render(sql::render_context& ctx) const { sql::render_select_where(ctx, schema::table_of<T>, Columns); }
};

template <class T, std::size_t Key>
inline constexpr const schema::column_list& foreign_key_columns = schema::table_of<T>.foreign_keys[Key].columns;
template <class T, std::size_t Key>
inline constexpr const schema::column_list& foreign_key_target_columns = schema::table_of<T>.foreign_keys[Key].target_columns;
template <class T>
inline constexpr const schema::column_list& primary_key_columns = schema::table_of<T>.primary_key;

}  // namespace orm_detail
}  // namespace reflorm
