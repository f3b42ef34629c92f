#pragma once
// A small dense number per model type, for tables indexed by model (the session's registries,
// its listeners).
#include <cstddef>

namespace reflorm::orm_detail {

std::size_t next_type_id() noexcept;  // session.cpp
template <class T>
std::size_t type_id() noexcept {
    static const std::size_t id = next_type_id();
    return id;
}

}  // namespace reflorm::orm_detail
