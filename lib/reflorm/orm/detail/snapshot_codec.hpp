#pragma once
// A snapshot (the column values the database holds for an object) as compact bytes, not as a
// second copy of the object: fixed-width columns (floating point, bool, enums, dates, UUIDs;
// std::optional of them with a one-byte flag) at compile-time offsets first, then in column
// order the integers and integer-based times as varints (std::optional: a flag byte first) and
// the text, blob, numeric and JSON values as a varint length (+1; 0 for NULL) and their bytes.
// The bench's row takes 48 bytes here (with the arena's header) against 104 as a std::tuple. The unit of work
// compares objects against it (dirty tracking), restores them from it (rollback) and reads the
// key the database holds from it.
#include <reflorm/orm/detail/object_values.hpp>
#include <reflorm/sql/literal.hpp>
#include <reflorm/sql/subquery.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace reflorm::orm_detail {

namespace snapshot_bytes {

/// Bytes a fixed-width column takes (0: variable width).
template <class V>
consteval std::size_t fixed_width() {
    if constexpr (schema::is_optional<V>::value) {
        using U = typename sql::strip_optional<V>::type;
        if constexpr (std::is_trivially_copyable_v<U>) return 1 + sizeof(U);
        else return 0;
    } else if constexpr (std::is_trivially_copyable_v<V>) {
        return sizeof(V);
    } else {
        return 0;
    }
}

inline std::size_t varint_size(std::size_t v) noexcept {
    std::size_t n = 1;
    while (v >= 0x80) v >>= 7, ++n;
    return n;
}
inline std::byte* write_varint(std::byte* out, std::size_t v) noexcept {
    while (v >= 0x80) {
        *out++ = std::byte(static_cast<unsigned char>(v | 0x80));
        v >>= 7;
    }
    *out++ = std::byte(static_cast<unsigned char>(v));
    return out;
}
inline std::size_t read_varint(const std::byte*& in) noexcept {
    std::size_t v = 0;
    for (int shift = 0;; shift += 7) {
        const auto b = static_cast<unsigned char>(*in++);
        v |= std::size_t(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
}

/// A variable-width value's bytes: a view of them, or of text made for the snapshot (numeric's
/// canonical text is its own; JSON is serialized).
template <class V>
struct bytes_of {
    std::string_view view;
    std::string made;
    explicit bytes_of(const V& value) {
        if constexpr (std::is_same_v<V, std::string>) {
            view = value;
        } else if constexpr (std::is_same_v<V, blob>) {
            view = {reinterpret_cast<const char*>(value.data()), value.size()};
        } else if constexpr (is_numeric<V>::value) {
            view = value.text();
        } else {
            static_assert(std::is_same_v<V, boost::json::value>, "reflorm: a column type the snapshot does not know");
            made = sql::json_text(value);
            view = made;
        }
    }
};

/// The value of variable-width bytes.
template <class V>
V value_of(std::string_view bytes) {
    if constexpr (std::is_same_v<V, std::string>) {
        return std::string(bytes);
    } else if constexpr (std::is_same_v<V, blob>) {
        const auto* p = reinterpret_cast<const std::byte*>(bytes.data());
        return blob(p, p + bytes.size());
    } else if constexpr (is_numeric<V>::value) {
        return *V::parse(bytes);  // its own canonical text
    } else {
        V out;
        (void)codec::parse_json(bytes, out);  // text json_text wrote
        return out;
    }
}

/// Whether `value` equals the value of `bytes` (JSON: as documents, whatever the key order).
template <class V>
bool equals(const V& value, std::string_view bytes) {
    if constexpr (std::is_same_v<V, boost::json::value>) return value == value_of<V>(bytes);
    else return bytes_of<V>(value).view == bytes;
}


/// Integers and integer-based times are stored as varints (zigzag for signed): an id or a
/// count takes 1 to 4 bytes, not 8.
template <class V>
struct integer_like : std::bool_constant<std::is_integral_v<V> && !std::is_same_v<V, bool>> {};
template <class Rep, class Period>
struct integer_like<std::chrono::duration<Rep, Period>> : std::is_integral<Rep> {};
template <class Clock, class Duration>
struct integer_like<std::chrono::time_point<Clock, Duration>> : integer_like<Duration> {};

template <class V>
std::uint64_t integer_bits(const V& value) noexcept {
    if constexpr (std::is_integral_v<V>) {
        if constexpr (std::is_signed_v<V>) {
            const auto v = static_cast<std::int64_t>(value);
            return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);  // zigzag
        } else {
            return static_cast<std::uint64_t>(value);
        }
    } else if constexpr (requires { value.time_since_epoch(); }) {
        return integer_bits(value.time_since_epoch().count());
    } else {
        return integer_bits(value.count());
    }
}
template <class V>
V from_integer_bits(std::uint64_t bits) noexcept {
    if constexpr (std::is_integral_v<V>) {
        if constexpr (std::is_signed_v<V>) return static_cast<V>(static_cast<std::int64_t>((bits >> 1) ^ (~(bits & 1) + 1)));
        else return static_cast<V>(bits);
    } else if constexpr (requires { typename V::clock; }) {
        return V{from_integer_bits<typename V::duration>(bits)};
    } else {
        return V{from_integer_bits<typename V::rep>(bits)};
    }
}

}  // namespace snapshot_bytes

template <class T>
class snapshot_codec {
    static constexpr std::size_t columns = schema::column_fields_v<T>.size();
    template <std::size_t C>
    using member = column_member_t<T, C>;
    template <std::size_t C>
    using plain = typename sql::strip_optional<member<C>>::type;
    // How column C is stored: at a fixed offset (width<C> bytes), as a varint, or as bytes.
    template <std::size_t C>
    static constexpr bool integer = snapshot_bytes::integer_like<plain<C>>::value;
    template <std::size_t C>
    static constexpr std::size_t width = integer<C> ? 0 : snapshot_bytes::fixed_width<member<C>>();

