// What orm/detail/persistence.hpp and object_values.hpp need compiled once rather than per model.
#include <reflorm/orm/session.hpp>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace reflorm::orm_detail {

void throw_stale_row(const char* what, std::string_view table, const std::string& key, std::int64_t matched, const char* why) {
    throw stale_data_error("reflorm: " + std::string(what) + " of " + std::string(table) + " row " + key +
                           " expected to match 1 row, matched " + std::to_string(matched) + "; " + why);
}

std::string join_key_values(const std::vector<std::string>& values) {
    std::string out = "(";
    for (const auto& value : values) out += (out.size() > 1 ? ", " : "") + value;
    return out + ")";
}

void throw_invalid_request(std::initializer_list<std::string_view> parts) {
    std::string message;
    for (std::string_view part : parts) message += part;
    throw invalid_request_error(message);
}

std::shared_ptr<inserted_rows> make_inserted_rows(entry_vector rows) {
    return std::shared_ptr<inserted_rows>(new inserted_rows(std::move(rows)));
}

void run_links_of(std::unordered_map<const void*, std::vector<flush_step>>& links, const void* object) {
    const auto it = links.find(object);
    if (it == links.end()) return;
    for (auto& link : it->second) link();
}

void throw_stale_entry(const persistence_ops& ops, const char* what, const void* e, std::int64_t matched, const char* why) {
    throw_stale_row(what, ops.table->name, join_key_values(ops.describe_snapshot_key(e)), matched, why);
}

void push_insert_batch(flush_batches& out, std::size_t rows, insert_rows_plan* plan,
                       void (*send)(connection&, std::size_t, insert_rows_plan&)) {
    std::unique_ptr<insert_rows_plan> owned(plan);
    out.push_back(insert_batch{rows, std::move(owned), send});
}

void note_delete_positions(std::unordered_map<const void*, std::size_t>& positions, const std::vector<void*>& rows,
                           const void* (*object_of)(const void* e)) {
    for (void* e : rows) positions.emplace(object_of(e), positions.size());
}

std::vector<std::string> describe_update(const persistence_ops& ops, const void* e, std::string_view columns) {
    std::vector<std::string> out;
    const void* object = ops.object_of(e);
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (columns[c] == '1') out.push_back(ops.formatters[c](object));
    for (auto& key : ops.describe_snapshot_key(e)) out.push_back(std::move(key));
    return out;
}

void inserts_undo::operator()() const {
    // Rows were written in order: the first `written` are, each run of them with its shape.
    std::size_t run = inserted->shapes.size();
    for (std::size_t i = inserted->written; i-- > 0;) {
        while (inserted->shapes[run - 1].first > i) --run;
        map->undo_insert(*static_cast<entry_core*>(inserted->entries[i]), inserted->shapes[run - 1].second);
    }
}

// ---- identity_map_common's row steps, over the model's row_ops() ----------------------------

entry_vector identity_map_common::rows_to_insert(session& s, entry_vector (*order)(identity_map_common&, session&, entry_vector)) {
    // Foreign keys of rows that stay: set from their (already written) parents.
    auto& links = relationship_flush::flush_state_of(s).links;
    if (!links.empty())
        for (void* p : entry_pointers_) {
            const auto& e = *static_cast<const entry_core*>(p);
            if (e.state == entry_status::persistent) run_links_of(links, object_of(e));
        }
    const auto is_pending = [](const void* p) { return static_cast<const entry_core*>(p)->state == entry_status::pending; };
    const auto n = std::count_if(entry_pointers_.begin(), entry_pointers_.end(), is_pending);
    if (n == 0) return {};  // most flushes: one pass, as before the exact reserve
    entry_vector pending;
    pending.reserve(static_cast<std::size_t>(n));  // no regrowth: at a million rows its list was copied 16 times as it grew
    std::copy_if(entry_pointers_.begin(), entry_pointers_.end(), std::back_inserter(pending), is_pending);
    if (order && pending.size() >= 2) pending = order(*this, s, std::move(pending));
    // before_insert for every row first, as SQLAlchemy's mapper events run: listeners may
    // still change the rows, and the INSERTs are shaped after them.
    if (!pending.empty() && relationship_flush::has_mapper_listeners(s)) {
        const std::size_t type = row_ops().type();
        for (void* e : pending) relationship_flush::fire(s, mapper_event::before_insert, type, object_of(*static_cast<entry_core*>(e)));
    }
    return pending;
}

void identity_map_common::plan_updates(session& s, flush_batches& out) {
    std::vector<void*> changed;
    for (void* p : entry_pointers_) {
        const auto& e = *static_cast<const entry_core*>(p);
        if (e.state == entry_status::persistent && !e.inserted_in_flush && layout_.differs(object_of(e), e.snapshot)) changed.push_back(p);
    }
    plan_update_rows(s, std::move(changed), true, out);
}

