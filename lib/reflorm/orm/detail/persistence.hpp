#pragma once
// Persistence: the INSERT, UPDATE and DELETE batches of one model's rows (and of association
// rows), planned for the flush executor, and what each row's result does to the identity map
// (generated keys, row counts, undo records). SQLAlchemy's persistence.py. No I/O here.
#include <reflorm/orm/detail/identity_map.hpp>
#include <reflorm/orm/detail/ordering.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace reflorm {
namespace orm_detail {

/// Throws stale_data_error: the `what` (UPDATE, DELETE) of `table`'s row `key` matched `matched`
/// rows, not 1; `why` ends the message. Compiled once (orm/persistence.cpp), not per model.
[[noreturn]] void throw_stale_row(const char* what, std::string_view table, const std::string& key, std::int64_t matched,
                                  const char* why);
/// Throws invalid_request_error with the concatenation of `parts` (compiled once, so that a
/// message naming models and members costs no string code per model and relationship).
[[noreturn]] void throw_invalid_request(std::initializer_list<std::string_view> parts);

/// Whether one of T's foreign keys refers to T itself (rows of T may then have to be ordered).
template <class T>
consteval bool self_referential() {
    for (const auto& fk : schema::table_of<T>.foreign_keys)
        if (references<T>(fk)) return true;
    return false;
}

/// The rows a flush's INSERTs write (entries of one model), in order, and how many are
/// written, for their undo record: 8 bytes a row, with each run of rows of one insert_shape
/// (usually all of them) noted once. One type for every model (compile time).
struct inserted_rows {
    explicit inserted_rows(std::vector<void*> rows) : entries(std::move(rows)) {}
    std::vector<void*> entries;
    std::size_t written = 0;
    std::vector<std::pair<std::size_t, rows::insert_shape>> shapes;  // first row of the run, its shape
};

template <class T>
class persistence : public identity_map<T> {
    using base = identity_map<T>;

public:
    using typename base::entry;
    using typename base::status;
    using typename base::key_type;
    // Redeclared, not used from the base: a using-declaration is not seen inside the generic
    // lambdas below (GCC 12).
    static constexpr const auto& table_info = schema::table_of<T>;
    using base::find;
    using base::key_of_snapshot;

protected:
    using base::entries_;
    using base::identity_;

public:
    template <class info>
    static void plan_delete_all_associations(T& owner, flush_batches& out) {
        using secondary = typename info::secondary;
        struct statement {
            void render(sql::render_context& ctx) const {
                sql::render_delete_where(ctx, schema::table_of<secondary>, foreign_key_columns<secondary, info::foreign_key>);
            }
        };
        struct association_rows final : statement_rows {
            T& owner;
            explicit association_rows(T& o) : owner(o) {}
            const std::string& sql(const sql::compiler& d) const override { return sql::statement_text(statement{}, d); }
            void bind(driver::cursor& cursor, std::size_t) const override {
                bind_columns<T, foreign_key_target_columns<secondary, info::foreign_key>>(cursor, owner, 1);
            }
            std::vector<std::string> describe(std::size_t) const override {
                return describe_columns<T, foreign_key_target_columns<secondary, info::foreign_key>>(owner);
            }
        };
        out.push_back(statement_batch{1, std::unique_ptr<statement_rows>(new association_rows(owner))});
    }

    /// UPDATE of a row inserted in this flush whose circular foreign key became known later.
    void plan_post_update(session& s, T& object, flush_batches& out) {
        entry* e = find(&object);
        if (!e || e->state != status::persistent) return;
        plan_update_rows(s, {e}, /*fire_events=*/false, out);
    }

    template <class info>
    static void plan_insert_association(T& owner, typename info::target& target, flush_batches& out) {
        using secondary = typename info::secondary;
        struct association_row final : insert_rows_plan {
            mutable secondary row{};
            void* object(std::size_t) const override { return &row; }
        };
        auto* row = new association_row();
        std::unique_ptr<insert_rows_plan> plan(row);
        copy_key<secondary, info::foreign_key>(row->row, owner);
        copy_key<secondary, info::target_key>(row->row, target);
        out.push_back(insert_batch{1, std::move(plan), &send_inserts<secondary>});
    }

