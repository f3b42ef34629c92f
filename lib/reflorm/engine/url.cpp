#include <reflorm/engine/errors.hpp>
#include <reflorm/engine/url.hpp>

#include <algorithm>
#include <charconv>

namespace reflorm {

namespace {

/// Whether a query parameter's value is a secret that messages show as '***'.
bool secret_key(std::string_view key) { return key.find("password") != std::string_view::npos; }

/// `text` as a message may show it: the userinfo's password and any query value whose key holds
/// "password" as '***', as url::to_string masks them (the URL has not been parsed: found by its
/// delimiters, the password running to the last '@' before the query).
std::string masked(std::string_view text) {
    std::string out(text);
    const auto scheme_end = out.find("://");
    if (scheme_end == std::string::npos) return out;
    const auto start = scheme_end + 3;
    const auto query = out.find('?', start);
    const auto at = out.rfind('@', query);  // npos: the whole text
    if (at != std::string::npos && at >= start) {
        const auto colon = out.find(':', start);
        if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    for (auto key = out.find('?', start); key != std::string::npos && key < out.size(); key = out.find('&', key)) {
        ++key;
        const auto eq = out.find('=', key);
        const auto end = std::min(out.find('&', key), out.size());
        if (eq != std::string::npos && eq < end && secret_key(std::string_view(out).substr(key, eq - key))) {
            out.replace(eq + 1, end - eq - 1, "***");
        }
    }
    return out;
}

[[noreturn]] void fail(std::string_view text, std::string_view problem) {
    throw url_error("reflorm: invalid database URL '" + masked(text) + "': " + std::string(problem));
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text, std::string_view part) {
    std::string out;
    out.reserve(part.size());
    for (std::size_t i = 0; i < part.size(); ++i) {
        if (part[i] != '%') {
            out += part[i];
            continue;
        }
        const int high = i + 2 < part.size() ? hex_digit(part[i + 1]) : -1;
        const int low = i + 2 < part.size() ? hex_digit(part[i + 2]) : -1;
        if (high < 0 || low < 0) fail(text, "a '%' must be followed by two hexadecimal digits");
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

std::uint16_t parse_port(std::string_view text, std::string_view port_text) {
    std::uint16_t port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0)
        fail(text, "the port must be a number from 1 to 65535");
    return port;
}

}  // namespace

url parse_url(std::string_view text) {
    url result;
    const auto scheme_end = text.find("://");
    if (text.empty()) fail(text, "the URL is empty");
    if (scheme_end == std::string_view::npos || scheme_end == 0)
        fail(text, "expected '<backend>://...', for example 'sqlite:///app.db' or 'postgresql://user@host/db'");

    std::string_view scheme = text.substr(0, scheme_end);
    if (const auto plus = scheme.find('+'); plus != std::string_view::npos) {
        result.driver = std::string(scheme.substr(plus + 1));
        scheme = scheme.substr(0, plus);
    }
    if (scheme == "sqlite") result.kind = backend::sqlite;
    else if (scheme == "postgresql" || scheme == "postgres") result.kind = backend::postgresql;
    else if (scheme == "mysql" || scheme == "mariadb") result.kind = backend::mysql;
    else fail(text, "unknown backend '" + std::string(scheme) + "'; expected sqlite, postgresql or mysql");

    std::string_view rest = text.substr(scheme_end + 3);
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        std::string_view query = rest.substr(q + 1);
        rest = rest.substr(0, q);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos || eq == 0) fail(text, "a query parameter must be written key=value");
            result.query.emplace(percent_decode(text, pair.substr(0, eq)), percent_decode(text, pair.substr(eq + 1)));
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        }
    }

    if (result.kind == backend::sqlite) {
        if (rest.empty()) return result;  // sqlite:// is in memory
        if (rest.front() != '/')
            fail(text, "a SQLite URL has no host: write 'sqlite:///relative.db' or 'sqlite:////absolute/path.db'");
        rest.remove_prefix(1);
        if (rest.empty()) fail(text, "the SQLite file path is empty; use 'sqlite://' for an in-memory database");
        if (rest == ":memory:") return result;
        result.database = percent_decode(text, rest);
        return result;
    }

    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) result.database = percent_decode(text, rest.substr(slash + 1));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view credentials = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = credentials.find(':');
        result.username = percent_decode(text, credentials.substr(0, colon));
        if (colon != std::string_view::npos) result.password = percent_decode(text, credentials.substr(colon + 1));
    }
    std::string_view host = authority;
    if (!host.empty() && host.front() == '[') {  // [::1]:5432
        const auto close = host.find(']');
        if (close == std::string_view::npos) fail(text, "an IPv6 host must be closed with ']'");
        result.host = std::string(host.substr(1, close - 1));
        host = host.substr(close + 1);
        if (!host.empty() && host.front() != ':') fail(text, "expected ':port' after the IPv6 host");
        if (!host.empty()) result.port = parse_port(text, host.substr(1));
    } else {
        const auto colon = host.rfind(':');
        result.host = std::string(host.substr(0, colon));
        if (colon != std::string_view::npos) result.port = parse_port(text, host.substr(colon + 1));
    }
    if (result.database.empty()) fail(text, "the URL names no database; add '/<database>' after the host");
    return result;
}

std::string url::to_string() const {
    std::string out = kind == backend::sqlite ? "sqlite" : kind == backend::postgresql ? "postgresql" : "mysql";
    if (!driver.empty()) out += "+" + driver;
    out += "://";
    // The query as parsed (keys in order, values decoded); a password given there is masked too.
    std::string settings;
    for (const auto& [key, value] : query)
        settings += (settings.empty() ? "?" : "&") + key + "=" + (secret_key(key) ? "***" : value);
    if (kind == backend::sqlite) return (database.empty() ? out : out + "/" + database) + settings;
    if (!username.empty()) {
        out += username;
        if (!password.empty()) out += ":***";
        out += '@';
    }
    out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port) out += ":" + std::to_string(port);
    return out + "/" + database + settings;
}

}  // namespace reflorm
