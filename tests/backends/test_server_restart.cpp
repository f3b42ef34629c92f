// The server restarts between two checkouts (issue 14 item 3), on PostgreSQL and MariaDB: with
// pool_pre_ping the caller notices nothing; without it the first statement fails with
// operational_error, nothing of it is written, and the next checkout works. The shared test
// servers are never restarted: each case starts a server of its own with scripts/server_instance
// (REFLORM_SERVER_INSTANCE), stops it and starts it again on the same port and data, and removes
// it at the end, also when the case fails (the own_server destructor; a watchdog the script
// starts removes it if this process is killed).
#define BOOST_TEST_MODULE server_restart
#include <boost/test/unit_test.hpp>

#include "support/backend.hpp"

#include <reflorm/reflorm.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using reflorm_test::backend;

struct Entry {
    std::int64_t id = 0;
    std::string note;
};

template <>
struct reflorm::model<Entry> {
    static constexpr auto columns = reflorm::columns(reflorm::max_length<&Entry::note, 40>);
};

namespace {

using clock_type = std::chrono::steady_clock;

/// Runs `command` through the shell and returns its stdout; throws std::runtime_error when it
/// exits non-zero (its stderr, the server's log on a failed start, goes to this test's stderr).
std::string run(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
    if (!pipe) throw std::runtime_error("cannot run: " + command);
    std::string out;
    std::array<char, 512> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) out.append(buffer.data(), n);
    const int status = pclose(pipe.release());
    if (status != 0) throw std::runtime_error("failed (status " + std::to_string(status) + "): " + command);
    return out;
}

/// A server of the backend under test, in a directory of its own, for this process only.
class own_server {
public:
    explicit own_server(backend kind) : kind_(reflorm_test::backend_name(kind)) {
        const char* script = std::getenv("REFLORM_SERVER_INSTANCE");
        if (!script) throw std::runtime_error("REFLORM_SERVER_INSTANCE (scripts/server_instance) is not set");
        script_ = script;
        const std::string out = run(command("create " + kind_ + " " + std::to_string(getpid())));
        const auto newline = out.find('\n');
        dir_ = out.substr(0, newline);
        url_ = out.substr(newline + 1);
        while (!url_.empty() && url_.back() == '\n') url_.pop_back();
        if (dir_.empty() || url_.empty()) throw std::runtime_error("scripts/server_instance printed no directory and URL");
    }
    ~own_server() {
        try {
            run(command("remove " + dir_));
        } catch (const std::exception& e) {
            BOOST_TEST_MESSAGE("could not remove the server in " << dir_ << ": " << e.what());
        }
    }
    own_server(const own_server&) = delete;
    own_server& operator=(const own_server&) = delete;

    const std::string& url() const noexcept { return url_; }

    /// Stops the server and starts it again on the same port and data; returns how long it took.
    std::chrono::milliseconds restart() {
        const auto start = clock_type::now();
        run(command("stop " + kind_ + " " + dir_));
        run(command("start " + kind_ + " " + dir_));
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start);
    }

private:
    // A start may take 10 s at most (a loaded machine); it takes 0.2 s to 2 s.
    std::string command(const std::string& arguments) const { return "REFLORM_SERVER_TIMEOUT=10 '" + script_ + "' " + arguments; }
    std::string kind_, script_, dir_, url_;
};

/// Counts the pool's invalidate events while it lives.
struct invalidations {
    reflorm::engine& engine;
    std::size_t count = 0;
    std::size_t id = engine.add_pool_listener([this](const reflorm::pool_event& event) {
        if (event.kind == reflorm::pool_event_kind::invalidate) ++count;
    });
    ~invalidations() { engine.remove_listener(id); }
};

std::vector<std::string> notes(const std::string& url) {
    std::vector<std::string> out;
    auto raw = reflorm_test::raw_client::connect(url);
    const std::string table(reflorm::schema::table_of<Entry>.name);
    for (const auto& row : raw.rows("SELECT note FROM " + table + " ORDER BY id")) out.push_back(row.at(0).value_or("NULL"));
    return out;
}

std::vector<Entry> entries(std::initializer_list<const char*> names) {
    std::vector<Entry> out;
    for (const char* name : names) out.push_back({0, name});
    return out;
}

}  // namespace

/// A server of its own with one row written ("before") through an engine's pooled connection,
/// then restarted while that connection is idle in the pool.
struct restarted {
    clock_type::time_point started = clock_type::now();
    own_server server{reflorm_test::current_backend()};
    reflorm::engine engine;
    explicit restarted(bool pre_ping) : engine(reflorm::create_engine(server.url(), {.pool_size = 2, .pool_pre_ping = pre_ping})) {
        reflorm::create_all<Entry>(engine);
        {
            auto conn = engine.connect();
            Entry first{0, "before"};
            conn.insert(first);
        }
        BOOST_TEST_MESSAGE("restart in " << server.restart().count() << " ms");
    }
    ~restarted() {
        BOOST_TEST_MESSAGE("case in " << std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started).count()
                                      << " ms");
    }
};

BOOST_AUTO_TEST_CASE(with_pre_ping_a_restart_between_checkouts_goes_unnoticed) {
    restarted r(true);
    invalidations seen{r.engine};
    {
        auto conn = r.engine.connect();  // the ping fails: a new connection, unseen by the caller
        auto rows = entries({"after 1", "after 2"});
        conn.insert_all(rows);
        BOOST_TEST(conn.count(reflorm::select<Entry>()) == 3);
    }
    BOOST_TEST(seen.count >= 1u);  // the dead connection was replaced
    BOOST_TEST((notes(r.server.url()) == std::vector<std::string>{"before", "after 1", "after 2"}));
}

BOOST_AUTO_TEST_CASE(without_pre_ping_the_first_statement_fails_and_the_next_checkout_works) {
    restarted r(false);
    invalidations seen{r.engine};
    auto lost = entries({"lost 1", "lost 2"});
    {
        auto conn = r.engine.connect();  // the pooled connection the server dropped, unchecked
        BOOST_CHECK_THROW(conn.insert_all(lost), reflorm::operational_error);
    }
    BOOST_TEST(lost[0].id == 0);  // no generated key kept from a failed insert
    BOOST_TEST(seen.count >= 1u);  // closed, not returned to the pool
    {
        auto conn = r.engine.connect();  // a new connection
        auto rows = entries({"after"});
        conn.insert_all(rows);
    }
    BOOST_TEST((notes(r.server.url()) == std::vector<std::string>{"before", "after"}));  // nothing of the failed statement
}
