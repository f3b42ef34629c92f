#pragma once
// A session factory, as SQLAlchemy's sessionmaker: an engine, session options and events
// registered once for every session it makes.
#include <reflorm/orm/session.hpp>

#include <memory>
#include <utility>

namespace reflorm {

/// Makes sessions on one engine with one set of options, as SQLAlchemy's
/// `Session = sessionmaker(engine, autoflush=False)`; `auto session = factory();`. Events
/// registered on it (before_flush, after_flush, before_insert<T>, ..., see orm/events.hpp) run
/// in every session it made or will make, before the session's own listeners, as
/// `event.listen(Session, "before_flush", f)` does for a sessionmaker's class. Copies share the
/// events. Making sessions from several threads is safe; register listeners before that (the
/// registration itself is not synchronised).
class sessionmaker : public orm_detail::event_registrar<sessionmaker> {
public:
    explicit sessionmaker(engine e, session_options options = {})
        : engine_(std::move(e)), options_(options), events_(std::make_shared<orm_detail::session_events>()) {}

    /// A new session with this factory's engine, options and events.
    session operator()() const { return session(engine_, options_, events_); }
    /// A new session with other options (SQLAlchemy's `Session(autoflush=False)` on a factory).
    session operator()(session_options options) const { return session(engine_, options, events_); }

    const session_options& options() const noexcept { return options_; }
    const reflorm::engine& bind() const noexcept { return engine_; }

private:
    friend class orm_detail::event_registrar<sessionmaker>;
    orm_detail::session_events& events_to_register() { return *events_; }

    reflorm::engine engine_;
    session_options options_;
    std::shared_ptr<orm_detail::session_events> events_;
};

}  // namespace reflorm
