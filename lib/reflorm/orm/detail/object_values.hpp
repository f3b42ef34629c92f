#pragma once
// Typed helpers over a model's columns for the unit of work: identity keys, copying columns,
// and copying key values into foreign key columns. Snapshots: snapshot_codec.hpp.
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/value_codec.hpp>
#include <reflorm/schema/table.hpp>

#include <boost/container_hash/hash.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace reflorm::orm_detail {

template <class T, std::size_t C>
using column_member_t = reflect::field_type_t<T, schema::column_fields_v<T>[C]>;

template <class T, std::size_t C>
decltype(auto) column(T& object) {
    return reflect::get<schema::column_fields_v<std::remove_const_t<T>>[C]>(object);
}

template <class T, class = std::make_index_sequence<schema::table_of<T>.primary_key.size>>
struct identity_key;
template <class T, std::size_t... K>
struct identity_key<T, std::index_sequence<K...>> {
    using type = std::tuple<column_member_t<T, schema::table_of<T>.primary_key.items[K]>...>;
};
/// The identity map key of T: its primary key values, in key order.
template <class T>
using identity_key_t = typename identity_key<T>::type;

template <class T>
identity_key_t<T> key_of(const T& object) {
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return identity_key_t<T>{column<const T, schema::table_of<T>.primary_key.items[K]>(object)...};
    }(std::make_index_sequence<schema::table_of<T>.primary_key.size>{});
}

/// Copies every column of `from` into `to` (relationship members untouched).
template <class T>
void copy_columns(T& to, const T& from) {
    [&]<std::size_t... C>(std::index_sequence<C...>) {
        ((column<T, C>(to) = column<const T, C>(from)), ...);
    }(std::make_index_sequence<schema::column_fields_v<T>.size()>{});
}

template <class V>
struct is_optional : std::false_type {};
template <class V>
struct is_optional<std::optional<V>> : std::true_type {};

/// `to = from` across std::optional: an empty optional into a plain member is an error.
template <class To, class From>
void assign_value(To& to, const From& from, std::string_view column_name) {
    if constexpr (is_optional<From>::value && !is_optional<To>::value) {
        if (!from)
            throw invalid_request_error("reflorm: cannot copy NULL into the NOT NULL foreign key column " + std::string(column_name));
        to = *from;
    } else {
        to = from;
    }
}

/// Copies `parent`'s referenced columns into `child`'s foreign key columns (FK number Key of
/// Child's table, which references Parent).
template <class Child, std::size_t Key, class Parent>
void copy_key(Child& child, const Parent& parent) {
    constexpr const auto& fk = schema::table_of<Child>.foreign_keys[Key];
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (assign_value(column<Child, fk.columns.items[I]>(child), column<const Parent, fk.target_columns.items[I]>(parent),
                      schema::table_of<Child>.columns[fk.columns.items[I]].name),
         ...);
    }(std::make_index_sequence<fk.columns.size>{});
}

/// Whether `child`'s foreign key Key already holds `parent`'s referenced values.
template <class Child, std::size_t Key, class Parent>
bool key_matches(const Child& child, const Parent& parent) {
    constexpr const auto& fk = schema::table_of<Child>.foreign_keys[Key];
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return (... && [&] {
            const auto& c = column<const Child, fk.columns.items[I]>(child);
            const auto& p = column<const Parent, fk.target_columns.items[I]>(parent);
            if constexpr (is_optional<std::remove_cvref_t<decltype(c)>>::value && !is_optional<std::remove_cvref_t<decltype(p)>>::value)
                return c.has_value() && *c == p;
            else
                return c == p;
        }());
    }(std::make_index_sequence<fk.columns.size>{});
}

/// Whether every column of foreign key Key can hold NULL (std::optional members).
template <class Child, std::size_t Key>
constexpr bool key_nullable() {
    constexpr const auto& fk = schema::table_of<Child>.foreign_keys[Key];
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return (... && is_optional<column_member_t<Child, fk.columns.items[I]>>::value);
    }(std::make_index_sequence<fk.columns.size>{});
}

