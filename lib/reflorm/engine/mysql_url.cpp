// The MySQL/MariaDB URL's query options, checked without connecting (create_engine calls this
// through validate_url; open_mysql once more).
#include <reflorm/engine/driver.hpp>
#include <reflorm/engine/errors.hpp>

#include <algorithm>

namespace reflorm::driver {

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
        } else {
            throw url_error("reflorm: invalid database URL '" + u.to_string() + "': unknown MySQL setting '" + key +
                            "' (accepted: charset, host, unix_socket)");
        }
    }
}

}  // namespace reflorm::driver
