#pragma once
// Catalog queries return one row per column of a constraint or index: this gathers them.
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

}  // namespace reflorm::migrate::detail
