#pragma once
// The two relationship member types a model declares: one<T> (a reference to zero or one T:
// many-to-one, or one-to-one) and many<T> (a collection: one-to-many or many-to-many).
//
// They are not columns (schema skips them by their tag) and they never own a persistent
// object: the session's object store does. They hold non-owning pointers into that store,
// so the two sides of a back_populates pair never form an ownership cycle. A value given to
// them directly (`User{.addresses = {Address{...}}}`) is a transient object they own until a
// session adopts it (cascade save-update).
//
// Each knows whether it is loaded. Reading an unloaded one throws not_loaded_error naming
// Model::member; it never reads as empty.
//
// Copies are ordinary C++ and safe: what a member owns by value is copied with it (a new,
// transient object), an empty one stays empty, and a member that points at objects a session
// owns is copied as unloaded (reading it throws), since the copy cannot keep the session's
// objects alive and must not read them after the session is gone. One exception: a one<T> the
// user assigned a handle to watches that handle's owner (a weak_ptr), so its copies keep the
// target while the session lives and throw not_loaded_error once it is gone. Moves leave the
// source empty and loaded.
#include <reflorm/engine/errors.hpp>

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reflorm {

/// Reading a relationship that was not loaded: SQLAlchemy's raiseload error. The message
/// names Model::member and says how to load it.
class not_loaded_error : public invalid_request_error {
public:
    using invalid_request_error::invalid_request_error;
};

namespace orm_detail {

/// The name of a relationship member, set by the session when it marks the member unloaded.
struct relationship_name {
    std::string_view model;
    std::string_view member;
};

/// `copied`: the member belongs to a copy of a loaded object (see the copy rules above).
[[noreturn]] void throw_not_loaded(const relationship_name* name, bool copied);

struct relationship_access;

/// What every one<T> holds, whatever T: the target as an untyped pointer, so that copying,
/// moving and destroying a reference, and the session's flush steps on it, are compiled once
/// (relationships.cpp), not for each target type and each model holding one (issue 13).
/// one<T> adds the types.
class one_base {
public:
    one_base(const one_base&) = delete;
    one_base& operator=(const one_base&) = delete;

    /// Whether the target has been loaded (or assigned). A new object's relationships are.
    bool is_loaded() const noexcept { return loaded_; }

protected:
    /// Copies the target at `object` (a T) into a new, owned T.
    using copy_function = std::shared_ptr<void> (*)(const void* object);

    one_base() = default;
    /// A copy (see the copy rules at the top of this file): a target owned by value is copied
    /// with `copy`; one the session owns makes the copy unloaded.
    one_base(const one_base& other, copy_function copy);
    /// Leaves `other` empty and loaded.
    one_base(one_base&& other) noexcept;
    one_base& operator=(one_base&& other) noexcept;
    void copy_assign(const one_base& other, copy_function copy);
    ~one_base();

    /// Refers to a new object owned here (a constructor's value).
    void own(std::shared_ptr<void> owned) noexcept {
        target_ = owned.get();
        owned_ = std::move(owned);
    }
    /// Refers to `target`, a handle's object, watching `alive` (the handle's owner).
    void watch(void* target, std::weak_ptr<const void> alive) noexcept {
        target_ = target;
        watched_ = target != nullptr;
        alive_ = std::move(alive);
    }
    void assign(void* target, std::shared_ptr<void> owned);
    /// The target, or nullptr; throws not_loaded_error when not loaded.
    void* checked_target() const {
        if (!loaded_) throw_not_loaded(name_, copied_);
        if (watched_ && alive_.expired()) throw_not_loaded(name_, true);
        return target_;
    }

private:
    friend struct relationship_access;
    friend struct relationship_flush;

    void unwatch() noexcept {
        watched_ = false;
        alive_.reset();
    }

    void* target_ = nullptr;
    std::shared_ptr<void> owned_;                   // a transient target given by value
    void* committed_ = nullptr;                     // the target as last loaded or flushed
    const relationship_name* name_ = nullptr;
    bool loaded_ = true;
    bool committed_known_ = false;                  // committed_ is meaningful
    bool copied_ = false;                           // unloaded because copied from a loaded member
    bool expired_ = false;                          // loaded, but the next load reloads it
    bool assigned_ = false;                         // assigned while unloaded: the key follows it
    bool watched_ = false;                          // target_ came from a handle: alive_ says if it lives
    std::weak_ptr<const void> alive_;               // the owner of that handle (the session's store)
};

}  // namespace orm_detail

/// A reference to zero or one T (many-to-one, or the scalar side of a one-to-one).
///
/// Assign a handle the session gave out (`address->user = jack;`), a new T by value (owned
/// until the session adopts it), or nullptr. Reading (`->`, `*`, get(), bool) throws
/// not_loaded_error while unloaded.
template <class T>
class one : public orm_detail::one_base {
public:
    using reflorm_non_column_tag = void;
    using target_type = T;
    static constexpr bool is_collection = false;

    one() = default;
    one(std::nullptr_t) {}
    one(const one& other) : one_base(other, &copy_target) {}
    one(one&& other) noexcept = default;
    one& operator=(const one& other) {
        copy_assign(other, &copy_target);
        return *this;
    }
    one& operator=(one&& other) noexcept = default;
    ~one() = default;
    /// A new, transient T, owned here until a session adopts it.
    one(T&& value) { own(std::make_shared<T>(std::move(value))); }
    /// An object a session owns (a handle from add/get/scalars); not owned here, watched: once
    /// every owner of the handle is gone, reading throws not_loaded_error.
    one(const std::shared_ptr<T>& object) { watch(object.get(), object); }

    one& operator=(std::nullptr_t) {
        assign(nullptr, nullptr);
        return *this;
    }
    one& operator=(T&& value) {
        auto owned = std::make_shared<T>(std::move(value));
        T* raw = owned.get();
        assign(raw, std::move(owned));
        return *this;
    }
    one& operator=(const std::shared_ptr<T>& object) {
        assign(object.get(), nullptr);
        watch(object.get(), object);
        return *this;
    }
    /// Points at `object`, which a session must own (or which must outlive this reference).
    one& operator=(T& object) {
        assign(&object, nullptr);
        return *this;
    }

    /// The target, or nullptr for none. Throws not_loaded_error when not loaded.
    T* get() const { return static_cast<T*>(checked_target()); }
    T* operator->() const {
        T* target = get();
        if (!target) throw invalid_request_error("reflorm: dereferencing an empty relationship (it refers to no object)");
        return target;
    }
    T& operator*() const { return *operator->(); }
    explicit operator bool() const { return get() != nullptr; }

    friend bool operator==(const one& r, std::nullptr_t) { return r.get() == nullptr; }

private:
    static std::shared_ptr<void> copy_target(const void* object) { return std::make_shared<T>(*static_cast<const T*>(object)); }
};

namespace orm_detail {

/// What every many<T> holds, whatever T: the elements as untyped pointers, so that copying,
/// moving, destroying and comparing a collection, and the session's flush steps on it, are
/// compiled once (relationships.cpp), not for each element type and each model holding one
/// (issue 13). many<T> adds the types.
class many_base {
public:
    many_base(const many_base&) = delete;
    many_base& operator=(const many_base&) = delete;

    bool is_loaded() const noexcept { return loaded_; }

protected:
    /// Copies the element at `object` (a T) into a new, owned T.
    using copy_function = std::shared_ptr<void> (*)(const void* object);

    many_base() = default;
    /// A copy (see the copy rules at the top of this file): the elements owned by value are
    /// copied with `copy`; one the session owns makes the copy unloaded.
    many_base(const many_base& other, copy_function copy);
    /// Leaves `other` empty and loaded.
    many_base(many_base&& other) noexcept;
    many_base& operator=(many_base&& other) noexcept;
    void copy_assign(const many_base& other, copy_function copy);
    ~many_base();

    void require_loaded() const {
        if (!loaded_) throw_not_loaded(name_, copied_);
    }
    const std::vector<void*>& checked() const {
        require_loaded();
        return items_;
    }
    /// Appends a new element owned here; returns it.
    void* push_owned(std::shared_ptr<void> owned);
    void push(void* object);
    bool remove(const void* object);
    bool contains(const void* object) const;
    void clear();

private:
    friend struct relationship_access;
    friend struct relationship_flush;

    void clear_all() noexcept;

    std::vector<void*> items_;
    std::vector<std::shared_ptr<void>> owned_;  // transient elements given by value
    std::vector<void*> committed_;              // the elements as last loaded or flushed
    std::vector<void*> removed_;                // taken out since the last flush (pending orphans)
    const relationship_name* name_ = nullptr;
    bool loaded_ = true;
    bool committed_known_ = false;              // committed_ is meaningful
    bool copied_ = false;                       // unloaded because copied from a loaded member
    bool expired_ = false;                      // loaded, but the next load reloads it
};

/// A read-only view of a list of T held as untyped pointers (a many<T>'s elements); iterates
/// as T*.
template <class T>
class item_view {
public:
    class iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = T*;
        using difference_type = std::ptrdiff_t;
        using pointer = T* const*;
        using reference = T*;

        iterator() = default;
        explicit iterator(void* const* at) : at_(at) {}
        T* operator*() const { return static_cast<T*>(*at_); }
        iterator& operator++() { ++at_; return *this; }
        iterator operator++(int) { auto copy = *this; ++at_; return copy; }
        friend bool operator==(iterator a, iterator b) = default;

    private:
        void* const* at_ = nullptr;
    };

    explicit item_view(const std::vector<void*>& items) : items_(&items) {}
    iterator begin() const { return iterator(items_->data()); }
    iterator end() const { return iterator(items_->data() + items_->size()); }
    std::size_t size() const { return items_->size(); }
    bool empty() const { return items_->empty(); }
    T* operator[](std::size_t i) const { return static_cast<T*>((*items_)[i]); }
    friend bool operator==(item_view a, item_view b) { return *a.items_ == *b.items_; }

private:
    const std::vector<void*>* items_;
};

}  // namespace orm_detail

