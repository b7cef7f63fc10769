// Time per hash of each scheme at its default cost: usersctl's hash_password next to a bare
// libxcrypt / OpenSSL / libargon2 call with the same parameters. The difference is usersctl's overhead
// (salt generation, formatting, checks). Runs interleaved; prints medians.

#include "core/password_hash.hpp"

#include <algorithm>
#include <argon2.h>
#include <chrono>
#include <crypt.h>
#include <cstdio>
#include <functional>
#include <memory>
#include <openssl/evp.h>
#include <string>
#include <vector>

using namespace usersctl;

namespace {

const std::string k_password = "correct horse battery staple";

double time_ms(const std::function<void()>& f)
{
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void bare_crypt(const char* prefix, unsigned long count)
{
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    crypt_gensalt_rn(prefix, count, nullptr, 0, setting, sizeof setting);
    auto data = std::make_unique<crypt_data>();
    crypt_rn(k_password.c_str(), setting, data.get(), sizeof *data);
}

void bare_pbkdf2()
{
    unsigned char out[32];
    PKCS5_PBKDF2_HMAC(k_password.data(), static_cast<int>(k_password.size()),
                      reinterpret_cast<const unsigned char*>("abcdefghijklmnop"), 16, 600000, EVP_sha256(), 32, out);
}

void bare_scrypt()
{
    unsigned char out[64];
    EVP_PBE_scrypt(k_password.data(), k_password.size(), reinterpret_cast<const unsigned char*>("abcdefghijklmnop"),
                   16, 32768, 8, 1, 132ULL * 32768 * 8 + (1 << 20), out, sizeof out);
}

// argon2id at usersctl's defaults: m=65536 KiB, t=2, p=1, a 16-byte salt, a 32-byte hash.
void bare_argon2id()
{
    unsigned char out[32];
    argon2id_hash_raw(2, 65536, 1, k_password.data(), k_password.size(), "abcdefghijklmnop", 16, out, sizeof out);
}

}  // namespace

// bench_hash_overhead [ROUNDS [SCHEME]]: every scheme, or only the one named.
int main(int argc, char** argv)
{
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
    const std::string only = argc > 2 ? argv[2] : "";
    struct Case {
        Scheme scheme;
        std::function<void()> bare;
    };
    const std::vector<Case> cases = {
        {Scheme::bcrypt, [] { bare_crypt("$2b$", 12); }},
        {Scheme::yescrypt, [] { bare_crypt("$y$", 5); }},
        {Scheme::sha512crypt, [] { bare_crypt("$6$", 0); }},
        {Scheme::werkzeug_pbkdf2, bare_pbkdf2},
        {Scheme::werkzeug_scrypt, bare_scrypt},
        {Scheme::argon2id, bare_argon2id},
    };
    std::printf("| scheme (default cost) | usersctl ms/hash | bare library ms/hash | overhead |\n|---|---|---|---|\n");
    for (const auto& c : cases) {
        if (!only.empty() && only != scheme_name(c.scheme)) {
            continue;
        }
        std::vector<double> ours, bare;
        const HashSettings settings{c.scheme, std::nullopt};
        hash_password(k_password, settings);  // warm-up (also yescrypt's parameter table)
        c.bare();
        // Which of the two goes first alternates: the second of a pair runs on a warmer (or
        // hotter, throttled) machine, which would otherwise count as usersctl's overhead.
        for (int i = 0; i < rounds; ++i) {
            if (i % 2 == 0) {
                ours.push_back(time_ms([&] { hash_password(k_password, settings); }));
            }
            bare.push_back(time_ms(c.bare));
            if (i % 2 == 1) {
                ours.push_back(time_ms([&] { hash_password(k_password, settings); }));
            }
        }
        const double o = median(ours);
        const double b = median(bare);
        std::printf("| %s (%llu) | %.3f | %.3f | %+.2f%% |\n", scheme_name(c.scheme),
                    static_cast<unsigned long long>(default_cost(c.scheme)), o, b, 100.0 * (o - b) / b);
    }
    return 0;
}
