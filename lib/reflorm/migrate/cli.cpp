#include <reflorm/dialect/dialect.hpp>
#include <reflorm/engine/engine.hpp>
#include <reflorm/engine/url.hpp>
#include <reflorm/migrate/autogenerate.hpp>
#include <reflorm/migrate/cli.hpp>
#include <reflorm/migrate/compare.hpp>
#include <reflorm/migrate/inspect.hpp>
#include <reflorm/migrate/runner.hpp>
#include <reflorm/sql/errors.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <optional>

namespace reflorm::migrate {

namespace {

namespace fs = std::filesystem;

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct arguments {
    std::string command;
    std::vector<std::string> positional;
    std::string url, dir, message;
    bool sql = false, autogenerate = false, dot = false;
};

std::string env_or(const char* name, std::string fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : fallback;
}

arguments parse(const std::vector<std::string>& args) {
    arguments a;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw usage_error(arg + " needs a value");
            return args[++i];
        };
        if (arg == "--url") a.url = value();
        else if (arg == "--dir") a.dir = value();
        else if (arg == "-m" || arg == "--message") a.message = value();
        else if (arg == "--sql") a.sql = true;
        else if (arg == "--autogenerate") a.autogenerate = true;
        else if (arg == "--dot") a.dot = true;
        else if (arg.starts_with("--") || (arg.size() > 1 && arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9'))) throw usage_error("unknown option " + arg);
        else if (a.command.empty()) a.command = arg;
        else a.positional.push_back(arg);
    }
    if (a.command.empty()) throw usage_error("no command");
    if (a.url.empty()) a.url = env_or("REFLORM_DATABASE_URL", "");
    if (a.dir.empty()) a.dir = env_or("REFLORM_MIGRATIONS_DIR", "migrations");
    return a;
}

constexpr const char* usage_text =
    "usage: <program> [--url URL] [--dir DIR] [--sql] COMMAND\n"
    "commands: init | revision -m MSG [--autogenerate] | merge -m MSG [heads|REV...] | upgrade [head|heads|+N|REV] |\n"
    "          downgrade -N|REV|base | current | history | heads | check | stamp head|heads|base|REV | er-diagram [--dot]\n"
    "The URL comes from --url or REFLORM_DATABASE_URL; DIR from --dir, REFLORM_MIGRATIONS_DIR, or \"migrations\".\n";

std::string the_url(const arguments& a) {
    if (a.url.empty()) throw usage_error("no database URL: give --url or set REFLORM_DATABASE_URL");
    return a.url;
}

const sql::compiler& offline_dialect(const std::string& url) {
    switch (parse_url(url).kind) {
    case backend::sqlite: return dialect::sqlite();
    case backend::postgresql: return dialect::postgresql();
    case backend::mysql: return dialect::mariadb();
    }
    return dialect::sqlite();
}

std::string utc_now() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto day = std::chrono::floor<std::chrono::days>(now);
    const std::chrono::year_month_day ymd(day);
    const std::chrono::hh_mm_ss time(now - day);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d:%02d", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
                  int(time.hours().count()), int(time.minutes().count()), int(time.seconds().count()));
    return text;
}

std::string slug(const std::string& message) {
    std::string out;
    for (char ch : message) {
        const bool word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
        if (word) out += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        else if (!out.empty() && out.back() != '_') out += '_';
        if (out.size() >= 40) break;
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

// DIR/meson.build: the revision sources, for the user's meson.build to compile.
void write_meson_list(const fs::path& dir) {
    std::vector<std::string> sources;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".cpp") sources.push_back(entry.path().filename().string());
    std::sort(sources.begin(), sources.end());
    std::ofstream file(dir / "meson.build");
    file << "# Written by the migration program's init and revision commands: the revision sources.\n"
            "# Compile them into the migration program: executable(..., reflorm_revisions, ...).\n"
            "reflorm_revisions = files(\n";
    for (const auto& s : sources) file << "  '" << s << "',\n";
    file << ")\n";
    if (!file) throw error("reflorm: cannot write " + (dir / "meson.build").string());
}

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) (out += out.empty() ? "" : ", ") += id;
    return out;
}

