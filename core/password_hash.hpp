#pragma once
// Password hashing: the schemes usersctl writes, the stored formats it verifies (an allow-list),
// cost ceilings, and rehash decisions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl {

/// A scheme usersctl can write.
enum class Scheme { bcrypt, yescrypt, sha512crypt, werkzeug_pbkdf2, werkzeug_scrypt, argon2id };

/// Every scheme, in the order help texts and messages list them.
inline constexpr Scheme k_schemes[] = {Scheme::bcrypt,          Scheme::yescrypt,        Scheme::sha512crypt,
                                       Scheme::werkzeug_pbkdf2, Scheme::werkzeug_scrypt, Scheme::argon2id};

/// Which scheme to write, and at what cost (nullopt = the scheme's default).
struct HashSettings {
    Scheme scheme = Scheme::bcrypt;
    std::optional<std::uint64_t> cost;
};

/// Parses a scheme name ("bcrypt", "werkzeug-pbkdf2", "argon2id", ...); throws UsageError listing the names.
Scheme parse_scheme(const std::string& name);
/// Every scheme's name, comma-separated, `last_separator` before the last ("a, b or c").
std::string scheme_names(std::string_view last_separator);
/// The name of a scheme as given on the command line.
const char* scheme_name(Scheme scheme);
/// The cost used when none is given (argon2id: memory in KiB, with fixed passes and lanes).
std::uint64_t default_cost(Scheme scheme);
/// Throws UsageError when settings.cost is outside what the scheme accepts.
void validate_settings(const HashSettings& settings);
/// The longest password in bytes the scheme takes whole (bcrypt: 72).
std::size_t max_password_bytes(Scheme scheme);

/// Hashes a password (already checked by the policy) in the configured scheme.
std::string hash_password(std::string_view password, const HashSettings& settings);

/// What a stored hash string is.
struct HashInfo {
    std::string family;   ///< "bcrypt", "yescrypt", "gost-yescrypt", "scrypt", "sha512crypt",
                          ///< "sha256crypt", "werkzeug-pbkdf2", "werkzeug-scrypt", "argon2id",
                          ///< "argon2i", "argon2d", or "unsupported"
    std::optional<std::uint64_t> cost;  ///< bcrypt log rounds, sha-crypt rounds, pbkdf2 iterations, scrypt N,
                                        ///< Argon2 memory (KiB)
    std::string label;    ///< e.g. "bcrypt:12", "werkzeug-pbkdf2:260000", "argon2id:m=65536,t=2,p=1", "unsupported"
    bool usable = false;  ///< a recognised format whose cost is within the ceilings
    std::string problem;  ///< why it is not usable
};

/// Classifies a stored hash without computing anything.
HashInfo inspect_hash(std::string_view stored);

/// True only when `stored` is a usable hash of `password`. Unrecognised formats, costs over the
/// ceilings and passwords longer than the format takes whole never verify. Constant-time compare.
bool verify_password(std::string_view password, std::string_view stored);

/// Whether verify_password would compute anything: `stored` is usable and takes `password`
/// whole. Cheap; the caller checks a dummy instead when not, so timing tells nothing.
bool can_check(std::string_view password, std::string_view stored);

/// True when the stored hash is not in the configured scheme at the configured cost.
bool needs_rehash(std::string_view stored, const HashSettings& settings);

/// A well-formed hash that no password matches, costing what a real check costs in the
/// configured scheme: checked instead when an account does not exist, to hide that fact.
std::string dummy_hash(const HashSettings& settings);

/// Checks `password` against a dummy hash in `settings` (never a match), at the full cost even
/// when the password is longer than the scheme reads whole: what a missing account costs.
void dummy_check(std::string_view password, const HashSettings& settings);

}  // namespace usersctl
