// Argon2: known answers from real implementations (argon2-cffi 21.1, passlib 1.7 and PHP 8.2's
// password_hash, as Debian 12 ships them; Django's layout built with argon2-cffi the way
// Django's Argon2PasswordHasher builds it), the strict PHC format, the ceilings and rehashing.

#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/hash_format.hpp"
#include "core/password_hash.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

namespace {

const std::string k_password = "correct horse battery staple";
const std::string k_unicode = "p\xc3\xa4ssw\xc3\xb6rd-\xe5\xaf\x86\xe7\xa0\x81-\xf0\x9f\x94\x91";  // pässwörd-密码-🔑

struct Vector {
    std::string name;
    std::string stored;
    std::string label;
};

const std::vector<Vector> k_vectors = {
    {"argon2-cffi PasswordHasher() defaults (p=8, 16-byte hash)",
     "$argon2id$v=19$m=102400,t=2,p=8$p/sw+3BQ6ecTR7IUVIGGkQ$4vWSVRh0a5u/d99ZqTgN3w", "argon2id:m=102400,t=2,p=8"},
    {"PHP password_hash(PASSWORD_ARGON2ID) defaults",
     "$argon2id$v=19$m=65536,t=4,p=1$N2p4TGZFaEE1ekc5VjdKUg$TM/q9TGKjeulSDqvJeuz8QPWyy3KvX4ML/T+TuiGFHc",
     "argon2id:m=65536,t=4,p=1"},
    {"PHP PASSWORD_ARGON2I, 2 threads",
     "$argon2i$v=19$m=1024,t=2,p=2$OVhBZGljb1VTMS5pWmFYZg$RqAplfamLgVEZL/f/eptbBaxrsaWRP1Q9Qg6apUOzLY",
     "argon2i:m=1024,t=2,p=2"},
    {"Django's Argon2PasswordHasher (argon2$, 22-character salt, 16-byte hash)",
     "argon2$argon2id$v=19$m=102400,t=2,p=8$d0RnVmlrUWo4TjFoaXRmQWtrU1VxSg$SOP0hzlRFXEhMq6xuB7+rg",
     "django-argon2id:m=102400,t=2,p=8"},
    {"Django 1.10's argon2i", "argon2$argon2i$v=19$m=512,t=2,p=2$b0tJVHFhcThkdlZTN3Z6c3FUUkFmVw$CuhvhaD19QGEW1Xc5wNwWg",
     "django-argon2i:m=512,t=2,p=2"},
    {"passlib argon2", "$argon2id$v=19$m=1024,t=2,p=2$b20N4dybk1JKSQlBaK3Vmg$ryUi2Z5ub4GLSntMTXRecg",
     "argon2id:m=1024,t=2,p=2"},
    {"argon2d", "$argon2d$v=19$m=512,t=2,p=2$893I60R3RKmdZ7rmLoftUA$wqYvSZmrOWVi3YtqoaUMgoWENDHqAfI89aMn/Oshn4g",
     "argon2d:m=512,t=2,p=2"},
    {"argon2i v=16", "$argon2i$v=16$m=1024,t=3,p=1$Am4nEOrevHF6fAIKd0qp8g$gFOOo0CWKonbZJ76z2z//qsDHoGOvKHG+YJnz98tyOw",
     "argon2i:v=16,m=1024,t=3,p=1"},
    {"argon2i without v= (1.0, as libargon2 reads it)",
     "$argon2i$m=1024,t=3,p=1$Am4nEOrevHF6fAIKd0qp8g$gFOOo0CWKonbZJ76z2z//qsDHoGOvKHG+YJnz98tyOw",
     "argon2i:v=16,m=1024,t=3,p=1"},
    {"argon2id v=16, p=4",
     "$argon2id$v=16$m=1024,t=2,p=4$5xTSl7vb3mB1c6QATmw/zA$RBRcJiWDFUENuv62+Qp+RKBQDP72S94GgF+XNs2YgKA",
     "argon2id:v=16,m=1024,t=2,p=4"},
    {"8-byte salt, 4-byte hash (libargon2's minimums)", "$argon2id$v=19$m=64,t=1,p=1$QM8O/2vb2xc$Wdqqtg",
     "argon2id:m=64,t=1,p=1"},
    {"48-byte salt, 64-byte hash",
     "$argon2id$v=19$m=64,t=1,p=1$+F/9bi2OtnzGC5f9Rg58Xo8+eU6RY1+Wey7TagkVLAO1dKcAYBAuwP2njN1qhqta$KZpPCnZyfpZ68H22+"
     "mj9iS/R+dAl5+cAj1qvAHvAYTbaKLWGXN9CcttAo0JvYnQ7jE2sbShJJQl/v7OcbPhyvQ",
     "argon2id:m=64,t=1,p=1"},
    {"9-byte salt, 13-byte hash, p=3", "$argon2id$v=19$m=256,t=1,p=3$0SaOkTmKrrBA$ipglFi4IvlCmDwUQRg",
     "argon2id:m=256,t=1,p=3"},
};

// A well-formed argon2id string with these parameters; its hash matches nothing.
std::string argon2id_with(const std::string& params)
{
    return "$argon2id$v=19$" + params + "$c2FsdHNhbHRzYWx0c2FsdA$" + std::string(43, 'A');
}

}  // namespace

