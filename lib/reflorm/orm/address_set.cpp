// orm_detail::address_set, compiled once (see orm/detail/address_set.hpp).
#include <reflorm/orm/detail/address_set.hpp>

namespace reflorm::orm_detail {

address_set::address_set() = default;
address_set::~address_set() = default;
bool address_set::insert(const void* object) { return set_.insert(object).second; }

}  // namespace reflorm::orm_detail
