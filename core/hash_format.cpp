#include "core/hash_format.hpp"

#include "core/hash_format_parts.hpp"

#include "core/crypt_backend.hpp"
#include "core/openssl_backend.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace usersctl::hash_format {

namespace {

// The crypt(3) alphabet "./0-9A-Za-z" as arithmetic: list and doctor classify a hash per row,
// and a lookup by find() costs a memchr call per character.
constexpr int itoa64_index(char c)
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

// Membership of the crypt(3) alphabet as a table: list and doctor test every character of every
// stored hash, a million rows at a time.
constexpr std::array<bool, 256> k_itoa64_member = [] {
    std::array<bool, 256> member{};
    for (int c = 0; c < 256; ++c) {
        member[static_cast<std::size_t>(c)] = itoa64_index(static_cast<char>(c)) >= 0;
    }
    return member;
}();

bool all_itoa64(std::string_view s)
{
    for (const char c : s) {
        if (!k_itoa64_member[static_cast<unsigned char>(c)]) {
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

ParsedHash parse_bcrypt(std::string_view s)
{
    // $2b$12$ + 22 salt + 31 hash characters
    if (s.size() != 60 || s[3] != '$' || s[6] != '$' || !all_itoa64(s.substr(7))) {
        return unsupported("malformed bcrypt hash");
    }
    const auto cost = parse_count(s.substr(4, 2));
    if (!cost || *cost < k_bcrypt_min || *cost > 31) {
        return unsupported("bcrypt cost out of range");
    }
    ParsedHash out = recognised("bcrypt", *cost, "bcrypt:" + std::to_string(*cost));
    out.is_crypt = true;
    out.max_password = k_bcrypt_max_password;
    if (*cost > k_bcrypt_max) {
        refuse_cost(out, "bcrypt cost " + std::to_string(*cost) + " is above the ceiling of " +
                             std::to_string(k_bcrypt_max));
    }
    return out;
}

ParsedHash parse_shacrypt(std::string_view s, const char* family, std::size_t hash_length)
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
    ParsedHash out = recognised(family, rounds, std::string(family) + ":" + std::to_string(rounds));
    out.is_crypt = true;
    if (rounds > k_shacrypt_max) {
        refuse_cost(out, std::string(family) + " rounds above the ceiling of " + std::to_string(k_shacrypt_max));
    }
    return out;
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

ParsedHash parse_yescrypt(std::string_view s, bool gost)
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
            ParsedHash out = recognised(family, cost, family + ":" + std::to_string(cost));
            out.is_crypt = true;
            return out;
        }
    }
    // Other parameters: 'j' (the yescrypt flags libxcrypt writes), then log2(N) - 1 and r - 1,
    // one character each (values under 47 are one character in yescrypt's encoding).
    ParsedHash out = recognised(family, 0, family + ":" + std::string(params));
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

ParsedHash parse_crypt_scrypt(std::string_view s)
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
    ParsedHash out = recognised("scrypt", n, "scrypt:" + std::to_string(n) + ":" + std::to_string(r) + ":" + std::to_string(p));
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

ParsedHash parse_werkzeug_pbkdf2(std::string_view s)
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
    ParsedHash out = recognised(family, iterations, name + ":" + std::to_string(iterations));
    out.max_password = k_werkzeug_max_password;
    out.digest = digest;
    out.salt = parts->salt;
    out.hex = parts->hex;
    if (iterations > k_pbkdf2_max) {
        refuse_cost(out, "pbkdf2 iterations above the ceiling of " + std::to_string(k_pbkdf2_max));
    }
    return out;
}

ParsedHash parse_werkzeug_scrypt(std::string_view s)
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
    ParsedHash out = recognised("werkzeug-scrypt", *n,
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

}  // namespace

bool is_power_of_two(std::uint64_t n)
{
    return n > 1 && (n & (n - 1)) == 0;
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

// The allow-list: anything not recognised here never reaches crypt(3), which would otherwise
// read e.g. "garbage" as a traditional DES hash.
ParsedHash parse(std::string_view s)
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
    if (s.substr(0, 7) == "$argon2" || s.substr(0, 13) == "argon2$argon2") {
        return parse_argon2(s);
    }
    if (s.substr(0, 3) == "$1$") {
        return unsupported("md5crypt is not supported");
    }
    return unsupported("not a recognised password hash format");
}

}  // namespace usersctl::hash_format
