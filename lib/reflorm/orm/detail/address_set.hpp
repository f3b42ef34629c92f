#pragma once
// A set of object addresses, for the loaders' "each object once" checks. Its members are
// compiled once (orm/address_set.cpp): a boost::unordered_flat_set's insert inlined into every
// loader of every relationship was a kilobyte of code each (compile time, issue 13).
#include <boost/unordered/unordered_flat_set.hpp>

#include <cstddef>

namespace reflorm::orm_detail {

class address_set {
public:
    address_set();
    address_set(const address_set&) = delete;
    address_set& operator=(const address_set&) = delete;
    ~address_set();
    /// Adds `object`; true when it was not there yet. Throws std::bad_alloc, the set unchanged.
    bool insert(const void* object);

private:
    boost::unordered_flat_set<const void*> set_;
};

}  // namespace reflorm::orm_detail
