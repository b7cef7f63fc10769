#pragma once
// The B64 encoding of the PHC string format: standard base64 (RFC 4648, section 4) without
// padding, read strictly so that one value has one spelling.

#include <optional>
#include <string>
#include <string_view>

namespace usersctl {

/// `bytes` in standard base64 without '=' padding (trailing bits zero).
std::string b64_encode(std::string_view bytes);

/// The bytes `text` encodes, or nullopt unless it is the canonical encoding of them: only
/// [A-Za-z0-9+/], no padding or whitespace, a length that is not 1 modulo 4, and zero trailing
/// bits in the last group.
std::optional<std::string> b64_decode(std::string_view text);

}  // namespace usersctl