/// A collection of T (one-to-many, or many-to-many through a secondary table).
///
/// Iterates as T&. Add a handle the session gave out, or a new T by value (owned until the
/// session adopts it); removing an element sets its foreign key to NULL at flush, or deletes it
/// with cascade delete_orphan. Reading throws not_loaded_error while unloaded.
template <class T>
class many : public orm_detail::many_base {
public:
    using reflorm_non_column_tag = void;
    using target_type = T;
    static constexpr bool is_collection = true;

    class iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using iterator_concept = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = T*;
        using reference = T&;

        iterator() = default;
        explicit iterator(void* const* at) : at_(at) {}
        T& operator*() const { return *static_cast<T*>(*at_); }
        T* operator->() const { return static_cast<T*>(*at_); }
        T& operator[](difference_type n) const { return *static_cast<T*>(at_[n]); }
        iterator& operator++() { ++at_; return *this; }
        iterator operator++(int) { auto copy = *this; ++at_; return copy; }
        iterator& operator--() { --at_; return *this; }
        iterator operator--(int) { auto copy = *this; --at_; return copy; }
        iterator& operator+=(difference_type n) { at_ += n; return *this; }
        iterator& operator-=(difference_type n) { at_ -= n; return *this; }
        friend iterator operator+(iterator i, difference_type n) { return i += n; }
        friend iterator operator+(difference_type n, iterator i) { return i += n; }
        friend iterator operator-(iterator i, difference_type n) { return i -= n; }
        friend difference_type operator-(iterator a, iterator b) { return a.at_ - b.at_; }
        friend auto operator<=>(iterator a, iterator b) = default;
        friend bool operator==(iterator a, iterator b) = default;

