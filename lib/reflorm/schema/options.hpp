#pragma once
// Options a user puts in `reflorm::model<T>` to configure a table. All are constexpr values
// named by member pointers, so a typo is a compile error, never a runtime surprise.
#include <reflorm/reflect/fields.hpp>
#include <reflorm/reflect/model.hpp>

#include <cstddef>
#include <string_view>
#include <tuple>

namespace reflorm {

/// A list of member pointers, used for composite keys and indexes.
template <auto... Members>
struct key {
    static constexpr std::size_t size = sizeof...(Members);
};

/// `static constexpr auto primary_key = reflorm::primary_key<&T::a, &T::b>;`
/// Without it, a member named `id` is the primary key.
template <auto... Members>
struct primary_key_t {
    using members = key<Members...>;
};
template <auto... Members>
inline constexpr primary_key_t<Members...> primary_key{};

/// UNIQUE on one column, or a composite unique constraint over several.
template <auto... Members>
struct unique_t {
    using members = key<Members...>;
};
template <auto... Members>
inline constexpr unique_t<Members...> unique{};

/// A (non-unique) index on one column or several, named `ix_<table>_<columns>` as SQLAlchemy does.
template <auto... Members>
struct index_t {
    using members = key<Members...>;
};
template <auto... Members>
inline constexpr index_t<Members...> index{};

/// VARCHAR(N) instead of TEXT for a string column; N counts characters.
template <auto Member, std::size_t N>
struct max_length_t {
    using members = key<Member>;
    static constexpr std::size_t length = N;
};
template <auto Member, std::size_t N>
inline constexpr max_length_t<Member, N> max_length{};

/// TIMESTAMP WITH TIME ZONE for a reflorm::timestamp or timestamp_us column on PostgreSQL
/// (TIMESTAMPTZ; the value is the same UTC instant either way, since reflorm's sessions run in
/// UTC). MySQL/MariaDB have no such type (their TIMESTAMP ends in 2038): the column stays
/// DATETIME there, and TEXT on SQLite.
template <auto Member>
struct with_time_zone_t {
    using members = key<Member>;
    static constexpr bool time_zone = true;
};
template <auto Member>
inline constexpr with_time_zone_t<Member> with_time_zone{};

/// Whether a column's values are secret: shown as '***' wherever reflorm describes bound values
/// (execute_event::parameters, echo, and the parameters of a database_error's message), while
/// they are bound and stored as they are. SQLAlchemy masks a URL's password in logs; reflorm
/// extends that to values. By default a column is secret when its name contains "password",
/// "passwd", "secret" or "token" in any case (secret_name below); `reflorm::secret<&T::m>` makes
/// any other column secret, `reflorm::not_secret<&T::m>` opts out (a `token_count`, say). What
/// is masked: values bound from the objects (insert, insert_all, the session's INSERT, UPDATE
/// and DELETE, get() by key, the session's relationship loads), and a plain value compared with
/// or assigned to the column itself (`c<&User::password> == x`, `.in_({...})`, `.like(p)`,
/// `.between(a, b)`, `update<User>().set(c<&User::password> = x)`). Not masked: a value compared
/// with an expression over the column (`lower(c<&User::password>) == x`), a value in a raw
/// exec_driver_sql text, and rows read back (reflorm never logs rows).
template <auto Member, bool Secret>
struct secret_t {
    using members = key<Member>;
    static constexpr bool secret = Secret;
};
/// `reflorm::secret<&User::api_key>`: secret whatever its name; `reflorm::not_secret<&User::token_count>`: not.
template <auto Member> inline constexpr secret_t<Member, true> secret{};
template <auto Member> inline constexpr secret_t<Member, false> not_secret{};

/// Whether a column or text() parameter name looks like it holds a secret: it contains
/// "password", "passwd", "secret" or "token", in any case.
constexpr bool secret_name(std::string_view name) {
    constexpr std::string_view words[] = {"password", "passwd", "secret", "token"};
    const auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; };
    for (const std::string_view word : words)
        for (std::size_t at = 0; at + word.size() <= name.size(); ++at) {
            std::size_t i = 0;
            while (i < word.size() && lower(name[at + i]) == word[i]) ++i;
            if (i == word.size()) return true;
        }
    return false;
}

/// Explicit nullability, overriding the rule "std::optional is nullable, anything else is NOT NULL".
template <auto Member, bool Nullable>
struct nullability_t {
    using members = key<Member>;
    static constexpr bool nullable = Nullable;
};
template <auto Member>
inline constexpr nullability_t<Member, true> nullable{};
template <auto Member>
inline constexpr nullability_t<Member, false> not_null{};

/// A server-side DEFAULT, given as SQL text that reflorm copies into the DDL verbatim:
/// `reflorm::server_default<&T::created>("CURRENT_TIMESTAMP")`. This is DDL written by the
/// model's author, never a runtime value.
template <auto Member>
struct server_default_t {
    using members = key<Member>;
    std::string_view sql;
};
template <auto Member>
struct server_default_fn {
    constexpr server_default_t<Member> operator()(std::string_view sql) const { return {sql}; }
};
template <auto Member>
inline constexpr server_default_fn<Member> server_default{};

/// Referential actions for ON DELETE / ON UPDATE.
enum class referential_action { no_action, restrict, cascade, set_null, set_default };

/// A foreign key from the columns of `From` (this model) to the columns of `To` (the
/// referenced model's primary key or a unique key).
template <class From, class To>
struct foreign_key_t {
    using members = From;
    using references = To;
    referential_action on_delete_action = referential_action::no_action;
    referential_action on_update_action = referential_action::no_action;
    bool deferred = false;

    constexpr foreign_key_t on_delete(referential_action a) const { auto copy = *this; copy.on_delete_action = a; return copy; }
    constexpr foreign_key_t on_update(referential_action a) const { auto copy = *this; copy.on_update_action = a; return copy; }
    /// DEFERRABLE INITIALLY DEFERRED: checked at COMMIT, for circular references inserted together.
    constexpr foreign_key_t deferrable() const { auto copy = *this; copy.deferred = true; return copy; }
};
/// `reflorm::foreign_key<&City::country_code, &Country::code>`
template <auto From, auto To>
inline constexpr foreign_key_t<key<From>, key<To>> foreign_key{};
/// `reflorm::composite_foreign_key<reflorm::key<&L::partkey, &L::suppkey>, reflorm::key<&PS::partkey, &PS::suppkey>>`
template <class From, class To>
inline constexpr foreign_key_t<From, To> composite_foreign_key{};

/// Bundles column and table options for `model<T>::columns`.
template <class... Options>
constexpr std::tuple<Options...> columns(Options... options) {
    return {options...};
}

/// `static constexpr bool autoincrement = false;` in model<T> turns off key generation for a
/// single integer primary key; by default a key member equal to 0 is generated by the database.

}  // namespace reflorm
