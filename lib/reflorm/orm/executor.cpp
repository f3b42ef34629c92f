#include <reflorm/orm/detail/executor.hpp>
#include <reflorm/orm/session.hpp>

#include <algorithm>
#include <iterator>
#include <span>

namespace reflorm::orm_detail {

namespace {

/// Consecutive batches sent as one: row i of the joined numbering is row `local` of part `k`.
/// `ends` holds each part's end in the joined numbering.
template <class Batch>
class joined {
public:
    explicit joined(std::span<flush_batch> parts) : parts_(parts) {
        std::size_t total = 0;
        for (auto& part : parts_) ends_.push_back(total += std::get<Batch>(part).rows);
    }
    std::size_t rows() const { return ends_.empty() ? 0 : ends_.back(); }
    std::pair<Batch&, std::size_t> at(std::size_t i) const {
        const auto k = static_cast<std::size_t>(std::upper_bound(ends_.begin(), ends_.end(), i) - ends_.begin());
        return {std::get<Batch>(parts_[k]), k == 0 ? i : i - ends_[k - 1]};
    }

private:
    std::span<flush_batch> parts_;
    std::vector<std::size_t> ends_;
};

/// Joined insert batches, as one plan.
class joined_inserts final : public insert_rows_plan {
public:
    explicit joined_inserts(const joined<insert_batch>& parts) : parts_(parts) {}
    void* object(std::size_t i) const override {
        auto [b, local] = parts_.at(i);
        return b.plan->object(local);
    }
    void before(std::size_t i) override {
        auto [b, local] = parts_.at(i);
        b.plan->before(local);
    }
    void on_row(std::size_t i, const rows::insert_shape& shape) override {
        auto [b, local] = parts_.at(i);
        b.plan->on_row(local, shape);
    }
    bool needs_earlier_key(std::size_t i) const override {
        auto [b, local] = parts_.at(i);
        return b.plan->needs_earlier_key(local);
    }

private:
    const joined<insert_batch>& parts_;
};

}  // namespace

void executor::run(flush_batches& batches) {
    // Consecutive batches of one statement (association rows, say) go as one executemany, as
    // SQLAlchemy's unit of work batches them.
    connection& c = connect();
    for (std::size_t i = 0; i < batches.size();) {
        std::size_t j = i + 1;
        if (auto* first = std::get_if<statement_batch>(&batches[i])) {
            const std::string& sql = first->plan->sql(c.dialect());
            while (j < batches.size() && std::holds_alternative<statement_batch>(batches[j]) &&
                   std::get<statement_batch>(batches[j]).plan->sql(c.dialect()) == sql)
                ++j;
            const joined<statement_batch> parts{{batches.data() + i, j - i}};
            c.execute_many(
                sql, parts.rows(),
                [&](driver::cursor& cursor, std::size_t row) {
                    auto [b, local] = parts.at(row);
                    b.plan->bind(cursor, local);
                },
                [&](std::size_t row) {
                    auto [b, local] = parts.at(row);
                    b.plan->on_row(local, c.changes());
                },
                [&](std::size_t row) {
                    auto [b, local] = parts.at(row);
                    return b.plan->describe(local);
                });
        } else {
            auto& head = std::get<insert_batch>(batches[i]);
            while (j < batches.size() && std::holds_alternative<insert_batch>(batches[j]) &&
                   std::get<insert_batch>(batches[j]).send == head.send)
                ++j;
            if (j == i + 1) {
                if (head.rows != 0) head.send(c, head.rows, *head.plan);
            } else {
                const joined<insert_batch> parts{{batches.data() + i, j - i}};
                joined_inserts plan{parts};
                head.send(c, parts.rows(), plan);
            }
        }
        i = j;
    }
    batches.clear();
}

void executor::load(std::vector<load_request>& requests) {
    const auto taken = std::move(requests);  // cleared even if a load fails
    requests.clear();
    for (const auto& r : taken) r.load(session_, r.object);
}

connection& executor::connect() {
    if (!connection_) connection_ = &session_.connect();
    return *connection_;
}

void executor::query(query_rows& query) {
    connection& c = connect();
    c.query(
        query.sql(c.dialect()), [&](driver::cursor& cursor) { query.bind(cursor); },
        [&](driver::cursor& cursor) { query.on_row(cursor); }, [&] { return query.describe(); });
}

void executor::load(load_steps steps) {
    load_steps pending(std::make_move_iterator(steps.rbegin()), std::make_move_iterator(steps.rend()));  // a stack
    load_steps done;  // kept to the end: a subqueryload's statement points into its parent's step
    query_list queries;
    load_steps next;
    while (!pending.empty()) {
        std::unique_ptr<load_step> step = std::move(pending.back());
        pending.pop_back();
        step->plan(session_, queries);
        for (auto& q : queries) query(*q);
        queries.clear();
        step->finish(session_, next);
        pending.insert(pending.end(), std::make_move_iterator(next.rbegin()), std::make_move_iterator(next.rend()));
        next.clear();
        done.push_back(std::move(step));
    }
}

}  // namespace reflorm::orm_detail
