#pragma once
// Revisions, as Alembic's Script objects: an id, the revision it follows (down_revision), a
// message, a creation date, and upgrade()/downgrade() written against the operations (op). They
// are C++ functions compiled into the user's migration program (docs/migrations.md says why),
// registered at static initialisation by a `registration` object in each revision's source.
#include <reflorm/engine/errors.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace reflorm::migrate {

class operations;

/// A revision, or the chain of revisions, cannot be used: an unknown revision, two heads, a
/// database at a revision the program does not know (ahead of the code), a target behind the
/// current revision for upgrade. The message names the revisions involved.
class migration_error : public error {
public:
    using error::error;
};

/// One revision. `id`: letters, digits and '_' (autogenerate: 12 hex digits, as Alembic's);
/// `down_revision`: the id it follows, empty for the first. `create_date`: "YYYY-MM-DD HH:MM:SS" UTC.
/// A merge revision (Alembic's tuple down_revision) also follows `other_down_revisions`.
struct revision {
    std::string id;
    std::string down_revision;
    std::string message;
    std::string create_date;
    void (*upgrade)(operations&) = nullptr;
    void (*downgrade)(operations&) = nullptr;
    std::vector<std::string> other_down_revisions = {};

    /// down_revision (when set), then other_down_revisions.
    std::vector<std::string> down_revisions() const;
};

/// The revisions of a program: a graph, as Alembic's. Two revisions may follow the same one
/// (a branch: two heads), and a merge revision follows several, joining heads into one.
class revision_map {
public:
    /// Adds `r`. Throws migration_error when its id is empty, has characters other than letters,
    /// digits and '_', or is taken.
    void add(revision r);
    /// The revision whose id is `id` or, as Alembic, begins with it (a unique prefix); nullptr
    /// when none. Throws migration_error when the prefix is ambiguous.
    const revision* find(std::string_view id) const;
    /// The revisions no other revision follows, in the order they were added.
    std::vector<std::string> heads() const;
    /// Every revision, each after those it follows (otherwise in the order they were added).
    /// Throws migration_error for a down_revision that is not a revision, or a cycle.
    std::vector<const revision*> ordered() const;
    /// `id` and every revision it follows, directly or not (none for "").
    std::set<std::string> ancestors(const std::string& id) const;
    /// The revisions that follow `id` directly ("": the first revisions, which follow none).
    std::vector<const revision*> children(const std::string& id) const;
    bool empty() const noexcept { return revisions_.empty(); }

private:
    std::vector<revision> revisions_;
};

/// The program's revisions, filled by `registration` objects.
revision_map& revisions();

/// Registers a revision with revisions() when constructed (a namespace-scope object in the
/// revision's source file). Throws as revision_map::add.
struct registration {
    explicit registration(revision r);
};

}  // namespace reflorm::migrate