/// Sets foreign key Key's columns to NULL (only when key_nullable).
template <class Child, std::size_t Key>
void set_key_null(Child& child) {
    constexpr const auto& fk = schema::table_of<Child>.foreign_keys[Key];
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((column<Child, fk.columns.items[I]>(child) = std::nullopt), ...);
    }(std::make_index_sequence<fk.columns.size>{});
}

/// Whether any column of foreign key Key is NULL (the row refers to nothing).
template <class Child, std::size_t Key>
bool key_is_null(const Child& child) {
    constexpr const auto& fk = schema::table_of<Child>.foreign_keys[Key];
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return (... || [&] {
            const auto& c = column<const Child, fk.columns.items[I]>(child);
            if constexpr (is_optional<std::remove_cvref_t<decltype(c)>>::value)
                return !c.has_value();
            else
                return false;
        }());
    }(std::make_index_sequence<fk.columns.size>{});
}

/// Binds `object`'s columns `columns` (a constexpr column list) as parameters first, first+1...
template <class T, const schema::column_list& Columns>
void bind_columns(driver::cursor& cursor, const T& object, int first) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (codec::bind_value(cursor, first + static_cast<int>(I), column<const T, Columns.items[I]>(object)), ...);
    }(std::make_index_sequence<Columns.size>{});
}

template <class T, const schema::column_list& Columns>
std::vector<std::string> describe_columns(const T& object) {
    std::vector<std::string> out;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (out.push_back(codec::format_column_for_message<T, Columns.items[I]>(column<const T, Columns.items[I]>(object))), ...);
    }(std::make_index_sequence<Columns.size>{});
    return out;
}

/// Whether foreign key Key of Child references exactly Parent's primary key, in key order: then
/// its values are an identity key of Parent.
template <class Child, std::size_t Key, class Parent>
constexpr bool references_primary_key() {
    constexpr const auto& fk = schema::table_of<Child>.foreign_keys[Key];
    constexpr const auto& pk = schema::table_of<Parent>.primary_key;
    if (fk.target_columns.size != pk.size) return false;
    for (std::size_t i = 0; i < pk.size; ++i)
        if (fk.target_columns.items[i] != pk.items[i]) return false;
    return true;
}

/// The identity key of Parent that `child`'s foreign key Key holds; nullopt when it is NULL.
template <class Child, std::size_t Key, class Parent>
std::optional<identity_key_t<Parent>> referenced_key(const Child& child) {
    if (key_is_null<Child, Key>(child)) return std::nullopt;
    constexpr const auto& fk = schema::table_of<Child>.foreign_keys[Key];
    identity_key_t<Parent> key;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (assign_value(std::get<I>(key), column<const Child, fk.columns.items[I]>(child), ""), ...);
    }(std::make_index_sequence<fk.columns.size>{});
    return key;
}

/// The values of `key` (an identity key of T) as literals, secret key columns as '***'.
template <class T, class Tuple>
std::vector<std::string> describe_key_values(const Tuple& key) {
    constexpr const auto& pk = schema::table_of<T>.primary_key;
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return std::vector<std::string>{codec::format_column_for_message<T, pk.items[K]>(std::get<K>(key))...};
    }(std::make_index_sequence<pk.size>{});
}

/// describe_key_values of keys[first, first + n), one after the other: the keys a batch binds.
template <class T, class Key>
std::vector<std::string> describe_keys(const std::vector<Key>& keys, std::size_t first, std::size_t n) {
    std::vector<std::string> out;
    out.reserve(n * std::tuple_size_v<Key>);
    for (std::size_t k = first; k < first + n; ++k)
        for (auto& value : describe_key_values<T>(keys[k])) out.push_back(std::move(value));
    return out;
}

/// "(v1, v2)": key values joined for a message. Compiled once (orm/persistence.cpp).
std::string join_key_values(const std::vector<std::string>& values);

/// An identity key of T as "(v1, v2)" for messages, secret key columns as '***'.
template <class T, class Tuple>
std::string describe_key(const Tuple& key) {
    return join_key_values(describe_key_values<T>(key));
}

}  // namespace reflorm::orm_detail
