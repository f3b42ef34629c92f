// A PostgreSQL URL as libpq's connection parameters: which query settings are accepted, and the
// conninfo string SOCI's postgresql backend passes to PQconnectdb.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/postgresql_results.hpp>

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

namespace reflorm::driver {

std::string postgresql::connect_string(const url& u) {
    std::string out;
    const auto add = [&](std::string_view key, std::string_view value) {  // key='value', quotes and backslashes escaped
        out += key;
        out += "='";
        for (char c : value) {
            if (c == '\'' || c == '\\') out += '\\';
            out += c;
        }
        out += "' ";
    };
    if (!u.host.empty()) add("host", u.host);
    if (u.port) add("port", std::to_string(u.port));
    if (!u.database.empty()) add("dbname", u.database);
    if (!u.username.empty()) add("user", u.username);
    if (!u.password.empty()) add("password", u.password);
    for (const auto& [key, value] : u.query) add(key, value);
    return out;
}

void check_postgresql_url(const url& u) {
    // Passed to libpq as connection parameters (its documented names).
    static constexpr std::string_view accepted[] = {"application_name", "connect_timeout", "host", "options",
                                                    "sslmode", "sslrootcert", "sslcert", "sslkey", "target_session_attrs"};
    for (const auto& [key, value] : u.query)
        if (std::find(std::begin(accepted), std::end(accepted), key) == std::end(accepted))
            throw url_error("reflorm: invalid database URL '" + u.to_string() + "': unknown PostgreSQL setting '" + key +
                            "' (accepted: application_name, connect_timeout, host, options, sslmode, sslrootcert, sslcert, "
                            "sslkey, target_session_attrs)");
}

}  // namespace reflorm::driver
