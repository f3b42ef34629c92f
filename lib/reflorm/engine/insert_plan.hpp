#pragma once
// What an INSERT of a model object leaves to the database, and how those values come back.
//
// The rule, as SQLAlchemy's: a generated key (an autoincrement key equal to 0) is made by the
// database, and so is the value of a column declared with server_default whose member is
// std::nullopt; every other member is written as it is, std::nullopt as NULL. The values the
// database made are read back into the object: through RETURNING where the dialect has it,
// the rowid or LAST_INSERT_ID for a key where it does not, and a SELECT by key for the server
// defaults of a dialect without RETURNING. Columns of a foreign key are always written (the
// session fills them in just before the INSERT).
//
// Core inserts (connection::insert, insert_all) and the session's INSERTs both run through
// connection::insert_rows, which uses this.
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/reflect/fields.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/compiler.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace reflorm::rows {

namespace detail {

template <class T>
consteval auto defaultable_columns() {
    constexpr const auto& table = schema::table_of<T>;
    std::array<bool, table.columns.size()> out{};
    for (std::size_t c = 0; c < table.columns.size(); ++c) out[c] = !table.columns[c].server_default.empty() && table.columns[c].nullable;
    for (const auto& fk : table.foreign_keys)
        for (auto c : fk.columns.view()) out[c] = false;
    return out;
}

template <class T>
struct check_defaults_fit {
    static constexpr bool value = [] {
        const auto d = defaultable_columns<T>();
        for (std::size_t c = 64; c < d.size(); ++c)
            if (d[c]) return false;
        return true;
    }();
    static_assert(value, "reflorm: a column with a server_default on an optional member must be among a model's first 64 "
                         "columns; move the member up");
};

}  // namespace detail

/// Whether column C of T is one the database fills when its optional member is empty.
template <class T>
inline constexpr auto defaultable_columns_v = detail::defaultable_columns<T>();

/// Which of an object's columns its INSERT leaves to the database.
struct insert_shape {
    bool key_generated = false;  // the autoincrement key is 0
    std::uint64_t defaults = 0;  // bit c: column c has a server default and its member is empty
    bool operator==(const insert_shape&) const = default;
};

template <class T>
insert_shape shape_of(const T& object) {
    constexpr const auto& table = schema::table_of<T>;
    constexpr const auto& fields = schema::column_fields_v<T>;
    static_assert(detail::check_defaults_fit<T>::value);
    insert_shape shape;
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (
            [&] {
                const auto& value = reflect::get<fields[C]>(object);
                if constexpr (table.columns[C].autoincrement) shape.key_generated = value == 0;
                if constexpr (C < 64 && defaultable_columns_v<T>[C]) {
                    if (!value.has_value()) shape.defaults |= std::uint64_t{1} << C;
                }
            }(),
            ...);
    }(std::make_index_sequence<fields.size()>{});
    return shape;
}

/// The statement for one shape on one dialect.
struct insert_layout {
    std::string omitted;      // '1' per column left out of the INSERT
    std::string returned;     // '1' per column read back through RETURNING
    std::string selected;     // '1' per column read back by a SELECT by key (no RETURNING)
    bool key_null = false;    // the generated key is bound as NULL (SQLite)
    bool key_by_id = false;   // read the generated key from last_insert_id()
};

/// The statement for `shape` of a row of `table` on `dialect`. Compiled once
/// (engine/insert_plan.cpp): it needs the table's metadata only.
insert_layout layout_of(const schema::table_info& table, const insert_shape& shape, const sql::compiler& dialect);

template <class T>
insert_layout layout_of(const insert_shape& shape, const sql::compiler& dialect) {
    return layout_of(schema::table_of<T>, shape, dialect);
}

/// Binds the columns `layout` writes, as parameters 1, 2, ... (a key bound NULL included).
template <class T>
void bind_insert(driver::cursor& cursor, const T& object, const insert_layout& layout) {
    constexpr const auto& table = schema::table_of<T>;
    constexpr const auto& fields = schema::column_fields_v<T>;
    int index = 0;
    const bool skips = !layout.omitted.empty();
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (
            [&] {
                if (skips && layout.omitted[C] == '1') return;
                if constexpr (C == table.autoincrement_column) {
                    if (layout.key_null) {
                        cursor.bind_null(++index);
                        return;
                    }
                }
                codec::bind_value(cursor, ++index, reflect::get<fields[C]>(object), table.columns[C].name);
            }(),
            ...);
    }(std::make_index_sequence<fields.size()>{});
}

/// The values bind_insert binds, as literals for an error message or an execute event (a key
/// bound NULL as NULL, a secret column's value as '***').
template <class T>
std::vector<std::string> describe_insert(const T& object, const insert_layout& layout) {
    constexpr const auto& table = schema::table_of<T>;
    constexpr const auto& fields = schema::column_fields_v<T>;
    std::vector<std::string> out;
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (
            [&] {
                if (!layout.omitted.empty() && layout.omitted[C] == '1') return;
                if constexpr (C == table.autoincrement_column) {
                    if (layout.key_null) {
                        out.emplace_back("NULL");
                        return;
                    }
                }
                out.push_back(codec::format_column_for_message<T, C>(reflect::get<fields[C]>(object)));
            }(),
            ...);
    }(std::make_index_sequence<fields.size()>{});
    return out;
}

/// Reads the columns flagged in `mask` from result columns 0, 1, ... into `object`.
template <class T>
void read_flagged(driver::cursor& cursor, T& object, const std::string& mask) {
    constexpr const auto& table = schema::table_of<T>;
    constexpr const auto& fields = schema::column_fields_v<T>;
    int column = 0;
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        ((mask[C] == '1' ? codec::read_value(cursor, column++, reflect::get<fields[C]>(object), table.columns[C].name) : void()), ...);
    }(std::make_index_sequence<fields.size()>{});
}

/// Writes a generated key into the object's autoincrement member.
template <class T>
void set_generated_key(T& object, std::int64_t key) {
    constexpr std::size_t column = schema::table_of<T>.autoincrement_column;
    if constexpr (column != schema::no_column) {
        auto& member = reflect::get<schema::column_fields_v<T>[column]>(object);
        member = static_cast<std::remove_cvref_t<decltype(member)>>(key);
    }
}

/// Puts back what the INSERT of `shape` read into the object (a rolled-back INSERT): the key
/// to 0, the server-default members to empty, so that a retry leaves them to the database again.
template <class T>
void forget_generated(T& object, const insert_shape& shape) {
    if (shape.key_generated) set_generated_key(object, 0);
    if (!shape.defaults) return;
    constexpr const auto& fields = schema::column_fields_v<T>;
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (
            [&] {
                if constexpr (C < 64 && defaultable_columns_v<T>[C]) {
                    if (shape.defaults >> C & 1) reflect::get<fields[C]>(object).reset();
                }
            }(),
            ...);
    }(std::make_index_sequence<fields.size()>{});
}

}  // namespace reflorm::rows
