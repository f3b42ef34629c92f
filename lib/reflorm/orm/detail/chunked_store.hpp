#pragma once
// A sequence whose elements never move: chunks of 16, 16, 32, 64, ... elements (each twice the
// last), so that appending n elements costs O(log n) allocations, indexing is a bit_width, and
// pointers handed out (the session's objects, its entries) stay valid until the store dies.
// std::deque also keeps addresses, but allocates one 512-byte block per three entries.
#include <bit>
#include <cstddef>
#include <iterator>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace reflorm::orm_detail {

template <class T>
class chunked_store {
public:
    chunked_store() = default;
    chunked_store(const chunked_store&) = delete;
    chunked_store& operator=(const chunked_store&) = delete;
    ~chunked_store() { clear(); }

    template <class... Args>
    T& emplace_back(Args&&... args) {
        const auto [chunk, offset] = locate(size_);
        if (chunk == chunks_.size()) {
            chunks_.reserve(chunks_.size() + 1);  // so that push_back cannot throw after allocating
            chunks_.push_back(allocate(chunk_capacity(chunk)));
        }
        T* slot = chunks_[chunk] + offset;
        ::new (static_cast<void*>(slot)) T(std::forward<Args>(args)...);
        ++size_;
        return *slot;
    }

    T& operator[](std::size_t i) noexcept {
        const auto [chunk, offset] = locate(i);
        return chunks_[chunk][offset];
    }
    const T& operator[](std::size_t i) const noexcept {
        const auto [chunk, offset] = locate(i);
        return chunks_[chunk][offset];
    }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

    void clear() noexcept {
        for (std::size_t chunk = 0; chunk < chunks_.size(); ++chunk) {
            const std::size_t begin = chunk_begin(chunk);
            const std::size_t count = size_ > begin ? std::min(size_ - begin, chunk_capacity(chunk)) : 0;
            std::destroy_n(chunks_[chunk], count);
            ::operator delete(static_cast<void*>(chunks_[chunk]), std::align_val_t{alignof(T)});
        }
        chunks_.clear();
        size_ = 0;
    }

    /// Forward iteration in insertion order; valid while elements are appended (by index).
    template <class Store, class Value>
    class basic_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = Value*;
        using reference = Value&;
        basic_iterator() = default;
        basic_iterator(Store* store, std::size_t i) : store_(store), i_(i) {}
        reference operator*() const { return (*store_)[i_]; }
        pointer operator->() const { return &(*store_)[i_]; }
        basic_iterator& operator++() {
            ++i_;
            return *this;
        }
        basic_iterator operator++(int) {
            basic_iterator old = *this;
            ++i_;
            return old;
        }
        bool operator==(const basic_iterator& other) const { return i_ == other.i_; }

    private:
        Store* store_ = nullptr;
        std::size_t i_ = 0;
    };
    using iterator = basic_iterator<chunked_store, T>;
    using const_iterator = basic_iterator<const chunked_store, const T>;
    iterator begin() noexcept { return {this, 0}; }
    iterator end() noexcept { return {this, size_}; }
    const_iterator begin() const noexcept { return {this, 0}; }
    const_iterator end() const noexcept { return {this, size_}; }

private:
    static constexpr std::size_t first = 16;  // chunk 0 and chunk 1 hold 16 each, chunk k 16 << (k - 1)

    static constexpr std::size_t chunk_capacity(std::size_t chunk) noexcept { return chunk == 0 ? first : first << (chunk - 1); }
    static constexpr std::size_t chunk_begin(std::size_t chunk) noexcept { return chunk == 0 ? 0 : first << (chunk - 1); }
    static std::pair<std::size_t, std::size_t> locate(std::size_t i) noexcept {
        if (i < first) return {0, i};
        const std::size_t chunk = static_cast<std::size_t>(std::bit_width(i / first));  // i in [16 << (k-1), 16 << k)
        return {chunk, i - chunk_begin(chunk)};
    }
    static T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{alignof(T)}));
    }

    std::vector<T*> chunks_;
    std::size_t size_ = 0;
};

}  // namespace reflorm::orm_detail
