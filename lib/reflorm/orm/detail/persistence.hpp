#pragma once
// Persistence: the INSERT, UPDATE and DELETE batches of one model's rows (and of association
// rows), planned for the flush executor, and what each row's result does to the identity map
// (generated keys, row counts, undo records). SQLAlchemy's persistence.py. No I/O here.
#include <reflorm/orm/detail/identity_map.hpp>
#include <reflorm/orm/detail/ordering.hpp>

#include <array>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
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
    explicit inserted_rows(entry_vector rows) : entries(std::move(rows)) {}
    entry_vector entries;
    std::size_t written = 0;
    std::vector<std::pair<std::size_t, rows::insert_shape>> shapes;  // first row of the run, its shape
};

/// A flush's list of rows to insert, for plan_inserts (compiled once).
std::shared_ptr<inserted_rows> make_inserted_rows(entry_vector rows);
/// Runs the flush_state::links of `object` (its foreign keys set from parents already written).
void run_links_of(std::unordered_map<const void*, std::vector<flush_step>>& links, const void* object);

/// Adds an insert_batch of `rows` rows to `out` (taking `plan`), sent by `send`.
void push_insert_batch(flush_batches& out, std::size_t rows, insert_rows_plan* plan,
                       void (*send)(connection&, std::size_t, insert_rows_plan&));
/// Notes each of `rows` (entries) in flush_state::delete_position, in order.
void note_delete_positions(std::unordered_map<const void*, std::size_t>& positions, const std::vector<void*>& rows,
                           const void* (*object_of)(const void* e));

/// Undo records of one type for every model: session::push_undo and undo_record::call are
/// compiled once for each, not once per model and step (compile time). Each calls
/// identity_map_common's undo step (persistence.cpp) on an entry of `map`.
struct update_undo {
    identity_map_common* map;
    entry_core* e;
    std::string before;  // the snapshot's bytes before the flush
    void operator()() const { map->undo_update(*e, before); }
};
struct delete_undo {
    identity_map_common* map;
    entry_core* e;
    void operator()() const { map->undo_delete(*e); }
};
/// Undoes the INSERTs of `inserted` already written, last first (persistence.cpp).
struct inserts_undo {
    identity_map_common* map;
    std::shared_ptr<inserted_rows> inserted;
    void operator()() const;
};

/// What row_ops().identity does with an entry's key in the model's identity index: forget or
/// note it, as the database holds it (its snapshot's) or as the object has it now.
enum class identity_step { forget_stored, forget_current, note_stored, note_current };

/// Column C of a T (given as const void*) as a literal for an error message ('***' if secret).
using column_formatter = std::string (*)(const void* object);
template <class T, std::size_t C>
std::string format_column_of(const void* object) {
    return codec::format_column_for_message<T, C>(column<const T, C>(*static_cast<const T*>(object)));
}
/// T's column_formatters, in column order.
template <class T>
inline constexpr auto column_formatters = []<std::size_t... C>(std::index_sequence<C...>) {
    return std::array<column_formatter, sizeof...(C)>{&format_column_of<T, C>...};
}(std::make_index_sequence<schema::column_fields_v<T>.size()>{});

/// What the unit of work's code compiled once (persistence.cpp) needs of one model's rows:
/// plain functions over entries and the model's registry (persistence<T>), as void*. One
/// constant table per model (persistence<T>::ops()): the statement_rows of its UPDATE and
/// DELETE batches are then classes compiled once, not one set of classes per model.
struct persistence_ops {
    const schema::table_info* table;
    sql::detail::statement_slot* statements;  // the model's sql::detail::table_slots
    /// Flags ('0'/'1' per column, into `mask`) the columns of entry `e`'s object that differ
    /// from its snapshot; false if none does.
    bool (*changed_columns)(const void* e, std::string& mask);
    /// Binds the `columns` flagged of `e`'s object, then the key the database holds for it.
    void (*bind_update)(driver::cursor& cursor, const void* e, std::string_view columns);
    /// Binds the key the database holds for `e` (its snapshot's) as parameters after+1, ...
    void (*bind_snapshot_key)(driver::cursor& cursor, int after, const void* e);
    /// For error messages: the values bind_snapshot_key binds (the key a read_only entry keeps); entry `e`'s object; and column
    /// c of an object as a literal (column_formatters).
    std::vector<std::string> (*describe_snapshot_key)(const void* e);
    const void* (*object_of)(const void* e);
    const column_formatter* formatters;
    std::size_t (*type)() noexcept;  // type_id<T>, for the mapper events
    /// Orders two entries by the primary key the database holds (their snapshots').
    bool (*key_order)(const void* a, const void* b);
    /// Within a self-referential model, puts rows to delete that refer to others first; else nullptr.
    void (*children_first)(identity_map_common& map, std::vector<void*>& rows);
    std::size_t (*snapshot_length)(const std::byte* snapshot) noexcept;
    void (*store_snapshot)(identity_map_common& map, entry_core& e);
    /// Whether the object's primary key differs from the one the database holds (identity_map::stored_key).
    bool (*key_changed)(const entry_core& e);
    void (*identity)(identity_map_common& map, entry_core& e, identity_step step);
    /// rows::forget_generated of the object (a retried INSERT leaves the keys to the database).
    void (*forget_generated)(void* object, const rows::insert_shape& shape);
};
/// throw_stale_row for entry `e`, named by the key the database holds for it.
[[noreturn]] void throw_stale_entry(const persistence_ops& ops, const char* what, const void* e, std::int64_t matched, const char* why);
/// For an error message: the values an UPDATE of `columns` binds for entry `e`, in order (the
/// changed columns, then the key it matches).
std::vector<std::string> describe_update(const persistence_ops& ops, const void* e, std::string_view columns);

