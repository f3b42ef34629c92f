#pragma once
// Reading result rows into C++ values: a model object, a std::tuple, or a struct by position.
// The one row reader of the engine; the result, the session and the loaders use it.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/schema/table.hpp>
#include <reflorm/sql/select.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace reflorm {

/// Moving row values between a model object and a cursor, column by column.
namespace rows {

/// Reads the current row's columns offset..offset+n-1 into a new model object.
template <class T>
T read_model(driver::cursor& cursor, int offset = 0) {
    constexpr const auto& table = schema::table_of<T>;
    constexpr const auto& fields = schema::column_fields_v<T>;
    T object{};
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (codec::read_value(cursor, offset + static_cast<int>(C), reflect::get<fields[C]>(object), table.columns[C].name), ...);
    }(std::make_index_sequence<fields.size()>{});
    return object;
}

/// Whether model T's columns at `offset` hold no row (an outer join found none): its primary
/// key's first column is NULL, which a row never has.
template <class T>
bool model_is_null(driver::cursor& cursor, int offset) {
    return cursor.is_null(offset + static_cast<int>(schema::table_of<T>.primary_key.items[0]));
}

/// Reads the current row into std::tuple<T...> of models (std::optional<T> for an outer-joined
/// one), each from its columns, model after model.
template <class Tuple>
Tuple read_entities(driver::cursor& cursor) {
    return [&]<class... E>(std::type_identity<std::tuple<E...>>) {
        int offset = 0;
        const auto next = [&]<class M>(std::type_identity<M>) -> M {
            using model = typename sql::strip_optional<M>::type;
            const int at = offset;
            offset += static_cast<int>(schema::table_of<model>.columns.size());
            if constexpr (schema::is_optional<M>::value) {
                if (model_is_null<model>(cursor, at)) return std::nullopt;
            }
            return read_model<model>(cursor, at);
        };
        return Tuple{next(std::type_identity<E>{})...};  // braces: evaluated in order
    }(std::type_identity<Tuple>{});
}

/// "result column N" (1-based), for messages about values of unnamed result columns.
inline std::string_view result_column_name(std::size_t index) {
    static const auto names = [] {
        std::array<std::string, 64> out;
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = "result column " + std::to_string(i + 1);
        return out;
    }();
    return index < names.size() ? std::string_view(names[index]) : std::string_view("result column");
}

template <class T>
struct is_tuple : std::false_type {};
template <class... E>
struct is_tuple<std::tuple<E...>> : std::true_type {};

/// Reads the current row into a new T: a model (its columns 0..n-1), or a std::tuple (one
/// result column per element).
template <class T>
T read(driver::cursor& cursor) {
    if constexpr (is_tuple<T>::value) {
        T row{};
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (codec::read_value(cursor, static_cast<int>(I), std::get<I>(row), result_column_name(I)), ...);
        }(std::make_index_sequence<std::tuple_size_v<T>>{});
        return row;
    } else {
        return read_model<T>(cursor);
    }
}

/// Reads the current row into a new P, whose members take result columns 0..n-1 in order.
template <class P>
P read_projection(driver::cursor& cursor) {
    P object{};
    reflect::for_each_field_index<P>([&](auto i) {
        codec::read_value(cursor, static_cast<int>(i.value), reflect::get<i.value>(object), reflect::field_name_v<P, i.value>);
    });
    return object;
}

/// Reads the current row as Statement's result_type, by its row shape.
template <class Statement>
typename Statement::result_type read_result(driver::cursor& cursor) {
    using R = typename Statement::result_type;
    if constexpr (requires { Statement::result_shape; }) {
        if constexpr (Statement::result_shape == sql::row_shape::projection) return read_projection<R>(cursor);
        else if constexpr (Statement::result_shape == sql::row_shape::entities) return read_entities<R>(cursor);
        else return read<R>(cursor);
    } else {
        return read<R>(cursor);
    }
}

/// Reads result column `Column` into a new V (a row of one column, for scalars()).
template <class V, int Column>
V read_column(driver::cursor& cursor) {
    V value{};
    codec::read_value(cursor, Column, value, result_column_name(Column));
    return value;
}

/// Whether a statement gives rows (a select, text().columns<...>(), RETURNING).
template <class Statement>
inline constexpr bool returns_rows = requires { typename Statement::result_type; };
/// Whether a statement's rowcount is the rows it changed: DML (a select, or a text() that may
/// be one, has none).
template <class Statement>
inline constexpr bool counts_rows = !requires { Statement::result_shape; } && !requires { Statement::is_text; };
/// The row type of a statement's result: std::tuple<> for one without rows.
template <class Statement>
struct row_of_t {
    using type = std::tuple<>;
};
template <class Statement>
    requires returns_rows<Statement>
struct row_of_t<Statement> {
    using type = typename Statement::result_type;
};
template <class Statement>
using row_of = typename row_of_t<Statement>::type;

/// The object's column values as literals, for error messages.
template <class T>
std::vector<std::string> describe(const T& object) {
    constexpr const auto& fields = schema::column_fields_v<T>;
    std::vector<std::string> out;
    out.reserve(fields.size());
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        (out.push_back(codec::format_for_message(reflect::get<fields[C]>(object))), ...);
    }(std::make_index_sequence<fields.size()>{});
    return out;
}

}  // namespace rows

}  // namespace reflorm
