#pragma once
// What session.add_all() returns: the added objects as a range of handles, made on access, so
// that a million objects do not cost a million stored std::shared_ptrs (16 MB).
#include <compare>
#include <cstddef>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <vector>

namespace reflorm {

/// The objects one session.add_all() call added, in the order given: a random-access range of
/// `std::shared_ptr<T>` handles, each made when read, sharing ownership of the session's object
/// store as every handle does (it stays valid after the session is closed or destroyed). The
/// objects are the ones the given vector held, where it held them: add_all takes the vector's
/// storage over and moves no object. 32 bytes, whatever the number of objects. No bounds check
/// on `operator[]`, as std::vector's; `at()` throws std::out_of_range.
template <class T>
class added_objects {
public:
    class iterator {
    public:
        using iterator_concept = std::random_access_iterator_tag;
        using iterator_category = std::input_iterator_tag;  // its reference is a value (C++17's rules)
        using value_type = std::shared_ptr<T>;
        using difference_type = std::ptrdiff_t;
        using reference = std::shared_ptr<T>;

        iterator() = default;
        std::shared_ptr<T> operator*() const { return std::shared_ptr<T>(*store_, at_); }
        std::shared_ptr<T> operator[](difference_type n) const { return *(*this + n); }
        iterator& operator++() { return ++at_, *this; }
        iterator operator++(int) { return {store_, at_++}; }
        iterator& operator--() { return --at_, *this; }
        iterator operator--(int) { return {store_, at_--}; }
        iterator& operator+=(difference_type n) { return at_ += n, *this; }
        iterator& operator-=(difference_type n) { return at_ -= n, *this; }
        friend iterator operator+(iterator i, difference_type n) { return i += n; }
        friend iterator operator+(difference_type n, iterator i) { return i += n; }
        friend iterator operator-(iterator i, difference_type n) { return i -= n; }
        friend difference_type operator-(const iterator& a, const iterator& b) { return a.at_ - b.at_; }
        friend bool operator==(const iterator& a, const iterator& b) { return a.at_ == b.at_; }
        friend std::strong_ordering operator<=>(const iterator& a, const iterator& b) { return a.at_ <=> b.at_; }

    private:
        friend class added_objects;
        iterator(const std::shared_ptr<void>* store, T* at) : store_(store), at_(at) {}
        const std::shared_ptr<void>* store_ = nullptr;
        T* at_ = nullptr;
    };

    added_objects() = default;
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    iterator begin() const noexcept { return {&store_, first_}; }
    iterator end() const noexcept { return {&store_, first_ + size_}; }
    /// The handle of the i-th object given.
    std::shared_ptr<T> operator[](std::size_t i) const { return std::shared_ptr<T>(store_, first_ + i); }
    std::shared_ptr<T> at(std::size_t i) const {
        if (i >= size_) throw std::out_of_range("reflorm: added_objects::at: index past the objects added");
        return (*this)[i];
    }
    /// The handles as a vector (16 bytes each).
    std::vector<std::shared_ptr<T>> handles() const { return {begin(), end()}; }

private:
    friend class session;
    added_objects(std::shared_ptr<void> store, T* first, std::size_t size) : store_(std::move(store)), first_(first), size_(size) {}
    std::shared_ptr<void> store_;
    T* first_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace reflorm
