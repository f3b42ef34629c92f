// The samples' command line: `<sample> <data dir> <sqlite file>` or `<sample> <data dir> --url URL`.
#pragma once

#include <reflorm/engine/url.hpp>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace reflorm::samples {

/// Where a sample reads its data and writes its tables.
struct sample_target {
    std::filesystem::path data_dir;
    std::string url;    // reflorm's (SQLAlchemy's) form: sqlite:////abs/file.db, postgresql://user:pw@host:port/db
    std::string where;  // for the report: the SQLite file, or the URL with its password masked
};

/// Parses `argv`: a data directory, then a SQLite file (deleted first: every run starts on a
/// fresh file) or `--url URL` (`--url=URL`). On a usage error prints the usage to std::cerr,
/// with `url_note` after the --url form, and returns nullopt. Throws reflorm::url_error for a
/// malformed URL.
inline std::optional<sample_target> parse_sample_args(int argc, char** argv, const std::string& url_note) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    sample_target target;
    std::vector<std::string> positional;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--url" && i + 1 < args.size()) target.url = args[++i];
        else if (args[i].starts_with("--url=")) target.url = args[i].substr(6);
        else positional.push_back(args[i]);
    }
    if (positional.size() != (target.url.empty() ? 2u : 1u)) {
        std::cerr << "usage: " << argv[0] << " <data dir> <sqlite file>\n"
                  << "       " << argv[0] << " <data dir> --url <database url>   (" << url_note << ")\n";
        return std::nullopt;
    }
    target.data_dir = positional[0];
    if (target.url.empty()) {
        const std::filesystem::path database = std::filesystem::absolute(positional[1]);
        std::filesystem::remove(database);
        // "sqlite:////abs/path.db": three slashes, then the absolute path's own.
        target.url = "sqlite:///" + database.string();
        target.where = database.string();
    } else {
        target.where = reflorm::parse_url(target.url).to_string();
    }
    return target;
}

}  // namespace reflorm::samples