// The one head a new revision follows; several: merge them first, as Alembic asks.
std::string head_of(const revision_map& map) {
    map.ordered();  // a down_revision that is not a revision, or a cycle: an error here
    const auto heads = map.heads();
    if (heads.size() > 1)
        throw migration_error("reflorm: Multiple heads are present: " + joined(heads) + "; merge them first (merge -m MESSAGE heads)");
    return heads.empty() ? std::string{} : heads[0];
}

bool is_head(const revision_map& map, const std::string& id) {
    const auto heads = map.heads();
    return std::find(heads.begin(), heads.end(), id) != heads.end();
}

// A merge revision of the heads named (all of them for "heads" or none named), as Alembic's merge.
int merge_command(const arguments& a, const revision_map& map, std::ostream& out) {
    if (a.message.empty()) throw usage_error("merge needs -m MESSAGE");
    const fs::path dir(a.dir);
    if (!fs::is_directory(dir)) throw error("reflorm: no directory " + dir.string() + ": run init first");
    map.ordered();
    std::vector<std::string> parents;
    for (const auto& name : a.positional) {
        if (name == "heads") {
            for (const auto& h : map.heads()) parents.push_back(h);
            continue;
        }
        const auto* r = map.find(name);
        if (!r) throw migration_error("reflorm: Can't locate revision identified by '" + name + "'");
        parents.push_back(r->id);
    }
    if (a.positional.empty()) parents = map.heads();
    if (parents.size() < 2) throw migration_error("reflorm: merge needs two revisions or more; there are " + std::to_string(parents.size()));
    revision header{new_revision_id(), parents[0], a.message, utc_now(), nullptr, nullptr, {parents.begin() + 1, parents.end()}};
    const auto name = header.id + (slug(a.message).empty() ? "" : "_" + slug(a.message)) + ".cpp";
    std::ofstream file(dir / name);
    file << revision_source(header, {});
    if (!file) throw error("reflorm: cannot write " + (dir / name).string());
    file.close();
    write_meson_list(dir);
    out << "Generating " << (dir / name).string() << " ... done\n";
    return 0;
}

int check(connection& c, const models_function& models, std::ostream& out) {
    const auto diff = compare(models(c.dialect()), inspect(c), c.dialect().id());
    if (diff.empty()) {
        out << "No new upgrade operations detected.\n";
        return 0;
    }
    out << "New upgrade operations detected:\n";
    for (const auto& op : diff.operations) out << "  " << describe(op) << '\n';
    return 1;
}

int revision_command(const arguments& a, const revision_map& map, const models_function& models, std::ostream& out) {
    if (a.message.empty()) throw usage_error("revision needs -m MESSAGE");
    const fs::path dir(a.dir);
    if (!fs::is_directory(dir)) throw error("reflorm: no directory " + dir.string() + ": run init first");
    revision header{new_revision_id(), head_of(map), a.message, utc_now(), nullptr, nullptr};
    std::vector<operation> ops;
    std::vector<std::string> warnings;
    if (a.autogenerate) {
        auto engine = create_engine(the_url(a));
        auto c = engine.connect();
        migration_context context(c, map, out);
        const auto current = context.current_heads();
        if (current != (header.down_revision.empty() ? std::vector<std::string>{} : std::vector<std::string>{header.down_revision}))
            throw migration_error("reflorm: Target database is not up to date: it is at " +
                                  (current.empty() ? std::string("<base>") : joined(current)) + ", the head is " +
                                  (header.down_revision.empty() ? std::string("<base>") : header.down_revision) + "; upgrade first");
        auto diff = compare(models(c.dialect()), inspect(c), c.dialect().id());
        for (const auto& op : diff.operations) out << describe(op) << '\n';
        for (const auto& w : diff.warnings) out << "warning: " << w << '\n';
        ops = std::move(diff.operations);
        warnings = std::move(diff.warnings);
    }
    const auto name = header.id + (slug(a.message).empty() ? "" : "_" + slug(a.message)) + ".cpp";
    std::ofstream file(dir / name);
    file << revision_source(header, ops, warnings);
    if (!file) throw error("reflorm: cannot write " + (dir / name).string());
    file.close();
    write_meson_list(dir);
    out << "Generating " << (dir / name).string() << " ... done\n";
    return 0;
}

