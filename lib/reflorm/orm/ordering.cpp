#include <reflorm/orm/detail/ordering.hpp>

#include <algorithm>

namespace reflorm::orm_detail {

void stable_sort_pointers(std::vector<void*>& items, bool (*less)(const void*, const void*)) {
    std::stable_sort(items.begin(), items.end(), less);
}

}  // namespace reflorm::orm_detail
