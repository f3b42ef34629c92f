#pragma once
// select<T>() with execution_options yield_per: objects read and loaded a batch at a time, each
// batch's objects stored in a block of their own (session.hpp, batch_block) that leaves the
// session when the caller moves on and is freed with the last handle to its objects. Included
// by orm/session.hpp.
#include <reflorm/orm/loading/apply.hpp>

namespace reflorm {
namespace orm_detail {

/// A yield_per query's loader options, run over each batch: a copy of the options and the
/// function that appends their steps (and the default loaders') over a batch's objects (a
/// std::vector<R*>). Type-erased so that the batch callback is compiled per model (and, with
/// many-to-one joinedloads, per row type), not per query shape (issue 13).
class yield_loaders {
public:
    using append_fn = void (*)(load_steps&, const void* owners, const void* options);
    yield_loaders(const void* options, append_fn append, void (*drop)(const void*) noexcept) noexcept
        : options_(options), append_(append), drop_(drop) {}
    yield_loaders(yield_loaders&& o) noexcept
        : options_(std::exchange(o.options_, nullptr)), append_(o.append_), drop_(std::exchange(o.drop_, nullptr)) {}
    yield_loaders& operator=(yield_loaders&&) = delete;
    ~yield_loaders() {
        if (drop_) drop_(options_);
    }
    void append(load_steps& steps, const void* owners) const { append_(steps, owners, options_); }

private:
    const void* options_;
    append_fn append_;
    void (*drop_)(const void*) noexcept;
};

template <class R, class... Options>
void append_yield_steps(load_steps& steps, const void* owners, const void* options) {
    const auto& objects = *static_cast<const std::vector<R*>*>(owners);
    if constexpr (sizeof...(Options) == 0) {
        (void)options;
        append_query_steps(steps, objects, no_parent_query{});
    } else {
        std::apply([&](const auto&... option) { append_query_steps(steps, objects, no_parent_query{}, option...); },
                   *static_cast<const std::tuple<Options...>*>(options));
    }
}
template <class Tuple>
void drop_yield_options(const void* options) noexcept {
    delete static_cast<const Tuple*>(options);
}
/// The loaders of a yield_per query of R with these options.
template <class R, class... Options>
yield_loaders yield_loaders_of(const Options&... options) {
    if constexpr (sizeof...(Options) == 0) {
        return yield_loaders(nullptr, &append_yield_steps<R>, nullptr);
    } else {
        return yield_loaders(new std::tuple<Options...>(options...), &append_yield_steps<R, Options...>,
                             &drop_yield_options<std::tuple<Options...>>);
    }
}

/// A yield_per query between batches, whatever its rows: the session (while it lives), the
/// batch size, the batch the caller reads and the loader options. Compiled once
/// (orm/session.cpp), not per query.
struct yield_batches {
    std::weak_ptr<session* const> alive;  // the session, while it lives
    std::size_t per_batch;
    std::shared_ptr<batch_block> batch;
    yield_loaders loaders;
    bool populate = false;   // execution option populate_existing
    bool read_only = false;  // execution option read_only
    yield_batches(std::weak_ptr<session* const> alive, std::size_t n, yield_loaders loaders, const execution_options& given)
        : alive(std::move(alive)), per_batch(n), loaders(std::move(loaders)), populate(given.populate_existing.value_or(false)),
          read_only(given.read_only.value_or(false)) {}
    yield_batches(const yield_batches&) = delete;
    yield_batches& operator=(const yield_batches&) = delete;
    virtual ~yield_batches() { release(); }  // virtual: owned as a yield_batches (yield_objects, yield_joined)
    /// The caller moved past the batch (or closed the result): it leaves the session.
    void release() noexcept;
    /// Releases the batch before and begins the next one in the session, which it returns.
    /// Throws invalid_request_error when the session is gone.
    session& begin_batch();
    /// The reading of one batch: begins it, and sets the session's populate_existing and
    /// read_only state for the batch's objects while it lives.
    class pass {
    public:
        explicit pass(yield_batches& y);
        session& s;