TEST_CASE("Argon2 hashes from argon2-cffi, passlib, PHP and Django's layout verify, only with the right password")
{
    for (const auto& v : k_vectors) {
        CAPTURE(v.name);
        const HashInfo info = inspect_hash(v.stored);
        CHECK(info.usable);
        CHECK(info.label == v.label);
        CHECK(verify_password(k_password, v.stored));
        CHECK_FALSE(verify_password(k_password + " ", v.stored));
        CHECK_FALSE(verify_password("", v.stored));
    }
    // Byte for byte: argon2-cffi's and PHP's hashes of a UTF-8 password.
    for (const std::string stored :
         {"$argon2id$v=19$m=1024,t=2,p=1$rLN0f9f4sYBsdAE9Xr3YAw$5ROLGDjNCQWbG89SvBN0mTAwLk805iYAHZjtuG5AGjM",
          "$argon2id$v=19$m=1024,t=2,p=1$eWRMLjR2YUZ2dmk0T1ZXRg$HdGQG2o0LKrJf85HbgPUUW0mJHHKmJ/DlwII+sm+vPE"}) {
        CHECK(verify_password(k_unicode, stored));
        CHECK_FALSE(verify_password(k_password, stored));
    }
}

TEST_CASE("argon2id is written as a PHC string: v=19, m from --cost, t=2, p=1, 16-byte salt, 32-byte hash")
{
    const std::string h = hash_password(k_unicode, {Scheme::argon2id, 1024});
    const std::string prefix = "$argon2id$v=19$m=1024,t=2,p=1$";
    REQUIRE(h.rfind(prefix, 0) == 0);
    const std::string rest = h.substr(prefix.size());
    const auto dollar = rest.find('$');
    CHECK(dollar == 22);                       // 16 bytes, unpadded base64
    CHECK(rest.size() - dollar - 1 == 43);     // 32 bytes
    CHECK(b64_decode(rest.substr(0, dollar)).value().size() == 16);
    CHECK(inspect_hash(h).label == "argon2id:m=1024,t=2,p=1");
    CHECK(inspect_hash(h).family == "argon2id");
    CHECK(verify_password(k_unicode, h));
    CHECK_FALSE(verify_password(k_password, h));
    CHECK(h != hash_password(k_unicode, {Scheme::argon2id, 1024}));  // fresh salt
    CHECK(default_cost(Scheme::argon2id) == 65536);
    CHECK(dummy_hash({Scheme::argon2id, std::nullopt}).rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0) == 0);
    CHECK(max_password_bytes(Scheme::argon2id) == 4096);
    // Long passwords are read whole: two that share 4,000 bytes differ.
    const std::string long_a = std::string(4000, 'a') + "-one";
    const std::string long_h = hash_password(long_a, {Scheme::argon2id, 1024});
    CHECK(verify_password(long_a, long_h));
    CHECK_FALSE(verify_password(std::string(4000, 'a') + "-two", long_h));
    CHECK_THROWS_AS(hash_password(std::string(4097, 'a'), {Scheme::argon2id, 1024}), InvalidInput);
}

