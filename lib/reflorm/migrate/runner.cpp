#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/op.hpp>
#include <reflorm/migrate/runner.hpp>
#include <reflorm/sql/literal.hpp>
#include <reflorm/sql/text.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>
#include <sstream>

namespace reflorm::migrate {

namespace {

using sql::dialect_id;

bool transactional_ddl(dialect_id d) { return d == dialect_id::sqlite || d == dialect_id::postgresql; }

std::int64_t count_of(connection& c, const std::string& sql, const std::string& table) {
    std::int64_t n = 0;
    for (const auto& [value] : c.execute(text(sql).bind("t", table).columns<std::int64_t>()).all()) n = value;
    return n;
}

bool version_table_exists(connection& c) {
    const std::string t(version_table);
    switch (c.dialect().id()) {
    case dialect_id::sqlite: return count_of(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :t", t) > 0;
    case dialect_id::postgresql:
        return count_of(c, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = :t", t) > 0;
    default: return count_of(c, "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :t", t) > 0;
    }
}

// "+N" / "-N": N, else nullopt.
std::optional<std::ptrdiff_t> relative(std::string_view target, char sign) {
    if (target.size() < 2 || target[0] != sign) return std::nullopt;
    std::ptrdiff_t n = 0;
    const auto [end, error] = std::from_chars(target.data() + 1, target.data() + target.size(), n);
    if (error != std::errc{} || end != target.data() + target.size() || n < 0) return std::nullopt;
    return n;
}

std::string shown(const std::string& id) { return id.empty() ? "<base>" : id; }

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) (out += out.empty() ? "" : ", ") += id;
    return out;
}

// The one revision a relative target moves from ("" at base).
std::string single_head(const std::vector<std::string>& heads, std::string_view target) {
    if (heads.size() > 1)
        throw migration_error("reflorm: relative revision " + std::string(target) + " is ambiguous: the database is at several heads: " + joined(heads));
    return heads.empty() ? std::string{} : heads[0];
}

std::string at_start(const std::vector<std::string>& heads) { return heads.empty() ? std::string{} : heads[0]; }

// Every revision the database has when it is at `heads`.
std::set<std::string> applied_of(const revision_map& map, const std::vector<std::string>& heads) {
    std::set<std::string> out;
    for (const auto& h : heads) out.merge(map.ancestors(h));
    return out;
}

// Restores PRAGMA foreign_keys = ON on SQLite when a revision ends, however it ends.
struct foreign_keys_back_on {
    connection* c = nullptr;
    ~foreign_keys_back_on() {
        if (!c) return;
        // A connection whose foreign keys stay off (the PRAGMA failed, or was ignored inside a
        // transaction still open) must not go back to the pool: it is invalidated.
        try {
            c->exec_driver_sql("PRAGMA foreign_keys = ON");
            std::int64_t on = 0;
            for (const auto& [v] : c->execute(text("SELECT foreign_keys FROM pragma_foreign_keys").columns<std::int64_t>()).all()) on = v;
            if (on != 1) c->invalidate();
        } catch (...) {  // a destructor must not throw
            c->invalidate();
        }
    }
};

}  // namespace

migration_context::migration_context(connection& c, const revision_map& map, std::ostream& log, naming_convention naming)
    : conn_(&c), dialect_(&c.dialect()), map_(&map), out_(&log), naming_(std::move(naming)) {}

migration_context::migration_context(const sql::compiler& dialect, const revision_map& map, std::ostream& out, naming_convention naming)
    : dialect_(&dialect), map_(&map), out_(&out), naming_(std::move(naming)) {}

std::vector<std::string> migration_context::current_heads() {
    if (!conn_) throw invalid_request_error("reflorm: an offline (--sql) run reads no database: give the starting revision as FROM:TO");
    if (!version_table_exists(*conn_)) return {};
    std::vector<std::string> rows;
    for (const auto& [v] : conn_->execute(text("SELECT version_num FROM reflorm_version ORDER BY version_num").columns<std::string>()).all())
        rows.push_back(v);
    return rows;
}

std::string migration_context::current() {
    const auto rows = current_heads();
    if (rows.size() > 1) throw migration_error("reflorm: the database is at several heads: " + joined(rows) + " (current_heads lists them)");
    return rows.empty() ? std::string{} : rows[0];
}

// The revisions the run starts from: the database's, or offline FROM of "FROM:TO" (taken off `target`).
std::vector<std::string> migration_context::start(std::string_view& target) {
    if (conn_) {
        auto heads = current_heads();
        for (const auto& h : heads)
            if (!map_->find(h))
                throw migration_error("reflorm: the database is at revision " + h +
                                      ", which this program does not know: the database is ahead of the code (or was migrated by another program)");
        return heads;
    }
    const auto colon = target.find(':');
    if (colon == std::string_view::npos) return {};
    const auto from = target.substr(0, colon);
    target = target.substr(colon + 1);
    if (from.empty() || from == "base") return {};
    const auto* r = map_->find(from);
    if (!r) throw migration_error("reflorm: Can't locate revision identified by '" + std::string(from) + "' (the starting revision)");
    return {r->id};
}

// The revisions `target` names ("base": none).
std::vector<std::string> migration_context::goal(std::string_view target, const std::vector<std::string>& heads) {
    if (target.empty() || target == "base") return {};
    if (target == "heads") return map_->heads();
    if (target == "head") {
        const auto all = map_->heads();
        if (all.size() > 1)
            throw migration_error("reflorm: Multiple heads are present: " + joined(all) +
                                  "; for 'head' give one target revision, 'heads' for all of them, or merge them (merge -m MESSAGE heads)");
        return all;
    }
    if (const auto n = relative(target, '+')) {
        std::string at = single_head(heads, target);
        for (std::ptrdiff_t i = 0; i < *n; ++i) {
            std::vector<std::string> next;
            for (const auto* r : map_->children(at)) next.push_back(r->id);
            if (next.empty()) throw migration_error("reflorm: relative revision " + std::string(target) + " goes past the head from " + shown(at_start(heads)));
            if (next.size() > 1)
                throw migration_error("reflorm: relative revision " + std::string(target) + " is ambiguous at " + shown(at) +
                                      ": it has several next revisions, " + joined(next) + "; name the target");
            at = next[0];
        }
        return {at};
    }
    const auto* r = map_->find(target);
    if (!r) throw migration_error("reflorm: Can't locate revision identified by '" + std::string(target) + "' (the target)");
    return {r->id};
}

void migration_context::upgrade(std::string_view target) {
    const auto heads = start(target);
    const auto applied = applied_of(*map_, heads);
    const auto wanted_heads = goal(target, heads);
    for (const auto& g : wanted_heads)
        if (applied.contains(g) && std::find(heads.begin(), heads.end(), g) == heads.end())
            throw migration_error("reflorm: " + std::string(target) + " is behind the current revision " + shown(joined(heads)) + ": use downgrade");
    const auto wanted = applied_of(*map_, wanted_heads);
    std::vector<const revision*> steps;
    for (const auto* r : map_->ordered())
        if (wanted.contains(r->id) && !applied.contains(r->id)) steps.push_back(r);
    run(steps, true, heads);
}

void migration_context::downgrade(std::string_view target) {
    const auto heads = start(target);
    if (const auto n = relative(target, '-')) {
        // The latest N revisions along one line (undoing a merge revision brings back its heads).
        std::vector<const revision*> steps;
        std::string at = single_head(heads, target);
        for (std::ptrdiff_t i = 0; i < *n; ++i) {
            if (at.empty()) throw migration_error("reflorm: relative revision " + std::string(target) + " goes before base from " + shown(at_start(heads)));
            const auto* r = map_->find(at);
            steps.push_back(r);
            const auto parents = r->down_revisions();
            if (parents.size() > 1 && i + 1 < *n)
                throw migration_error("reflorm: relative revision " + std::string(target) + " is ambiguous at " + at +
                                      ": it has several previous revisions, " + joined(parents) + "; name the target");
            at = parents.empty() ? std::string{} : parents[0];
        }
        run(steps, false, heads);
        return;
    }
    const auto applied = applied_of(*map_, heads);
    const auto to = goal(target, heads);
    if (to.size() > 1) throw migration_error("reflorm: downgrade needs one target revision, not " + joined(to));
    const std::string keep = to.empty() ? std::string{} : to[0];
    if (!keep.empty() && !applied.contains(keep))
        throw migration_error("reflorm: " + std::string(target) + " is ahead of the current revision " + shown(joined(heads)) + ": use upgrade");
    // What follows the target (every applied revision, for base), latest first.
    std::vector<const revision*> steps;
    const auto ordered = map_->ordered();
    for (auto it = ordered.rbegin(); it != ordered.rend(); ++it)
        if (applied.contains((*it)->id) && (*it)->id != keep && (keep.empty() || map_->ancestors((*it)->id).contains(keep))) steps.push_back(*it);
    run(steps, false, heads);
}

void migration_context::stamp(std::string_view target) {
    std::vector<std::string> to = goal(target, {});
    ensure_version_table();
    if (!conn_) {
        write_version({}, to);
        return;
    }
    auto tx = conn_->begin();
    conn_->exec_driver_sql("DELETE FROM reflorm_version");
    write_version({}, to);
    tx.commit();
}

void migration_context::ensure_version_table() {
    const std::string sql =
        "CREATE TABLE IF NOT EXISTS reflorm_version (\n\tversion_num VARCHAR(32) NOT NULL,\n\tCONSTRAINT reflorm_version_pkc PRIMARY KEY (version_num)\n)";
    if (conn_) conn_->exec_driver_sql(sql);
    else *out_ << sql << ";\n\n";
}

std::string migration_context::version_literal(const std::string& id) const { return sql::quote_string(id); }

// Moves the version rows from `from` to `to`: an UPDATE per pair, then a DELETE per extra row of
// `from` or an INSERT per extra one of `to` (a merge updates one parent's row and deletes the
// others'; a revision after a branch point, whose parent another head follows, inserts a row).
void migration_context::write_version(const std::vector<std::string>& from, const std::vector<std::string>& to) {
    for (std::size_t i = 0; i < std::max(from.size(), to.size()); ++i) {
        const std::string old = i < from.size() ? from[i] : std::string{}, now = i < to.size() ? to[i] : std::string{};
        if (!conn_) {
            if (old.empty()) *out_ << "INSERT INTO reflorm_version (version_num) VALUES (" << version_literal(now) << ");\n\n";
            else if (now.empty()) *out_ << "DELETE FROM reflorm_version WHERE version_num = " << version_literal(old) << ";\n\n";
            else *out_ << "UPDATE reflorm_version SET version_num = " << version_literal(now) << " WHERE version_num = " << version_literal(old) << ";\n\n";
            continue;
        }
        if (old.empty()) {
            conn_->execute(text("INSERT INTO reflorm_version (version_num) VALUES (:v)").bind("v", now));
            continue;
        }
        // As Alembic: the row of `old` must be the one changed (a revision may have touched the table).
        const auto changed = now.empty() ? conn_->execute(text("DELETE FROM reflorm_version WHERE version_num = :v").bind("v", old)).rowcount()
                                         : conn_->execute(text("UPDATE reflorm_version SET version_num = :to WHERE version_num = :from")
                                                              .bind("to", now)
                                                              .bind("from", old))
                                               .rowcount();
        if (changed != 1)
            throw migration_error("reflorm: expected to match one row when " + (now.empty() ? "deleting " + old : "updating " + old + " to " + now) +
                                  " in reflorm_version; " + std::to_string(changed) + " rows matched");
    }
}

void migration_context::run(const std::vector<const revision*>& steps, bool upgrading, std::vector<std::string> heads) {
    if (steps.empty()) return;
    ensure_version_table();
    auto applied = applied_of(*map_, heads);
    if (!conn_) {
        // The schema the revisions before FROM built, for SQLite's batch mode: replayed silently.
        std::ostringstream discard;
        operations replay(*dialect_, discard, {}, naming_);
        for (const auto* r : map_->ordered())
            if (applied.contains(r->id) && r->upgrade) r->upgrade(replay);
        offline_schema_ = replay.schema();
    }
    for (const auto* r : steps) {
        const auto parents = r->down_revisions();
        std::vector<std::string> from, to;
        if (upgrading) {
            for (const auto& p : parents)
                if (std::find(heads.begin(), heads.end(), p) != heads.end()) from.push_back(p);
            to.push_back(r->id);
            applied.insert(r->id);
        } else {
            from.push_back(r->id);
            applied.erase(r->id);
            // A parent becomes a head again unless another applied revision follows it.
            for (const auto& p : parents)
                if (std::none_of(applied.begin(), applied.end(), [&](const std::string& a) {
                        const auto& others = map_->find(a)->down_revisions();
                        return std::find(others.begin(), others.end(), p) != others.end();
                    }))
                    to.push_back(p);
        }
        const auto line = std::string(upgrading ? "Running upgrade " : "Running downgrade ") +
                          (upgrading ? shown(joined(parents)) + " -> " + r->id : r->id + " -> " + shown(joined(parents))) + ", " + r->message;
        run_one(*r, upgrading, line, from, to);
        std::erase_if(heads, [&](const std::string& h) { return std::find(from.begin(), from.end(), h) != from.end(); });
        heads.insert(heads.end(), to.begin(), to.end());
    }
}

void migration_context::run_one(const revision& r, bool upgrading, const std::string& line, const std::vector<std::string>& from,
                                const std::vector<std::string>& to) {
    const auto step = upgrading ? r.upgrade : r.downgrade;
    const bool transactional = transactional_ddl(dialect_->id());
    if (!conn_) {
        *out_ << "-- " << line << "\n\n";
        if (transactional) *out_ << "BEGIN;\n\n";
        operations op(*dialect_, *out_, std::move(offline_schema_), naming_);
        if (step) step(op);
        offline_schema_ = op.schema();
        write_version(from, to);
        if (transactional) *out_ << "COMMIT;\n\n";
        return;
    }
    *out_ << line << '\n';
    foreign_keys_back_on restore;
    if (dialect_->id() == dialect_id::sqlite) {
        std::int64_t on = 0;
        for (const auto& [v] : conn_->execute(text("SELECT foreign_keys FROM pragma_foreign_keys").columns<std::int64_t>()).all()) on = v;
        if (on) {
            // Outside the transaction: inside one, SQLite ignores it.
            conn_->exec_driver_sql("PRAGMA foreign_keys = OFF");
            restore.c = conn_;
        }
    }
    std::optional<transaction> tx;
    if (transactional) tx.emplace(conn_->begin());
    operations op(*conn_, inspect(*conn_), naming_);
    if (step) step(op);
    if (restore.c) {
        const auto broken = conn_->execute(text("SELECT \"table\", parent FROM pragma_foreign_key_check").columns<std::string, std::string>()).all();
        if (!broken.empty()) {
            const auto& [table, parent] = broken.front();
            throw integrity_error(integrity_error::kind::foreign_key,
                                  "revision " + r.id + " leaves " + std::to_string(broken.size()) +
                                      (broken.size() == 1 ? " foreign key violation" : " foreign key violations") + " (the first: a row of " + table + " whose foreign key to " + parent +
                                      " refers to no row); rolled back",
                                  "PRAGMA foreign_key_check");
        }
    }
    write_version(from, to);
    if (tx) tx->commit();
}

}  // namespace reflorm::migrate
