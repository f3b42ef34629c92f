#include <reflorm/migrate/revision.hpp>

#include <algorithm>

namespace reflorm::migrate {

namespace {

bool valid_id(std::string_view id) {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
}

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) (out += out.empty() ? "" : ", ") += id;
    return out;
}

}  // namespace

void revision_map::add(revision r) {
    if (!valid_id(r.id)) throw migration_error("reflorm: revision id '" + r.id + "' is not 1 to 32 letters, digits or '_'");
    if (!r.down_revision.empty() && !valid_id(r.down_revision))
        throw migration_error("reflorm: revision " + r.id + " has an invalid down_revision '" + r.down_revision + "'");
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

std::vector<std::string> revision_map::heads() const {
    std::vector<std::string> out;
    for (const auto& r : revisions_)
        if (std::none_of(revisions_.begin(), revisions_.end(), [&](const revision& o) { return o.down_revision == r.id; }))
            out.push_back(r.id);
    return out;
}

std::vector<const revision*> revision_map::chain() const {
    std::vector<std::string> firsts;
    for (const auto& r : revisions_) {
        if (r.down_revision.empty()) firsts.push_back(r.id);
        else if (std::none_of(revisions_.begin(), revisions_.end(), [&](const revision& o) { return o.id == r.down_revision; }))
            throw migration_error("reflorm: revision " + r.id + " follows " + r.down_revision + ", which is not a revision of this program");
    }
    const auto tips = heads();
    if (tips.size() > 1)
        throw migration_error("reflorm: Multiple heads are present: " + joined(tips) +
                              ". Each revision's down_revision must be the one before it: edit the later one to follow the other");
    if (firsts.size() > 1) throw migration_error("reflorm: several revisions have no down_revision: " + joined(firsts));
    std::vector<const revision*> out;
    if (revisions_.empty()) return out;
    if (firsts.empty() || tips.empty()) throw migration_error("reflorm: the revisions form a cycle");
    for (const revision* r = find(firsts[0]); r;) {
        out.push_back(r);
        const auto next = std::find_if(revisions_.begin(), revisions_.end(), [&](const revision& o) { return o.down_revision == r->id; });
        r = next == revisions_.end() ? nullptr : &*next;
    }
    if (out.size() != revisions_.size()) throw migration_error("reflorm: the revisions form a cycle");
    return out;
}

revision_map& revisions() {
    static revision_map map;
    return map;
}

registration::registration(revision r) { revisions().add(std::move(r)); }

}  // namespace reflorm::migrate
