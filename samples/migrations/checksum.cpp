#include "checksum.hpp"

#include <reflorm/migrate.hpp>
#include <reflorm/reflorm.hpp>

#include <charconv>
#include <cstdio>
#include <optional>

namespace migrations_sample {
namespace {

namespace rm = reflorm::migrate;

// One column's values in text form, in primary key order. The identifiers come from the
// database's own catalog (inspect), never from data.
template <class T>
std::vector<std::string> column_text(reflorm::connection& conn, const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& [value] : conn.execute(reflorm::text(sql).columns<std::optional<T>>()).all()) {
        if (!value) out.emplace_back("\\N");
        else if constexpr (std::is_same_v<T, std::string>) out.push_back(*value);
        else {
            char buffer[32];
            const auto end = std::to_chars(buffer, buffer + sizeof buffer, *value).ptr;
            out.emplace_back(buffer, end);
        }
    }
    return out;
}

std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const unsigned char ch : text) hash = (hash ^ ch) * 1099511628211ull;
    return hash;
}

}  // namespace

std::vector<table_sum> table_sums(reflorm::connection& conn) {
    auto schema = rm::inspect(conn);
    std::sort(schema.tables.begin(), schema.tables.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::vector<table_sum> sums;
    for (const auto& table : schema.tables) {
        std::string order;
        for (const auto& key : table.primary_key) order += (order.empty() ? "" : ", ") + key;
        std::vector<std::string> rows;  // each row's text so far
        for (const auto& column : table.columns) {
            const std::string sql = "SELECT " + column.name + " FROM " + table.name + " ORDER BY " + order;
            std::vector<std::string> values;
            switch (column.type.family) {
            case rm::type_family::boolean:
            case rm::type_family::integer: values = column_text<std::int64_t>(conn, sql); break;
            case rm::type_family::numeric:
            case rm::type_family::floating: values = column_text<double>(conn, sql); break;
            default: values = column_text<std::string>(conn, sql);
            }
            if (rows.empty()) rows.resize(values.size());
            for (std::size_t i = 0; i < values.size(); ++i) (rows[i] += (&column == &table.columns.front() ? "" : "\x1f")) += values[i];
        }
        table_sum sum{table.name, static_cast<std::int64_t>(rows.size()), 0};
        for (const auto& row : rows) sum.checksum += fnv1a(row);
        sums.push_back(sum);
    }
    return sums;
}

void print(const std::vector<table_sum>& sums) {
    std::printf("  %-18s %6s  %s\n", "table", "rows", "checksum");
    for (const auto& s : sums)
        std::printf("  %-18s %6lld  %016llx\n", s.table.c_str(), static_cast<long long>(s.rows), static_cast<unsigned long long>(s.checksum));
}

}  // namespace migrations_sample
