#pragma once
// What a FROM clause names: a model's table, or an alias of it (for self-joins).
#include <reflorm/schema/table.hpp>

#include <cstddef>
#include <string_view>
#include <type_traits>

namespace reflorm::sql {

/// A string usable as a template argument: `alias<Employee, "manager">`.
template <std::size_t N>
struct fixed_string {
    char chars[N]{};
    constexpr fixed_string(const char (&text)[N]) {
        for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
    }
    constexpr std::string_view view() const { return {chars, N - 1}; }
};

template <auto M, class Source>
struct column_ref;

/// Model T's own table.
template <class T>
struct model_table {
    using model_type = T;
    static constexpr std::string_view alias_name{};
};

/// Model T's table under another name, so that a table can appear twice in one statement:
///
///     using manager = reflorm::alias<Employee, "manager">;
///     select<Employee>().join<manager>(c<&Employee::manager_id> == manager::c<&Employee::id>)
template <class T, fixed_string Name>
struct alias {
    using model_type = T;
    static constexpr std::string_view alias_name = Name.view();
    template <auto M>
    static constexpr column_ref<M, alias> c{};
};

template <class S>
concept table_source = requires {
    typename S::model_type;
    S::alias_name;
};

/// A model type or an alias, as a source.
template <class T>
using source_of = std::conditional_t<table_source<T>, T, model_table<T>>;

/// The name a source's columns are qualified with: its alias, or its table's name.
template <class S>
constexpr std::string_view source_name() {
    return S::alias_name.empty() ? schema::table_of<typename S::model_type>.name : S::alias_name;
}

// ---- lists of sources, for inferring FROM --------------------------------------------------

template <class... S>
struct source_list {};

template <class List, class S>
struct append_unique;
template <class... L, class S>
struct append_unique<source_list<L...>, S> {
    using type = std::conditional_t<(std::is_same_v<L, S> || ...), source_list<L...>, source_list<L..., S>>;
};

template <class A, class B>
struct merge_sources;
template <class A>
struct merge_sources<A, source_list<>> {
    using type = A;
};
template <class A, class B0, class... B>
struct merge_sources<A, source_list<B0, B...>> {
    using type = typename merge_sources<typename append_unique<A, B0>::type, source_list<B...>>::type;
};

/// The sources an expression node reads: its `sources` member type, or none (values).
template <class E>
struct sources_of {
    using type = source_list<>;
};
template <class E>
    requires requires { typename E::sources; }
struct sources_of<E> {
    using type = typename E::sources;
};

/// The union of the sources of several nodes, in first-seen order.
template <class... E>
struct sources_of_all {
    using type = source_list<>;
};
template <class E0, class... E>
struct sources_of_all<E0, E...> {
    using type = typename merge_sources<typename sources_of<E0>::type, typename sources_of_all<E...>::type>::type;
};
template <class... E>
using sources_t = typename sources_of_all<E...>::type;

/// Whether source S is in a source_list.
template <class List, class S>
inline constexpr bool contains_source_v = false;
template <class... L, class S>
inline constexpr bool contains_source_v<source_list<L...>, S> = (std::is_same_v<L, S> || ...);

}  // namespace reflorm::sql
