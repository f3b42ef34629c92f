#pragma once
// Running revisions against a database, as Alembic's MigrationContext and command.upgrade /
// downgrade / stamp / current: the version table reflorm_version(version_num) records the
// revisions the database is at (Alembic's alembic_version): one row per head it has reached,
// one on a single line of revisions, several after upgrading two branches, none at base.
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
    /// Throws migration_error when it is at several heads (current_heads). Offline: throws
    /// invalid_request_error.
    std::string current();
    /// The revisions the database is at: one per head it reached (Alembic's `current` with
    /// branches), in the version table's order; none at base.
    std::vector<std::string> current_heads();

    /// Upgrades to `target`: "head" (the one head), "heads" (every head), "+N" (N revisions on,
    /// from one revision along one line), or a revision id (a unique prefix will do): runs every
    /// revision the target follows that the database lacks, each after those it follows (a
    /// merge revision after all its down_revisions). Offline, "FROM:TO" starts at FROM (an id or
    /// "base"). Throws migration_error for an unknown revision, "head" when there are several
    /// ("Multiple heads are present"), a database at a revision the program does not know (ahead
    /// of the code), a target behind the current revision, "+N" past the head or at a branch, or
    /// a version row that a revision changed (as Alembic, each update must match one row);
    /// database_error from a statement (the failing revision is rolled back where DDL is
    /// transactional); on SQLite, integrity_error when a revision leaves rows whose foreign key
    /// refers to no row.
    void upgrade(std::string_view target);
    /// Downgrades to `target`: "base", "-N" (N revisions back, from one revision along one
    /// line), or a revision id: undoes every revision the database has that follows the target
    /// (on any branch), latest first; the other branches stay. Throws as upgrade.
    void downgrade(std::string_view target);
    /// Records `target` ("head", "heads", "base" or a revision) as the database's revisions
    /// without running anything (Alembic's stamp). Throws migration_error for an unknown revision.
    void stamp(std::string_view target);

private:
    std::vector<std::string> start(std::string_view& target);
    std::vector<std::string> goal(std::string_view target, const std::vector<std::string>& heads);
    void run(const std::vector<const revision*>& steps, bool upgrading, std::vector<std::string> heads);
    void run_one(const revision& r, bool upgrading, const std::string& line, const std::vector<std::string>& from,
                 const std::vector<std::string>& to);
    void write_version(const std::vector<std::string>& from, const std::vector<std::string>& to);
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