    // Each fixed-width column's offset, in column order; `fixed` bytes in all.
    static constexpr auto offsets = []<std::size_t... C>(std::index_sequence<C...>) {
        std::array<std::size_t, columns> at{};
        std::size_t next = 0;
        ((at[C] = next, next += width<C>), ...);
        return at;
    }(std::make_index_sequence<columns>{});
    static constexpr std::size_t fixed = [] {
        std::size_t n = 0;
        [&]<std::size_t... C>(std::index_sequence<C...>) { ((n += width<C>), ...); }(std::make_index_sequence<columns>{});
        return n;
    }();

    template <std::size_t C>
    static void write_fixed(const member<C>& value, std::byte* out) noexcept {
        if constexpr (schema::is_optional<member<C>>::value) {
            out[0] = std::byte{value.has_value()};
            if (value) std::memcpy(out + 1, &*value, sizeof(*value));
            else std::memset(out + 1, 0, width<C> - 1);
        } else {
            std::memcpy(out, &value, sizeof(value));
        }
    }
    template <std::size_t C>
    static member<C> read_fixed(const std::byte* in) noexcept {
        if constexpr (schema::is_optional<member<C>>::value) {
            if (in[0] == std::byte{0}) return std::nullopt;
            in += 1;
        }
        plain<C> value;
        std::memcpy(&value, in, sizeof(value));
        return value;
    }

    /// Variable-width column C's value at `in` (moved past it): its integer bits, or its bytes;
    /// nullopt for NULL.
    template <std::size_t C>
    static auto read_variable(const std::byte*& in) noexcept {
        if constexpr (integer<C>) {
            if constexpr (schema::is_optional<member<C>>::value) {
                if (*in++ == std::byte{0}) return std::optional<std::uint64_t>{};
            }
            return std::optional<std::uint64_t>{snapshot_bytes::read_varint(in)};
        } else {
            const std::size_t n = snapshot_bytes::read_varint(in);
            if (n == 0) return std::optional<std::string_view>{};
            const std::string_view bytes{reinterpret_cast<const char*>(in), n - 1};
            in += n - 1;
            return std::optional<std::string_view>{bytes};
        }
    }
    template <std::size_t C>
    static plain<C> plain_value(const auto& stored) {
        if constexpr (integer<C>) return snapshot_bytes::from_integer_bits<plain<C>>(stored);
        else return snapshot_bytes::value_of<plain<C>>(stored);
    }
    template <std::size_t C>
    static member<C> value_of(const auto& stored) {
        if constexpr (schema::is_optional<member<C>>::value) {
            if (!stored) return std::nullopt;
        }
        return plain_value<C>(*stored);
    }
    template <std::size_t C>
    static bool plain_equals(const plain<C>& value, const auto& stored) {
        if constexpr (integer<C>) return snapshot_bytes::integer_bits(value) == stored;
        else return snapshot_bytes::equals(value, stored);
    }
    template <std::size_t C>
    static bool equals(const member<C>& value, const auto& stored) {
        if constexpr (schema::is_optional<member<C>>::value) {
            if (!value || !stored) return !value && !stored;
            return plain_equals<C>(*value, *stored);
        } else {
            return plain_equals<C>(value, *stored);
        }
    }

    /// Whether column C of `object` equals the snapshot's: a fixed-width one read in place, a
    /// variable-width one read at `variable` (moved past it).
    template <std::size_t C>
    static bool column_equals(const T& object, const std::byte* in, const std::byte*& variable) {
        if constexpr (width<C> != 0) return column<const T, C>(object) == read_fixed<C>(in + offsets[C]);
        else return equals<C>(column<const T, C>(object), read_variable<C>(variable));
    }
    /// The start of variable-width column C's value (after those before it).
    template <std::size_t C>
    static const std::byte* variable_at(const std::byte* in) noexcept {
        const std::byte* variable = in + fixed;
        [&]<std::size_t... B>(std::index_sequence<B...>) {
            ((width<B> == 0 ? void(read_variable<B>(variable)) : void()), ...);
        }(std::make_index_sequence<C>{});
        return variable;
    }

public:
    /// Whether write() can throw (std::bad_alloc serializing a JSON column); otherwise it cannot.
    static constexpr bool write_may_throw = []<std::size_t... C>(std::index_sequence<C...>) {
        return (std::is_same_v<plain<C>, boost::json::value> || ...);
    }(std::make_index_sequence<columns>{});

