#pragma once
// The only file that talks to libargon2 (the reference implementation, Debian's libargon2-dev).

#include <cstdint>
#include <string>
#include <string_view>

namespace usersctl {

/// The three Argon2 variants a stored PHC string may name.
enum class Argon2Type { d, i, id };

/// Argon2 versions: 0x10 (1.0, "v=16" or no v= field) and 0x13 (1.3, "v=19").
inline constexpr std::uint32_t k_argon2_version_10 = 0x10;
inline constexpr std::uint32_t k_argon2_version_13 = 0x13;

/// The parameters of one Argon2 computation.
struct Argon2Cost {
    Argon2Type type = Argon2Type::id;
    std::uint32_t version = k_argon2_version_13;
    std::uint32_t memory_kib = 0;  ///< m
    std::uint32_t passes = 0;      ///< t
    std::uint32_t lanes = 0;       ///< p
};

/// The raw Argon2 output of `length` bytes for `password` and `salt` (libargon2's argon2_ctx,
/// no secret key, no associated data). The caller has checked the parameters against the
/// ceilings. Throws InternalError when libargon2 refuses them or cannot allocate the memory.
std::string argon2_raw(const Argon2Cost& cost, std::string_view password, std::string_view salt, std::size_t length);

}  // namespace usersctl
