#pragma once
// Revisions, as Alembic's Script objects: an id, the revision it follows (down_revision), a
// message, a creation date, and upgrade()/downgrade() written against the operations (op). They
// are C++ functions compiled into the user's migration program (docs/migrations.md says why),
// registered at static initialisation by a `registration` object in each revision's source.
#include <reflorm/engine/errors.hpp>

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
struct revision {
    std::string id;
    std::string down_revision;
    std::string message;
    std::string create_date;
    void (*upgrade)(operations&) = nullptr;
    void (*downgrade)(operations&) = nullptr;
};

/// The revisions of a program. Alembic's branches and merges are not supported: the revisions
/// must form one chain.
class revision_map {
public:
    /// Adds `r`. Throws migration_error when its id is empty, has characters other than letters,
    /// digits and '_', or is taken.
    void add(revision r);
    /// The revision whose id is `id` or, as Alembic, begins with it (a unique prefix); nullptr
    /// when none. Throws migration_error when the prefix is ambiguous.
    const revision* find(std::string_view id) const;
    /// The revisions no other revision follows.
    std::vector<std::string> heads() const;
    /// The revisions from the first to the head. Throws migration_error when there are two heads
    /// ("Multiple heads are present: a, b"), a down_revision that is not a revision, two first
    /// revisions, or a cycle.
    std::vector<const revision*> chain() const;
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
