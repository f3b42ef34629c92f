#pragma once
// The sync executor of the ORM: runs a flush plan's batches (flush_plan.hpp) and the loaders'
// SELECTs and steps (load_plan.hpp) on the session's connection, and hands each row's result
// back to them. The planners never touch a connection; an async front end would be a second
// executor over the same plans.
#include <reflorm/orm/detail/flush_plan.hpp>
#include <reflorm/orm/detail/load_plan.hpp>

namespace reflorm::orm_detail {

class executor {
public:
    /// Takes the session's connection (session::connect(), which autobegins) at the first
    /// statement it sends, so a load that finds everything loaded sends nothing and begins nothing.
    explicit executor(session& s) : session_(s) {}

    /// Sends `batches` in order, then clears them. A database_error from a row carries that
    /// row's SQL and values; what the plan's callbacks throw (stale_data_error) passes through.
    void run(flush_batches& batches);
    /// Runs each load request (the session's loaders), then clears them.
    void load(std::vector<load_request>& requests);
    /// Runs one SELECT, handing each row to query.on_row(). A database_error carries the SQL
    /// and query.describe().
    void query(query_rows& query);
    /// Runs `steps` and the steps they name, depth first (load_step); what a step or a row
    /// consumer throws passes through, and the steps not yet run are dropped.
    void load(load_steps steps);

private:
    connection& connect();

    session& session_;
    connection* connection_ = nullptr;
};

}  // namespace reflorm::orm_detail