TEST_CASE("Argon2 strings outside the format never verify")
{
    const std::string salt = "c2FsdHNhbHRzYWx0c2FsdA";  // 16 bytes
    const std::string good = "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$";
    const std::string h43(43, 'A');
    const std::vector<std::string> bad = {
        "$argon2id", "$argon2id$", "$argon2id$v=19", "$argon2id$v=19$m=1024,t=2,p=1", good, good + h43 + "$",
        "$argon2ds$v=19$m=1024,t=2,p=1$" + salt + "$" + h43,    // not a variant libargon2 has
        "$argon2x$v=19$m=1024,t=2,p=1$" + salt + "$" + h43,
        "$ARGON2ID$v=19$m=1024,t=2,p=1$" + salt + "$" + h43,
        "$argon2id$v=18$m=1024,t=2,p=1$" + salt + "$" + h43,
        "$argon2id$v=019$m=1024,t=2,p=1$" + salt + "$" + h43,  // not PHC's decimal encoding
        "$argon2id$v=19$m=01024,t=2,p=1$" + salt + "$" + h43,
        "$argon2id$v=19$m=1024,t=02,p=1$" + salt + "$" + h43,
        "$argon2id$v=19$t=2,m=1024,p=1$" + salt + "$" + h43,   // order is fixed
        "$argon2id$v=19$m=1024,t=2$" + salt + "$" + h43,
        "$argon2id$v=19$m=1024,t=2,p=1,keyid=AAAA$" + salt + "$" + h43,
        "$argon2id$v=19$m=1024,t=2,p=1,data=AAAA$" + salt + "$" + h43,
        "$argon2id$v=19$m=1024,t=0,p=1$" + salt + "$" + h43,
        "$argon2id$v=19$m=1024,t=2,p=0$" + salt + "$" + h43,
        "$argon2id$v=19$m=4096,t=2,p=256$" + salt + "$" + h43,  // PHC: p is 1..255
        "$argon2id$v=19$m=15,t=2,p=2$" + salt + "$" + h43,      // libargon2: m >= 8p
        "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + h43,
        "$argon2id$v=19$m=4294967296,t=2,p=1$" + salt + "$" + h43,
        "$argon2id$v=19$m= 1024,t=2,p=1$" + salt + "$" + h43,
        "$argon2id$v=19$m=-1024,t=2,p=1$" + salt + "$" + h43,
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbA$" + h43,      // 7-byte salt
        "$argon2id$v=19$m=1024,t=2,p=1$$" + h43,
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$AAAA",     // 3-byte hash
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + h43 + "=",  // padding
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "==$" + h43,
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + std::string(42, 'A') + "B",  // trailing bits set
        "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdB$" + h43,               // trailing bits set
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + std::string(41, 'A'),         // length 1 mod 4
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + std::string(42, 'A') + "-",  // URL-safe alphabet
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + std::string(42, 'A') + "_",
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + " $" + h43,
        "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + h43 + "\n",
        "argon2$argon2ds$v=19$m=1024,t=2,p=1$" + salt + "$" + h43,
        "argon2$$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + h43,
        "argon2$bcrypt$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + h43,
        "argon2$argon2id$v=19$m=1024,t=2,p=1$" + salt,
    };
    for (const auto& stored : bad) {
        CAPTURE(stored);
        const HashInfo info = inspect_hash(stored);
        CHECK_FALSE(info.usable);
        CHECK(info.label == "unsupported");
        CHECK_FALSE(info.problem.empty());
        CHECK_FALSE(verify_password(k_password, stored));
    }
    // A truncated stored value never verifies: the output length is an input of Argon2.
    const std::string real = k_vectors[5].stored;  // passlib, m=1024: quick where a cut decodes
    for (std::size_t cut = 1; cut < 12; ++cut) {
        CHECK_FALSE(verify_password(k_password, real.substr(0, real.size() - cut)));
    }
}

