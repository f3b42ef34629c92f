#pragma once
// Hand-written SQL with named bound parameters, as SQLAlchemy's text():
//
//     text("SELECT name FROM city WHERE population > :min AND country_code = :code")
//         .bind("min", 1000000).bind("code", "NLD")
//         .columns<std::string>()              // result_type std::tuple<std::string>: connection::execute reads it
//
// Each `:name` becomes the dialect's placeholder (`?`, or `$1, $2, ...` on PostgreSQL) and its
// value is bound, never written into the SQL; a name used twice is bound at each place. Not a
// parameter: `::` (a PostgreSQL cast, so `:id::int` is :id then a cast), a colon after a letter,
// digit or underscore (`a:b`), anything inside '...' strings (with E'...' escapes), "..." or
// `...` identifiers, $tag$...$tag$ strings, -- and /* */ comments, and `\:` (written as `:`).
// Backslashes in ordinary '...' strings are plain characters, as in SQLite and PostgreSQL.
//
// bind() with a name the SQL does not have, and running a statement with a name left unbound,
// throw statement_error naming the parameter. Without columns<...>(), run with
// connection::execute. The translated SQL is cached per SQL text and dialect. A parameter whose
// name looks secret (reflorm::secret_name: :password, :api_token) is described as '***' in
// events, echo, error messages and str(); it is bound unchanged.
#include <reflorm/schema/column_type.hpp>
#include <reflorm/schema/options.hpp>
#include <reflorm/sql/errors.hpp>
#include <reflorm/sql/expression.hpp>
#include <reflorm/sql/render_context.hpp>
#include <reflorm/sql/str.hpp>

#include <boost/describe/enum_to_string.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace reflorm::sql {

/// A text() statement's SQL taken apart: `pieces` of SQL between parameters (one more than
/// `occurrences`), and for each parameter occurrence the index of its name in `names`.
struct parsed_text {
    std::string sql;
    std::vector<std::string> pieces;
    std::vector<std::size_t> occurrences;
    std::vector<std::string> names;  // in order of first appearance
};

/// Parses `sql` for :name parameters (see the rules above). Never throws for malformed SQL:
/// the database reports that.
parsed_text parse_text(std::string_view sql);

/// A value bound to a text() parameter: NULL or one of the types the codec binds.
using text_value = std::variant<std::nullopt_t, bool, std::int64_t, std::uint64_t, double, std::string, blob, date,
                                timestamp, timestamp_us, uuid>;

template <class V>
struct check_text_value {
    static constexpr bool value = !std::is_same_v<V, V>;  // dependent: fails only when instantiated
    static_assert(value,
                  "reflorm: text().bind() takes bool, an integer, float or double, a string, reflorm::blob, "
                  "reflorm::date, reflorm::timestamp, reflorm::timestamp_us, reflorm::uuid, an enum, std::nullopt or a "
                  "std::optional of these (see V above)");
};

/// `value` as a text_value.
template <class V>
text_value to_text_value(const V& value) {
    if constexpr (std::is_same_v<V, std::nullopt_t>) {
        return std::nullopt;
    } else if constexpr (schema::is_optional<V>::value) {
        if (!value) return std::nullopt;
        return to_text_value(*value);
    } else if constexpr (std::is_same_v<V, bool>) {
        return value;
    } else if constexpr (std::is_integral_v<V> && std::is_unsigned_v<V> && sizeof(V) == 8) {
        return static_cast<std::uint64_t>(value);
    } else if constexpr (std::is_integral_v<V>) {
        return static_cast<std::int64_t>(value);
    } else if constexpr (std::is_floating_point_v<V>) {
        return static_cast<double>(value);
    } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
        return std::string(std::string_view(value));
    } else if constexpr (std::is_same_v<V, blob> || std::is_same_v<V, date> || std::is_same_v<V, timestamp> ||
                         std::is_same_v<V, timestamp_us> || std::is_same_v<V, uuid>) {
        return value;
    } else if constexpr (std::is_enum_v<V>) {
        if constexpr (boost::describe::has_describe_enumerators<V>::value) {
            if (const char* name = boost::describe::enum_to_string(value, nullptr)) return std::string(name);
            throw statement_error("reflorm: text().bind() was given a value that is not an enumerator of its enum");
        } else {
            return static_cast<std::int64_t>(value);
        }
    } else {
        (void)check_text_value<V>::value;
        return std::nullopt;
    }
}

