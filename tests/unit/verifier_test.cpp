#include "core/errors.hpp"
#include "core/password_hash.hpp"
#include "core/verifier.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

namespace {

const std::string k_pbkdf2 = "pbkdf2:sha256:600000$abcdefgh$" + std::string(64, '0');
const std::string k_scrypt = "scrypt:32768:8:1$abcdefgh$" + std::string(128, '0');
const std::string k_argon2i = "$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$" + std::string(43, 'A');

}  // namespace

TEST_CASE("each verifier reads exactly its formats")
{
    const std::string bcrypt = hash_password("correct horse battery staple", {Scheme::bcrypt, 4});
    const std::string yescrypt = hash_password("correct horse battery staple", {Scheme::yescrypt, 1});
    const std::string sha512 = hash_password("correct horse battery staple", {Scheme::sha512crypt, std::nullopt});

    CHECK(can_read_stored(Verifier::werkzeug, k_pbkdf2));
    CHECK_FALSE(can_read_stored(Verifier::werkzeug, k_scrypt));  // scrypt: arrived in werkzeug 2.3
    CHECK_FALSE(can_read_stored(Verifier::werkzeug, bcrypt));
    CHECK_FALSE(can_read_stored(Verifier::werkzeug, "plain$$secret"));

    CHECK(can_read_stored(Verifier::werkzeug_2_3, k_pbkdf2));
    CHECK(can_read_stored(Verifier::werkzeug_2_3, k_scrypt));
    CHECK_FALSE(can_read_stored(Verifier::werkzeug_2_3, yescrypt));

    for (const auto& h : {bcrypt, yescrypt, sha512}) {
        CHECK(can_read_stored(Verifier::crypt, h));
        CHECK(can_read_stored(Verifier::any, h));
    }
    CHECK_FALSE(can_read_stored(Verifier::crypt, k_pbkdf2));
    CHECK(can_read_stored(Verifier::any, k_pbkdf2));
    CHECK(can_read_stored(Verifier::any, k_scrypt));

    // Argon2 (any variant, PHC or Django's layout): only usersctl reads it.
    for (const std::string& h : {hash_password("correct horse battery staple", {Scheme::argon2id, 1024}), k_argon2i,
                                 "argon2" + k_argon2i}) {
        CHECK(can_read_stored(Verifier::any, h));
        CHECK_FALSE(can_read_stored(Verifier::werkzeug, h));
        CHECK_FALSE(can_read_stored(Verifier::werkzeug_2_3, h));
        CHECK_FALSE(can_read_stored(Verifier::crypt, h));
    }
    CHECK_FALSE(can_read_stored(Verifier::any, "$argon2id$v=19$m=2097152,t=1,p=1$c2FsdHNhbHQ$" + std::string(43, 'A')));

    // Nothing reads what usersctl cannot check, whatever the verifier.
    for (Verifier v : {Verifier::werkzeug, Verifier::werkzeug_2_3, Verifier::crypt, Verifier::any}) {
        CHECK_FALSE(can_read_stored(v, ""));
        CHECK_FALSE(can_read_stored(v, "   "));
        CHECK_FALSE(can_read_stored(v, "!"));
        CHECK_FALSE(can_read_stored(v, "$2b$31$" + std::string(53, 'a')));  // over the ceiling
    }
}

TEST_CASE("the default scheme is one the verifier reads, and others are refused")
{
    CHECK(settings_for(Verifier::werkzeug, std::nullopt, std::nullopt).scheme == Scheme::werkzeug_pbkdf2);
    CHECK(settings_for(Verifier::werkzeug_2_3, std::nullopt, std::nullopt).scheme == Scheme::werkzeug_scrypt);
    CHECK(settings_for(Verifier::crypt, std::nullopt, std::nullopt).scheme == Scheme::bcrypt);
    CHECK(settings_for(Verifier::any, std::nullopt, std::nullopt).scheme == Scheme::argon2id);
    for (Verifier v : {Verifier::werkzeug, Verifier::werkzeug_2_3, Verifier::crypt, Verifier::any}) {
        for (Scheme s : k_schemes) {
            if (can_read(v, s)) {
                CHECK(settings_for(v, s, std::nullopt).scheme == s);
                // What is written with those settings is read back by the same verifier.
                const std::optional<std::uint64_t> quick = s == Scheme::werkzeug_pbkdf2 ? 1000
                                                           : s == Scheme::werkzeug_scrypt  ? 1024
                                                           : s == Scheme::argon2id         ? 1024
                                                           : s == Scheme::bcrypt           ? 4
                                                                                           : std::optional<std::uint64_t>();
                const std::string h = hash_password("correct horse battery staple", {s, quick});
                CHECK(can_read_stored(v, h));
            } else {
                CHECK_THROWS_AS(settings_for(v, s, std::nullopt), UsageError);
            }
        }
    }
    CHECK_THROWS_WITH(settings_for(Verifier::werkzeug, Scheme::bcrypt, std::nullopt),
                      Catch::Contains("verifier 'werkzeug' cannot read"));
    CHECK(readable_schemes(Verifier::werkzeug) == "werkzeug-pbkdf2");
    CHECK(readable_schemes(Verifier::crypt) == "bcrypt, yescrypt or sha512crypt");
    CHECK(readable_schemes(Verifier::any) ==
          "bcrypt, yescrypt, sha512crypt, werkzeug-pbkdf2, werkzeug-scrypt or argon2id");
    CHECK_THROWS_AS(parse_verifier("werkzeug2"), UsageError);
}