TEST_CASE("Argon2 ceilings: memory up to 1 GiB, m * t up to 1.5 GiB-passes, whatever p (nothing computed past them)")
{
    struct Case {
        std::string params;
        bool usable;
    };
    const std::vector<Case> cases = {
        {"m=1048576,t=1,p=1", true},   // 1 GiB, one pass: 2.7 s here
        {"m=1048577,t=1,p=1", false},  // over 1 GiB
        {"m=1048576,t=2,p=1", false},  // 5.3 s here
        {"m=786432,t=2,p=1", true},    // 3.3 s here
        {"m=524288,t=3,p=4", true},
        {"m=524288,t=4,p=4", false},
        {"m=2040,t=771,p=255", true},  // 255 lanes of 8 KiB
        {"m=2040,t=772,p=255", false},
        {"m=8,t=196608,p=1", true},
        {"m=8,t=196609,p=1", false},
        {"m=4294967295,t=4294967295,p=255", false},  // no product wraps
        {"m=1024,t=4294967295,p=1", false},
    };
    for (const auto& c : cases) {
        const std::string stored = argon2id_with(c.params);
        CAPTURE(stored);
        const HashInfo info = inspect_hash(stored);
        CHECK(info.family == "argon2id");
        CHECK(info.usable == c.usable);
        if (!c.usable) {
            CHECK_FALSE(info.problem.empty());
            CHECK_FALSE(verify_password(k_password, stored));  // refused at once, or this test times out
        }
    }
    CHECK_THROWS_AS(validate_settings({Scheme::argon2id, 1023}), UsageError);
    CHECK_NOTHROW(validate_settings({Scheme::argon2id, 1024}));
    CHECK_NOTHROW(validate_settings({Scheme::argon2id, 786432}));  // t = 2: the work ceiling
    CHECK_THROWS_AS(validate_settings({Scheme::argon2id, 786433}), UsageError);
    CHECK(parse_scheme("argon2id") == Scheme::argon2id);
    try {
        parse_scheme("argon2");
        FAIL("parse_scheme accepted argon2");
    } catch (const UsageError& e) {
        CHECK(std::string(e.hint()).find("werkzeug-scrypt or argon2id") != std::string::npos);
    }
}

TEST_CASE("needs_rehash: an Argon2 value is kept only when it is what usersctl writes at the configured cost")
{
    const std::string ours = hash_password(k_password, {Scheme::argon2id, 1024});
    CHECK_FALSE(needs_rehash(ours, {Scheme::argon2id, 1024}));
    CHECK(needs_rehash(ours, {Scheme::argon2id, 2048}));
    CHECK(needs_rehash(ours, {Scheme::argon2id, std::nullopt}));
    CHECK(needs_rehash(ours, {Scheme::bcrypt, std::nullopt}));
    CHECK_FALSE(needs_rehash(dummy_hash({Scheme::argon2id, std::nullopt}), {Scheme::argon2id, std::nullopt}));
    for (const auto& v : k_vectors) {  // other passes, lanes, lengths, versions, variants, Django's layout
        CAPTURE(v.name);
        CHECK(needs_rehash(v.stored, {Scheme::argon2id, hash_format::parse(v.stored).argon2.cost.memory_kib}));
    }
    CHECK(needs_rehash("argon2" + ours, {Scheme::argon2id, 1024}));
    CHECK(inspect_hash("argon2" + ours).usable);
}

TEST_CASE("B64: unpadded standard base64, one spelling per value")
{
    std::string bytes;
    for (int n = 0; n < 70; ++n) {
        CAPTURE(n);
        const std::string text = b64_encode(bytes);
        CHECK(text.size() == (bytes.size() * 4 + 2) / 3);
        CHECK(text.find('=') == std::string::npos);
        CHECK(b64_decode(text) == bytes);
        bytes.push_back(static_cast<char>(n * 37 + 11));
    }
    CHECK(b64_encode("\xff\xfe\xfd") == "//79");
    CHECK(b64_encode("hunter2") == "aHVudGVyMg");
    CHECK_FALSE(b64_decode("aHVudGVyMg=="));
    CHECK_FALSE(b64_decode("aHVudGVyMh"));  // trailing bits
    CHECK_FALSE(b64_decode("aHVudGVyM"));   // 1 modulo 4
    CHECK_FALSE(b64_decode("aHVu dGVy"));
    CHECK_FALSE(b64_decode("aHVu-GVy"));
    CHECK(b64_decode("") == std::string());
}