    template <class info>
    static void plan_delete_association(T& owner, typename info::target& target, flush_batches& out) {
        using secondary = typename info::secondary;
        using other = typename info::target;
        using statement = delete_association_statement<secondary, info::foreign_key, info::target_key>;
        struct association_row final : statement_rows {
            T& owner;
            other& target;
            association_row(T& o, other& t) : owner(o), target(t) {}
            const std::string& sql(const sql::compiler& d) const override { return sql::statement_text(statement{}, d); }
            void bind(driver::cursor& cursor, std::size_t) const override {
                constexpr int owner_columns = static_cast<int>(foreign_key_columns<secondary, info::foreign_key>.size);
                bind_columns<T, foreign_key_target_columns<secondary, info::foreign_key>>(cursor, owner, 1);
                bind_columns<other, foreign_key_target_columns<secondary, info::target_key>>(cursor, target, 1 + owner_columns);
            }
            std::vector<std::string> describe(std::size_t) const override {
                auto values = describe_columns<T, foreign_key_target_columns<secondary, info::foreign_key>>(owner);
                for (auto& value : describe_columns<other, foreign_key_target_columns<secondary, info::target_key>>(target))
                    values.push_back(std::move(value));
                return values;
            }
        };
        out.push_back(statement_batch{1, std::unique_ptr<statement_rows>(new association_row(owner, target))});
    }

    // ---- INSERT and UPDATE ---------------------------------------------------------------

    void run_links(session& s, T* object) {
        auto& links = s.flush_state_->links;
        if (links.empty()) return;
        auto it = links.find(object);
        if (it == links.end()) return;
        for (auto& link : it->second) link();
    }

    /// Pending rows (their entries) in the order they were added, parents first within a
    /// self-referential model. Of void*: a vector of a per-model type costs ~360 template
    /// specializations a model (compile time).
    std::vector<void*> insert_order(session& s) {
        std::vector<void*> pending;
        for (entry& e : entries_)
            if (e.state == status::pending) pending.push_back(&e);
        // (Decided at compile time: most models never refer to themselves.)
        if constexpr (!self_referential<T>()) {
            return pending;
        } else {
            if (pending.size() < 2) return pending;
            // Depth-first: each row after the pending rows of its own model it refers to.
            auto& parents = s.flush_state_->parents;
            std::vector<void*> ordered;
            ordered.reserve(pending.size());
            std::unordered_map<const void*, int> mark;  // 1 visiting, 2 placed
            const auto visit = [&](const auto& self, entry* e) -> void {
                int& m = mark[e->object()];
                if (m != 0) return;  // placed, or a cycle (handled by a post-update)
                m = 1;
                if (auto it = parents.find(e->object()); it != parents.end())
                    for (const void* p : it->second)
                        if (entry* pe = find(static_cast<const T*>(p)); pe && pe->state == status::pending) self(self, pe);
                mark[e->object()] = 2;
                ordered.push_back(e);
            };
            for (void* e : pending) visit(visit, static_cast<entry*>(e));
            return ordered;
        }
    }

