#include "core/password_hash.hpp"

#include "core/crypt_backend.hpp"
#include "core/errors.hpp"
#include "core/openssl_backend.hpp"
#include "core/secret.hpp"

#include <algorithm>
#include <array>
#include <spdlog/spdlog.h>
#include <vector>

namespace usersctl {

namespace {

// Cost ceilings, one table for writing and for verifying, so that usersctl never writes a hash
// it would refuse to check. They bound the total memory and work of one check, computed from all
// of a value's parameters together (scrypt's r and p, yescrypt's r), so that no stored value
// makes a check use more than about 1 GiB or take more than about 5 s on the reference machine
// (2 cores; measurements in bench/README.md).
constexpr std::uint64_t k_max_check_memory = 1ULL << 30;  // bytes
constexpr std::uint64_t k_bcrypt_min = 4;
constexpr std::uint64_t k_bcrypt_max = 16;  // 2^16 rounds: about 4.1 s here (cost 14: 1.0 s)
constexpr std::uint64_t k_bcrypt_default = 12;
constexpr std::uint64_t k_yescrypt_min = 1;
// libxcrypt's cost 11 is N = 2^18, r = 32: 1 GiB, 2.1 s and 1035 MiB peak RSS here.
constexpr std::uint64_t k_yescrypt_max = 11;
constexpr std::uint64_t k_yescrypt_default = 5;  // libxcrypt's default
constexpr std::uint64_t k_shacrypt_min = 1000;
constexpr std::uint64_t k_shacrypt_max = 10'000'000;  // sha512crypt: about 4.4 s here (1M rounds: 0.44 s)
constexpr std::uint64_t k_shacrypt_default = 5000;  // libxcrypt's default (no rounds= field)
constexpr std::uint64_t k_pbkdf2_min = 1000;
constexpr std::uint64_t k_pbkdf2_max = 4'000'000;  // sha512, the slowest digest: 4.4 s here (1M: 1.09 s)
constexpr std::uint64_t k_pbkdf2_default = 600'000;
constexpr std::uint64_t k_pbkdf2_implicit = 260'000;  // werkzeug 2.2 when the string names none
constexpr std::uint64_t k_scrypt_min_n = 1024;
constexpr std::uint64_t k_scrypt_default_n = 32768;
constexpr std::uint64_t k_scrypt_max_work = 1ULL << 22;  // N * r * p: 2^22 is 2.9 s and 512 MiB here (2^23: 5.9 s)
// yescrypt as libxcrypt writes it (p = 1, t = 0): memory 128 * N * r bytes, work N * r.

constexpr std::size_t k_crypt_max_password = 511;  // libxcrypt's CRYPT_MAX_PASSPHRASE_SIZE - 1
constexpr std::size_t k_bcrypt_max_password = 72;
constexpr std::size_t k_werkzeug_max_password = 4096;

constexpr std::string_view k_salt_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// The crypt(3) alphabet "./0-9A-Za-z" as arithmetic: list and doctor classify a hash per row,
// and a lookup by find() costs a memchr call per character.
int itoa64_index(char c)
{
    if (c == '.' || c == '/') {
        return c == '.' ? 0 : 1;
    }
    if (c >= '0' && c <= '9') {
        return 2 + (c - '0');
    }
    if (c >= 'A' && c <= 'Z') {
        return 12 + (c - 'A');
    }
    if (c >= 'a' && c <= 'z') {
        return 38 + (c - 'a');
    }
    return -1;
}

bool all_itoa64(std::string_view s)
{
    for (char c : s) {
        if (itoa64_index(c) < 0) {
            return false;
        }
    }
    return true;
}

bool all_lower_hex(std::string_view s)
{
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

// A decimal number without sign or spaces, at most 10 digits.
std::optional<std::uint64_t> parse_count(std::string_view s)
{
    if (s.empty() || s.size() > 10) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

std::vector<std::string_view> split(std::string_view s, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto pos = s.find(separator, start);
        if (pos == std::string_view::npos) {
            parts.push_back(s.substr(start));
            return parts;
        }
        parts.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

bool is_power_of_two(std::uint64_t n)
{
    return n > 1 && (n & (n - 1)) == 0;
}

// Everything verify needs from a parsed stored hash.
struct Parsed {
    HashInfo info;
    bool is_crypt = false;  // checked by crypt(3) with the stored string as setting
    std::size_t max_password = k_crypt_max_password;
    std::string digest;     // werkzeug pbkdf2
    std::uint64_t n = 0, r = 0, p = 0;
    std::string_view salt, hex;
};

Parsed unsupported(std::string problem)
{
    Parsed out;
    out.info.family = "unsupported";
    out.info.label = "unsupported";
    out.info.problem = std::move(problem);
    return out;
}

Parsed recognised(std::string family, std::uint64_t cost, std::string label)
{
    Parsed out;
    out.info.family = std::move(family);
    out.info.cost = cost;
    out.info.label = std::move(label);
    out.info.usable = true;
    return out;
}

void refuse_cost(Parsed& parsed, const std::string& why)
{
    parsed.info.usable = false;
    parsed.info.problem = why;
}

Parsed parse_bcrypt(std::string_view s)
{
    // $2b$12$ + 22 salt + 31 hash characters
    if (s.size() != 60 || s[3] != '$' || s[6] != '$' || !all_itoa64(s.substr(7))) {
        return unsupported("malformed bcrypt hash");
    }
    const auto cost = parse_count(s.substr(4, 2));
    if (!cost || *cost < k_bcrypt_min || *cost > 31) {
        return unsupported("bcrypt cost out of range");
    }
    Parsed out = recognised("bcrypt", *cost, "bcrypt:" + std::to_string(*cost));
    out.is_crypt = true;
    out.max_password = k_bcrypt_max_password;
    if (*cost > k_bcrypt_max) {
        refuse_cost(out, "bcrypt cost " + std::to_string(*cost) + " is above the ceiling of " +
                             std::to_string(k_bcrypt_max));
    }
    return out;
}

Parsed parse_shacrypt(std::string_view s, const char* family, std::size_t hash_length)
{
    std::string_view rest = s.substr(3);
    std::uint64_t rounds = k_shacrypt_default;
    if (rest.substr(0, 7) == "rounds=") {
        const auto end = rest.find('$');
        if (end == std::string_view::npos) {
            return unsupported(std::string("malformed ") + family + " hash");
        }
        const auto value = parse_count(rest.substr(7, end - 7));
        if (!value || *value < k_shacrypt_min || *value > 999'999'999) {
            return unsupported(std::string(family) + " rounds out of range");
        }
        rounds = *value;
        rest = rest.substr(end + 1);
    }
    const auto dollar = rest.find('$');
    if (dollar == std::string_view::npos || dollar > 16 || !all_itoa64(rest.substr(0, dollar)) ||
        rest.size() - dollar - 1 != hash_length || !all_itoa64(rest.substr(dollar + 1))) {
        return unsupported(std::string("malformed ") + family + " hash");
    }
    Parsed out = recognised(family, rounds, std::string(family) + ":" + std::to_string(rounds));
    out.is_crypt = true;
    if (rounds > k_shacrypt_max) {
        refuse_cost(out, std::string(family) + " rounds above the ceiling of " + std::to_string(k_shacrypt_max));
    }
    return out;
}

// Why scrypt(N, r, p) is over the ceilings (memory 128 * N * r bytes, work N * r * p), or
// nothing. Each product is checked by division, so no parameter can overflow it.
std::optional<std::string> scrypt_over_ceiling(std::uint64_t n, std::uint64_t r, std::uint64_t p)
{
    if (n == 0 || r == 0 || p == 0) {
        return "parameters out of range";
    }
    if (n > k_max_check_memory / 128 / r) {
        return "memory (128 * N * r bytes) above the ceiling of 1 GiB";
    }
    if (n * r > k_scrypt_max_work / p) {
        return "work (N * r * p) above the ceiling of " + std::to_string(k_scrypt_max_work);
    }
    return std::nullopt;
}

// The same for yescrypt with p = 1 and t = 0, where memory and work are both N * r.
std::optional<std::string> yescrypt_over_ceiling(unsigned n_log2, std::uint64_t r)
{
    if (n_log2 >= 40 || (1ULL << n_log2) > k_max_check_memory / 128 / r) {
        return "memory (128 * N * r bytes) above the ceiling of 1 GiB";
    }
    return std::nullopt;
}

// The parameter strings crypt_gensalt writes for yescrypt costs 1..11, to name a stored cost.
const std::array<std::string, k_yescrypt_max + 1>& yescrypt_params_by_cost()
{
    static const auto table = [] {
        std::array<std::string, k_yescrypt_max + 1> t;
        for (std::uint64_t cost = k_yescrypt_min; cost <= k_yescrypt_max; ++cost) {
            const std::string setting = crypt_new_setting("$y$", cost);  // "$y$j9T$salt"
            t[cost] = setting.substr(3, setting.find('$', 3) - 3);
        }
        return t;
    }();
    return table;
}

Parsed parse_yescrypt(std::string_view s, bool gost)
{
    const std::string family = gost ? "gost-yescrypt" : "yescrypt";
    const auto parts = split(s.substr(gost ? 4 : 3), '$');
    if (parts.size() != 3 || parts[0].size() < 3 || parts[1].empty() || parts[1].size() > 86 ||
        parts[2].size() != 43 || !all_itoa64(parts[0]) || !all_itoa64(parts[1]) || !all_itoa64(parts[2])) {
        return unsupported("malformed " + family + " hash");
    }
    const std::string_view params = parts[0];
    const auto& known = yescrypt_params_by_cost();
    for (std::uint64_t cost = k_yescrypt_min; cost <= k_yescrypt_max; ++cost) {
        if (params == known[cost]) {
            Parsed out = recognised(family, cost, family + ":" + std::to_string(cost));
            out.is_crypt = true;
            return out;
        }
    }
    // Other parameters: 'j' (the yescrypt flags libxcrypt writes), then log2(N) - 1 and r - 1,
    // one character each (values under 47 are one character in yescrypt's encoding).
    Parsed out = recognised(family, 0, family + ":" + std::string(params));
    out.info.cost.reset();
    out.is_crypt = true;
    const int n_index = itoa64_index(params[1]);
    const int r_index = params.size() == 3 ? itoa64_index(params[2]) : -1;
    if (params[0] != 'j' || params.size() != 3 || n_index < 0 || n_index > 46 || r_index < 0 || r_index > 46) {
        refuse_cost(out, family + " parameters other than libxcrypt's are not supported");
    } else if (const auto why = yescrypt_over_ceiling(static_cast<unsigned>(n_index) + 1,
                                                      static_cast<std::uint64_t>(r_index) + 1)) {
        refuse_cost(out, family + " " + *why);
    }
    return out;
}

std::uint64_t decode_uint30(std::string_view five)
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < five.size(); ++i) {
        value |= static_cast<std::uint64_t>(itoa64_index(five[i])) << (6 * i);
    }
    return value;
}

Parsed parse_crypt_scrypt(std::string_view s)
{
    // $7$ + N (1) + r (5) + p (5) + salt + $ + 43
    const auto dollar = s.find('$', 3);
    if (s.size() < 3 + 11 + 1 + 43 || dollar == std::string_view::npos || dollar < 14 ||
        s.size() - dollar - 1 != 43 || !all_itoa64(s.substr(3, 11)) || !all_itoa64(s.substr(dollar + 1))) {
        return unsupported("malformed scrypt hash");
    }
    const int nlog2 = itoa64_index(s[3]);
    const std::uint64_t r = decode_uint30(s.substr(4, 5));
    const std::uint64_t p = decode_uint30(s.substr(9, 5));
    if (nlog2 < 1 || nlog2 > 62 || r == 0 || p == 0) {
        return unsupported("scrypt parameters out of range");
    }
    const std::uint64_t n = 1ULL << nlog2;
    Parsed out = recognised("scrypt", n, "scrypt:" + std::to_string(n) + ":" + std::to_string(r) + ":" + std::to_string(p));
    out.is_crypt = true;
    if (const auto why = scrypt_over_ceiling(n, r, p)) {
        refuse_cost(out, "scrypt " + *why);
    }
    return out;
}

// werkzeug's layout, "method:params$salt$hex": the three parts and the method's fields, or
// nullopt when there are not exactly three parts with a non-empty salt.
struct WerkzeugParts {
    std::vector<std::string_view> method;
    std::string_view salt;
    std::string_view hex;
};

std::optional<WerkzeugParts> split_werkzeug(std::string_view s)
{
    const auto parts = split(s, '$');
    if (parts.size() != 3 || parts[1].empty()) {
        return std::nullopt;
    }
    return WerkzeugParts{split(parts[0], ':'), parts[1], parts[2]};
}

Parsed parse_werkzeug_pbkdf2(std::string_view s)
{
    const auto parts = split_werkzeug(s);
    if (!parts) {
        return unsupported("malformed werkzeug pbkdf2 hash");
    }
    const auto& method = parts->method;
    if (method.size() < 2 || method.size() > 3) {
        return unsupported("malformed werkzeug pbkdf2 method");
    }
    const std::string digest(method[1]);
    const auto size = digest_size(digest);
    if (!size || digest == "md5") {
        // Not quoted back: an import cell or a stored value is data, never message text.
        return unsupported("werkzeug pbkdf2 digest is not supported (sha1, sha224, sha256, sha384, sha512 are)");
    }
    std::uint64_t iterations = k_pbkdf2_implicit;
    if (method.size() == 3) {
        const auto value = parse_count(method[2]);
        if (!value || *value == 0) {
            return unsupported("werkzeug pbkdf2 iterations out of range");
        }
        iterations = *value;
    }
    if (parts->hex.size() != *size * 2 || !all_lower_hex(parts->hex)) {
        return unsupported("malformed werkzeug pbkdf2 digest");
    }
    const std::string family = "werkzeug-pbkdf2";
    const std::string name = digest == "sha256" ? family : family + "-" + digest;
    Parsed out = recognised(family, iterations, name + ":" + std::to_string(iterations));
    out.max_password = k_werkzeug_max_password;
    out.digest = digest;
    out.salt = parts->salt;
    out.hex = parts->hex;
    if (iterations > k_pbkdf2_max) {
        refuse_cost(out, "pbkdf2 iterations above the ceiling of " + std::to_string(k_pbkdf2_max));
    }
    return out;
}

Parsed parse_werkzeug_scrypt(std::string_view s)
{
    const auto parts = split_werkzeug(s);
    if (!parts) {
        return unsupported("malformed werkzeug scrypt hash");
    }
    const auto& method = parts->method;
    if (method.size() != 4) {
        return unsupported("malformed werkzeug scrypt method");
    }
    const auto n = parse_count(method[1]);
    const auto r = parse_count(method[2]);
    const auto p = parse_count(method[3]);
    if (!n || !r || !p || !is_power_of_two(*n) || *r == 0 || *p == 0) {
        return unsupported("werkzeug scrypt parameters out of range");
    }
    if (parts->hex.size() != 128 || !all_lower_hex(parts->hex)) {
        return unsupported("malformed werkzeug scrypt digest");
    }
    Parsed out = recognised("werkzeug-scrypt", *n,
                            "werkzeug-scrypt:" + std::to_string(*n) + ":" + std::to_string(*r) + ":" + std::to_string(*p));
    out.max_password = k_werkzeug_max_password;
    out.n = *n;
    out.r = *r;
    out.p = *p;
    out.salt = parts->salt;
    out.hex = parts->hex;
    if (const auto why = scrypt_over_ceiling(*n, *r, *p)) {
        refuse_cost(out, "scrypt " + *why);
    }
    return out;
}

// The allow-list: anything not recognised here never reaches crypt(3), which would otherwise
// read e.g. "garbage" as a traditional DES hash.
Parsed parse(std::string_view s)
{
    if (s.empty()) {
        return unsupported("empty hash");
    }
    if (s.size() > 1024) {
        return unsupported("hash string too long");
    }
    if (s.substr(0, 4) == "$2a$" || s.substr(0, 4) == "$2b$" || s.substr(0, 4) == "$2y$") {
        return parse_bcrypt(s);
    }
    if (s.substr(0, 3) == "$6$") {
        return parse_shacrypt(s, "sha512crypt", 86);
    }
    if (s.substr(0, 3) == "$5$") {
        return parse_shacrypt(s, "sha256crypt", 43);
    }
    if (s.substr(0, 3) == "$y$") {
        return parse_yescrypt(s, false);
    }
    if (s.substr(0, 4) == "$gy$") {
        return parse_yescrypt(s, true);
    }
    if (s.substr(0, 3) == "$7$") {
        return parse_crypt_scrypt(s);
    }
    if (s.substr(0, 7) == "pbkdf2:") {
        return parse_werkzeug_pbkdf2(s);
    }
    if (s.substr(0, 7) == "scrypt:") {
        return parse_werkzeug_scrypt(s);
    }
    if (s.substr(0, 3) == "$1$") {
        return unsupported("md5crypt is not supported");
    }
    return unsupported("not a recognised password hash format");
}

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

}  // namespace

Scheme parse_scheme(const std::string& name)
{
    for (Scheme s : {Scheme::bcrypt, Scheme::yescrypt, Scheme::sha512crypt, Scheme::werkzeug_pbkdf2,
                     Scheme::werkzeug_scrypt}) {
        if (name == scheme_name(s)) {
            return s;
        }
    }
    throw UsageError("unknown scheme '" + name + "'",
                     "choose bcrypt, yescrypt, sha512crypt, werkzeug-pbkdf2 or werkzeug-scrypt");
}

const char* scheme_name(Scheme scheme)
{
    switch (scheme) {
    case Scheme::bcrypt: return "bcrypt";
    case Scheme::yescrypt: return "yescrypt";
    case Scheme::sha512crypt: return "sha512crypt";
    case Scheme::werkzeug_pbkdf2: return "werkzeug-pbkdf2";
    case Scheme::werkzeug_scrypt: return "werkzeug-scrypt";
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
    }
    throw InternalError("unknown scheme");
}

HashInfo inspect_hash(std::string_view stored)
{
    return parse(stored).info;
}

bool verify_password(std::string_view password, std::string_view stored)
{
    const Parsed parsed = parse(stored);
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
    return false;
}

bool can_check(std::string_view password, std::string_view stored)
{
    const Parsed parsed = parse(stored);
    return parsed.info.usable && password.find('\0') == std::string_view::npos && password.size() <= parsed.max_password;
}

bool needs_rehash(std::string_view stored, const HashSettings& settings)
{
    const Parsed parsed = parse(stored);
    if (!parsed.info.usable || parsed.info.family != scheme_name(settings.scheme)) {
        return true;
    }
    if (settings.scheme == Scheme::werkzeug_pbkdf2 && parsed.digest != "sha256") {
        return true;
    }
    if (settings.scheme == Scheme::werkzeug_scrypt && (parsed.r != 8 || parsed.p != 1)) {
        return true;
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
