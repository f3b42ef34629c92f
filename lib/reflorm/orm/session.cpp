#include <reflorm/orm/session.hpp>
#include <reflorm/orm/detail/executor.hpp>
#include <reflorm/sql/ddl.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <stdexcept>
#include <string>

namespace reflorm {

namespace orm_detail {

std::size_t next_type_id() noexcept {
    static std::atomic<std::size_t> next{0};
    return next++;
}

void throw_not_loaded(const relationship_name* name, bool copied) {
    const std::string member = name ? std::string(name->model) + "::" + std::string(name->member) : "this relationship";
    if (copied)
        throw not_loaded_error("reflorm: " + member +
                               " of a copied object is not loaded: a copy does not keep the session's objects alive; read the "
                               "relationship through the session's own object (the handle), or load it into the copy's "
                               "counterpart in a session");
    if (!name) throw not_loaded_error("reflorm: this relationship is not loaded");
    throw not_loaded_error("reflorm: " + member + " is not loaded; load it with session.load<&" + member +
                           ">(object) while the object's session is open, or choose a loader for it in the query");
}

}  // namespace orm_detail

session::session(engine e, session_options options) : session(std::move(e), options, nullptr) {}

session::session(engine e, session_options options, std::shared_ptr<const orm_detail::session_events> factory_events)
    : engine_(std::move(e)), options_(options), store_(std::make_shared<orm_detail::object_store>()),
      factory_events_(std::move(factory_events)) {}

session::~session() {
    try {
        close();
    } catch (...) {
    }
}

connection& session::connect() {
    if (!connection_) connection_.emplace(engine_.connect());
    if (!transaction_) {
        transaction_.emplace(connection_->begin());
        ++transactions_begun_;
    }
    return *connection_;
}

bool session::dirty() const {
    for (const auto& r : store_->registries)
        if (r && r->has_changes()) return true;
    return false;
}

void session::autoflush() {
    if (options_.autoflush && !flushing_ && !in_before_flush_) flush();
}

std::vector<orm_detail::registry_base*> session::ordered_registries() {
    // Parents before children by the foreign key graph. A cycle is broken at a model whose
    // remaining keys into the cycle are all nullable: its rows go first with those keys NULL,
    // and a post-update fills them in.
    std::vector<orm_detail::registry_base*> registries;
    std::vector<const schema::table_info*> tables;
    for (const auto& r : store_->registries)
        if (r) {
            registries.push_back(r.get());
            tables.push_back(&r->table());
        }
    std::vector<orm_detail::registry_base*> sorted;
    sorted.reserve(registries.size());
    for (auto i : sql::dependency_order(tables, sql::cycle_break::nullable_keys)) sorted.push_back(registries[i]);
    return sorted;
}

void session::flush() {
    if (flushing_ || in_before_flush_)
        throw invalid_request_error("reflorm: flush() was called during a flush (from an event listener?)");
    in_before_flush_ = true;
    try {
        if (factory_events_)
            for (const auto& f : factory_events_->before_flush) f(*this);
        for (auto& f : events_.before_flush) f(*this);
    } catch (...) {
        in_before_flush_ = false;
        throw;
    }
    in_before_flush_ = false;
    if (!dirty()) return;
    connect();  // the flush's transaction begins before its first statement is planned
    orm_detail::executor executor{*this};
    orm_detail::flush_state state;
    flushing_ = true;
    flush_state_ = &state;
    try {
        run_flush(executor);
    } catch (...) {
        flushing_ = false;
        flush_state_ = nullptr;
        cascade_checks_.clear();
        // Nothing of this flush stays written; the objects keep the changes it was writing.
        if (!savepoints_.empty())
            abort_savepoint(savepoints_.size() - 1, false);
        else
            abort_transaction(false);
        throw;
    }
    flushing_ = false;
    flush_state_ = nullptr;
    if (factory_events_)
        for (const auto& f : factory_events_->after_flush) f(*this);
    for (auto& f : events_.after_flush) f(*this);
}

void session::cascade_added() {
    for (bool more = true; more;) {
        more = false;
        for (std::size_t i = 0; i < store_->registries.size(); ++i)
            if (auto& r = store_->registries[i]) more = r->cascade_save(*this, false) || more;
    }
    cascade_checks_.clear();  // the flush cascades again, and checks then
}

void session::run_flush(orm_detail::executor& executor) {
    // Planning and sending alternate step by step, as SQLAlchemy's unit of work runs its
    // actions: each step is planned from what the steps before it wrote (generated keys, row
    // counts). The planners do no I/O; the executor is the only one that touches the connection.
    orm_detail::flush_state& state = *flush_state_;
    orm_detail::flush_batches batches;
    const auto send = [&] { executor.run(batches); };
    for (auto* r : ordered_registries()) r->begin_flush();
    // save-update cascade, until no new object is reached (new models may appear).
    for (bool more = true, first = true; more; first = false) {
        more = false;
        for (auto* r : ordered_registries()) more = r->cascade_save(*this, first) || more;
    }
    auto checks = std::move(cascade_checks_);
    cascade_checks_.clear();
    for (auto& check : checks) check();  // references to objects the cascade did not reach
    auto registries = ordered_registries();
    for (auto* r : registries) r->collect(*this);
    for (auto& removal : state.removals) removal();
    // The cascade may reach models the session has not seen yet: order the registries again on
    // every round, so that their own cascades run too. It asks for the relationships it must
    // see (children to delete or unlink), loaded between rounds.
    for (bool more = true; more;) {
        more = false;
        for (auto* r : ordered_registries()) more = r->cascade_delete(*this) || more;
        if (!state.loads.empty()) {
            executor.load(state.loads);
            more = true;
        }
    }
    registries = ordered_registries();
    for (auto* r : registries) {
        r->plan_inserts(*this, batches);
        send();
        r->plan_updates(*this, batches);
        send();
    }
    for (auto& plan : state.association_inserts) plan(batches);
    send();
    // One at a time: each is planned against the snapshot the one before it wrote (two on one
    // object would otherwise both set the first key).
    for (auto& plan : state.post_updates) {
        plan(batches);
        send();
    }
    for (auto& plan : state.association_deletes) plan(batches);
    send();
    for (auto it = registries.rbegin(); it != registries.rend(); ++it) (*it)->order_deletes(*this);
    if (!state.delete_position.empty())
        for (auto it = registries.rbegin(); it != registries.rend(); ++it) {
            (*it)->plan_null_keys_into_earlier_deletes(*this, batches);
            send();
        }
    for (auto it = registries.rbegin(); it != registries.rend(); ++it) {
        (*it)->plan_deletes(*this, batches);
        send();
    }
    if (state.deleted_rows)
        for (auto* r : ordered_registries()) r->drop_deleted_targets(*this);
    for (auto* r : registries) r->finish_flush(*this);
}

void session::commit() {
    flush();
    if (!transaction_) {
        committed_sequence_ = sequence_;
        return;
    }
    try {
        savepoints_.clear();
        transaction_->commit();
    } catch (...) {
        // COMMIT failed (a deferred foreign key, say) and was rolled back: undo the flushes.
        transaction_.reset();
        abort_transaction(false);
        throw;
    }
    undo_.clear();
    for (auto& r : store_->registries)
        if (r) {
            r->forget_deleted();
            if (options_.expire_on_commit) r->expire_all();
        }
    end_transaction();
    committed_sequence_ = sequence_;
}

void session::end_transaction() noexcept {
    transaction_.reset();
    connection_.reset();  // back to the pool, as SQLAlchemy releases it at transaction end
    savepoints_.clear();
    undo_.clear();
}

void session::release_batch(std::shared_ptr<orm_detail::batch_block> b) noexcept {
    if (b->released) return;
    b->released = true;
    std::erase(batches_, b);
    // Kept (its nodes handed to the store) when objects of the store may point into it, or a
    // flush ran meanwhile, whose undo a rollback would apply to its objects, or the session has
    // unflushed changes (a reference set into the batch, say: an object outside it would dangle).
    const bool keep = b->pinned || b->undo_mark != undo_pushed_ || dirty();
    for (std::size_t i = 0; i < b->pieces.size(); ++i) {
        auto* owner = b->pieces[i].owner;
        bool first = true;  // each registry once
        for (std::size_t j = 0; j < i; ++j) first = first && b->pieces[j].owner != owner;
        if (first) owner->release_batch(*b, keep);
    }
    if (keep) b->pieces.clear();
}

namespace orm_detail {

void session_events::fire(session& s, mapper_event event, std::size_t type, void* object) const {
    const auto it = per_model.find(type);
    if (it == per_model.end()) return;
    for (const auto& f : it->second[static_cast<std::size_t>(event)]) f(s, object);
}

void yield_batches::release() noexcept {
    if (!batch) return;
    if (auto s = alive.lock()) session_access::release_batch(**s, batch);
    batch.reset();
}

query_scope::query_scope(session& s, bool populate, bool read_only, bool flush) : s(s), was_read_only(s.read_only_) {
    s.populating_ = populate ? &populated : nullptr;
    try {
        if (flush) s.autoflush();
    } catch (...) {
        s.populating_ = nullptr;
        throw;
    }
    s.read_only_ = read_only;
}

query_scope::~query_scope() {
    s.populating_ = nullptr;
    s.read_only_ = was_read_only;
}

yield_batches::pass::pass(yield_batches& y) : s(y.begin_batch()), scope_(s, y.populate, y.read_only, /*flush=*/false) {}

const std::string& part_rows::sql(const sql::compiler& dialect) const {
    if (!statement_) throw std::logic_error("reflorm: a row reader was run as a query");
    return codec::statement_sql(*statement_->codec->text, statement_->statement, dialect);
}

void part_rows::bind(driver::cursor& cursor) const {
    if (!statement_) throw std::logic_error("reflorm: a row reader was run as a query");
    codec::bind_statement(*statement_->codec, cursor, statement_->statement);
}

std::vector<std::string> part_rows::describe() const {
    if (!statement_) return {};
    return codec::describe_statement(*statement_->codec, statement_->statement);
}

yield_cursor::yield_cursor(std::weak_ptr<session* const> alive, result<driver::cursor*>&& rows, std::size_t n,
                           yield_loaders&& loaders, const execution_options& given, bool (*batch)(void*, const void*))
    : yield_batches(std::move(alive), n, std::move(loaders), given), rows(std::move(rows)), batch(batch) {}

yield_cursor::~yield_cursor() { release(); }

void throw_yield_per_refused() {
    throw invalid_request_error("reflorm: yield_per cannot be combined with a joinedload of a collection or a "
                                "subqueryload, whose rows span batches (SQLAlchemy refuses them too): use "
                                "selectinload, which runs once per batch");
}

void throw_yield_per_zero() { throw invalid_request_error("reflorm: execution_options yield_per needs at least 1 row per batch"); }

namespace {

bool call_yield_batch(void* state, const void* out) { return static_cast<yield_cursor*>(state)->batch(state, out); }

void drop_yield_batches(void* state) noexcept { delete static_cast<yield_cursor*>(state); }

}  // namespace

detail::row_predicate yield_cursor::start(std::weak_ptr<session* const> alive, result<driver::cursor*>&& rows, std::size_t n,
                                          yield_loaders&& loaders, const execution_options& given,
                                          bool (*batch)(void*, const void*)) {
    auto* state = new yield_cursor(std::move(alive), std::move(rows), n, std::move(loaders), given, batch);
    return detail::row_predicate::erased(state, &call_yield_batch, &drop_yield_batches);
}

bool yield_cursor::read_batch(session& s, query_rows& reader, const void* owners) {
    std::size_t read = 0;
    for (; read < per_batch; ++read) {
        driver::cursor* at = rows.fetchone();  // on the row, until the next fetch
        if (!at) break;
        reader.on_row(*at);
    }
    if (read == 0) {
        release();
        return false;
    }
    load(s, owners);
    return true;  // even after a short batch: it is released at the next call
}

void yield_batches::load(session& s, const void* owners) {
    load_steps steps;
    loaders.append(steps, owners);
    executor{s}.load(std::move(steps));
}

session& yield_batches::begin_batch() {
    release();
    auto live = alive.lock();
    if (!live) throw invalid_request_error("reflorm: a yield_per result was read after its session was closed and destroyed");
    session& s = **live;
    auto block = std::make_shared<batch_block>(s.store_, per_batch);
    block->undo_mark = s.undo_pushed_;
    s.batches_.push_back(block);
    batch = std::move(block);
    return s;
}

}  // namespace orm_detail

void session::read_objects(orm_detail::query_rows& query, const void* owners, orm_detail::append_steps_fn append,
                           const void* context) {
    orm_detail::executor run{*this};
    run.query(query);
    orm_detail::load_steps steps;
    append(steps, owners, context);
    run.load(std::move(steps));
}

void session::abort_transaction(bool discard) noexcept {
    if (transaction_) {
        try {
            transaction_->rollback();
        } catch (...) {
        }
    }
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
    undo_.clear();
    if (discard) {
        for (auto& r : store_->registries)
            if (r) r->discard(*this, committed_sequence_);
        committed_sequence_ = sequence_;
    }
    end_transaction();
}

void session::abort_savepoint(std::size_t index, bool discard) {
    const savepoint_mark mark = savepoints_[index];
    savepoints_.resize(index);
    while (undo_.size() > mark.undo_size) {
        undo_.back()();
        undo_.pop_back();
    }
    if (discard)
        for (auto& r : store_->registries)
            if (r) r->discard(*this, mark.sequence);
    connection_->rollback_to_savepoint(mark.name);
    connection_->release_savepoint(mark.name);
}

void session::rollback() {
    if (flushing_) throw invalid_request_error("reflorm: rollback() was called during a flush");
    abort_transaction(true);
}

void session::close() {
    while (!batches_.empty()) release_batch(batches_.back());  // yield_per batches first
    if (store_.use_count() == 1) {
        // No handle outlives the store: nobody can see the objects, so only the database
        // needs the rollback.
        abort_transaction(false);
    } else {
        abort_transaction(true);
        for (auto& r : store_->registries)
            if (r) r->detach_all();
    }
    store_ = std::make_shared<orm_detail::object_store>();
}

void session::expire_all() {
    for (auto& r : store_->registries)
        if (r) r->expire_all();
}

void session::expunge_all() {
    for (auto& r : store_->registries)
        if (r) r->detach_all();
}

session::transaction_scope session::begin() {
    if (transaction_) throw invalid_request_error("reflorm: the session has already begun a transaction; commit or roll it back first");
    connect();
    return transaction_scope(*this);
}

session::transaction_scope::transaction_scope(session& s) : session_(s.self_), transaction_(s.transactions_begun_) {}

session* session::transaction_scope::active() const {
    const auto alive = session_.lock();
    session* s = alive ? *alive : nullptr;
    // Ended by the session itself (commit(), rollback(), close()): a later transaction is not ours.
    return s && s->transaction_ && s->transactions_begun_ == transaction_ ? s : nullptr;
}

namespace {

[[noreturn]] void throw_scope_ended(const char* what) {
    throw invalid_request_error(std::string("reflorm: this ") + what +
                                " has already ended (committed, rolled back, or its session was closed or destroyed)");
}

}  // namespace

session::transaction_scope::~transaction_scope() {
    session* s = active();
    if (!s) return;  // ended already, or the session is gone: nothing is left to end
    s->abort_transaction(true);  // noexcept: a failed ROLLBACK drops the connection
}

void session::transaction_scope::commit() {
    session* s = active();
    session_.reset();
    if (!s) throw_scope_ended("transaction scope");
    s->commit();
}

void session::transaction_scope::rollback() {
    session* s = active();
    session_.reset();
    if (!s) throw_scope_ended("transaction scope");
    s->rollback();
}

session::nested_transaction session::begin_nested() {
    flush();
    connect();
    savepoint_mark mark{"reflorm_savepoint_" + std::to_string(++savepoint_counter_), undo_.size(), sequence_};
    connection_->savepoint(mark.name);
    savepoints_.push_back(std::move(mark));
    return nested_transaction(*this, savepoints_.size());
}

session* session::nested_transaction::active() const {
    const auto alive = session_.lock();
    if (!alive) return nullptr;
    session* s = *alive;
    return s->savepoints_.size() >= depth_ ? s : nullptr;
}

session::nested_transaction::~nested_transaction() {
    session* s = active();
    if (s && s->savepoints_.size() == depth_) {
        try {
            s->abort_savepoint(depth_ - 1, true);
        } catch (...) {
        }
    }
}

void session::nested_transaction::commit() {
    session* s = active();
    if (!s || s->savepoints_.size() != depth_)
        throw invalid_request_error("reflorm: this savepoint is no longer active (rolled back, released, its session ended, or "
                                    "an inner one is still open)");
    session_.reset();
    s->flush();
    const std::string name = s->savepoints_.back().name;
    s->savepoints_.pop_back();
    s->connection_->release_savepoint(name);
}

void session::nested_transaction::rollback() {
    session* s = active();
    if (!s) throw invalid_request_error("reflorm: this savepoint is no longer active (rolled back, released, or its session ended)");
    session_.reset();
    s->abort_savepoint(depth_ - 1, true);
}

}  // namespace reflorm
