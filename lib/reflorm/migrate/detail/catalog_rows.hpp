#pragma once
// What the three inspectors share: gathering catalog rows (one per column of a constraint or
// index) by name, and building the schema table by table.
#include <reflorm/migrate/schema_model.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace reflorm::migrate::detail {

/// The element of `items` named `name`, appended (with only its name set) if there is none.
template <class Named>
Named& named(std::vector<Named>& items, const std::string& name) {
    const auto it = std::find_if(items.begin(), items.end(), [&](const Named& n) { return n.name == name; });
    if (it != items.end()) return *it;
    items.emplace_back();
    items.back().name = name;
    return items.back();
}

/// A schema of the tables named `names`, in that order, each filled by `read(table)` (which
/// finds its name set).
template <class Read>
schema_model read_tables(const std::vector<std::string>& names, Read&& read) {
    schema_model schema;
    for (const auto& name : names) {
        table_model table;
        table.name = name;
        read(table);
        schema.tables.push_back(std::move(table));
    }
    return schema;
}

}  // namespace reflorm::migrate::detail
