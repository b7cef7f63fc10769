#pragma once
// Stored password hash strings: the allow-list of formats usersctl reads, their parameters, and
// the cost ceilings that writing and verifying share. Nothing here computes a hash (libxcrypt only
// names yescrypt's cost parameters, OpenSSL only sizes a digest). Argon2's strings are read in
// argon2_format.cpp.

#include "core/argon2_backend.hpp"
#include "core/password_hash.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl::hash_format {

// Cost ceilings, one table for writing and for verifying, so that usersctl never writes a hash
// it would refuse to check. They bound the total memory and work of one check, computed from all
// of a value's parameters together (scrypt's r and p, yescrypt's r), so that no stored value
// makes a check use more than about 1 GiB or take more than about 5 s on the reference machine
// (2 cores; measurements in bench/README.md).
inline constexpr std::uint64_t k_max_check_memory = 1ULL << 30;  // bytes
inline constexpr std::uint64_t k_bcrypt_min = 4;
inline constexpr std::uint64_t k_bcrypt_max = 16;  // 2^16 rounds: about 4.1 s here (cost 14: 1.0 s)
inline constexpr std::uint64_t k_bcrypt_default = 12;
inline constexpr std::uint64_t k_yescrypt_min = 1;
// libxcrypt's cost 11 is N = 2^18, r = 32: 1 GiB, 2.1 s and 1035 MiB peak RSS here.
inline constexpr std::uint64_t k_yescrypt_max = 11;
inline constexpr std::uint64_t k_yescrypt_default = 5;  // libxcrypt's default
inline constexpr std::uint64_t k_shacrypt_min = 1000;
inline constexpr std::uint64_t k_shacrypt_max = 10'000'000;  // sha512crypt: about 4.4 s here (1M rounds: 0.44 s)
inline constexpr std::uint64_t k_shacrypt_default = 5000;  // libxcrypt's default (no rounds= field)
inline constexpr std::uint64_t k_pbkdf2_min = 1000;
inline constexpr std::uint64_t k_pbkdf2_max = 4'000'000;  // sha512, the slowest digest: 4.4 s here (1M: 1.09 s)
inline constexpr std::uint64_t k_pbkdf2_default = 600'000;
inline constexpr std::uint64_t k_pbkdf2_implicit = 260'000;  // werkzeug 2.2 when the string names none
inline constexpr std::uint64_t k_scrypt_min_n = 1024;
inline constexpr std::uint64_t k_scrypt_default_n = 32768;
inline constexpr std::uint64_t k_scrypt_max_work = 1ULL << 22;  // N * r * p: 2^22 is 2.9 s and 512 MiB here (2^23: 5.9 s)
// yescrypt as libxcrypt writes it (p = 1, t = 0): memory 128 * N * r bytes, work N * r.
// Argon2 (m in KiB, t passes, p lanes): memory m KiB, work m * t whatever p (lanes share the
// memory; threads shorten the wall time, not the CPU time). CPU time here: 1 GiB, 1 pass 2.7 s;
// 768 MiB, 2 passes 3.3 s; 1 GiB, 2 passes 5.3 s (refused).
inline constexpr std::uint64_t k_argon2_max_memory = k_max_check_memory / 1024;  // KiB
inline constexpr std::uint64_t k_argon2_max_work = 3 * k_argon2_max_memory / 2;  // m * t: 1.5 GiB-passes
inline constexpr std::uint64_t k_argon2_max_lanes = 255;                        // the PHC format's range of p
inline constexpr std::size_t k_argon2_min_salt = 8;                             // libargon2's minimum
inline constexpr std::size_t k_argon2_min_hash = 4;                             // libargon2's minimum
// What usersctl writes: --cost is m; t, p and the lengths are fixed (see README).
inline constexpr std::uint64_t k_argon2_min_memory = 1024;
inline constexpr std::uint64_t k_argon2_default_memory = 65536;  // 64 MiB, t = 2: above OWASP's m=19456, t=2
inline constexpr std::uint32_t k_argon2_passes = 2;
inline constexpr std::uint32_t k_argon2_lanes = 1;
inline constexpr std::size_t k_argon2_salt_bytes = 16;
inline constexpr std::size_t k_argon2_hash_bytes = 32;

inline constexpr std::size_t k_crypt_max_password = 511;  // libxcrypt's CRYPT_MAX_PASSPHRASE_SIZE - 1
inline constexpr std::size_t k_bcrypt_max_password = 72;
inline constexpr std::size_t k_werkzeug_max_password = 4096;
// Argon2 reads any length whole; the same bound as werkzeug's formats (and password input).
inline constexpr std::size_t k_argon2_max_password = k_werkzeug_max_password;

inline constexpr std::string_view k_salt_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A stored Argon2 value: its parameters and the decoded salt and hash.
struct Argon2Hash {
    Argon2Cost cost;
    std::string salt;     ///< bytes
    std::string hash;     ///< bytes
    bool django = false;  ///< Django's "argon2$" prefix
};

/// Everything a check needs from a parsed stored hash.
struct ParsedHash {
    HashInfo info;
    bool is_crypt = false;  ///< checked by crypt(3) with the stored string as setting
    std::size_t max_password = k_crypt_max_password;
    std::string digest;     ///< werkzeug pbkdf2
    std::uint64_t n = 0, r = 0, p = 0;
    std::string_view salt, hex;  ///< views into the parsed string
    Argon2Hash argon2;           ///< the Argon2 families
};

/// Parses a stored hash string against the allow-list. Anything not recognised, or over the
/// ceilings, comes back with info.usable false and never reaches a hashing library.
ParsedHash parse(std::string_view stored);

/// Why scrypt with these parameters exceeds the ceilings, or nullopt when it does not.
std::optional<std::string> scrypt_over_ceiling(std::uint64_t n, std::uint64_t r, std::uint64_t p);

/// Why Argon2 with `memory_kib` and `passes` exceeds the ceilings, or nullopt when it does not.
std::optional<std::string> argon2_over_ceiling(std::uint64_t memory_kib, std::uint64_t passes);

/// The PHC string of an Argon2 hash ("$argon2id$v=19$m=M,t=T,p=P$salt$hash"), canonical.
std::string format_argon2(const Argon2Hash& hash);

/// True when n is a power of two greater than 1.
bool is_power_of_two(std::uint64_t n);

}  // namespace usersctl::hash_format
