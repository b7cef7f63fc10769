#pragma once
// Where the database URL comes from and how it is normalised for libpq. How its password is
// kept out of every message is core/url_secrets, included here for this header's callers.

#include "core/url_secrets.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace usersctl {

/// Looks up an environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The process environment as an EnvLookup.
EnvLookup process_environment();

/// A database URL and where it came from (for messages).
struct ResolvedUrl {
    std::string url;     ///< empty: libpq's own defaults (PGHOST, PGDATABASE, ...)
    std::string source;  ///< "--database-url", "USERSCTL_DATABASE_URL", ..., "libpq defaults"
};

/// Picks the URL: the option, then USERSCTL_DATABASE_URL, DATABASE_URL, SQLALCHEMY_DATABASE_URI,
/// then libpq's defaults. Empty values count as unset.
ResolvedUrl resolve_database_url(const std::optional<std::string>& option, const EnvLookup& env);

/// The start of a URL spelt `scheme[+driver]://` (the scheme a letter, then letters, digits,
/// '.' and '-'; a SQLAlchemy driver letters, digits and '_').
struct UrlSchemePrefix {
    std::string scheme;       ///< without the driver
    bool has_driver = false;  ///< a "+driver" followed the scheme
    std::size_t length = 0;   ///< of the whole prefix, "://" included
};
/// The URL's scheme prefix, if it starts with one (a scan, not std::regex: compiling the
/// pattern cost every connecting command a third of a millisecond).
std::optional<UrlSchemePrefix> url_scheme_prefix(const std::string& url);

/// Drops a SQLAlchemy "+driver" from the scheme; throws ConfigError for non-PostgreSQL schemes.
std::string normalise_url(const std::string& url);

/// A libpq key='value' connection string for `url` with usersctl's defaults added
/// (connect_timeout unless the URL sets one, application_name). Throws ConfigError when
/// libpq cannot parse the URL; the message never contains its password.
std::string build_conninfo(const std::string& url, int connect_timeout_seconds);

}  // namespace usersctl
