// libFuzzer target: stored-hash parsing (the allow-list and its cost ceilings).
#include "core/hash_format.hpp"
#include "core/password_hash.hpp"

#include <cstdint>
#include <string>

namespace {

// Argon2 is read strictly: a usable value has one spelling, which format_argon2 writes back
// (a string without the v= field means v=16, which is then written out).
void check_argon2_round_trip(const std::string& stored)
{
    const usersctl::hash_format::ParsedHash parsed = usersctl::hash_format::parse(stored);
    if (parsed.info.family.rfind("argon2", 0) != 0 || stored.find("$v=") == std::string::npos) {
        return;
    }
    if (usersctl::hash_format::format_argon2(parsed.argon2) != stored) {
        __builtin_trap();
    }
}

// Whether a check of `stored` is cheap enough to run for every input.
bool cheap(const std::string& stored, const usersctl::HashInfo& info)
{
    if (!info.usable) {
        return true;
    }
    if (info.family.rfind("argon2", 0) == 0) {
        const auto& cost = usersctl::hash_format::parse(stored).argon2.cost;
        return static_cast<std::uint64_t>(cost.memory_kib) * cost.passes <= 4096;
    }
    return info.cost && *info.cost <= 1024 && info.family != "bcrypt" && info.family != "yescrypt";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string stored(reinterpret_cast<const char*>(data), size);
    const usersctl::HashInfo info = usersctl::inspect_hash(stored);
    if (info.usable && info.label == "unsupported") {
        __builtin_trap();  // a usable hash always has a real label
    }
    if (info.usable) {
        check_argon2_round_trip(stored);
    }
    usersctl::needs_rehash(stored, {usersctl::Scheme::bcrypt, std::nullopt});
    usersctl::needs_rehash(stored, {usersctl::Scheme::argon2id, std::nullopt});
    // verify_password is exercised only on inputs whose checks are cheap: costs stay bounded by
    // the ceilings, and a password longer than the format takes never computes anything.
    if (cheap(stored, info) && usersctl::verify_password(std::string(100, 'x'), stored)) {
        __builtin_trap();
    }
    return 0;
}