    void plan_inserts(session& s, flush_batches& out) override {
        // Foreign keys of rows that stay: set from their (already written) parents.
        if (!s.flush_state_->links.empty())
            for (entry& e : entries_)
                if (e.state == status::persistent) run_links(s, e.object());

        std::vector<void*> pending = insert_order(s);
        if (pending.empty()) return;
        // before_insert for every row first, as SQLAlchemy's mapper events run: listeners may
        // still change the rows, and the INSERTs are shaped after them.
        if (s.has_mapper_listeners())
            for (void* e : pending) s.fire(session::mapper_event::before_insert, *static_cast<entry*>(e)->object());
        identity_.reserve(identity_.size() + pending.size());
        // One undo record for the batch, registered before the first row: a row that fails
        // leaves those before it written, undone if the transaction rolls back. It shares the
        // plan's list of rows (rows are written in its order: the first `written` are).
        const std::size_t n = pending.size();
        std::shared_ptr<inserted_rows> inserted(new inserted_rows(std::move(pending)));  // not make_shared: compile time
        s.push_undo([this, inserted] {
            std::size_t run = inserted->shapes.size();
            for (std::size_t i = inserted->written; i-- > 0;) {
                while (inserted->shapes[run - 1].first > i) --run;
                undo_insert(*static_cast<entry*>(inserted->entries[i]), inserted->shapes[run - 1].second);
            }
        });
        struct pending_rows final : insert_rows_plan {
            persistence& self;
            session& s;
            std::shared_ptr<inserted_rows> inserted;
            const std::vector<void*>& pending;
            pending_rows(persistence& p, session& ss, std::shared_ptr<inserted_rows> rows)
                : self(p), s(ss), inserted(std::move(rows)), pending(inserted->entries) {}
            entry& row(std::size_t i) const { return *static_cast<entry*>(pending[i]); }
            void* object(std::size_t i) const override { return row(i).object(); }
            void before(std::size_t i) override { self.run_links(s, row(i).object()); }
            void on_row(std::size_t i, const rows::insert_shape& shape) override {
                // A new run of shapes may allocate: taken before the row changes.
                if (inserted->shapes.empty() || !(inserted->shapes.back().second == shape)) inserted->shapes.emplace_back(i, shape);
                entry& e = row(i);
                e.state = status::persistent;
                e.inserted_in_flush = true;
                e.expired = false;
                self.store_snapshot(e);
                self.identity_.assign(key_of(*e.object()), &e);
                inserted->written = i + 1;  // rows come in order
                s.fire(session::mapper_event::after_insert, *e.object());
            }
            bool needs_earlier_key(std::size_t i) const override {
                // A row whose parent (same model) is inserted earlier in this batch needs its key.
                if constexpr (!self_referential<T>()) return false;
                const auto& parents = s.flush_state_->parents;
                const auto it = parents.find(row(i).object());
                if (it == parents.end()) return false;
                for (const void* p : it->second)
                    if (const entry* pe = self.find(static_cast<const T*>(p)); pe && pe->state == status::pending) return true;
                return false;
            }
        };
        out.push_back(insert_batch{n, std::unique_ptr<insert_rows_plan>(new pending_rows(*this, s, std::move(inserted))), &send_inserts<T>});
    }

    void plan_updates(session& s, flush_batches& out) override {
        std::vector<entry*> changed;
        for (entry& e : entries_)
            if (e.state == status::persistent && !e.inserted_in_flush && base::snapshot_codec::differs(*e.object(), e.snapshot)) changed.push_back(&e);
        plan_update_rows(s, changed, true, out);
    }


    /// Makes a row inserted by a rolled-back flush pending again (or detached, if it was deleted
    /// since: with the insert undone there is nothing to delete).
    void undo_insert(entry& e, const rows::insert_shape& shape) {
        identity_.erase(key_of_snapshot(e.snapshot));  // the key as inserted
        rows::forget_generated(*e.object(), shape);       // a retry leaves them to the database again
        e.inserted_in_flush = false;
        // Deleted since: with the INSERT undone there is no row to delete, but the object is still
        // marked; the next flush lets it go with its cascades, and what refers to it follows.
        e.delete_when_flushed = e.state == status::deleted;
        base::may_hold_deleted_ = base::may_hold_deleted_ || e.delete_when_flushed;
        e.state = status::pending;
    }

    /// Orders two entries by the primary key the database holds (their snapshots').
    static bool key_order(const void* a, const void* b) {
        return key_of_snapshot(static_cast<const entry*>(a)->snapshot) < key_of_snapshot(static_cast<const entry*>(b)->snapshot);
    }