    private:
        void* const* at_ = nullptr;
    };

    many() = default;
    many(const many& other) : many_base(other, &copy_element) {}
    many(many&& other) noexcept = default;
    many& operator=(const many& other) {
        copy_assign(other, &copy_element);
        return *this;
    }
    many& operator=(many&& other) noexcept = default;
    ~many() = default;
    /// New, transient objects, owned here until a session adopts them.
    many(std::initializer_list<T> values) {
        for (const T& value : values) push_back(T(value));
    }
    many(std::vector<T>&& values) {
        for (T& value : values) push_back(std::move(value));
    }

    iterator begin() const { return iterator(checked().data()); }
    iterator end() const {
        const auto& items = checked();
        return iterator(items.data() + items.size());
    }
    std::size_t size() const { return checked().size(); }
    bool empty() const { return checked().empty(); }
    T& operator[](std::size_t i) const { return *static_cast<T*>(checked()[i]); }
    T& front() const { return *static_cast<T*>(checked().front()); }
    T& back() const { return *static_cast<T*>(checked().back()); }

    /// Appends a new, transient T (owned here until a session adopts it); returns it.
    T& push_back(T&& value) {
        require_loaded();  // before taking the value
        return *static_cast<T*>(push_owned(std::make_shared<T>(std::move(value))));
    }
    /// Appends an object a session owns (a handle from add/get/scalars).
    void push_back(const std::shared_ptr<T>& object) { push_back(*object); }
    void push_back(T& object) { push(&object); }
    /// Removes `object` (compared by identity); returns whether it was there.
    bool remove(const T& object) { return many_base::remove(&object); }
    bool remove(const std::shared_ptr<T>& object) { return remove(*object); }
    bool contains(const T& object) const { return many_base::contains(&object); }
    void clear() { many_base::clear(); }

