#include <reflorm/migrate/revision.hpp>

#include <algorithm>

namespace reflorm::migrate {

namespace {

bool valid_id(std::string_view id) {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
}

}  // namespace

void revision_map::add(revision r) {
    if (!valid_id(r.id)) throw migration_error("reflorm: revision id '" + r.id + "' is not 1 to 32 letters, digits or '_'");
    for (const auto& parent : r.down_revisions())
        if (!valid_id(parent)) throw migration_error("reflorm: revision " + r.id + " has an invalid down_revision '" + parent + "'");
    for (const auto& existing : revisions_)
        if (existing.id == r.id) throw migration_error("reflorm: revision " + r.id + " is registered twice");
    revisions_.push_back(std::move(r));
}

const revision* revision_map::find(std::string_view id) const {
    const revision* found = nullptr;
    for (const auto& r : revisions_) {
        if (r.id == id) return &r;
        if (!id.empty() && r.id.starts_with(id)) {
            if (found) throw migration_error("reflorm: revision prefix '" + std::string(id) + "' matches " + found->id + " and " + r.id);
            found = &r;
        }
    }
    return found;
}

std::vector<std::string> revision::down_revisions() const {
    std::vector<std::string> out;
    if (!down_revision.empty()) out.push_back(down_revision);
    out.insert(out.end(), other_down_revisions.begin(), other_down_revisions.end());
    return out;
}

std::vector<std::string> revision_map::heads() const {
    std::vector<std::string> out;
    for (const auto& r : revisions_)
        if (children(r.id).empty()) out.push_back(r.id);
    return out;
}

std::vector<const revision*> revision_map::children(const std::string& id) const {
    std::vector<const revision*> out;
    for (const auto& r : revisions_) {
        const auto parents = r.down_revisions();
        if (id.empty() ? parents.empty() : std::find(parents.begin(), parents.end(), id) != parents.end()) out.push_back(&r);
    }
    return out;
}

std::vector<const revision*> revision_map::ordered() const {
    for (const auto& r : revisions_)
        for (const auto& parent : r.down_revisions())
            if (std::none_of(revisions_.begin(), revisions_.end(), [&](const revision& o) { return o.id == parent; }))
                throw migration_error("reflorm: revision " + r.id + " follows " + parent + ", which is not a revision of this program");
    std::vector<const revision*> out;
    std::set<std::string> placed;
    while (out.size() < revisions_.size()) {
        const auto before = out.size();
        for (const auto& r : revisions_) {
            if (placed.contains(r.id)) continue;
            const auto parents = r.down_revisions();
            if (!std::all_of(parents.begin(), parents.end(), [&](const std::string& p) { return placed.contains(p); })) continue;
            out.push_back(&r);
            placed.insert(r.id);
        }
        if (out.size() == before) throw migration_error("reflorm: the revisions form a cycle");
    }
    return out;
}

std::set<std::string> revision_map::ancestors(const std::string& id) const {
    std::set<std::string> out;
    std::vector<std::string> pending{id};
    while (!pending.empty()) {
        const auto next = std::move(pending.back());
        pending.pop_back();
        if (next.empty() || !out.insert(next).second) continue;
        const auto r = std::find_if(revisions_.begin(), revisions_.end(), [&](const revision& o) { return o.id == next; });
        if (r != revisions_.end())
            for (auto& parent : r->down_revisions()) pending.push_back(std::move(parent));
    }
    return out;
}

revision_map& revisions() {
    static revision_map map;
    return map;
}

registration::registration(revision r) { revisions().add(std::move(r)); }

}  // namespace reflorm::migrate
