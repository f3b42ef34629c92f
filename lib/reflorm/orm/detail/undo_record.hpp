#pragma once
// The session's undo steps (session::push_undo): what a rollback runs to put the session's view
// of the database back.
#include <utility>

namespace reflorm::orm_detail {

/// A step that puts the session's view of the database back when its transaction or savepoint
/// rolls back: a callable, run at most once. Not a std::function: it is never copied, so the
/// captured values' copy constructors and std::function's manager are not compiled for each
/// of the many steps (issue 13).
class undo_record {
public:
    template <class F>
    explicit undo_record(F f) : closure_(new F(std::move(f))), call_(&call<F>) {}
    undo_record(undo_record&& o) noexcept : closure_(std::exchange(o.closure_, nullptr)), call_(o.call_) {}
    undo_record& operator=(undo_record&& o) noexcept {
        if (this != &o) {
            drop();
            closure_ = std::exchange(o.closure_, nullptr);
            call_ = o.call_;
        }
        return *this;
    }
    undo_record(const undo_record&) = delete;
    undo_record& operator=(const undo_record&) = delete;
    ~undo_record() { drop(); }
    /// Runs the step, once (its closure is freed, also when it throws).
    void operator()() {
        if (closure_) call_(std::exchange(closure_, nullptr), true);
    }

private:
    /// Runs (when `run`) and frees the closure, also when it throws. A plain delete, not a
    /// std::unique_ptr<F>, whose dozen members would be instantiated for every step.
    template <class F>
    static void call(void* closure, bool run) {
        struct owner {
            F* f;
            ~owner() { delete f; }
        } const owned{static_cast<F*>(closure)};
        if (run) (*owned.f)();
    }
    void drop() noexcept {
        if (closure_) call_(std::exchange(closure_, nullptr), false);
    }
    void* closure_ = nullptr;
    void (*call_)(void*, bool) = nullptr;
};

}  // namespace reflorm::orm_detail
