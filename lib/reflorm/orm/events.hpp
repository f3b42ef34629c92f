#pragma once
// The session's events: before_flush / after_flush, and per model the mapper events around each
// row's INSERT, UPDATE and DELETE. Registered on one session, or on a sessionmaker for every
// session it makes (as SQLAlchemy's event.listen(Session, ...) on a sessionmaker class).
#include <reflorm/orm/detail/type_id.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace reflorm {

class session;

/// The per-row events of a flush, as SQLAlchemy's mapper events.
enum class mapper_event : std::uint8_t { before_insert, after_insert, before_update, after_update, before_delete, after_delete };
inline constexpr std::size_t mapper_event_count = 6;

using session_listener = std::function<void(session&)>;
template <class T>
using object_listener = std::function<void(session&, T&)>;

namespace orm_detail {

/// Listeners, in the order they were registered.
struct session_events {
    std::vector<session_listener> before_flush, after_flush;
    std::unordered_map<std::size_t, std::array<std::vector<std::function<void(session&, void*)>>, mapper_event_count>> per_model;

    template <class T>
    void add(mapper_event event, object_listener<T> f) {
        per_model[type_id<T>()][static_cast<std::size_t>(event)].push_back(
            [f = std::move(f)](session& s, void* object) { f(s, *static_cast<T*>(object)); });
    }
    template <class T>
    void fire(session& s, mapper_event event, T& object) const {
        if (!per_model.empty()) fire(s, event, type_id<T>(), &object);
    }
    /// The listeners of `event` for the model numbered `type`. Compiled once (orm/session.cpp):
    /// inlined at every call site of every model, its map lookup was a part of the compile time.
    void fire(session& s, mapper_event event, std::size_t type, void* object) const;
};

/// The registration methods, shared by session and sessionmaker: Owner gives its
/// session_events through events_to_register().
template <class Owner>
class event_registrar {
public:
    /// Called at the start of every flush; objects may still be changed, added or deleted.
    /// Queries run from it do not autoflush; calling flush() from it throws invalid_request_error.
    void before_flush(session_listener f) { events().before_flush.push_back(std::move(f)); }
    /// Called after every flush has written its statements, before commit.
    void after_flush(session_listener f) { events().after_flush.push_back(std::move(f)); }
    /// Per-model events around each row's INSERT, UPDATE and DELETE, as SQLAlchemy's mapper
    /// events: f(session, object). before_insert/before_update may still change the object's
    /// columns; before_update runs only for objects with changed columns.
    template <class T>
    void before_insert(object_listener<T> f) { events().template add<T>(mapper_event::before_insert, std::move(f)); }
    template <class T>
    void after_insert(object_listener<T> f) { events().template add<T>(mapper_event::after_insert, std::move(f)); }
    template <class T>
    void before_update(object_listener<T> f) { events().template add<T>(mapper_event::before_update, std::move(f)); }
    template <class T>
    void after_update(object_listener<T> f) { events().template add<T>(mapper_event::after_update, std::move(f)); }
    template <class T>
    void before_delete(object_listener<T> f) { events().template add<T>(mapper_event::before_delete, std::move(f)); }
    template <class T>
    void after_delete(object_listener<T> f) { events().template add<T>(mapper_event::after_delete, std::move(f)); }

private:
    session_events& events() { return static_cast<Owner&>(*this).events_to_register(); }
};

}  // namespace orm_detail
}  // namespace reflorm