/// The ", its parameters are :a, :b" part of messages.
std::string describe_text_parameters(const parsed_text& parsed);
[[noreturn]] void throw_unknown_text_parameter(const parsed_text& parsed, std::string_view name);
[[noreturn]] void throw_unbound_text_parameter(const parsed_text& parsed, std::size_t name);

template <class... Columns>
struct text_result {
    using result_type = std::tuple<Columns...>;
    static constexpr bool is_text = true;  // its rowcount is unknown: a select, or DML RETURNING
};
template <>
struct text_result<> {};

/// A text() statement. Columns (none by default) are the C++ types of its result columns.
template <class... Columns>
class text_statement : public text_result<Columns...> {
public:
    explicit text_statement(std::string_view sql)
        : parsed_(std::make_shared<const parsed_text>(parse_text(sql))), values_(parsed_->names.size()) {}

    /// Binds `value` to `:name` (the colon is optional here); a second bind of a name replaces it.
    template <class V>
    text_statement bind(std::string_view name, const V& value) const& {
        text_statement copy = *this;
        copy.set(name, to_text_value(value));
        return copy;
    }
    template <class V>
    text_statement bind(std::string_view name, const V& value) && {
        set(name, to_text_value(value));
        return std::move(*this);
    }

    /// The result columns' C++ types: the statement then has result_type std::tuple<C...>, and
    /// connection::execute returns its rows.
    template <class... C>
    text_statement<C...> columns() const {
        static_assert(sizeof...(C) > 0, "reflorm: columns<...>() needs the type of each result column");
        return text_statement<C...>(parsed_, values_);
    }

    void render(render_context& ctx) const {
        for (std::size_t i = 0; i < parsed_->occurrences.size(); ++i) {
            ctx << parsed_->pieces[i];
            ctx.parameter();
        }
        ctx << parsed_->pieces.back();
    }

    /// Calls f with the value of each parameter occurrence, in order; throws statement_error
    /// for a name left unbound.
    template <class F>
    void for_each_parameter(F& f) const {
        for (const std::size_t name : parsed_->occurrences) {
            const auto& value = values_[name];
            if (!value) throw_unbound_text_parameter(*parsed_, name);
            const bool secret = reflorm::secret_name(parsed_->names[name]);  // :password and the like: '***'
            std::visit(
                [&](const auto& v) {
                    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(v)>, std::nullopt_t>)
                        visit_parameter(f, std::optional<std::int64_t>{}, secret);  // binds NULL
                    else
                        visit_parameter(f, v, secret);
                },
                *value);
        }
    }

    /// User-written SQL: its text is the shape, so the translation is cached per text and dialect.
    void shape(std::string& key) const { key += parsed_->sql; }

    /// The SQL for SQLite followed by the bound values: see sql/str.hpp.
    std::string str() const { return sql::str(*this); }

    /// The parameter names, in order of first appearance.
    const std::vector<std::string>& parameter_names() const noexcept { return parsed_->names; }

private:
    template <class...>
    friend class text_statement;
    text_statement(std::shared_ptr<const parsed_text> parsed, std::vector<std::optional<text_value>> values)
        : parsed_(std::move(parsed)), values_(std::move(values)) {}

    void set(std::string_view name, text_value value) {
        if (!name.empty() && name.front() == ':') name.remove_prefix(1);
        for (std::size_t i = 0; i < parsed_->names.size(); ++i) {
            if (parsed_->names[i] == name) {
                values_[i] = std::move(value);
                return;
            }
        }
        throw_unknown_text_parameter(*parsed_, name);
    }

    std::shared_ptr<const parsed_text> parsed_;
    std::vector<std::optional<text_value>> values_;  // one per name; nullopt while unbound
};

/// `text("... :name ...")`: hand-written SQL with named parameters; see above.
inline text_statement<> text(std::string_view sql) { return text_statement<>(sql); }

}  // namespace reflorm::sql

namespace reflorm {
using sql::text;
}
