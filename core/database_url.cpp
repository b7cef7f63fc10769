#include "core/database_url.hpp"

#include "core/errors.hpp"

#include <cstdlib>
#include <libpq-fe.h>
#include <memory>
#include <regex>

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

std::string normalise_url(const std::string& url)
{
    if (!is_uri(url)) {
        return url;
    }
    static const std::regex scheme_re(R"(^([A-Za-z][A-Za-z0-9.-]*)(\+[A-Za-z0-9_]+)?://)");
    std::smatch m;
    if (!std::regex_search(url, m, scheme_re)) {
        throw ConfigError("malformed database URL '" + redact_url(url) + "': no scheme",
                          "use postgresql://user@host:port/dbname");
    }
    const std::string scheme = m[1].str();
    if (scheme != "postgresql" && scheme != "postgres") {
        throw ConfigError("database URL scheme '" + scheme + "' is not PostgreSQL",
                          "use postgresql://user@host:port/dbname");
    }
    return scheme + "://" + url.substr(static_cast<std::size_t>(m.length(0)));
}

std::string build_conninfo(const std::string& url, int connect_timeout_seconds)
{
    if (url.find('\0') != std::string::npos) {
        // libpq would read only up to the NUL: what it then says could quote a cut password.
        throw ConfigError("the database URL contains a NUL byte", "fix the database URL");
    }
    const std::string normalised = normalise_url(url);
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(normalised.c_str(), &error), &PQconninfoFree);
    if (!options) {
        std::string reason = error != nullptr ? error : "out of memory";
        PQfreemem(error);
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) {
            reason.pop_back();
        }
        throw ConfigError("malformed database URL " + std::string(k_unparsed_url_note) + ": " + redact_secrets(reason, url),
                          "use postgresql://user@host:port/dbname or key=value pairs");
    }
    std::string conninfo;
    bool has_timeout = false;
    bool has_app_name = false;
    for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
        if (o->val == nullptr) {
            continue;
        }
        const std::string key = o->keyword;
        has_timeout = has_timeout || key == "connect_timeout";
        has_app_name = has_app_name || key == "application_name";
        conninfo += key + "=" + quote_conninfo_value(o->val) + " ";
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
