#pragma once
// Field count, types, names and access for any model class, at compile time.
// Plain aggregates are read with Boost.PFR; classes that PFR cannot read (private
// members, base classes) opt in with Boost.Describe's BOOST_DESCRIBE_CLASS/STRUCT,
// which then takes precedence. This is the only header that touches PFR or Describe members.
#include <reflorm/reflect/detail/pretty_name.hpp>
#include <reflorm/reflect/type_name.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/pfr/core.hpp>

#include <cstddef>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

namespace reflorm::reflect {

/// A class described with Boost.Describe (BOOST_DESCRIBE_STRUCT / BOOST_DESCRIBE_CLASS).
template <class T>
concept described_class = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;

/// A class Boost.PFR can read: an aggregate whose members are all public, without base classes.
template <class T>
concept plain_aggregate = std::is_class_v<T> && std::is_aggregate_v<T> && !described_class<T>;

/// Anything reflorm can map: a plain aggregate, or a described class.
template <class T>
concept reflectable = described_class<T> || plain_aggregate<T>;

/// Splits a pointer to data member into its class and member types.
template <class M>
struct member_pointer_traits {
    static constexpr bool is_member_pointer = false;
};
template <class C, class V>
struct member_pointer_traits<V C::*> {
    static constexpr bool is_member_pointer = true;
    using class_type = C;
    using value_type = V;
};
// A member pointer named through a constexpr variable can arrive const-qualified.
template <class C, class V>
struct member_pointer_traits<V C::* const> : member_pointer_traits<V C::*> {};

/// `&T::member` for some T and member.
template <auto M>
concept data_member_pointer = std::is_member_object_pointer_v<decltype(M)>;

inline constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

namespace detail {

// Never defined: only addresses of its members are taken, in constant expressions.
template <class T>
extern const T fake_object;

template <class T>
using described_members = boost::describe::describe_members<
    T, boost::describe::mod_public | boost::describe::mod_protected | boost::describe::mod_private |
           boost::describe::mod_inherited>;

template <class T, std::size_t I>
consteval auto aggregate_field_address() {
    return &boost::pfr::detail::sequence_tuple::get<I>(boost::pfr::detail::tie_as_tuple(fake_object<T>));
}

template <class T, std::size_t I>
consteval std::string_view aggregate_field_name() {
    constexpr auto address = aggregate_field_address<T, I>();
    return member_name_from_pointer_text(template_argument_text(signature_of_pointer<address>(), "Pointer = "));
}

template <class T>
consteval std::size_t field_count() {
    if constexpr (described_class<T>)
        return boost::mp11::mp_size<described_members<T>>::value;
    else
        return boost::pfr::tuple_size_v<T>;
}

template <class T, std::size_t I>
inline constexpr std::string_view raw_aggregate_field_name = aggregate_field_name<T, I>();
template <class T, std::size_t I>
inline constexpr static_string<raw_aggregate_field_name<T, I>.size()> aggregate_field_name_storage{
    raw_aggregate_field_name<T, I>};

template <class T, std::size_t I>
struct field_type {
    using type = boost::pfr::tuple_element_t<I, T>;
};
template <described_class T, std::size_t I>
struct field_type<T, I> {
    using type = typename member_pointer_traits<
        std::remove_cv_t<decltype(boost::mp11::mp_at_c<described_members<T>, I>::pointer)>>::value_type;
};

}  // namespace detail

/// Number of mapped fields of T.
template <reflectable T>
inline constexpr std::size_t field_count_v = detail::field_count<T>();

/// Type of the I-th field of T.
template <reflectable T, std::size_t I>
using field_type_t = typename detail::field_type<T, I>::type;

/// Name of the I-th field of T as declared in the source: "name_2".
template <reflectable T, std::size_t I>
inline constexpr std::string_view field_name_v = [] {
    if constexpr (described_class<T>)
        return std::string_view{boost::mp11::mp_at_c<detail::described_members<T>, I>::name};
    else
        return detail::aggregate_field_name_storage<T, I>.view();
}();

/// Reference to the I-th field of `object` (const when `object` is).
template <std::size_t I, class T>
    requires reflectable<std::remove_const_t<T>>
constexpr decltype(auto) get(T& object) noexcept {
    if constexpr (described_class<std::remove_const_t<T>>)
        return (object.*boost::mp11::mp_at_c<detail::described_members<std::remove_const_t<T>>, I>::pointer);
    else
        return boost::pfr::get<I>(object);
}

/// Calls `f(std::integral_constant<std::size_t, I>{})` for every field index of T, in order.
template <reflectable T, class F>
constexpr void for_each_field_index(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(std::integral_constant<std::size_t, I>{}), ...);
    }(std::make_index_sequence<field_count_v<T>>{});
}

namespace detail {

template <class T, auto M, std::size_t I>
consteval bool is_field() {
    using pointer_type = decltype(M);
    if constexpr (described_class<T>) {
        using D = boost::mp11::mp_at_c<described_members<T>, I>;
        if constexpr (std::is_same_v<std::remove_cv_t<decltype(D::pointer)>, pointer_type>)
            return D::pointer == M;
        else
            return false;
    } else {
        using value_type = typename member_pointer_traits<pointer_type>::value_type;
        if constexpr (std::is_same_v<field_type_t<T, I>, value_type>)
            return &(fake_object<T>.*M) == aggregate_field_address<T, I>();
        else
            return false;
    }
}

template <class T, auto M>
consteval std::size_t member_index() {
    if constexpr (!std::is_base_of_v<typename member_pointer_traits<decltype(M)>::class_type, T>) {
        return npos;
    } else {
        std::size_t index = npos;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((is_field<T, M, I>() ? (index = I, true) : false) || ...);
        }(std::make_index_sequence<field_count_v<T>>{});
        return index;
    }
}

}  // namespace detail

/// Field index of member pointer M within T (T defaults to M's class), or `npos` when M is
/// not one of T's mapped fields.
template <auto M, class T = typename member_pointer_traits<decltype(M)>::class_type>
    requires data_member_pointer<M>
inline constexpr std::size_t member_index_v = detail::member_index<T, M>();

/// The class that declares member pointer M.
template <auto M>
using member_class_t = typename member_pointer_traits<decltype(M)>::class_type;

/// The type of the member M points to.
template <auto M>
using member_value_t = typename member_pointer_traits<decltype(M)>::value_type;

}  // namespace reflorm::reflect
