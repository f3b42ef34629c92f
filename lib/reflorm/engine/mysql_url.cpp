// The MySQL/MariaDB URL's query options, checked without connecting (create_engine calls this
// through validate_url; open_mysql once more), and the URL as SOCI's connect string.
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/mysql_batch.hpp>

#include <algorithm>

namespace reflorm::driver {

namespace {

// A value for SOCI's mysql connect string: single-quoted, quotes and backslashes escaped.
std::string connect_value(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

// The unix socket named in the URL's query (`?host=/run/mysqld/mysqld.sock`), or empty.
std::string socket_of(const url& u) {
    for (const char* key : {"unix_socket", "host"})
        if (auto it = u.query.find(key); it != u.query.end()) return it->second;
    return {};
}

}  // namespace

std::string mysql_detail::connect_parameters(const url& u) {
    std::string parameters;
    if (const std::string socket = socket_of(u); !socket.empty()) parameters += "unix_socket=" + connect_value(socket);
    else if (!u.host.empty()) parameters += "host=" + connect_value(u.host);
    if (u.port) parameters += " port=" + std::to_string(u.port);
    if (!u.username.empty()) parameters += " user=" + connect_value(u.username);
    if (!u.password.empty()) parameters += " password=" + connect_value(u.password);
    if (!u.database.empty()) parameters += " db=" + connect_value(u.database);
    const auto charset = u.query.find("charset");
    parameters += " charset=" + connect_value(charset == u.query.end() ? "utf8mb4" : charset->second);
    if (const auto timeout = u.query.find("connect_timeout"); timeout != u.query.end())
        parameters += " connect_timeout=" + timeout->second;  // digits only (check_mysql_url)
    return parameters;
}

void check_mysql_url(const url& u) {
    for (const auto& [key, value] : u.query) {
        if (key == "charset") {
            const bool word = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            });
            if (!word) throw url_error("reflorm: invalid database URL '" + u.to_string() + "': charset takes a character set name (utf8mb4)");
        } else if (key == "host" || key == "unix_socket") {
            if (!value.starts_with('/'))
                throw url_error("reflorm: invalid database URL '" + u.to_string() + "': " + key + " takes the absolute path of a unix socket");
        } else if (key == "connect_timeout") {  // seconds, as libpq's
            const bool digits = !value.empty() && value.size() < 7 &&
                                std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (!digits || std::stoi(value) == 0)
                throw url_error("reflorm: invalid database URL '" + u.to_string() + "': connect_timeout takes a positive number of seconds");
        } else {
            throw url_error("reflorm: invalid database URL '" + u.to_string() + "': unknown MySQL setting '" + key +
                            "' (accepted: charset, connect_timeout, host, unix_socket)");
        }
    }
}

}  // namespace reflorm::driver
