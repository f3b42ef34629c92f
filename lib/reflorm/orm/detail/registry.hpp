#pragma once
// One model's part of a session, as the session sees it (registry_base): the identity map,
// persistence, dependency processing and cascades, stacked in that order, one file each.
// Included by orm/session.hpp after the session class.
#include <reflorm/orm/detail/cascades.hpp>

namespace reflorm {
namespace orm_detail {

template <class T>
class registry final : public cascade_processor<T> {
public:
    const model_relationships& relationship_table() const noexcept override { return cascade_processor<T>::relationship_table; }
};

}  // namespace orm_detail
}  // namespace reflorm
