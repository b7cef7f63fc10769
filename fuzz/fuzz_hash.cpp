// libFuzzer target: stored-hash parsing (the allow-list and its cost ceilings).
#include "core/password_hash.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string stored(reinterpret_cast<const char*>(data), size);
    const usersctl::HashInfo info = usersctl::inspect_hash(stored);
    if (info.usable && info.label == "unsupported") {
        __builtin_trap();  // a usable hash always has a real label
    }
    usersctl::needs_rehash(stored, {usersctl::Scheme::bcrypt, std::nullopt});
    // verify_password is exercised only on inputs whose checks are cheap: costs stay bounded by
    // the ceilings, and a password longer than the format takes never computes anything.
    if (!info.usable || (info.cost && *info.cost <= 1024 && info.family != "bcrypt" && info.family != "yescrypt")) {
        if (usersctl::verify_password(std::string(100, 'x'), stored)) {
            __builtin_trap();
        }
    }
    return 0;
}
