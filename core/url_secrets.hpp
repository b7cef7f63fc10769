#pragma once
// A database URL's secrets (password, sslpassword) found the way libpq reads them, in URI and
// key=value form, and kept out of every message: the stretches of text that spell them and
// every other spelling (percent-encoded, escaped) of their values.

#include <string>

namespace usersctl {

/// What a message shows instead of a URL libpq cannot parse (where its password is is unknown).
inline constexpr const char* k_unparsed_url_note =
    "(not shown: it cannot be parsed, so where its password is cannot be told)";

/// The URL with any password replaced by "***".
std::string redact_url(const std::string& url);

/// `text` with every password that `url` carries replaced by "***".
std::string redact_secrets(std::string text, const std::string& url);

/// Whether libpq would find a password (or sslpassword) in `url`; true as well when libpq cannot
/// parse it, so that a caller guarding secrets errs on the safe side.
bool url_holds_password(const std::string& url);

}  // namespace usersctl