    private:
        query_scope scope_;
    };
    /// Runs the loader options over a batch's objects (`owners`, a std::vector<R*>).
    void load(session& s, const void* owners);
};

/// A yield_per query read from the cursor (no many-to-one joinedload) between batches: the
/// rows still to read, and the batches. Not a template: the model's part of a batch is its row
/// reader (object_rows, shared with load_model) and read_yield_batch, the rest is compiled
/// once (orm/session.cpp).
struct yield_cursor final : yield_batches {
    result<driver::cursor*> rows;
    bool (*batch)(void* self, const void* out);  // read_yield_batch<R>: the model's part of a batch
    yield_cursor(std::weak_ptr<session* const> alive, result<driver::cursor*>&& rows, std::size_t n, yield_loaders&& loaders,
                 const execution_options& given, bool (*batch)(void*, const void*));
    ~yield_cursor() override;  // releases the batch before the rows are closed, as ever
    /// The callback of a result of R objects (result(rows, more)) that reads them from
    /// `rows`, n at a time; `batch` is read_yield_batch<R>.
    static detail::row_predicate start(std::weak_ptr<session* const> alive, result<driver::cursor*>&& rows, std::size_t n,
                                       yield_loaders&& loaders, const execution_options& given, bool (*batch)(void*, const void*));
    /// Reads up to per_batch rows through `reader` (in a pass), then runs the loaders over
    /// `owners` (the std::vector<R*> it fills). False, the batch released, when none was left.
    bool read_batch(session& s, query_rows& reader, const void* owners);
};

/// One batch of a yield_per query of R objects read from the cursor: the model's part.
template <class R>
bool read_yield_batch(void* state, const void* out) {
    auto& y = *static_cast<yield_cursor*>(state);
    auto& objects = *static_cast<std::vector<std::shared_ptr<R>>*>(const_cast<void*>(out));
    const yield_batches::pass pass{y};
    std::vector<R*> owners;  // for the loaders only
    if constexpr (relationship_fields_v<R>.size() > 0) owners.reserve(y.per_batch);
    objects.reserve(y.per_batch);
    object_rows<R> reader(pass.s, session_access::registry_of<R>(pass.s), objects, owners);
    return y.read_batch(pass.s, reader, &owners);
}

/// A yield_per query with many-to-one joinedloads between batches: the rows still to read, and
/// the batches.
template <class Row>
struct yield_state : yield_batches {
    result<Row> rows;
    yield_state(std::weak_ptr<session* const> alive, result<Row> rows, std::size_t n, yield_loaders loaders,
                const execution_options& given)
        : yield_batches(std::move(alive), n, std::move(loaders), given), rows(std::move(rows)) {}
    ~yield_state() { release(); }  // before the rows are closed, as ever
};

}  // namespace orm_detail

template <class R>
result<std::shared_ptr<R>> session::yield_objects(result<driver::cursor*>&& rows, std::size_t n, const execution_options& given,
                                                  orm_detail::yield_loaders&& loaders) {
    return result<std::shared_ptr<R>>({}, orm_detail::yield_cursor::start(self_, std::move(rows), n, std::move(loaders), given,
                                                                          &orm_detail::read_yield_batch<R>));
}

template <class R, class Joined, class Row>
result<std::shared_ptr<R>> session::yield_joined(result<Row> rows, std::size_t n, const execution_options& given,
                                                 orm_detail::yield_loaders loaders) {
    // Owned by the result's callback (moved, never copied) as its base class: no std::shared_ptr
    // or std::unique_ptr of a per-query type is instantiated (issue 13).
    std::unique_ptr<orm_detail::yield_batches> owned(
        new orm_detail::yield_state<Row>(self_, std::move(rows), n, std::move(loaders), given));
    return result<std::shared_ptr<R>>({}, [owned = std::move(owned)](std::vector<std::shared_ptr<R>>& out) {
        auto* state = static_cast<orm_detail::yield_state<Row>*>(owned.get());
        const orm_detail::yield_batches::pass pass{*state};
        session& s = pass.s;
        auto& r = s.registry<R>();
        std::vector<R*> owners;
        owners.reserve(state->per_batch);
        out.reserve(state->per_batch);
        while (owners.size() < state->per_batch) {
            std::optional<Row> row = state->rows.fetchone();
            if (!row) break;
            owners.push_back(r.materialize(std::move(std::get<0>(*row)), s));  // many-to-one joinedloads' columns follow
            orm_detail::assign_joined_row<1>(s, *row, owners.back(), std::type_identity<Joined>{});
            out.push_back(s.handle(owners.back()));
        }
        if (out.empty()) {
            state->release();
            return false;
        }
        state->load(s, &owners);
        return true;  // even after a short batch: it is released at the next call
    });
}

}  // namespace reflorm
