#pragma once

#include <string>
#include <string_view>

namespace usersctl {

/// The email as the web app stores it: surrounding whitespace trimmed, lower-cased (email.lower()).
/// Throws InvalidInput unless it has one '@' between a non-empty local part and domain, no
/// whitespace or control characters, valid UTF-8, and at most 254 bytes.
/// Lower-casing is Python 3's str.lower() (core/unicode.hpp). Used for lookups: it accepts
/// whatever the app itself could have stored.
std::string normalise_email(std::string_view input);

/// Whether `email` is what Python's str.lower() makes of it (how the web app stores emails).
bool is_python_lower(std::string_view email);

/// normalise_email() for an email about to be stored: also refuses (InvalidInput) format
/// characters (Cf: U+200D, U+00AD, bidi controls ...) and unassigned code points, with which
/// one address prints exactly like another.
std::string normalise_new_email(std::string_view input);

}  // namespace usersctl