private:
    static std::shared_ptr<void> copy_element(const void* object) { return std::make_shared<T>(*static_cast<const T*>(object)); }
};

namespace orm_detail {

/// The session's view of relationship members' internals.
struct relationship_access {
    template <class T>
    static T* target(const one<T>& r) { return static_cast<T*>(r.target_); }
    /// The elements of a collection: a view of them for a const one, a copy for another (a
    /// caller acting on each may change the collection). The session's flush steps use the
    /// untyped lists (item_list, committed_list, removed_list).
    template <class T>
    static item_view<T> items(const many<T>& r) { return item_view<T>(r.items_); }
    template <class T>
    static std::vector<T*> items(many<T>& r) {
        std::vector<T*> copy;
        copy.reserve(r.items_.size());
        for (void* item : r.items_) copy.push_back(static_cast<T*>(item));
        return copy;
    }
    static std::vector<void*>& item_list(many_base& r) { return r.items_; }
    static const std::vector<void*>& committed_list(const many_base& r) { return r.committed_; }
    static const std::vector<void*>& removed_list(const many_base& r) { return r.removed_; }

    template <class R>
    static bool loaded(const R& r) { return r.loaded_; }
    /// Whether a loader should (re)load `r`: not loaded, or expired (commit, expire(),
    /// populate_existing) and not changed since.
    template <class R>
    static bool needs_load(const R& r) { return !r.loaded_ || r.expired_; }
    template <class R>
    static void expire(R& r) {
        if (r.loaded_) r.expired_ = true;
    }
    static bool assigned_while_unloaded(const one_base& r) { return r.assigned_; }
    /// Marks `r` unloaded (an object fresh from a row); `name` is used in the error message.
    template <class R>
    static void set_unloaded(R& r, const relationship_name* name) {
        r = R{};
        r.loaded_ = false;
        r.name_ = name;
    }
    template <class T>
    static void set_loaded(one<T>& r, T* target, const relationship_name* name) { set_target_loaded(r, target, name); }
    static void set_target_loaded(one_base& r, void* target, const relationship_name* name) {
        r.unwatch();
        r.target_ = target;
        r.owned_.reset();
        r.loaded_ = true;
        r.copied_ = false;
        r.expired_ = false;
        r.assigned_ = false;
        r.name_ = name;
        r.committed_ = target;
        r.committed_known_ = true;
    }
    template <class T>
    static void set_loaded(many<T>& r, const std::vector<T*>& items, const relationship_name* name) {
        set_items_loaded(r, std::vector<void*>(items.begin(), items.end()), name);
    }
    /// set_loaded of a collection whose elements (each a T of the many<T>) the loaders collected
    /// untyped. Compiled once (orm/relationships.cpp).
    static void set_items_loaded(many_base& r, std::vector<void*> items, const relationship_name* name);
    /// Adds a target read from the database to a loaded collection (joinedload, row by row).
    template <class T>
    static void append_loaded(many<T>& r, T* target) {
        for (void* item : r.items_)
            if (item == target) return;
        r.items_.push_back(target);
        r.committed_.push_back(target);
    }
    /// After a flush: what is there now is what the database holds.
    static void mark_committed(one_base& r) {
        r.committed_ = r.target_;
        r.committed_known_ = r.loaded_;
        r.assigned_ = false;
    }
    static void mark_committed(many_base& r) {
        r.committed_ = r.items_;
        r.committed_known_ = r.loaded_;
        r.removed_.clear();
    }
    template <class T>
    static item_view<T> removed(const many<T>& r) { return item_view<T>(r.removed_); }
    static std::vector<void*> take_removed(many_base& r) { return std::exchange(r.removed_, {}); }
    static void restore_removed(many_base& r, std::vector<void*> removed) { r.removed_ = std::move(removed); }
    /// Every transient object `r` owns, whether still in it or not.
    static std::vector<std::shared_ptr<void>> all_owned(const one_base& r) {
        return r.owned_ ? std::vector<std::shared_ptr<void>>{r.owned_} : std::vector<std::shared_ptr<void>>{};
    }
    static std::vector<std::shared_ptr<void>> all_owned(const many_base& r) { return r.owned_; }
    /// Adds a target to a loaded collection as both current and committed (a back reference
    /// kept in step at flush).
    static void append_committed(many_base& r, void* target) {
        if (!r.loaded_) return;
        if (std::find(r.items_.begin(), r.items_.end(), target) == r.items_.end()) r.items_.push_back(target);
        if (std::find(r.committed_.begin(), r.committed_.end(), target) == r.committed_.end()) r.committed_.push_back(target);
    }
    static void erase_committed(many_base& r, void* target) {
        if (!r.loaded_) return;
        r.items_.erase(std::remove(r.items_.begin(), r.items_.end(), target), r.items_.end());
        r.committed_.erase(std::remove(r.committed_.begin(), r.committed_.end(), target), r.committed_.end());
    }
    static bool committed_known(const one_base& r) { return r.committed_known_; }
    static bool committed_known(const many_base& r) { return r.committed_known_; }
    template <class T>
    static T* committed(const one<T>& r) { return static_cast<T*>(r.committed_); }
    template <class T>
    static item_view<T> committed(const many<T>& r) { return item_view<T>(r.committed_); }

