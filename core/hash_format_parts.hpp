#pragma once
// The pieces every stored-format parser shares: hash_format.cpp (crypt(3) and werkzeug formats)
// and argon2_format.cpp (Argon2's PHC strings). Not for use outside those parsers.

#include "core/hash_format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usersctl::hash_format {

/// A decimal number without sign or spaces, at most 10 digits.
std::optional<std::uint64_t> parse_count(std::string_view s);

/// `s` cut at every `separator` (n separators give n + 1 parts, empty ones included).
std::vector<std::string_view> split(std::string_view s, char separator);

/// A value outside the allow-list: family and label "unsupported", never usable.
ParsedHash unsupported(std::string problem);

/// A recognised, usable value of `family` at `cost`, counted under `label`.
ParsedHash recognised(std::string family, std::uint64_t cost, std::string label);

/// Marks a recognised value unusable (over a ceiling), saying why.
void refuse_cost(ParsedHash& parsed, const std::string& why);

/// Argon2's PHC strings ("$argon2id$v=19$m=...,t=...,p=...$salt$hash") and Django's form of
/// them ("argon2$argon2id$..."), parsed strictly (argon2_format.cpp).
ParsedHash parse_argon2(std::string_view stored);

}  // namespace usersctl::hash_format