// Newest first, as Alembic's history: "a, b -> m (head) (mergepoint), message"; a revision that
// several follow is a (branchpoint).
int history(const revision_map& map, std::ostream& out) {
    const auto ordered = map.ordered();
    for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
        const auto& r = **it;
        const auto parents = r.down_revisions();
        out << (parents.empty() ? "<base>" : joined(parents)) << " -> " << r.id << (is_head(map, r.id) ? " (head)" : "")
            << (map.children(r.id).size() > 1 ? " (branchpoint)" : "") << (parents.size() > 1 ? " (mergepoint)" : "") << ", " << r.message << '\n';
    }
    return 0;
}

int dispatch(const arguments& a, const revision_map& map, const models_function& models, std::ostream& out) {
    const auto& cmd = a.command;
    const auto target = [&](const char* fallback) -> std::string {
        if (a.positional.empty()) {
            if (!fallback) throw usage_error(cmd + " needs a target revision");
            return fallback;
        }
        return a.positional[0];
    };
    if (cmd == "init") {
        const fs::path dir(a.dir);
        if (fs::exists(dir / "meson.build")) throw error("reflorm: " + dir.string() + " exists already");
        fs::create_directories(dir);
        write_meson_list(dir);
        out << "Creating directory " << dir.string() << " ... done\nGenerating " << (dir / "meson.build").string() << " ... done\n";
        return 0;
    }
    if (cmd == "revision") return revision_command(a, map, models, out);
    if (cmd == "merge") return merge_command(a, map, out);
    if (cmd == "history") return history(map, out);
    if (cmd == "heads") {
        map.ordered();
        for (const auto& h : map.heads()) out << h << " (head)\n";
        return 0;
    }
    if (cmd == "er-diagram") {
        out << models.diagram(a.dot ? er_format::dot : er_format::mermaid);
        return 0;
    }
    const bool runs = cmd == "upgrade" || cmd == "downgrade" || cmd == "stamp";
    if (!runs && cmd != "current" && cmd != "check") throw usage_error("unknown command " + cmd);
    if (a.sql) {
        if (!runs) throw usage_error("--sql applies to upgrade, downgrade and stamp");
        migration_context context(offline_dialect(the_url(a)), map, out);
        if (cmd == "upgrade") context.upgrade(target("head"));
        else if (cmd == "downgrade") context.downgrade(target(nullptr));
        else context.stamp(target(nullptr));
        return 0;
    }
    auto engine = create_engine(the_url(a));
    auto c = engine.connect();
    if (cmd == "check") return check(c, models, out);
    migration_context context(c, map, out);
    if (cmd == "current") {
        for (const auto& current : context.current_heads()) out << current << (is_head(map, current) ? " (head)" : "") << '\n';
        return 0;
    }
    if (cmd == "upgrade") context.upgrade(target("head"));
    else if (cmd == "downgrade") context.downgrade(target(nullptr));
    else context.stamp(target(nullptr));
    return 0;
}

}  // namespace

int run_command(const std::vector<std::string>& args, const revision_map& map, const models_function& models, std::ostream& out,
                std::ostream& err) {
    try {
        return dispatch(parse(args), map, models, out);
    } catch (const usage_error& e) {
        err << "error: " << e.what() << '\n' << usage_text;
        return 2;
    } catch (const std::exception& e) {
        // reflorm's messages mask passwords (url::to_string) and hold no bound values.
        err << "error: " << e.what() << '\n';
        return 1;
    }
}

int main(int argc, char** argv, const revision_map& map, const models_function& models) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return run_command(args, map, models, std::cout, std::cerr);
}

}  // namespace reflorm::migrate