void identity_map_common::plan_update_rows(session& s, std::vector<void*> rows, bool fire_events, flush_batches& out) {
    if (rows.empty()) return;
    const persistence_ops& ops = row_ops();
    if (fire_events)
        for (void* e : rows) relationship_flush::fire(s, mapper_event::before_update, ops.type(), object_of(*static_cast<entry_core*>(e)));
    stable_sort_pointers(rows, ops.key_order);
    plan_update_batches(ops, *this, s, rows, fire_events, out);
}

void identity_map_common::row_updated(session& s, entry_core& e, std::int64_t matched, bool fire_events) {
    const persistence_ops& ops = row_ops();
    if (matched != 1) throw_stale_entry(ops, "UPDATE", &e, matched, "another transaction changed or deleted it");
    const bool rekey = ops.key_changed(e);  // the object's key against the snapshot's, before it is stored
    relationship_flush::push_undo(
        s, update_undo{this, &e, std::string(reinterpret_cast<const char*>(e.snapshot), ops.snapshot_length(e.snapshot))});
    if (rekey) ops.identity(*this, e, identity_step::forget_stored);
    ops.store_snapshot(*this, e);
    if (rekey) ops.identity(*this, e, identity_step::note_current);
    if (fire_events) relationship_flush::fire(s, mapper_event::after_update, ops.type(), object_of(e));
}

void identity_map_common::restore_saved_snapshot(entry_core& e, const std::string& saved) {
    if (e.key_only) {
        std::byte* record = snapshots_.allocate(saved.size());
        release_key(e.key);
        e.key_only = false;
        e.snapshot = record;
    } else if (!e.snapshot || snapshot_arena::capacity(e.snapshot) < saved.size()) {
        std::byte* record = snapshots_.allocate(saved.size());
        snapshots_.release(e.snapshot);
        e.snapshot = record;
    }
    std::memcpy(e.snapshot, saved.data(), saved.size());
}

void identity_map_common::undo_update(entry_core& e, const std::string& before) {
    const persistence_ops& ops = row_ops();
    ops.identity(*this, e, identity_step::forget_current);
    restore_saved_snapshot(e, before);
    ops.identity(*this, e, identity_step::note_stored);
}

void identity_map_common::undo_insert(entry_core& e, const rows::insert_shape& shape) {
    const persistence_ops& ops = row_ops();
    ops.identity(*this, e, identity_step::forget_stored);  // the key as inserted
    ops.forget_generated(object_of(e), shape);              // a retry leaves them to the database again
    e.inserted_in_flush = false;
    // Deleted since: with the INSERT undone there is no row to delete, but the object is still
    // marked; the next flush lets it go with its cascades, and what refers to it follows.
    e.delete_when_flushed = e.state == entry_status::deleted;
    may_hold_deleted_ = may_hold_deleted_ || e.delete_when_flushed;
    e.state = entry_status::pending;
}

void identity_map_common::order_deletes(session& s) {
    delete_rows_.clear();
    if (!may_hold_deleted_) return;
    for (void* p : entry_pointers_)
        if (static_cast<const entry_core*>(p)->state == entry_status::deleted) delete_rows_.push_back(p);
    if (delete_rows_.empty()) return;
    // Primary key order (as UPDATEs), then children before parents within the model.
    const persistence_ops& ops = row_ops();
    stable_sort_pointers(delete_rows_, ops.key_order);
    if (ops.children_first) ops.children_first(*this, delete_rows_);
    note_delete_positions(relationship_flush::flush_state_of(s).delete_position, delete_rows_, ops.object_of);
}

void identity_map_common::plan_deletes(session& s, flush_batches& out) {
    std::vector<void*> rows = std::move(delete_rows_);
    delete_rows_.clear();
    if (rows.empty()) return;
    const persistence_ops& ops = row_ops();
    for (void* e : rows) relationship_flush::fire(s, mapper_event::before_delete, ops.type(), object_of(*static_cast<entry_core*>(e)));
    plan_delete_batch(ops, *this, s, std::move(rows), out);
}

void identity_map_common::row_deleted(session& s, entry_core& e, std::int64_t matched) {
    const persistence_ops& ops = row_ops();
    if (matched != 1) throw_stale_entry(ops, "DELETE", &e, matched, "another transaction deleted it");
    ops.identity(*this, e, identity_step::forget_stored);
    e.state = entry_status::gone;
    relationship_flush::flush_state_of(s).deleted_rows = true;
    relationship_flush::push_undo(s, delete_undo{this, &e});
    relationship_flush::fire(s, mapper_event::after_delete, ops.type(), object_of(e));
}

void identity_map_common::undo_delete(entry_core& e) {
    may_hold_deleted_ = true;
    e.state = entry_status::deleted;
    e.delete_cascaded = false;
    row_ops().identity(*this, e, identity_step::note_stored);
}

