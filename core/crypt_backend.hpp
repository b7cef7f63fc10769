#pragma once
// The only file that talks to libxcrypt.

#include <optional>
#include <string>

namespace usersctl {

/// A fresh setting string ("$2b$12$<salt>") for `prefix` and `count` (0 = libxcrypt's default),
/// salted from the OS entropy source. Throws InternalError when libxcrypt refuses.
std::string crypt_new_setting(const char* prefix, unsigned long count);

/// crypt(3) of a NUL-free password with a full setting or stored hash (thread-safe crypt_rn).
/// std::nullopt when libxcrypt rejects the setting.
std::optional<std::string> crypt_compute(const std::string& password, const std::string& setting);

/// The libxcrypt version usersctl was compiled against ("4.4.33"): libxcrypt has no call that
/// tells the version of the library loaded at run time.
std::string crypt_compiled_version();

}  // namespace usersctl
