#include <reflorm/migrate/column_def.hpp>
#include <reflorm/migrate/type_compare.hpp>

namespace reflorm::migrate {

using schema::column_kind;

namespace types {
column_type of(column_kind kind, std::size_t length) {
    column_type t;
    t.kind = kind;
    t.length = length;
    return t;
}
column_type boolean() { return of(column_kind::boolean); }
column_type small_integer() { return of(column_kind::int16); }
column_type integer() { return of(column_kind::int32); }
column_type big_integer() { return of(column_kind::int64); }
column_type float32() { return of(column_kind::float32); }
column_type float64() { return of(column_kind::float64); }
column_type string(std::size_t length) {
    auto t = of(column_kind::text);
    t.length = length;
    return t;
}
column_type text() { return of(column_kind::text); }
column_type numeric(std::uint8_t precision, std::uint8_t scale) {
    auto t = of(column_kind::decimal);
    t.precision = precision;
    t.scale = scale;
    return t;
}
column_type date() { return of(column_kind::date); }
column_type timestamp(bool with_time_zone) {
    auto t = of(column_kind::timestamp);
    t.with_time_zone = with_time_zone;
    return t;
}
column_type timestamp_us(bool with_time_zone) {
    auto t = of(column_kind::timestamp_micro);
    t.with_time_zone = with_time_zone;
    return t;
}
column_type blob() { return of(column_kind::blob); }
column_type uuid() { return of(column_kind::uuid); }
column_type json() { return of(column_kind::json); }
column_type verbatim(std::string sql) {
    column_type t;
    t.verbatim = std::move(sql);
    return t;
}
}  // namespace types

namespace {
const char* kind_name(column_kind kind) {
    switch (kind) {
    case column_kind::int8: return "int8";
    case column_kind::uint8: return "uint8";
    case column_kind::uint16: return "uint16";
    case column_kind::uint32: return "uint32";
    case column_kind::uint64: return "uint64";
    case column_kind::enum_integer: return "enum_integer";
    case column_kind::enum_name: return "enum_name";
    default: return "text";
    }
}
}  // namespace

column_type keyed(column_type type) {
    type.in_key = true;
    return type;
}

column_def column(std::string name, column_type type) {
    column_def def;
    def.name = std::move(name);
    def.type = std::move(type);
    return def;
}

std::string type_sql(const column_type& type, const sql::compiler& dialect, bool autoincrement) {
    if (!type.verbatim.empty()) return type.verbatim;
    schema::column_info info;
    info.kind = type.kind;
    info.max_length = type.length;
    info.precision = type.precision;
    info.scale = type.scale;
    info.with_time_zone = type.with_time_zone;
    info.autoincrement = autoincrement;
    info.primary_key = autoincrement;
    return dialect.type_name(info, type.in_key || autoincrement);
}

column_model to_column_model(const column_def& def, const sql::compiler& dialect) {
    column_model out;
    out.name = def.name;
    out.type = parse_type(dialect.id(), type_sql(def.type, dialect, def.autoincrement));
    out.nullable = def.nullable;
    out.server_default = def.server_default;
    out.autoincrement = def.autoincrement;
    out.portable = def.type;
    return out;
}

column_type portable_type(const sql_type& type) {
    column_type out;
    switch (type.family) {
    case type_family::boolean: out.kind = column_kind::boolean; break;
    case type_family::integer:
        out.kind = type.size == 8 ? column_kind::int64 : type.size >= 3 || type.size == 0 ? column_kind::int32 : column_kind::int16;
        break;
    case type_family::numeric:
        out.kind = column_kind::decimal;
        out.precision = type.precision;
        out.scale = type.scale;
        break;
    case type_family::floating: out.kind = type.size == 4 ? column_kind::float32 : column_kind::float64; break;
    case type_family::string: out.length = type.length; break;
    case type_family::date: out.kind = column_kind::date; break;
    case type_family::timestamp:
        out.kind = type.precision >= 6 ? column_kind::timestamp_micro : column_kind::timestamp;
        out.with_time_zone = type.with_time_zone;
        break;
    case type_family::blob: out.kind = column_kind::blob; break;
    case type_family::uuid: out.kind = column_kind::uuid; break;
    case type_family::json: out.kind = column_kind::json; break;
    case type_family::time:
    case type_family::other: out.verbatim = type.name; break;
    }
    return out;
}

std::string type_cpp(const column_type& type) {
    const std::string ns = "reflorm::migrate::types::";
    if (!type.verbatim.empty()) {
        std::string quoted = "\"";
        for (char ch : type.verbatim) (ch == '"' || ch == '\\' ? quoted += '\\' : quoted) += ch;
        return ns + "verbatim(" + quoted + "\")";
    }
    const std::string tz = type.with_time_zone ? "true" : "";
    std::string out;
    switch (type.kind) {
    case column_kind::boolean: out = ns + "boolean()"; break;
    case column_kind::int16: out = ns + "small_integer()"; break;
    case column_kind::int32: out = ns + "integer()"; break;
    case column_kind::int64: out = ns + "big_integer()"; break;
    case column_kind::float32: out = ns + "float32()"; break;
    case column_kind::float64: out = ns + "float64()"; break;
    case column_kind::text: out = type.length ? ns + "string(" + std::to_string(type.length) + ")" : ns + "text()"; break;
    case column_kind::int8:
    case column_kind::uint8:
    case column_kind::uint16:
    case column_kind::uint32:
    case column_kind::uint64:
    case column_kind::enum_integer:
    case column_kind::enum_name:
        out = ns + "of(reflorm::schema::column_kind::" + kind_name(type.kind) + (type.length ? ", " + std::to_string(type.length) : "") + ")";
        break;
    case column_kind::date: out = ns + "date()"; break;
    case column_kind::timestamp: out = ns + "timestamp(" + tz + ")"; break;
    case column_kind::timestamp_micro: out = ns + "timestamp_us(" + tz + ")"; break;
    case column_kind::blob: out = ns + "blob()"; break;
    case column_kind::decimal: out = ns + "numeric(" + std::to_string(type.precision) + ", " + std::to_string(type.scale) + ")"; break;
    case column_kind::uuid: out = ns + "uuid()"; break;
    case column_kind::json: out = ns + "json()"; break;
    }
    // A keyed column: MySQL keys an unbounded string as VARCHAR(255).
    if (type.in_key) out = "reflorm::migrate::keyed(" + out + ")";
    return out;
}

}  // namespace reflorm::migrate