namespace {

const std::string& table_text(const persistence_ops& ops, sql::table_statement kind, std::string_view columns,
                              const sql::compiler& dialect) {
    return sql::detail::table_statement_text(ops.statements[static_cast<std::size_t>(kind)], *ops.table, kind, columns, {}, dialect);
}

/// Rows of one model whose changed columns are `columns`: UPDATEd by the key the database holds.
class changed_rows final : public statement_rows {
public:
    changed_rows(const persistence_ops& ops, identity_map_common& map, session& s, bool fire_events, std::string columns)
        : ops_(ops), map_(map), s_(s), fire_events_(fire_events), columns(std::move(columns)) {}
    const std::string& sql(const sql::compiler& d) const override {
        return table_text(ops_, sql::table_statement::update_changed, columns, d);
    }
    void bind(driver::cursor& cursor, std::size_t i) const override { ops_.bind_update(cursor, group[i], columns); }
    void on_row(std::size_t i, std::int64_t matched) override {
        map_.row_updated(s_, *static_cast<entry_core*>(group[i]), matched, fire_events_);
    }
    std::vector<std::string> describe(std::size_t i) const override { return describe_update(ops_, group[i], columns); }

private:
    const persistence_ops& ops_;
    identity_map_common& map_;
    session& s_;
    bool fire_events_;

public:
    std::string columns;  // '0'/'1' per column
    std::vector<void*> group;
};

/// Rows whose `nulls` foreign key columns (flagged in `mask`) are set to NULL before they are deleted.
class nulled_rows final : public statement_rows {
public:
    nulled_rows(const persistence_ops& ops, std::string mask, std::vector<void*> rows, int nulls)
        : ops_(ops), mask_(std::move(mask)), rows_(std::move(rows)), nulls_(nulls) {}
    const std::string& sql(const sql::compiler& d) const override {
        return table_text(ops_, sql::table_statement::update_changed, mask_, d);
    }
    void bind(driver::cursor& cursor, std::size_t i) const override {
        for (int k = 1; k <= nulls_; ++k) cursor.bind_null(k);
        ops_.bind_snapshot_key(cursor, nulls_, rows_[i]);
    }
    std::vector<std::string> describe(std::size_t i) const override {
        std::vector<std::string> values(static_cast<std::size_t>(nulls_), "NULL");
        for (auto& key : ops_.describe_snapshot_key(rows_[i])) values.push_back(std::move(key));
        return values;
    }

private:
    const persistence_ops& ops_;
    std::string mask_;
    std::vector<void*> rows_;
    int nulls_;
};

/// Rows DELETEd by the key the database holds.
class deleted_rows final : public statement_rows {
public:
    deleted_rows(const persistence_ops& ops, identity_map_common& map, session& s, std::vector<void*> rows)
        : ops_(ops), map_(map), s_(s), rows_(std::move(rows)) {}
    const std::string& sql(const sql::compiler& d) const override {
        return table_text(ops_, sql::table_statement::delete_by_primary_key, {}, d);
    }
    void bind(driver::cursor& cursor, std::size_t i) const override { ops_.bind_snapshot_key(cursor, 0, rows_[i]); }
    void on_row(std::size_t i, std::int64_t matched) override { map_.row_deleted(s_, *static_cast<entry_core*>(rows_[i]), matched); }
    std::vector<std::string> describe(std::size_t i) const override { return ops_.describe_snapshot_key(rows_[i]); }

private:
    const persistence_ops& ops_;
    identity_map_common& map_;
    session& s_;
    std::vector<void*> rows_;
};

}  // namespace

void plan_update_batches(const persistence_ops& ops, identity_map_common& map, session& s, const std::vector<void*>& rows,
                         bool fire_events, flush_batches& out) {
    std::vector<statement_batch> groups;
    changed_rows* group = nullptr;
    std::string mask;
    for (void* e : rows) {
        if (!ops.changed_columns(e, mask)) continue;
        if (!group || group->columns != mask) {
            group = new changed_rows(ops, map, s, fire_events, mask);
            groups.push_back(statement_batch{0, std::unique_ptr<statement_rows>(group)});
        }
        group->group.push_back(e);
        ++groups.back().rows;
    }
    for (auto& g : groups) out.push_back(std::move(g));
}

void plan_null_key_batch(const persistence_ops& ops, std::vector<void*> rows, const schema::column_list& columns, flush_batches& out) {
    if (rows.empty()) return;
    std::string mask(ops.table->columns.size(), '0');
    for (auto c : columns.view()) mask[c] = '1';
    const std::size_t n = rows.size();
    out.push_back(statement_batch{n, std::unique_ptr<statement_rows>(new nulled_rows(ops, std::move(mask), std::move(rows),
                                                                                     static_cast<int>(columns.size)))});
}

void plan_delete_batch(const persistence_ops& ops, identity_map_common& map, session& s, std::vector<void*> rows, flush_batches& out) {
    const std::size_t n = rows.size();
    out.push_back(statement_batch{n, std::unique_ptr<statement_rows>(new deleted_rows(ops, map, s, std::move(rows)))});
}

}  // namespace reflorm::orm_detail
