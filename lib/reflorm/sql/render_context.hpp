#pragma once
#include <reflorm/sql/compiler.hpp>

#include <string>
#include <string_view>

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
        dialect.identifier(sql, table);
        sql += '.';
        dialect.identifier(sql, column);
    }
    void parameter() { dialect.placeholder(sql, ++parameters); }
};

}  // namespace reflorm::sql
