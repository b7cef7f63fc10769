// Argon2's stored strings: the PHC string format ("$argon2id$v=19$m=M,t=T,p=P$salt$hash") and
// Django's form of it ("argon2$argon2id$..."), read strictly (one spelling per value) and written
// canonically. Computes nothing: argon2_backend.cpp does.

#include "core/base64.hpp"
#include "core/hash_format_parts.hpp"

namespace usersctl::hash_format {

namespace {

constexpr std::string_view k_django_prefix = "argon2";

struct TypeName {
    Argon2Type type;
    std::string_view name;
};

constexpr TypeName k_type_names[] = {
    {Argon2Type::id, "argon2id"}, {Argon2Type::i, "argon2i"}, {Argon2Type::d, "argon2d"}};

std::string_view type_name(Argon2Type type)
{
    for (const auto& t : k_type_names) {
        if (t.type == type) {
            return t.name;
        }
    }
    return "argon2id";
}

// PHC's decimal encoding: digits only, no leading zero.
std::optional<std::uint64_t> canonical_number(std::string_view s)
{
    if (s.size() > 1 && s[0] == '0') {
        return std::nullopt;
    }
    return parse_count(s);
}

// "m=M,t=T,p=P", exactly these three in this order (PHC's optional keyid and data are not read).
std::optional<Argon2Cost> parse_cost(std::string_view text)
{
    const auto fields = split(text, ',');
    if (fields.size() != 3) {
        return std::nullopt;
    }
    std::uint64_t values[3] = {0, 0, 0};
    const char names[3] = {'m', 't', 'p'};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto value = canonical_number(fields[i].substr(std::min<std::size_t>(2, fields[i].size())));
        if (fields[i].size() < 2 || fields[i][0] != names[i] || fields[i][1] != '=' || !value) {
            return std::nullopt;
        }
        values[i] = *value;
    }
    const auto [m, t, p] = values;
    // The PHC ranges (m and t under 2^32, p 1..255), and libargon2's m >= 8p.
    if (m > 0xFFFFFFFFULL || t == 0 || t > 0xFFFFFFFFULL || p == 0 || p > k_argon2_max_lanes || m < 8 * p) {
        return std::nullopt;
    }
    Argon2Cost cost;
    cost.memory_kib = static_cast<std::uint32_t>(m);
    cost.passes = static_cast<std::uint32_t>(t);
    cost.lanes = static_cast<std::uint32_t>(p);
    return cost;
}

std::string cost_text(const Argon2Cost& cost)
{
    return "m=" + std::to_string(cost.memory_kib) + ",t=" + std::to_string(cost.passes) +
           ",p=" + std::to_string(cost.lanes);
}

std::string label_of(const Argon2Hash& hash)
{
    const std::string version = hash.cost.version == k_argon2_version_10 ? "v=16," : "";
    const std::string family(type_name(hash.cost.type));
    return (hash.django ? "django-" : "") + family + ":" + version + cost_text(hash.cost);
}

std::optional<Argon2Type> type_named(std::string_view name)
{
    for (const auto& t : k_type_names) {
        if (t.name == name) {
            return t.type;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> argon2_over_ceiling(std::uint64_t memory_kib, std::uint64_t passes)
{
    if (memory_kib > k_argon2_max_memory) {
        return "memory (m) above the ceiling of 1 GiB (" + std::to_string(k_argon2_max_memory) + " KiB)";
    }
    if (memory_kib != 0 && passes > k_argon2_max_work / memory_kib) {
        return "work (m * t) above the ceiling of " + std::to_string(k_argon2_max_work);
    }
    return std::nullopt;
}

std::string format_argon2(const Argon2Hash& hash)
{
    const char* version = hash.cost.version == k_argon2_version_10 ? "16" : "19";
    return std::string(hash.django ? k_django_prefix : "") + "$" + std::string(type_name(hash.cost.type)) + "$v=" +
           version + "$" + cost_text(hash.cost) + "$" + b64_encode(hash.salt) + "$" + b64_encode(hash.hash);
}

ParsedHash parse_argon2(std::string_view s)
{
    Argon2Hash hash;
    hash.django = s.substr(0, k_django_prefix.size() + 1) == "argon2$";
    const auto parts = split(s.substr(hash.django ? k_django_prefix.size() + 1 : 1), '$');
    const auto type = type_named(parts[0]);
    if (!type) {
        return unsupported("argon2 variant not supported (argon2id, argon2i and argon2d are)");
    }
    hash.cost.type = *type;
    // No v= field is Argon2 1.0 (v=16), as libargon2 reads it.
    hash.cost.version = k_argon2_version_10;
    std::size_t next = 1;
    if (parts.size() > next && parts[next].substr(0, 2) == "v=") {
        const auto version = canonical_number(parts[next].substr(2));
        if (!version || (*version != 16 && *version != 19)) {
            return unsupported("argon2 version not supported (16 and 19 are)");
        }
        hash.cost.version = *version == 16 ? k_argon2_version_10 : k_argon2_version_13;
        ++next;
    }
    if (parts.size() != next + 3) {
        return unsupported("malformed argon2 hash");
    }
    const auto cost = parse_cost(parts[next]);
    if (!cost) {
        return unsupported("argon2 parameters malformed or out of range (m=M,t=T,p=P; no keyid or data)");
    }
    const auto salt = b64_decode(parts[next + 1]);
    const auto raw = b64_decode(parts[next + 2]);
    if (!salt || !raw || salt->size() < k_argon2_min_salt || raw->size() < k_argon2_min_hash) {
        return unsupported("malformed argon2 salt or hash (unpadded base64, at least 8 and 4 bytes)");
    }
    hash.cost.memory_kib = cost->memory_kib;
    hash.cost.passes = cost->passes;
    hash.cost.lanes = cost->lanes;
    hash.salt = *salt;
    hash.hash = *raw;
    ParsedHash out = recognised(std::string(type_name(hash.cost.type)), hash.cost.memory_kib, label_of(hash));
    out.max_password = k_argon2_max_password;
    out.argon2 = std::move(hash);
    if (const auto why = argon2_over_ceiling(out.argon2.cost.memory_kib, out.argon2.cost.passes)) {
        refuse_cost(out, out.info.family + " " + *why);
    }
    return out;
}

}  // namespace usersctl::hash_format
