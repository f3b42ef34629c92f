#pragma once
#include <reflorm/sql/compiler.hpp>

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reflorm::sql {

/// SQL text being rendered for one dialect, and the count of bound parameters so far.
struct render_context {
    explicit render_context(const compiler& d) : dialect(d) {}

    const compiler& dialect;
    std::string sql;
    std::size_t parameters = 0;

    render_context& operator<<(std::string_view text) {
        sql += text;
        return *this;
    }
    void identifier(std::string_view name) { dialect.identifier(sql, name); }
    void qualified(std::string_view table, std::string_view column) {
        dialect.identifier(sql, table == renamed_table ? renamed_to : table);
        sql += '.';
        dialect.identifier(sql, column);
    }
    void parameter() { dialect.placeholder(sql, ++parameters); }
    /// Appends `(?, ?, ...)`, `width` parameters; position `literal_at` gets `literal` instead
    /// and binds nothing (a generated key's DEFAULT in an INSERT row).
    void parameter_row(std::size_t width, std::size_t literal_at = static_cast<std::size_t>(-1), std::string_view literal = {}) {
        sql += '(';
        for (std::size_t i = 0; i < width; ++i) {
            if (i) sql += ", ";
            if (i == literal_at) sql += literal;
            else parameter();
        }
        sql += ')';
    }

    /// While set, columns of `renamed_table` render as columns of the alias `renamed_to` (an ORM
    /// loader renders a relationship's order_by against the alias it joined the target as).
    std::string_view renamed_table;
    std::string_view renamed_to;

    /// The FROM entries (table or alias names) of the selects being rendered, outermost first;
    /// the first `enclosing_froms` belong to the selects around the current one. A subquery
    /// leaves those out of its own FROM (auto-correlation, as SQLAlchemy's). The names depend
    /// only on statement types, so the text stays the same for every statement of one shape.
    std::vector<std::string_view> from_names;
    std::size_t enclosing_froms = 0;

    /// Whether `name` is a FROM entry of a select around the one being rendered.
    bool correlated(std::string_view name) const;  // to_sql.cpp, as select_scope

    /// While alive, `names` are the FROM entries of the select being rendered, and the entries
    /// of the selects around it are the enclosing ones.
    class select_scope {
    public:
        select_scope(render_context& ctx, std::span<const std::string_view> names);
        ~select_scope();
        select_scope(const select_scope&) = delete;
        select_scope& operator=(const select_scope&) = delete;

    private:
        render_context& ctx_;
        std::size_t size_;
        std::size_t enclosing_;
    };
};

/// Appends `n` in decimal to a statement's shape key (to_sql.hpp's runtime_shaped), compiled once.
void append_count(std::string& key, std::size_t n);

}  // namespace reflorm::sql