    /// Undoes mark_committed (a rolled-back flush).
    static void restore_committed(one_base& r, void* committed, bool known) {
        r.committed_ = committed;
        r.committed_known_ = known;
    }
    static void restore_committed(many_base& r, std::vector<void*> committed, bool known) {
        r.committed_ = std::move(committed);
        r.committed_known_ = known;
    }
    /// Puts back what was last committed (rollback() discards unflushed changes). New objects
    /// given by value are discarded with the changes: returned, for the caller to keep alive
    /// (a reference to one must not dangle) without writing them.
    static std::vector<std::shared_ptr<void>> discard_changes(one_base& r) {
        if (!r.loaded_ || !r.committed_known_) return {};
        if (r.target_ != r.committed_) r.unwatch();
        r.target_ = r.committed_;
        if (!r.owned_) return {};
        return {std::exchange(r.owned_, nullptr)};
    }
    static std::vector<std::shared_ptr<void>> discard_changes(many_base& r) {
        if (!r.loaded_ || !r.committed_known_) return {};
        r.items_ = r.committed_;
        r.removed_.clear();
        return std::exchange(r.owned_, {});
    }
    static void set_target(one_base& r, void* target) {
        if (!r.loaded_) return;
        if (r.target_ != target) r.unwatch();
        r.target_ = target;
    }

    /// The transient object owned by `r` at `object`, if any (the session adopts it).
    template <class T>
    static std::shared_ptr<T> owned(one<T>& r, T* object) {
        return r.owned_.get() == object ? std::static_pointer_cast<T>(r.owned_) : nullptr;
    }
    template <class T>
    static std::shared_ptr<T> owned(many<T>& r, T* object) {
        for (auto& o : r.owned_)
            if (o.get() == object) return std::static_pointer_cast<T>(o);
        return nullptr;
    }
};

}  // namespace orm_detail

}  // namespace reflorm
