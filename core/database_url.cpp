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

// Every substring of `url` that may be a password: the user-info password of a URI, a
// "password" query parameter, and a key=value "password" value (quoted or not).
std::vector<std::string> password_candidates(const std::string& url)
{
    std::vector<std::string> out;
    if (is_uri(url)) {
        const auto start = url.find("://") + 3;
        const auto end_of_authority = url.find_first_of("/?", start);
        const std::string authority = url.substr(start, end_of_authority == std::string::npos
                                                            ? std::string::npos
                                                            : end_of_authority - start);
        // Whichever '@' a parser takes to end the user info, the password is covered.
        const auto colon = authority.find(':');
        for (const auto at : {authority.find('@'), authority.rfind('@')}) {
            if (at != std::string::npos && colon != std::string::npos && colon < at) {
                out.push_back(authority.substr(colon + 1, at - colon - 1));
            }
        }
        static const std::regex query_password("[?&]password=([^&]*)");
        for (std::sregex_iterator it(url.begin(), url.end(), query_password), end; it != end; ++it) {
            out.push_back((*it)[1].str());
        }
    } else {
        static const std::regex kv_password(R"((?:^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'?|\S*))");
        for (std::sregex_iterator it(url.begin(), url.end(), kv_password), end; it != end; ++it) {
            std::string value = (*it)[1].str();
            out.push_back(value);
            if (value.size() >= 2 && value.front() == '\'') {
                out.push_back(value.substr(1, value.size() - (value.back() == '\'' ? 2 : 1)));
            }
        }
    }
    out.erase(std::remove_if(out.begin(), out.end(), [](const std::string& s) { return s.empty(); }),
              out.end());
    // Longest first, so that a password containing another candidate is replaced whole.
    std::sort(out.begin(), out.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return out;
}

std::string percent_decode(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
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

std::string redact_secrets(std::string text, const std::string& url)
{
    for (const auto& secret : password_candidates(url)) {
        for (const auto& form : {secret, percent_decode(secret)}) {
            if (form.empty()) {
                continue;
            }
            for (auto pos = text.find(form); pos != std::string::npos; pos = text.find(form, pos + 3)) {
                text.replace(pos, form.size(), "***");
            }
        }
    }
    return text;
}

std::string redact_url(const std::string& url)
{
    return redact_secrets(url, url);
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
        throw ConfigError("malformed database URL '" + redact_url(url) + "': " + redact_secrets(reason, url),
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

bool url_holds_password(const std::string& url)
{
    if (url.find('\0') != std::string::npos) {
        return true;
    }
    std::string normalised;
    try {
        normalised = normalise_url(url);
    } catch (const ConfigError&) {
        return true;
    }
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(normalised.c_str(), &error), &PQconninfoFree);
    PQfreemem(error);
    if (!options) {
        return true;
    }
    for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
        const std::string key = o->keyword;
        if ((key == "password" || key == "sslpassword") && o->val != nullptr && o->val[0] != '\0') {
            return true;
        }
    }
    return false;
}

}  // namespace usersctl
