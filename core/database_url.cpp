#include "core/database_url.hpp"

#include "core/database.hpp"
#include "core/errors.hpp"

#include <cstdlib>
#include <memory>

namespace usersctl {

namespace {

bool is_uri(const std::string& url)
{
    return url.find("://") != std::string::npos;
}

std::string quote_conninfo_value(const std::string& value)
{
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

}  // namespace

EnvLookup process_environment()
{
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

ResolvedUrl resolve_database_url(const std::optional<std::string>& option, const EnvLookup& env)
{
    if (option && !option->empty()) {
        return {*option, "--database-url"};
    }
    for (const char* name : {"USERSCTL_DATABASE_URL", "DATABASE_URL", "SQLALCHEMY_DATABASE_URI"}) {
        if (auto value = env(name); value && !value->empty()) {
            return {*value, name};
        }
    }
    return {"", "libpq defaults"};
}

std::optional<UrlSchemePrefix> url_scheme_prefix(const std::string& url)
{
    const auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    // No character of the scheme is '+' or ':', none of the driver ':': a greedy scan finds what
    // ^([A-Za-z][A-Za-z0-9.-]*)(\+[A-Za-z0-9_]+)?:// matches, with no backtracking to consider.
    std::size_t i = 0;
    if (url.empty() || !alpha(url[0])) {
        return std::nullopt;
    }
    while (i < url.size() && (alpha(url[i]) || digit(url[i]) || url[i] == '.' || url[i] == '-')) {
        ++i;
    }
    UrlSchemePrefix prefix;
    prefix.scheme = url.substr(0, i);
    if (i < url.size() && url[i] == '+') {
        std::size_t j = i + 1;
        while (j < url.size() && (alpha(url[j]) || digit(url[j]) || url[j] == '_')) {
            ++j;
        }
        if (j == i + 1) {
            return std::nullopt;  // '+' and no driver
        }
        prefix.has_driver = true;
        i = j;
    }
    if (url.compare(i, 3, "://") != 0) {
        return std::nullopt;
    }
    prefix.length = i + 3;
    return prefix;
}

std::string normalise_url(const std::string& url)
{
    if (!is_uri(url)) {
        return url;
    }
    const std::optional<UrlSchemePrefix> prefix = url_scheme_prefix(url);
    if (!prefix) {
        throw ConfigError("malformed database URL '" + redact_url(url) + "': no scheme",
                          "use postgresql://user@host:port/dbname");
    }
    if (prefix->scheme != "postgresql" && prefix->scheme != "postgres") {
        throw ConfigError("database URL scheme '" + prefix->scheme + "' is not PostgreSQL",
                          "use postgresql://user@host:port/dbname");
    }
    return prefix->scheme + "://" + url.substr(prefix->length);
}

std::string build_conninfo(const std::string& url, int connect_timeout_seconds)
{
    if (url.find('\0') != std::string::npos) {
        // libpq would read only up to the NUL: what it then says could quote a cut password.
        throw ConfigError("the database URL contains a NUL byte", "fix the database URL");
    }
    const std::string normalised = normalise_url(url);
    std::string conninfo;
    bool has_timeout = false;
    bool has_app_name = false;
    std::string reason;
    const bool parsed = parse_conninfo(
        normalised,
        [&](const char* keyword, const char* value) {
            if (value == nullptr) {
                return;
            }
            const std::string key = keyword;
            has_timeout = has_timeout || key == "connect_timeout";
            has_app_name = has_app_name || key == "application_name";
            conninfo += key + "=" + quote_conninfo_value(value) + " ";
        },
        &reason);
    if (!parsed) {
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) {
            reason.pop_back();
        }
        throw ConfigError("malformed database URL " + std::string(k_unparsed_url_note) + ": " + redact_secrets(reason, url),
                          "use postgresql://user@host:port/dbname or key=value pairs");
    }
    if (!has_timeout) {
        conninfo += "connect_timeout=" + std::to_string(connect_timeout_seconds) + " ";
    }
    if (!has_app_name) {
        conninfo += "application_name=usersctl ";
    }
    return conninfo;
}

}  // namespace usersctl