    /// UPDATEs the changed columns of `rows`, one executemany per set of changed columns.
    /// As SQLAlchemy: rows in primary key order (the key the database holds), so that
    /// concurrent sessions take row locks in one order; consecutive rows with the same changed
    /// columns share one executemany.
    void plan_update_rows(session& s, const std::vector<entry*>& rows, bool fire_events, flush_batches& out) {
        if (rows.empty()) return;
        if (fire_events)
            for (entry* e : rows) s.fire(session::mapper_event::before_update, *e->object());
        std::vector<void*> ordered(rows.begin(), rows.end());
        stable_sort_pointers(ordered, &key_order);
        struct changed_rows final : statement_rows {
            persistence& self;
            session& s;
            bool fire_events;
            std::string columns;  // '0'/'1' per column
            std::vector<entry*> group;
            changed_rows(persistence& p, session& ss, bool fire, std::string c) : self(p), s(ss), fire_events(fire), columns(std::move(c)) {}
            const std::string& sql(const sql::compiler& d) const override {
                return sql::statement_text(sql::update_changed_statement<T>{columns}, d);
            }
            void bind(driver::cursor& cursor, std::size_t i) const override { bind_update(cursor, *group[i], columns); }
            void on_row(std::size_t i, std::int64_t matched) override { self.updated(s, *group[i], matched, fire_events); }
            std::vector<std::string> describe(std::size_t i) const override { return describe_update(*group[i], columns); }
        };
        // Containers of model-independent types only, and no std::make_unique<changed_rows>: a
        // std::vector or std::unique_ptr of a per-model type costs each program ~500 template
        // specializations per model to compile (docs/session.md, Compile time).
        std::vector<statement_batch> groups;
        changed_rows* group = nullptr;
        std::string mask;
        for (void* p : ordered) {
            entry* e = static_cast<entry*>(p);
            if (!base::snapshot_codec::changed_columns(*e->object(), e->snapshot, mask)) continue;
            if (!group || group->columns != mask) {
                group = new changed_rows(*this, s, fire_events, mask);
                groups.push_back(statement_batch{0, std::unique_ptr<statement_rows>(group)});
            }
            group->group.push_back(e);
            ++groups.back().rows;
        }
        for (auto& g : groups) out.push_back(std::move(g));
    }

    /// Row `e` was UPDATEd, matching `matched` rows: its snapshot (and identity key) follow.
    void updated(session& s, entry& e, std::int64_t matched, bool fire_events) {
        if (matched != 1)
            throw_stale_row("UPDATE", table_info.name, describe_key<T>(key_of_snapshot(e.snapshot)), matched,
                            "another transaction changed or deleted it");
        const key_type old_key = key_of_snapshot(e.snapshot);
        s.push_undo([this, &e, before = base::saved_snapshot(e)] {
            identity_.erase(key_of(*e.object()));
            base::restore_snapshot(e, before);
            identity_.assign(key_of_snapshot(e.snapshot), &e);
        });
        base::store_snapshot(e);
        if (const key_type new_key = key_of(*e.object()); !(new_key == old_key)) {
            identity_.erase(old_key);
            identity_.assign(new_key, &e);
        }
        if (fire_events) s.fire(session::mapper_event::after_update, *e.object());
    }

    /// The values an UPDATE binds, in order: the changed columns, then the key it matches.
    static std::vector<std::string> describe_update(const entry& e, std::string_view columns) {
        std::vector<std::string> out;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            ((columns[C] == '1' ? out.push_back(codec::format_column_for_message<T, C>(column<const T, C>(*e.object()))) : void()), ...);
        }(std::make_index_sequence<schema::column_fields_v<T>.size()>{});
        for (auto& key : describe_key_values<T>(key_of_snapshot(e.snapshot))) out.push_back(std::move(key));
        return out;
    }

