// Through session.hpp, as every other user: it declares what identity_map_common.hpp builds on.
#include <reflorm/orm/session.hpp>

#include <reflorm/orm/detail/identity_map_common.hpp>

namespace reflorm::orm_detail {

identity_map_common::identity_map_common(std::size_t loose_entry_bytes) : loose_entries_(loose_entry_bytes) {}

identity_map_common::~identity_map_common() = default;

}  // namespace reflorm::orm_detail
