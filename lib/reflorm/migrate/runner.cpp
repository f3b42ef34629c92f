#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/op.hpp>
#include <reflorm/migrate/runner.hpp>
#include <reflorm/sql/text.hpp>

#include <charconv>
#include <cstdint>
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

struct migration_context::position {
    std::vector<const revision*> chain;
    std::ptrdiff_t from = -1;  // -1: base
    std::ptrdiff_t to = -1;
};

migration_context::migration_context(connection& c, const revision_map& map, std::ostream& log, naming_convention naming)
    : conn_(&c), dialect_(&c.dialect()), map_(&map), out_(&log), naming_(std::move(naming)) {}

migration_context::migration_context(const sql::compiler& dialect, const revision_map& map, std::ostream& out, naming_convention naming)
    : dialect_(&dialect), map_(&map), out_(&out), naming_(std::move(naming)) {}

std::string migration_context::current() {
    if (!conn_) throw invalid_request_error("reflorm: an offline (--sql) run reads no database: give the starting revision as FROM:TO");
    if (!version_table_exists(*conn_)) return {};
    std::vector<std::string> rows;
    for (const auto& [v] : conn_->execute(text("SELECT version_num FROM reflorm_version").columns<std::string>()).all()) rows.push_back(v);
    if (rows.size() > 1) throw migration_error("reflorm: reflorm_version holds " + std::to_string(rows.size()) + " rows; it must hold one (use stamp)");
    return rows.empty() ? std::string{} : rows[0];
}

migration_context::position migration_context::resolve(std::string_view target, bool upgrading) {
    position p;
    p.chain = map_->chain();
    const auto index_of = [&](std::string_view id, const char* what) -> std::ptrdiff_t {
        if (id.empty() || id == "base") return -1;
        if (id == "head") return static_cast<std::ptrdiff_t>(p.chain.size()) - 1;
        const auto* r = map_->find(id);
        if (!r) throw migration_error("reflorm: Can't locate revision identified by '" + std::string(id) + "' (" + what + ")");
        for (std::size_t i = 0; i < p.chain.size(); ++i)
            if (p.chain[i] == r) return static_cast<std::ptrdiff_t>(i);
        return -1;
    };
    std::string from;
    if (conn_) {
        from = current();
        if (!from.empty() && !map_->find(from))
            throw migration_error("reflorm: the database is at revision " + from +
                                  ", which this program does not know: the database is ahead of the code (or was migrated by another program)");
    } else if (const auto colon = target.find(':'); colon != std::string_view::npos) {
        from = std::string(target.substr(0, colon));
        target = target.substr(colon + 1);
    }
    p.from = index_of(from, "the starting revision");
    const auto count = static_cast<std::ptrdiff_t>(p.chain.size());
    if (const auto n = relative(target, upgrading ? '+' : '-')) {
        // Bounded before the step: from + n could overflow (upgrade +9223372036854775807).
        if (upgrading ? *n > count - 1 - p.from : *n > p.from + 1)
            throw migration_error("reflorm: relative revision " + std::string(target) + " goes " + (upgrading ? "past the head" : "before base") +
                                  " from " + shown(from));
        p.to = upgrading ? p.from + *n : p.from - *n;
    } else {
        p.to = index_of(target, "the target");
    }
    if (upgrading && p.to < p.from)
        throw migration_error("reflorm: " + std::string(target) + " is behind the current revision " + shown(from) + ": use downgrade");
    if (!upgrading && p.to > p.from)
        throw migration_error("reflorm: " + std::string(target) + " is ahead of the current revision " + shown(from) + ": use upgrade");
    return p;
}

void migration_context::upgrade(std::string_view target) {
    auto p = resolve(target, true);
    run(p.chain, p.from, p.to);
}

void migration_context::downgrade(std::string_view target) {
    auto p = resolve(target, false);
    run(p.chain, p.from, p.to);
}

void migration_context::stamp(std::string_view target) {
    const auto chain = map_->chain();
    std::string to;
    if (target == "head") {
        if (!chain.empty()) to = chain.back()->id;
    } else if (target != "base") {
        const auto* r = map_->find(target);
        if (!r) throw migration_error("reflorm: Can't locate revision identified by '" + std::string(target) + "'");
        to = r->id;
    }
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

std::string migration_context::version_literal(const std::string& id) const { return "'" + id + "'"; }  // ids are [A-Za-z0-9_]

void migration_context::write_version(const std::string& from, const std::string& to) {
    if (from == to) return;
    if (!conn_) {
        if (from.empty()) *out_ << "INSERT INTO reflorm_version (version_num) VALUES (" << version_literal(to) << ");\n\n";
        else if (to.empty()) *out_ << "DELETE FROM reflorm_version WHERE version_num = " << version_literal(from) << ";\n\n";
        else *out_ << "UPDATE reflorm_version SET version_num = " << version_literal(to) << " WHERE version_num = " << version_literal(from) << ";\n\n";
        return;
    }
    if (from.empty()) {
        conn_->execute(text("INSERT INTO reflorm_version (version_num) VALUES (:v)").bind("v", to));
        return;
    }
    // As Alembic: the row of `from` must be the one changed (a revision may have touched the table).
    const auto changed = to.empty() ? conn_->execute(text("DELETE FROM reflorm_version WHERE version_num = :v").bind("v", from)).rowcount()
                                    : conn_->execute(text("UPDATE reflorm_version SET version_num = :to WHERE version_num = :from")
                                                         .bind("to", to)
                                                         .bind("from", from))
                                          .rowcount();
    if (changed != 1)
        throw migration_error("reflorm: expected to match one row when " + (to.empty() ? "deleting " + from : "updating " + from + " to " + to) +
                              " in reflorm_version; " + std::to_string(changed) + " rows matched");
}

void migration_context::run(const std::vector<const revision*>& chain, std::ptrdiff_t from, std::ptrdiff_t to) {
    if (from == to) return;
    ensure_version_table();
    if (!conn_) {
        // The schema the revisions before FROM built, for SQLite's batch mode: replayed silently.
        std::ostringstream discard;
        operations replay(*dialect_, discard, {}, naming_);
        for (std::ptrdiff_t i = 0; i <= from; ++i) chain[static_cast<std::size_t>(i)]->upgrade(replay);
        offline_schema_ = replay.schema();
    }
    const auto id = [&](std::ptrdiff_t i) { return i < 0 ? std::string{} : chain[static_cast<std::size_t>(i)]->id; };
    if (to > from)
        for (auto i = from + 1; i <= to; ++i) run_one(*chain[static_cast<std::size_t>(i)], true, id(i - 1), id(i));
    else
        for (auto i = from; i > to; --i) run_one(*chain[static_cast<std::size_t>(i)], false, id(i), id(i - 1));
}

void migration_context::run_one(const revision& r, bool upgrading, const std::string& from, const std::string& to) {
    const auto step = upgrading ? r.upgrade : r.downgrade;
    const std::string line = std::string(upgrading ? "Running upgrade " : "Running downgrade ") + shown(from) + " -> " + shown(to) + ", " + r.message;
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
