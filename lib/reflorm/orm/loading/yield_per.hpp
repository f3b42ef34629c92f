#pragma once
// select<T>() with execution_options yield_per: objects read and loaded a batch at a time, each
// batch's objects stored in a block of their own (session.hpp, batch_block) that leaves the
// session when the caller moves on and is freed with the last handle to its objects. Included
// by orm/session.hpp.
#include <reflorm/orm/loading/apply.hpp>

namespace reflorm {
namespace orm_detail {

/// A yield_per query between batches, whatever its rows: the session (while it lives), the
/// batch size, and the batch the caller reads. Compiled once (orm/session.cpp), not per query.
struct yield_batches {
    std::weak_ptr<session* const> alive;  // the session, while it lives
    std::size_t per_batch;
    std::shared_ptr<batch_block> batch;
    yield_batches(std::weak_ptr<session* const> alive, std::size_t n) : alive(std::move(alive)), per_batch(n) {}
    yield_batches(const yield_batches&) = delete;
    yield_batches& operator=(const yield_batches&) = delete;
    virtual ~yield_batches() { release(); }  // virtual: owned as a yield_batches (yield_objects)
    /// The caller moved past the batch (or closed the result): it leaves the session.
    void release() noexcept;
    /// Releases the batch before and begins the next one in the session, which it returns.
    /// Throws invalid_request_error when the session is gone.
    session& begin_batch();
};

/// A yield_per query between batches: the rows still to read, and the batches.
template <class Row>
struct yield_state : yield_batches {
    result<Row> rows;
    yield_state(std::weak_ptr<session* const> alive, result<Row> rows, std::size_t n)
        : yield_batches(std::move(alive), n), rows(std::move(rows)) {}
    ~yield_state() { release(); }  // before the rows are closed, as ever
};

}  // namespace orm_detail

template <class R, class Row, class... Options>
result<std::shared_ptr<R>> session::yield_objects(result<Row> rows, std::size_t n, const execution_options& given,
                                                  const Options&... options) {
    // Owned by the result's callback (moved, never copied) as its base class: no std::shared_ptr
    // or std::unique_ptr of a per-query type is instantiated (issue 13).
    std::unique_ptr<orm_detail::yield_batches> owned(new orm_detail::yield_state<Row>(self_, std::move(rows), n));
    const bool populate = given.populate_existing.value_or(false), read_only = given.read_only.value_or(false);
    return result<std::shared_ptr<R>>({}, [owned = std::move(owned), options = std::make_tuple(options...), populate,
                                           read_only](std::vector<std::shared_ptr<R>>& out) {
        auto* state = static_cast<orm_detail::yield_state<Row>*>(owned.get());
        session& s = state->begin_batch();
        boost::unordered_flat_set<const void*> populated;
        const populating_scope scope{s, populate ? &populated : nullptr};
        const read_only_scope read_only_objects{s, read_only};
        auto& r = s.registry<R>();
        std::vector<R*> owners;
        owners.reserve(state->per_batch);
        out.reserve(state->per_batch);
        while (owners.size() < state->per_batch) {
            if constexpr (std::is_same_v<Row, driver::cursor*>) {
                driver::cursor* at = state->rows.fetchone();  // on the row, until the next fetch
                if (!at) break;
                owners.push_back(r.materialize(rows::read_model<R>(*at), s));
            } else {
                std::optional<Row> row = state->rows.fetchone();
                if (!row) break;
                owners.push_back(r.materialize(std::move(std::get<0>(*row)), s));  // many-to-one joinedloads' columns follow
                orm_detail::assign_joined_row<1>(s, *row, owners.back(), std::type_identity<std::tuple<Options...>>{});
            }
            out.push_back(s.handle(owners.back()));
        }
        if (out.empty()) {
            state->release();
            return false;
        }
        orm_detail::load_steps steps;
        std::apply([&](const auto&... option) { orm_detail::append_query_steps(steps, owners, orm_detail::no_parent_query{}, option...); },
                   options);
        orm_detail::executor{s}.load(std::move(steps));
        return true;  // even after a short batch: it is released at the next call
    });
}

}  // namespace reflorm
