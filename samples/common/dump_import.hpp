// Turns rows of a SQL dump into model objects, member by member, through reflorm's reflection:
// the same column list that maps a model to its table maps a dump row to the model.
#pragma once

#include "sql_dump.hpp"

#include <reflorm/engine/iso_time.hpp>
#include <reflorm/reflect/fields.hpp>
#include <reflorm/schema/column_type.hpp>
#include <reflorm/schema/table.hpp>

#include <charconv>
#include <stdexcept>
#include <string>
#include <utility>

namespace reflorm::samples {

template <class V>
void parse_dump_value(const std::string& text, V& out, std::string_view member) {
    if constexpr (std::is_same_v<V, std::string>) {
        out = text;
    } else if constexpr (std::is_same_v<V, reflorm::date>) {
        if (!reflorm::driver::parse_iso_date(text, out))
            throw std::runtime_error("dump value '" + text + "' is not a date (YYYY-MM-DD) for " + std::string(member));
    } else {
        static_assert(std::is_arithmetic_v<V>, "dump_import: add a parser for this member type");
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        if (ec != std::errc{} || end != text.data() + text.size())
            throw std::runtime_error("dump value '" + text + "' is not a valid " + std::string(member));
    }
}

/// The object whose I-th column member comes from the I-th value of `row`. Members that are not
/// columns (relationships: reflorm::one, reflorm::many) are skipped, as the table skips them.
template <class T>
T from_dump_row(const dump_row& row) {
    constexpr const auto& fields = schema::column_fields_v<T>;
    if (row.size() != fields.size())
        throw std::runtime_error("a dump row of " + std::to_string(row.size()) + " values does not fit " +
                                 std::string(reflect::type_name_v<T>) + ", which has " + std::to_string(fields.size()) +
                                 " columns");
    T object{};
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (
            [&] {
                auto& member = reflect::get<fields[C]>(object);
                using member_type = std::remove_cvref_t<decltype(member)>;
                constexpr std::string_view name = reflect::field_name_v<T, fields[C]>;
                const auto& value = row[C];
                if constexpr (schema::is_optional<member_type>::value) {
                    if (value) parse_dump_value(*value, member.emplace(), name);
                } else {
                    if (!value) throw std::runtime_error("NULL in the dump for non-optional member " + std::string(name));
                    parse_dump_value(*value, member, name);
                }
            }(),
            ...);
    }(std::make_index_sequence<fields.size()>{});
    return object;
}

/// Every row of `table` in `rows`, as T objects.
template <class T>
std::vector<T> objects_of(const std::map<std::string, std::vector<dump_row>, std::less<>>& rows, std::string_view table) {
    const auto found = rows.find(table);
    if (found == rows.end()) throw std::runtime_error("the dump has no rows for table " + std::string(table));
    std::vector<T> objects;
    objects.reserve(found->second.size());
    for (const auto& row : found->second) objects.push_back(from_dump_row<T>(row));
    return objects;
}

}  // namespace reflorm::samples
