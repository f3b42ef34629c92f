#pragma once
// Running revisions against a database, as Alembic's MigrationContext and command.upgrade /
// downgrade / stamp / current: the version table reflorm_version(version_num) records the
// revision the database is at (Alembic's alembic_version), one row, none at base.
//
// Transactions: each revision runs in its own transaction on PostgreSQL and SQLite, whose DDL is
// transactional, and the version row is updated in it: a failing revision leaves the database
// at the revision before. MariaDB commits around every DDL statement, so a revision runs
// statement by statement; the version row is written after each revision, so a rerun resumes
// from the first revision that did not finish, but a revision that failed halfway has left its
// earlier statements done (docs/migrations.md: what to do then). On SQLite, foreign keys are
// switched off around each revision's transaction and PRAGMA foreign_key_check runs before its
// COMMIT, as SQLite's procedure for schema changes prescribes.
#include <reflorm/migrate/naming_convention.hpp>
#include <reflorm/migrate/revision.hpp>
#include <reflorm/migrate/schema_model.hpp>
#include <reflorm/engine/connection.hpp>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace reflorm::migrate {

/// The version table's name.
inline constexpr std::string_view version_table = "reflorm_version";

class migration_context {
public:
    /// Online: runs revisions of `map` on `c`. `log` gets one line per revision run
    /// ("Running upgrade a -> b, message"), as Alembic's.
    migration_context(connection& c, const revision_map& map, std::ostream& log, naming_convention naming = {});
    /// Offline (--sql): prints the SQL of each revision, with the version table's statements and
    /// BEGIN/COMMIT where the dialect has transactional DDL, to `out`; the database is not read,
    /// so the starting revision is given to upgrade/downgrade ("FROM:TO"), base by default.
    migration_context(const sql::compiler& dialect, const revision_map& map, std::ostream& out, naming_convention naming = {});

    /// The revision the database is at; empty at base (no version row, or no version table).
    /// Throws migration_error when the table holds several rows. Offline: throws invalid_request_error.
    std::string current();

    /// Upgrades to `target`: "head", "+N" (N revisions on), or a revision id (a unique prefix
    /// will do). Offline, "FROM:TO" starts at FROM (an id or "base"). Throws migration_error for
    /// an unknown revision, two heads, a database at a revision the program does not know (ahead
    /// of the code), a target behind the current revision or past the head ("+N"), or a version
    /// row that a revision changed (as Alembic, its update must match one row); database_error
    /// from a statement (the failing revision is rolled back where DDL is transactional); on
    /// SQLite, integrity_error when a revision leaves rows whose foreign key refers to no row.
    void upgrade(std::string_view target);
    /// Downgrades to `target`: "base", "-N" (N revisions back), or a revision id. Throws as upgrade.
    void downgrade(std::string_view target);
    /// Records `target` ("head", "base" or a revision) as the database's revision without running
    /// anything (Alembic's stamp). Throws migration_error for an unknown revision.
    void stamp(std::string_view target);

private:
    struct position;
    position resolve(std::string_view target, bool upgrading);
    void run(const std::vector<const revision*>& chain, std::ptrdiff_t from, std::ptrdiff_t to);
    void run_one(const revision& r, bool upgrading, const std::string& from, const std::string& to);
    void write_version(const std::string& from, const std::string& to);
    void ensure_version_table();
    std::string version_literal(const std::string& id) const;

    connection* conn_ = nullptr;
    const sql::compiler* dialect_ = nullptr;
    const revision_map* map_ = nullptr;
    std::ostream* out_ = nullptr;
    naming_convention naming_;
    schema_model offline_schema_;  // offline: the schema the revisions printed so far build
};

}  // namespace reflorm::migrate