    /// Bytes the snapshot of `object` takes.
    static std::size_t size(const T& object) {
        return [&]<std::size_t... C>(std::index_sequence<C...>) {
            return (fixed + ... + variable_size<C>(column<const T, C>(object)));
        }(std::make_index_sequence<columns>{});
    }
    /// Writes the snapshot of `object` to `out` (size(object) bytes).
    static void write(const T& object, std::byte* out) {
        std::byte* variable = out + fixed;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            (write_column<C>(column<const T, C>(object), out, variable), ...);
        }(std::make_index_sequence<columns>{});
    }
    /// Whether any column of `object` differs from the snapshot at `in`.
    static bool differs(const T& object, const std::byte* in) {
        const std::byte* variable = in + fixed;
        return [&]<std::size_t... C>(std::index_sequence<C...>) {
            return (... || !column_equals<C>(object, in, variable));
        }(std::make_index_sequence<columns>{});
    }
    /// Writes '1' for each column of `object` that differs from the snapshot, '0' otherwise;
    /// returns whether any differs.
    static bool changed_columns(const T& object, const std::byte* in, std::string& mask) {
        mask.assign(columns, '0');
        bool any = false;
        const std::byte* variable = in + fixed;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            ((column_equals<C>(object, in, variable) ? void() : (mask[C] = '1', any = true, void())), ...);
        }(std::make_index_sequence<columns>{});
        return any;
    }
    /// Assigns every column of `object` from the snapshot at `in`.
    static void restore(T& object, const std::byte* in) {
        const std::byte* variable = in + fixed;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            (restore_column<C>(column<T, C>(object), in, variable), ...);
        }(std::make_index_sequence<columns>{});
    }
    /// Bytes the snapshot at `in` takes (its record may be larger).
    static std::size_t length(const std::byte* in) noexcept {
        const std::byte* end = variable_at<columns>(in);
        return static_cast<std::size_t>(end - in);
    }
    /// Column C's value in the snapshot at `in`.
    template <std::size_t C>
    static member<C> get(const std::byte* in) {
        if constexpr (width<C> != 0) {
            return read_fixed<C>(in + offsets[C]);
        } else {
            const std::byte* variable = variable_at<C>(in);
            return value_of<C>(read_variable<C>(variable));
        }
    }
    /// The bytes of text, blob, numeric or JSON column C in the snapshot at `in` (nullopt:
    /// NULL), valid while the snapshot is: what a driver can bind without a copy.
    template <std::size_t C>
    static std::optional<std::string_view> bytes(const std::byte* in) noexcept {
        static_assert(width<C> == 0 && !integer<C>, "reflorm: bytes<C> is for text, blob, numeric and JSON columns");
        const std::byte* variable = variable_at<C>(in);
        return read_variable<C>(variable);
    }

private:
    template <std::size_t C>
    static void write_column(const member<C>& value, std::byte* out, std::byte*& variable) {
        if constexpr (width<C> != 0) {
            write_fixed<C>(value, out + offsets[C]);
        } else if constexpr (schema::is_optional<member<C>>::value) {
            if constexpr (integer<C>) *variable++ = std::byte{value.has_value()};
            if (value) variable = write_plain<C>(*value, variable);
            else if constexpr (!integer<C>) variable = snapshot_bytes::write_varint(variable, 0);
        } else {
            variable = write_plain<C>(value, variable);
        }
    }
    template <std::size_t C>
    static std::byte* write_plain(const plain<C>& value, std::byte* out) {
        if constexpr (integer<C>) return snapshot_bytes::write_varint(out, snapshot_bytes::integer_bits(value));
        else return write_bytes(snapshot_bytes::bytes_of<plain<C>>(value).view, out);
    }
    template <std::size_t C>
    static void restore_column(member<C>& value, const std::byte* in, const std::byte*& variable) {
        if constexpr (width<C> != 0) value = read_fixed<C>(in + offsets[C]);
        else value = value_of<C>(read_variable<C>(variable));
    }
    /// Bytes column C takes after the fixed part (0 for a fixed-width one).
    template <std::size_t C>
    static std::size_t variable_size(const member<C>& value) {
        if constexpr (width<C> != 0) {
            return 0;
        } else if constexpr (schema::is_optional<member<C>>::value) {
            if (!value) return 1;
            return (integer<C> ? 1 : 0) + plain_size<C>(*value);
        } else {
            return plain_size<C>(value);
        }
    }
    template <std::size_t C>
    static std::size_t plain_size(const plain<C>& value) {
        if constexpr (integer<C>) {
            return snapshot_bytes::varint_size(snapshot_bytes::integer_bits(value));
        } else {
            const std::size_t n = snapshot_bytes::bytes_of<plain<C>>(value).view.size();
            return snapshot_bytes::varint_size(n + 1) + n;
        }
    }
    static std::byte* write_bytes(std::string_view bytes, std::byte* out) noexcept {
        out = snapshot_bytes::write_varint(out, bytes.size() + 1);
        if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
        return out + bytes.size();
    }
};

}  // namespace reflorm::orm_detail
