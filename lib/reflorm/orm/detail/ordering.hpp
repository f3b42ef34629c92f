#pragma once
// Orderings the flush needs for every model, sorted by code compiled once (orm/ordering.cpp):
// a std::stable_sort instantiated per model cost each program's compile more than its run.
#include <cstddef>
#include <vector>

namespace reflorm::orm_detail {

/// Sorts `items` stably by `less`.
void stable_sort_pointers(std::vector<void*>& items, bool (*less)(const void*, const void*));

/// Sorts `rows` stably by `less`, which is given two of them (as const void*).
template <class P>
void stable_sort_rows(std::vector<P*>& rows, bool (*less)(const void*, const void*)) {
    std::vector<void*> items(rows.begin(), rows.end());
    stable_sort_pointers(items, less);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<P*>(items[i]);
}

}  // namespace reflorm::orm_detail
