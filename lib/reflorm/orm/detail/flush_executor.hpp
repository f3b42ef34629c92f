#pragma once
// The sync executor of a flush plan: sends each batch on the session's connection, in order,
// and hands each row's result to the plan. An async front end would be a second executor over
// the same plan (flush_plan.hpp).
#include <reflorm/orm/detail/flush_plan.hpp>

namespace reflorm::orm_detail {

class flush_executor {
public:
    flush_executor(session& s, connection& c) : session_(s), connection_(c) {}

    /// Sends `batches` in order, then clears them. A database_error from a row carries that
    /// row's SQL and values; what the plan's callbacks throw (stale_data_error) passes through.
    void run(flush_batches& batches);
    /// Runs each load request (the session's loaders), then clears them.
    void load(std::vector<load_request>& requests);

private:
    session& session_;
    connection& connection_;
};

}  // namespace reflorm::orm_detail
