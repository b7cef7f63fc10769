#include "core/verifier.hpp"

#include "core/errors.hpp"

namespace usersctl {

namespace {

constexpr Verifier k_verifiers[] = {Verifier::werkzeug, Verifier::werkzeug_2_3, Verifier::crypt, Verifier::any};

}  // namespace

Verifier parse_verifier(const std::string& name)
{
    for (Verifier v : k_verifiers) {
        if (name == verifier_name(v)) {
            return v;
        }
    }
    throw UsageError("unknown verifier '" + name + "'", "choose werkzeug, werkzeug-2.3, crypt or any");
}

const char* verifier_name(Verifier verifier)
{
    switch (verifier) {
    case Verifier::werkzeug: return "werkzeug";
    case Verifier::werkzeug_2_3: return "werkzeug-2.3";
    case Verifier::crypt: return "crypt";
    case Verifier::any: return "any";
    }
    return "?";
}

Scheme default_scheme(Verifier verifier)
{
    switch (verifier) {
    case Verifier::werkzeug: return Scheme::werkzeug_pbkdf2;
    case Verifier::werkzeug_2_3: return Scheme::werkzeug_scrypt;
    case Verifier::crypt: return Scheme::bcrypt;
    // Only usersctl checks the hashes: the scheme OWASP recommends first.
    case Verifier::any: return Scheme::argon2id;
    }
    return Scheme::bcrypt;
}

bool can_read(Verifier verifier, Scheme scheme)
{
    switch (scheme) {
    case Scheme::bcrypt:
    case Scheme::yescrypt:
    case Scheme::sha512crypt: return can_read_family(verifier, "bcrypt");
    case Scheme::werkzeug_pbkdf2: return can_read_family(verifier, "werkzeug-pbkdf2");
    case Scheme::werkzeug_scrypt: return can_read_family(verifier, "werkzeug-scrypt");
    case Scheme::argon2id: return can_read_family(verifier, "argon2id");
    }
    return false;
}

bool can_read_family(Verifier verifier, std::string_view family)
{
    const bool crypt_family = family == "bcrypt" || family == "yescrypt" || family == "gost-yescrypt" ||
                              family == "scrypt" || family == "sha512crypt" || family == "sha256crypt";
    // libxcrypt has no Argon2, and werkzeug never had it: only usersctl reads these.
    const bool argon2_family = family == "argon2id" || family == "argon2i" || family == "argon2d";
    switch (verifier) {
    case Verifier::werkzeug: return family == "werkzeug-pbkdf2";
    // werkzeug 2.3 added scrypt: to check_password_hash; every release since reads both.
    case Verifier::werkzeug_2_3: return family == "werkzeug-pbkdf2" || family == "werkzeug-scrypt";
    case Verifier::crypt: return crypt_family;
    case Verifier::any:
        return crypt_family || argon2_family || family == "werkzeug-pbkdf2" || family == "werkzeug-scrypt";
    }
    return false;
}

bool can_read_stored(Verifier verifier, std::string_view stored_hash)
{
    const HashInfo info = inspect_hash(stored_hash);
    return info.usable && can_read_family(verifier, info.family);
}

std::string readable_schemes(Verifier verifier)
{
    std::string names;
    std::size_t count = 0;
    for (Scheme s : k_schemes) {
        count += can_read(verifier, s) ? 1 : 0;
    }
    std::size_t seen = 0;
    for (Scheme s : k_schemes) {
        if (!can_read(verifier, s)) {
            continue;
        }
        ++seen;
        names += seen == 1 ? "" : seen == count ? " or " : ", ";
        names += scheme_name(s);
    }
    return names;
}

HashSettings settings_for(Verifier verifier, const std::optional<Scheme>& scheme, std::optional<std::uint64_t> cost)
{
    HashSettings settings{scheme.value_or(default_scheme(verifier)), cost};
    if (!can_read(verifier, settings.scheme)) {
        throw UsageError(std::string("--scheme ") + scheme_name(settings.scheme) + " writes hashes the verifier '" +
                             verifier_name(verifier) + "' cannot read",
                         std::string("choose ") + readable_schemes(verifier) +
                             ", or set --verifier to the software that checks these hashes");
    }
    validate_settings(settings);
    return settings;
}

}  // namespace usersctl