/// UPDATEs of the changed columns of `rows` (entries, in the order they are written), one
/// batch per run of rows with the same changed columns; rows without changes are left out.
void plan_update_batches(const persistence_ops& ops, identity_map_common& map, session& s, const std::vector<void*>& rows,
                         bool fire_events, flush_batches& out);
/// UPDATE `rows` SET `columns` = NULL, by the key the database holds (the rows are deleted next).
void plan_null_key_batch(const persistence_ops& ops, std::vector<void*> rows, const schema::column_list& columns, flush_batches& out);
/// DELETE `rows` by the key the database holds, in order.
void plan_delete_batch(const persistence_ops& ops, identity_map_common& map, session& s, std::vector<void*> rows, flush_batches& out);

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
    using base::delete_rows_;
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
        this->plan_update_rows(s, {e}, /*fire_events=*/false, out);
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
        if (!links.empty()) run_links_of(links, object);
    }

    /// Pending rows of a self-referential model (entries, two or more) with parents first:
    /// depth-first, each row after the pending rows of its own model it refers to.
    static entry_vector parents_first(identity_map_common& map, session& s, entry_vector pending) {
        auto& self = static_cast<persistence&>(map);
        auto& parents = s.flush_state_->parents;
        entry_vector ordered;
        ordered.reserve(pending.size());
        std::unordered_map<const void*, int> mark;  // 1 visiting, 2 placed
        const auto visit = [&](const auto& visit_, entry* e) -> void {
            int& m = mark[e->object()];
            if (m != 0) return;  // placed, or a cycle (handled by a post-update)
            m = 1;
            if (auto it = parents.find(e->object()); it != parents.end())
                for (const void* p : it->second)
                    if (entry* pe = self.find(static_cast<const T*>(p)); pe && pe->state == status::pending) visit_(visit_, pe);
            mark[e->object()] = 2;
            ordered.push_back(e);
        };
        for (void* e : pending) visit(visit, static_cast<entry*>(e));
        return ordered;
    }

    void plan_inserts(session& s, flush_batches& out) override {
        // (Decided at compile time: most models never refer to themselves.)
        entry_vector pending = this->rows_to_insert(s, [] {
            if constexpr (self_referential<T>()) return &parents_first;
            else return static_cast<entry_vector (*)(identity_map_common&, session&, entry_vector)>(nullptr);
        }());
        if (pending.empty()) return;
        identity_.reserve(identity_.size() + pending.size());
        // One undo record for the batch, registered before the first row: a row that fails
        // leaves those before it written, undone if the transaction rolls back. It shares the
        // plan's list of rows (rows are written in its order: the first `written` are).
        const std::size_t n = pending.size();
        std::shared_ptr<inserted_rows> inserted = make_inserted_rows(std::move(pending));
        s.push_undo(inserts_undo{this, inserted});
        struct pending_rows final : insert_rows_plan {
            persistence& self;
            session& s;
            std::shared_ptr<inserted_rows> inserted;
            const entry_vector& pending;
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
        push_insert_batch(out, n, new pending_rows(*this, s, std::move(inserted)), &send_inserts<T>);
    }

    /// Orders two entries by the primary key the database holds (their snapshots').
    static bool key_order(const void* a, const void* b) {
        return key_of_snapshot(static_cast<const entry*>(a)->snapshot) < key_of_snapshot(static_cast<const entry*>(b)->snapshot);
    }

    static std::vector<std::string> describe_snapshot_key(const void* e) {
        return describe_key_values<T>(base::stored_key(*static_cast<const entry*>(e)));
    }

    static void bind_update(driver::cursor& cursor, const void* p, std::string_view columns) {
        const entry& e = *static_cast<const entry*>(p);
        int index = 0;
        [&]<std::size_t... C>(std::index_sequence<C...>) {
            ((columns[C] == '1' ? codec::bind_value(cursor, ++index, column<const T, C>(*e.object())) : void()), ...);
        }(std::make_index_sequence<schema::column_fields_v<T>.size()>{});
        bind_snapshot_key(cursor, index, &e);  // the WHERE clause names the row by the key it has in the database
    }

    /// This model's row operations for the code compiled once (persistence_ops).
    static const persistence_ops& ops() {
        static constexpr persistence_ops table{
            &table_info,
            sql::detail::table_slots<T>,
            &changed_columns,
            &bind_update,
            &bind_snapshot_key,
            &describe_snapshot_key,
            &entry_object,
            column_formatters<T>.data(),
            &type_id<T>,
            &key_order,
            [] {
                if constexpr (self_referential<T>()) return &children_first;
                else return static_cast<void (*)(identity_map_common&, std::vector<void*>&)>(nullptr);
            }(),
            &snapshot_length,
            &store_snapshot_of,
            &key_changed,
            &identity,
            &forget_generated,
        };
        return table;
    }
    const persistence_ops& row_ops() const noexcept override { return ops(); }

    static bool changed_columns(const void* e, std::string& mask) {
        return base::snapshot_codec::changed_columns(*static_cast<const entry*>(e)->object(), static_cast<const entry*>(e)->snapshot, mask);
    }
    static const void* entry_object(const void* e) { return static_cast<const entry*>(e)->object(); }
    static void children_first(identity_map_common& map, std::vector<void*>& rows) {
        static_cast<persistence&>(map).order_children_first_now(rows);
    }
    static std::size_t snapshot_length(const std::byte* snapshot) noexcept { return base::snapshot_codec::length(snapshot); }
    static void store_snapshot_of(identity_map_common& map, entry_core& e) {
        static_cast<persistence&>(map).store_snapshot(static_cast<entry&>(e));
    }
    static bool key_changed(const entry_core& core) {
        const entry& e = static_cast<const entry&>(core);
        return !(key_of(*e.object()) == base::stored_key(e));
    }
    static void identity(identity_map_common& map, entry_core& core, identity_step step) {
        auto& self = static_cast<persistence&>(map);
        entry& e = static_cast<entry&>(core);
        const bool stored = step == identity_step::forget_stored || step == identity_step::note_stored;
        const key_type key = stored ? key_of_snapshot(e.snapshot) : key_of(*e.object());
        if (step == identity_step::forget_stored || step == identity_step::forget_current) self.identity_.erase(key);
        else self.identity_.assign(key, &e);
    }
    static void forget_generated(void* object, const rows::insert_shape& shape) { rows::forget_generated(*static_cast<T*>(object), shape); }

    // ---- DELETE --------------------------------------------------------------------------

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
                            std::vector<void*> rows;
                            for (void* p : this->delete_rows_) {
                                entry* e = static_cast<entry*>(p);
                                const auto key = referenced_key<T, F, target>(base::database_values(*e));
                                auto* te = key ? targets.find_key(*key) : nullptr;
                                if (!te) continue;
                                const auto at = positions.find(te->object());
                                // post_update: whenever the target goes too; else only where the
                                // target's DELETE comes first (a cycle).
                                if (at != positions.end() && (post_update_on_key<T, F>() || at->second < positions.at(e->object())))
                                    rows.push_back(e);
                            }
                            plan_null_key_batch(ops(), std::move(rows), fk.columns, out);
                        }
                    }
                }(),
                ...);
        }(std::make_index_sequence<table_info.foreign_keys.size()>{});
    }

    /// Binds the key the database holds for entry `e` (its snapshot's) as parameters after+1, after+2, ...
    /// Text and blob columns are bound as the snapshot's bytes: a driver keeps a view of them
    /// until the statement has run (a value decoded here would be gone by then).
    static void bind_snapshot_key(driver::cursor& cursor, int after, const void* e) {
        const std::byte* snapshot = static_cast<const entry*>(e)->snapshot;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            int index = after;
            (bind_snapshot_column<table_info.primary_key.items[K]>(cursor, ++index, snapshot), ...);
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

    /// Within a self-referential model, rows that refer to other deleted rows go first (by the
    /// keys the database holds, not those changed in memory).
    void order_children_first_now(std::vector<void*>& rows) {
        // Of void*: containers of model-independent types (compile time).
        std::vector<void*> ordered;
        std::unordered_map<const void*, int> mark;
        std::unordered_map<const void*, std::vector<void*>> children;  // parent -> deleted children
        [&]<std::size_t... F>(std::index_sequence<F...>) {
            (
                [&] {
                    if constexpr (references<T>(table_info.foreign_keys[F]) && references_primary_key<T, F, T>())
                        for (void* p : rows) {
                            entry* e = static_cast<entry*>(p);
                            if (auto key = referenced_key<T, F, T>(base::database_values(*e)))
                                if (entry* parent = this->find_key(*key); parent && parent != e && parent->state == status::deleted)
                                    children[parent].push_back(e);
                        }
                }(),
                ...);
        }(std::make_index_sequence<table_info.foreign_keys.size()>{});
        if (children.empty()) return;
        const auto visit = [&](const auto& self, void* e) -> void {
            if (mark[e]) return;
            mark[e] = 1;
            for (void* child : children[e]) self(self, child);
            ordered.push_back(e);
        };
        for (void* e : rows) visit(visit, e);
        rows = std::move(ordered);
    }
};

}  // namespace orm_detail
}  // namespace reflorm