    static void bind_update(driver::cursor& cursor, const entry& e, std::string_view columns) {
        int index = 0;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            ((columns[C] == '1' ? codec::bind_value(cursor, ++index, column<const T, C>(*e.object())) : void()), ...);
        }(std::make_index_sequence<schema::column_fields_v<T>.size()>{});
        bind_snapshot_key(cursor, index, e);  // the WHERE clause names the row by the key it has in the database
    }

    // ---- DELETE --------------------------------------------------------------------------

    void order_deletes(session& s) override {
        delete_rows_.clear();
        if (!base::may_hold_deleted_) return;
        for (entry& e : entries_)
            if (e.state == status::deleted) delete_rows_.push_back(&e);
        if (delete_rows_.empty()) return;
        // Primary key order (as UPDATEs), then children before parents within the model.
        stable_sort_rows(delete_rows_, &key_order);
        order_children_first(delete_rows_);
        auto& positions = s.flush_state_->delete_position;
        for (entry* e : delete_rows_) positions.emplace(e->object(), positions.size());
    }

    void plan_null_keys_into_earlier_deletes(session& s, flush_batches& out) override {
        if (delete_rows_.empty()) return;
        const auto& positions = s.flush_state_->delete_position;
        [&]<std::size_t... F>(std::index_sequence<F...>) {
            (
                [&] {
                    constexpr const auto& fk = table_info.foreign_keys[F];
                    if constexpr (key_nullable<T, F>()) {
                        using target = schema::foreign_key_target_t<T, F>;
                        if constexpr (references_primary_key<T, F, target>()) {
                            auto& targets = s.template registry<target>();
                            std::vector<entry*> rows;
                            for (entry* e : delete_rows_) {
                                const auto key = referenced_key<T, F, target>(base::database_values(*e));
                                auto* te = key ? targets.find_key(*key) : nullptr;
                                if (!te) continue;
                                const auto at = positions.find(te->object());
                                // post_update: whenever the target goes too; else only where the
                                // target's DELETE comes first (a cycle).
                                if (at != positions.end() && (post_update_on_key<T, F>() || at->second < positions.at(e->object())))
                                    rows.push_back(e);
                            }
                            plan_null_key_columns(std::move(rows), fk.columns, out);
                        }
                    }
                }(),
                ...);
        }(std::make_index_sequence<table_info.foreign_keys.size()>{});
    }

    /// UPDATE rows SET <columns> = NULL by the key the database holds (the rows are deleted next).
    static void plan_null_key_columns(std::vector<entry*> rows, const schema::column_list& columns, flush_batches& out) {
        if (rows.empty()) return;
        struct nulled_rows final : statement_rows {
            std::string mask;
            std::vector<entry*> rows;
            int nulls;
            nulled_rows(std::string m, std::vector<entry*> r, int n) : mask(std::move(m)), rows(std::move(r)), nulls(n) {}
            const std::string& sql(const sql::compiler& d) const override {
                return sql::statement_text(sql::update_changed_statement<T>{mask}, d);
            }
            void bind(driver::cursor& cursor, std::size_t i) const override {
                for (int k = 1; k <= nulls; ++k) cursor.bind_null(k);
                bind_snapshot_key(cursor, nulls, *rows[i]);
            }
            std::vector<std::string> describe(std::size_t i) const override {
                std::vector<std::string> values(static_cast<std::size_t>(nulls), "NULL");
                for (auto& key : describe_key_values<T>(key_of_snapshot(rows[i]->snapshot))) values.push_back(std::move(key));
                return values;
            }
        };
        std::string mask(table_info.columns.size(), '0');
        for (auto c : columns.view()) mask[c] = '1';
        const std::size_t n = rows.size();
        out.push_back(statement_batch{n, std::unique_ptr<statement_rows>(new nulled_rows(std::move(mask), std::move(rows), static_cast<int>(columns.size)))});
    }

    /// Binds the key the database holds for `e` (its snapshot's) as parameters after+1, after+2, ...
    /// Text and blob columns are bound as the snapshot's bytes: a driver keeps a view of them
    /// until the statement has run (a value decoded here would be gone by then).
    static void bind_snapshot_key(driver::cursor& cursor, int after, const entry& e) {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            int index = after;
            (bind_snapshot_column<table_info.primary_key.items[K]>(cursor, ++index, e.snapshot), ...);
        }(std::make_index_sequence<table_info.primary_key.size>{});
    }
    template <std::size_t C>
    static void bind_snapshot_column(driver::cursor& cursor, int index, const std::byte* snapshot) {
        using V = column_member_t<T, C>;
        if constexpr (std::is_same_v<V, std::string>) {
            cursor.bind_text(index, *base::snapshot_codec::template bytes<C>(snapshot));
        } else if constexpr (std::is_same_v<V, blob>) {
            const std::string_view b = *base::snapshot_codec::template bytes<C>(snapshot);
            cursor.bind_blob(index, {reinterpret_cast<const std::byte*>(b.data()), b.size()});
        } else {
            codec::bind_value(cursor, index, base::snapshot_codec::template get<C>(snapshot));  // bound by value (copied)
        }
    }

    void plan_deletes(session& s, flush_batches& out) override {
        std::vector<entry*> rows = std::move(delete_rows_);
        delete_rows_.clear();
        if (rows.empty()) return;
        for (entry* e : rows) s.fire(session::mapper_event::before_delete, *e->object());
        struct deleted_rows final : statement_rows {
            persistence& self;
            session& s;
            std::vector<entry*> rows;
            deleted_rows(persistence& p, session& ss, std::vector<entry*> r) : self(p), s(ss), rows(std::move(r)) {}
            const std::string& sql(const sql::compiler& d) const override {
                return sql::statement_text(sql::delete_by_primary_key_statement<T>{}, d);
            }
            void bind(driver::cursor& cursor, std::size_t i) const override { bind_snapshot_key(cursor, 0, *rows[i]); }
            void on_row(std::size_t i, std::int64_t matched) override { self.deleted(s, *rows[i], matched); }
            std::vector<std::string> describe(std::size_t i) const override {
                return describe_key_values<T>(key_of_snapshot(rows[i]->snapshot));
            }
        };
        const std::size_t n = rows.size();
        out.push_back(statement_batch{n, std::unique_ptr<statement_rows>(new deleted_rows(*this, s, std::move(rows)))});
    }

    /// Row `e` was DELETEd, matching `matched` rows: it leaves the identity map (until a rollback).
    void deleted(session& s, entry& e, std::int64_t matched) {
        if (matched != 1)
            throw_stale_row("DELETE", table_info.name, describe_key<T>(key_of_snapshot(e.snapshot)), matched,
                            "another transaction deleted it");
        identity_.erase(key_of_snapshot(e.snapshot));
        e.state = status::gone;
        s.flush_state_->deleted_rows = true;
        s.push_undo([this, &e] {
            base::may_hold_deleted_ = true;
            e.state = status::deleted;
            e.delete_cascaded = false;
            identity_.assign(key_of_snapshot(e.snapshot), &e);
        });
        s.fire(session::mapper_event::after_delete, *e.object());
    }

    /// Within a self-referential model, rows that refer to other deleted rows go first (by the
    /// keys the database holds, not those changed in memory).
    void order_children_first(std::vector<entry*>& rows) {
        if constexpr (self_referential<T>()) order_children_first_now(rows);
    }
    void order_children_first_now(std::vector<entry*>& rows) {
        std::vector<entry*> ordered;
        std::unordered_map<const entry*, int> mark;
        std::unordered_map<const entry*, std::vector<entry*>> children;  // parent -> deleted children
        [&]<std::size_t... F>(std::index_sequence<F...>) {
            (
                [&] {
                    if constexpr (references<T>(table_info.foreign_keys[F]) && references_primary_key<T, F, T>())
                        for (entry* e : rows)
                            if (auto key = referenced_key<T, F, T>(base::database_values(*e)))
                                if (entry* parent = this->find_key(*key); parent && parent != e && parent->state == status::deleted)
                                    children[parent].push_back(e);
                }(),
                ...);
        }(std::make_index_sequence<table_info.foreign_keys.size()>{});
        if (children.empty()) return;
        const auto visit = [&](const auto& self, entry* e) -> void {
            if (mark[e]) return;
            mark[e] = 1;
            for (entry* child : children[e]) self(self, child);
            ordered.push_back(e);
        };
        for (entry* e : rows) visit(visit, e);
        rows = std::move(ordered);
    }

protected:
    std::vector<entry*> delete_rows_;  // this flush's rows to DELETE, in order (order_deletes)
};

}  // namespace orm_detail
}  // namespace reflorm
