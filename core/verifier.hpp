#pragma once
// The verifier: the software that checks the stored hashes at login. Every hash usersctl writes
// must be one that software can read, so the verifier decides the default scheme, refuses
// schemes it cannot read, and tells doctor and import which stored hashes would lock people out.

#include "core/password_hash.hpp"

#include <string>
#include <string_view>

namespace usersctl {

enum class Verifier {
    werkzeug,      ///< werkzeug 1.0 to 3.x (the seed app): pbkdf2 only
    werkzeug_2_3,  ///< werkzeug 2.3 and later: pbkdf2 and scrypt
    crypt,         ///< crypt(3) consumers: PAM, dovecot, htpasswd, pgcrypto
    any,           ///< only usersctl checks the hashes
};

/// Parses "werkzeug", "werkzeug-2.3", "crypt" or "any"; throws UsageError listing them.
Verifier parse_verifier(const std::string& name);
/// The name as given on the command line.
const char* verifier_name(Verifier verifier);
/// The scheme written when --scheme is not given.
Scheme default_scheme(Verifier verifier);
/// The schemes usersctl writes that the verifier reads, as "a, b or c" for messages.
std::string readable_schemes(Verifier verifier);

/// Whether the verifier reads hashes written in `scheme`.
bool can_read(Verifier verifier, Scheme scheme);
/// Whether the verifier reads a stored hash of this family (HashInfo::family).
bool can_read_family(Verifier verifier, std::string_view family);
/// Whether the verifier reads this stored hash (recognised, within the ceilings, readable family).
bool can_read_stored(Verifier verifier, std::string_view stored_hash);

/// The settings to write with: `scheme` (or the verifier's default) at `cost`. Throws
/// UsageError, naming the verifier and what it reads, when the verifier cannot read the scheme.
HashSettings settings_for(Verifier verifier, const std::optional<Scheme>& scheme, std::optional<std::uint64_t> cost);

}  // namespace usersctl
