#include "core/password_hash.hpp"

#include "core/argon2_backend.hpp"
#include "core/crypt_backend.hpp"
#include "core/errors.hpp"
#include "core/hash_format.hpp"
#include "core/openssl_backend.hpp"
#include "core/secret.hpp"

#include <algorithm>
#include <array>
#include <spdlog/spdlog.h>
#include <vector>

namespace usersctl {

namespace {

using namespace hash_format;

const char* crypt_prefix(Scheme scheme)
{
    switch (scheme) {
    case Scheme::bcrypt: return "$2b$";
    case Scheme::yescrypt: return "$y$";
    case Scheme::sha512crypt: return "$6$";
    default: return nullptr;
    }
}

std::string crypt_or_throw(std::string_view password, const std::string& setting)
{
    std::string copy(password);
    auto result = crypt_compute(copy, setting);
    wipe(copy);
    if (!result) {
        throw InternalError("libxcrypt failed to hash with setting " + setting.substr(0, 7) + "...");
    }
    return *result;
}

// What usersctl writes for argon2id at memory `cost` KiB (fixed passes, lanes and lengths), with
// a fresh salt and a hash of zeros, which no password matches until it is computed.
Argon2Hash argon2id_of(std::uint64_t cost)
{
    Argon2Hash hash;
    hash.cost.type = Argon2Type::id;
    hash.cost.version = k_argon2_version_13;
    hash.cost.memory_kib = static_cast<std::uint32_t>(cost);
    hash.cost.passes = k_argon2_passes;
    hash.cost.lanes = k_argon2_lanes;
    hash.salt.resize(k_argon2_salt_bytes);
    random_bytes(hash.salt.data(), hash.salt.size());
    hash.hash.assign(k_argon2_hash_bytes, '\0');
    return hash;
}

// Argon2 of `password` with the parameters, salt and output length of `like`.
std::string compute_argon2(std::string_view password, const Argon2Hash& like)
{
    return argon2_raw(like.cost, password, like.salt, like.hash.size());
}

bool argon2_matches(std::string_view password, const Argon2Hash& stored)
{
    std::string computed = compute_argon2(password, stored);
    const bool equal = constant_time_equal(computed, stored.hash);
    wipe(computed);
    return equal;
}

}  // namespace

std::string scheme_names(std::string_view last_separator)
{
    std::string names;
    const std::size_t count = std::size(k_schemes);
    for (std::size_t i = 0; i < count; ++i) {
        names += i == 0 ? "" : i + 1 == count ? std::string(last_separator) : ", ";
        names += scheme_name(k_schemes[i]);
    }
    return names;
}

Scheme parse_scheme(const std::string& name)
{
    for (Scheme s : k_schemes) {
        if (name == scheme_name(s)) {
            return s;
        }
    }
    throw UsageError("unknown scheme '" + name + "'", "choose " + scheme_names(" or "));
}

const char* scheme_name(Scheme scheme)
{
    switch (scheme) {
    case Scheme::bcrypt: return "bcrypt";
    case Scheme::yescrypt: return "yescrypt";
    case Scheme::sha512crypt: return "sha512crypt";
    case Scheme::werkzeug_pbkdf2: return "werkzeug-pbkdf2";
    case Scheme::werkzeug_scrypt: return "werkzeug-scrypt";
    case Scheme::argon2id: return "argon2id";
    }
    return "?";
}

std::uint64_t default_cost(Scheme scheme)
{
    switch (scheme) {
    case Scheme::bcrypt: return k_bcrypt_default;
    case Scheme::yescrypt: return k_yescrypt_default;
    case Scheme::sha512crypt: return k_shacrypt_default;
    case Scheme::werkzeug_pbkdf2: return k_pbkdf2_default;
    case Scheme::werkzeug_scrypt: return k_scrypt_default_n;
    case Scheme::argon2id: return k_argon2_default_memory;
    }
    return 0;
}

void validate_settings(const HashSettings& settings)
{
    if (!settings.cost) {
        return;
    }
    const std::uint64_t cost = *settings.cost;
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    switch (settings.scheme) {
    case Scheme::bcrypt: low = k_bcrypt_min; high = k_bcrypt_max; break;
    case Scheme::yescrypt: low = k_yescrypt_min; high = k_yescrypt_max; break;
    case Scheme::sha512crypt: low = k_shacrypt_min; high = k_shacrypt_max; break;
    case Scheme::werkzeug_pbkdf2: low = k_pbkdf2_min; high = k_pbkdf2_max; break;
    case Scheme::werkzeug_scrypt:
        // The largest N whose check (r = 8, p = 1, as written) is within the ceilings.
        low = k_scrypt_min_n;
        high = low;
        while (!scrypt_over_ceiling(high * 2, 8, 1)) {
            high *= 2;
        }
        if (!is_power_of_two(cost)) {
            throw UsageError("--cost for werkzeug-scrypt is N and must be a power of two", "e.g. 32768");
        }
        break;
    case Scheme::argon2id:
        // --cost is the memory in KiB; the passes are fixed, so the work ceiling bounds it too.
        low = k_argon2_min_memory;
        high = std::min(k_argon2_max_memory, k_argon2_max_work / k_argon2_passes);
        break;
    }
    if (cost < low || cost > high) {
        throw UsageError("--cost " + std::to_string(cost) + " is outside " + scheme_name(settings.scheme) + "'s range " +
                         std::to_string(low) + ".." + std::to_string(high));
    }
}

std::size_t max_password_bytes(Scheme scheme)
{
    switch (scheme) {
    case Scheme::bcrypt: return k_bcrypt_max_password;
    case Scheme::yescrypt:
    case Scheme::sha512crypt: return k_crypt_max_password;
    case Scheme::werkzeug_pbkdf2:
    case Scheme::werkzeug_scrypt: return k_werkzeug_max_password;
    case Scheme::argon2id: return k_argon2_max_password;
    }
    return 0;
}

std::string hash_password(std::string_view password, const HashSettings& settings)
{
    validate_settings(settings);
    if (password.size() > max_password_bytes(settings.scheme) || password.find('\0') != std::string_view::npos) {
        throw InvalidInput(std::string("the password cannot be hashed whole by ") + scheme_name(settings.scheme));
    }
    const std::uint64_t cost = settings.cost.value_or(default_cost(settings.scheme));
    switch (settings.scheme) {
    case Scheme::bcrypt:
    case Scheme::yescrypt:
        return crypt_or_throw(password, crypt_new_setting(crypt_prefix(settings.scheme), cost));
    case Scheme::sha512crypt:
        // count 0 asks libxcrypt for its default, written without a rounds= field.
        return crypt_or_throw(password, crypt_new_setting("$6$", cost == k_shacrypt_default ? 0 : cost));
    case Scheme::werkzeug_pbkdf2: {
        const std::string salt = random_string(16, k_salt_alphabet);
        return "pbkdf2:sha256:" + std::to_string(cost) + "$" + salt + "$" + pbkdf2_hex("sha256", password, salt, cost);
    }
    case Scheme::werkzeug_scrypt: {
        const std::string salt = random_string(16, k_salt_alphabet);
        return "scrypt:" + std::to_string(cost) + ":8:1$" + salt + "$" + scrypt_hex(password, salt, cost, 8, 1);
    }
    case Scheme::argon2id: {
        Argon2Hash hash = argon2id_of(cost);
        hash.hash = compute_argon2(password, hash);
        return format_argon2(hash);
    }
    }
    throw InternalError("unknown scheme");
}

HashInfo inspect_hash(std::string_view stored)
{
    return parse(stored).info;
}

bool verify_password(std::string_view password, std::string_view stored)
{
    const ParsedHash parsed = parse(stored);
    if (!parsed.info.usable) {
        spdlog::debug("stored hash not usable: {}", parsed.info.problem);
        return false;
    }
    if (password.find('\0') != std::string_view::npos || password.size() > parsed.max_password) {
        // The format would read only a prefix of this password: refusing keeps two passwords
        // that share that prefix from both verifying.
        spdlog::debug("password longer than the stored format takes whole");
        return false;
    }
    if (parsed.is_crypt) {
        std::string copy(password);
        const auto computed = crypt_compute(copy, std::string(stored));
        wipe(copy);
        return computed && constant_time_equal(*computed, stored);
    }
    if (parsed.info.family == "werkzeug-pbkdf2") {
        return constant_time_equal(pbkdf2_hex(parsed.digest, password, parsed.salt, *parsed.info.cost), parsed.hex);
    }
    if (parsed.info.family == "werkzeug-scrypt") {
        return constant_time_equal(scrypt_hex(password, parsed.salt, parsed.n, parsed.r, parsed.p), parsed.hex);
    }
    if (parsed.info.family.rfind("argon2", 0) == 0) {
        return argon2_matches(password, parsed.argon2);
    }
    return false;
}

bool can_check(std::string_view password, std::string_view stored)
{
    const ParsedHash parsed = parse(stored);
    return parsed.info.usable && password.find('\0') == std::string_view::npos && password.size() <= parsed.max_password;
}

bool needs_rehash(std::string_view stored, const HashSettings& settings)
{
    const ParsedHash parsed = parse(stored);
    if (!parsed.info.usable || parsed.info.family != scheme_name(settings.scheme)) {
        return true;
    }
    if (settings.scheme == Scheme::werkzeug_pbkdf2 && parsed.digest != "sha256") {
        return true;
    }
    if (settings.scheme == Scheme::werkzeug_scrypt && (parsed.r != 8 || parsed.p != 1)) {
        return true;
    }
    if (settings.scheme == Scheme::argon2id) {
        // Anything but what usersctl writes: Django's form, v=16, other passes, lanes or lengths.
        const Argon2Hash& a = parsed.argon2;
        if (a.django || a.cost.version != k_argon2_version_13 || a.cost.passes != k_argon2_passes ||
            a.cost.lanes != k_argon2_lanes || a.hash.size() != k_argon2_hash_bytes) {
            return true;
        }
    }
    return parsed.info.cost != settings.cost.value_or(default_cost(settings.scheme));
}

std::string dummy_hash(const HashSettings& settings)
{
    validate_settings(settings);
    const std::uint64_t cost = settings.cost.value_or(default_cost(settings.scheme));
    switch (settings.scheme) {
    case Scheme::bcrypt:
        return crypt_new_setting("$2b$", cost) + std::string(31, '.');
    case Scheme::yescrypt:
        return crypt_new_setting("$y$", cost) + "$" + std::string(43, '.');
    case Scheme::sha512crypt:
        return crypt_new_setting("$6$", cost == k_shacrypt_default ? 0 : cost) + "$" + std::string(86, '.');
    case Scheme::werkzeug_pbkdf2:
        return "pbkdf2:sha256:" + std::to_string(cost) + "$" + random_string(16, k_salt_alphabet) + "$" +
               std::string(64, '0');
    case Scheme::werkzeug_scrypt:
        return "scrypt:" + std::to_string(cost) + ":8:1$" + random_string(16, k_salt_alphabet) + "$" +
               std::string(128, '0');
    case Scheme::argon2id:
        return format_argon2(argon2id_of(cost));
    }
    throw InternalError("unknown scheme");
}

void dummy_check(std::string_view password, const HashSettings& settings)
{
    // verify_password refuses, without computing, what the format cannot read whole: cut the
    // password to what it reads so the dummy costs a full check.
    std::string_view readable = password.substr(0, std::min(password.size(), max_password_bytes(settings.scheme)));
    readable = readable.substr(0, readable.find('\0'));
    verify_password(readable, dummy_hash(settings));
}

}  // namespace usersctl
