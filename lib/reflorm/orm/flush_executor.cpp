#include <reflorm/orm/detail/flush_executor.hpp>

#include <algorithm>
#include <span>

namespace reflorm::orm_detail {

namespace {

/// Where row i of consecutive batches falls: (batch, row within it). `ends` holds each batch's
/// end in the joined numbering.
std::pair<std::size_t, std::size_t> locate(const std::vector<std::size_t>& ends, std::size_t i) {
    const auto part = static_cast<std::size_t>(std::upper_bound(ends.begin(), ends.end(), i) - ends.begin());
    return {part, part == 0 ? i : i - ends[part - 1]};
}

template <class Batch>
std::vector<std::size_t> ends_of(std::span<flush_batch> parts) {
    std::vector<std::size_t> ends;
    std::size_t total = 0;
    for (auto& part : parts) ends.push_back(total += std::get<Batch>(part).rows);
    return ends;
}

}  // namespace

void flush_executor::run(flush_batches& batches) {
    // Consecutive batches of one statement (association rows, say) go as one executemany, as
    // SQLAlchemy's unit of work batches them.
    connection& c = connection_;
    for (std::size_t i = 0; i < batches.size();) {
        std::size_t j = i + 1;
        if (auto* first = std::get_if<statement_batch>(&batches[i])) {
            const std::string& sql = first->sql(c.dialect());
            while (j < batches.size() && std::holds_alternative<statement_batch>(batches[j]) &&
                   std::get<statement_batch>(batches[j]).sql(c.dialect()) == sql)
                ++j;
            const std::span<flush_batch> parts{batches.data() + i, j - i};
            const auto ends = ends_of<statement_batch>(parts);
            const auto part = [&](std::size_t row) {
                auto [k, local] = locate(ends, row);
                return std::pair<statement_batch&, std::size_t>{std::get<statement_batch>(parts[k]), local};
            };
            c.execute_many(
                sql, ends.back(),
                [&](driver::cursor& cursor, std::size_t row) {
                    auto [b, local] = part(row);
                    b.bind(cursor, local);
                },
                [&](std::size_t row) {
                    auto [b, local] = part(row);
                    b.on_row(local, c.changes());
                },
                [&](std::size_t row) {
                    auto [b, local] = part(row);
                    return b.describe(local);
                });
        } else {
            const auto& head = std::get<insert_batch>(batches[i]);
            while (j < batches.size() && std::holds_alternative<insert_batch>(batches[j]) &&
                   std::get<insert_batch>(batches[j]).send == head.send)
                ++j;
            if (j == i + 1) {
                if (head.rows != 0) head.send(c, head);
            } else {
                const std::span<flush_batch> parts{batches.data() + i, j - i};
                const auto ends = ends_of<insert_batch>(parts);
                const auto part = [&](std::size_t row) {
                    auto [k, local] = locate(ends, row);
                    return std::pair<insert_batch&, std::size_t>{std::get<insert_batch>(parts[k]), local};
                };
                const insert_batch joined{
                    .rows = ends.back(),
                    .object = [&](std::size_t row) { auto [b, local] = part(row); return b.object(local); },
                    .before = [&](std::size_t row) { auto [b, local] = part(row); b.before(local); },
                    .on_row = [&](std::size_t row, const rows::insert_shape& shape) { auto [b, local] = part(row); b.on_row(local, shape); },
                    .needs_earlier_key = [&](std::size_t row) { auto [b, local] = part(row); return b.needs_earlier_key(local); },
                    .owned = nullptr,
                    .send = head.send,
                };
                head.send(c, joined);
            }
        }
        i = j;
    }
    batches.clear();
}

void flush_executor::load(std::vector<load_request>& requests) {
    const auto taken = std::move(requests);  // cleared even if a load fails
    requests.clear();
    for (const auto& r : taken) r.load(session_, r.object);
}

}  // namespace reflorm::orm_detail
