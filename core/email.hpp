#pragma once

#include <string>
#include <string_view>

namespace usersctl {

/// The email as the web app stores it: surrounding whitespace trimmed, lower-cased (email.lower()).
/// Throws InvalidInput unless it has one '@' between a non-empty local part and domain, no
/// whitespace or control characters, valid UTF-8, and at most 254 bytes.
std::string normalise_email(std::string_view input);

}  // namespace usersctl
