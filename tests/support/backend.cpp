// Backend selection, fresh databases, and the skip check run before a test process's first case.
#include "backend.hpp"

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace reflorm_test {

namespace {

const char* url_variable(backend kind) {
    switch (kind) {
    case backend::postgresql: return "REFLORM_TEST_POSTGRESQL_URL";
    case backend::mysql: return "REFLORM_TEST_MYSQL_URL";
    case backend::sqlite: break;
    }
    return nullptr;
}

std::string next_database_name() {
    static std::atomic<int> counter{0};
    return "reflorm_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

}  // namespace

backend current_backend() {
    const char* name = std::getenv("REFLORM_TEST_BACKEND");
    const std::string_view text = name ? name : "";
    if (text.empty() || text == "sqlite") return backend::sqlite;
    if (text == "postgresql") return backend::postgresql;
    if (text == "mysql") return backend::mysql;
    throw std::runtime_error("REFLORM_TEST_BACKEND is '" + std::string(text) +
                             "'; expected sqlite, postgresql or mysql");
}

std::optional<std::string> server_url(backend kind) {
    const char* variable = url_variable(kind);
    const char* value = variable ? std::getenv(variable) : nullptr;
    if (!value || !*value) return std::nullopt;
    return std::string(value);
}

std::optional<std::string> skip_reason(backend kind) {
    if (kind == backend::sqlite || server_url(kind)) return std::nullopt;
    return std::string(url_variable(kind)) + " is not set: no " + std::string(backend_name(kind)) +
           " server to test on (scripts/test starts one; see docs/backends.md)";
}

std::string with_database(const std::string& url, const std::string& name) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) throw std::runtime_error("with_database: not a URL");
    const auto query = url.find('?', scheme_end + 3);
    const auto path = url.find('/', scheme_end + 3);
    const auto authority_end = path < query ? path : query;
    const std::string tail = query == std::string::npos ? "" : url.substr(query);
    return url.substr(0, authority_end) + "/" + name + tail;
}

database::database(backend kind) : kind_(kind) {
    if (kind_ == backend::sqlite) {
        temp_dir dir;
        name_ = (dir.path / "test.db").string();
        url_ = "sqlite:///" + name_;  // an absolute path: four slashes
        dir_ = std::move(dir.path);
        dir.path.clear();             // now owned by this database
        return;
    }
    server_url_ = server_url(kind_);
    if (!server_url_) throw std::runtime_error(*skip_reason(kind_));
    name_ = next_database_name();
    raw_client::connect(*server_url_).execute("CREATE DATABASE " + name_);
    url_ = with_database(*server_url_, name_);
}

database::~database() {
    try {
        if (kind_ == backend::sqlite) {
            std::error_code ignored;
            std::filesystem::remove_all(dir_, ignored);
        } else if (server_url_) {
            raw_client::connect(*server_url_).execute(
                kind_ == backend::postgresql ? "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"
                                             : "DROP DATABASE IF EXISTS " + name_);
        }
    } catch (const std::exception& e) {
        std::cerr << "warning: could not drop the test database " << name_ << ": " << e.what() << '\n';
    }
}

temp_dir::temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "reflorm-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("temp_dir: mkdtemp failed for " + pattern);
    path = pattern;
}

temp_dir::~temp_dir() {
    if (path.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

namespace {

/// Runs before the first test case of every process linked with the support library: a process
/// for a backend without a server ends with meson's skip code, saying why.
struct skip_without_server {
    skip_without_server() {
        if (const auto reason = skip_reason(current_backend())) {
            std::cout << "SKIPPED on " << backend_name(current_backend()) << ": " << *reason << std::endl;
            std::exit(77);
        }
    }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(skip_without_server);

std::string with_qmarks(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if (sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] >= '1' && sql[i + 1] <= '9') {
            out += '?';
            while (i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') ++i;
        } else {
            out += sql[i];
        }
    }
    return out;
}

std::vector<std::string> with_qmarks(const std::vector<std::string>& statements) {
    std::vector<std::string> out;
    for (const auto& s : statements) out.push_back(with_qmarks(s));
    return out;
}

std::string generated_key_insert(std::string_view table, const std::vector<std::string>& columns, std::string_view key) {
    const backend kind = current_backend();
    std::vector<std::string> names;
    if (kind == backend::sqlite) names.emplace_back(key);
    names.insert(names.end(), columns.begin(), columns.end());
    std::string out = "INSERT INTO " + std::string(table) + " (";
    for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
    out += ") VALUES (";
    for (std::size_t i = 0; i < names.size(); ++i) out += i ? ", ?" : "?";
    out += ')';
    if (kind == backend::postgresql) out += " RETURNING " + std::string(key);
    return out;
}

boost::unit_test::decorator::precondition only_on_sqlite(std::string why) {
    return boost::unit_test::precondition([why = std::move(why)](boost::unit_test::test_unit_id id) {
        boost::test_tools::assertion_result result(current_backend() == backend::sqlite);
        result.message() << "SQLite only: " << why;
        // scripts/test_summary.py counts these lines per backend.
        if (!result)
            std::cout << "SKIPPED CASE " << boost::unit_test::framework::get(id, boost::unit_test::TUT_ANY).p_name.get()
                      << ": SQLite only: " << why << std::endl;
        return result;
    });
}

long peak_kib(bool reset_first) {
    if (reset_first) std::ofstream("/proc/self/clear_refs") << "5";
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

}  // namespace reflorm_test
