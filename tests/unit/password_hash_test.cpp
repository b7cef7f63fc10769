#include "core/errors.hpp"
#include "core/password_hash.hpp"

#include <catch2/catch.hpp>
#include <limits>

using namespace usersctl;

namespace {

const std::string k_password = "correct horse battery staple";
const std::string k_unicode = "p\xc3\xa4ssw\xc3\xb6rd-\xe5\xaf\x86\xe7\xa0\x81-\xf0\x9f\x94\x91";  // pässwörd-密码-🔑

// Known answers produced by real implementations (Debian 12's werkzeug 2.2, python3-bcrypt,
// passlib, hashlib.scrypt in werkzeug 3's layout, and libxcrypt through Python's crypt module).
const std::vector<std::pair<std::string, std::string>> k_vectors = {
    {"werkzeug 2.2 default", "pbkdf2:sha256:260000$sTEfocD7d1LM5nMB$185394f860b82e2fdd5c4f6d2407c921ae25aed8f153c736fb00ce9aa5b5822b"},
    {"werkzeug 1.0 style", "pbkdf2:sha256:150000$zYmJvlBE$418d5bb5a66c83be294ee9548eae5c26f7dd0be337e563921dd03140fd879930"},
    {"werkzeug pbkdf2 sha1", "pbkdf2:sha1:1000$r8fmUWkV$e15d7ef647a64a017b54cf06247b633b80046d13"},
    {"werkzeug pbkdf2 sha512, 22-char salt", "pbkdf2:sha512:5000$yBVyDzIiJG8ZY9UofUzdkg$d219134405a087ceba725a6b36a51f49eacdd2c89c95a848ccb0b9e649ca5bf698d32b244408d17deae854d52abe088443d90ed94b5f40b12483d03999e40ded"},
    {"werkzeug pbkdf2 without iterations (260000)", "pbkdf2:sha256$yLZvrK7vMUlO2FRq$b9e692a53d2fa85daeffb6b1bf68c2139729e306e10e51e63db6441c34680f6a"},
    {"werkzeug 3 scrypt", "scrypt:16384:8:1$abcdefghijklmnop$6a6b7d26c31c723e207b62360086c4edbaabba352998356499091c731a8a6dc22d584278c6ad80b40a39dec5650530abb35e059e1ee685e7396cd0e08755f651"},
    {"python3-bcrypt $2b$", "$2b$04$Pemy6T3zbq4mwpWsWlzr0.NSFNbN0/UKDYrS20gfkoRflxWcs11oW"},
    {"python3-bcrypt $2a$", "$2a$04$A7nt8viU98iSNk2ygDenSe25GZqj/323epq45DCQYV.URmzSgLuUe"},
    {"passlib sha512_crypt", "$6$VbKyovtsHzTRgwIR$Ih586tao8kfxLz8XxGm1boy0ma/szCaKlI3D4nFrVSiep/PbXvskY5MxeB1JTK4Vb/3JfDcAr4lWn1lDbfOic0"},
    {"passlib sha512_crypt rounds", "$6$rounds=10000$qMA8Y2HJrdtEhtyl$pfQZDzWoh3SL49lrhbS3ycDtTyfYNxeoMYzUK0EEvJz8rj4TfUYKOswJD3eJ9rZ4JcydbTKSHC3qQfv21xs1G0"},
    {"passlib sha256_crypt", "$5$Jf263yVbGiZAjIiP$zt1Zjinm75pPnzX7d/TEglIvdy7QBla/acamOS2qS3/"},
    {"yescrypt", "$y$j9T$Ha0l4U2hX2Rkq.Xd6nnn21$891e./Ojeu2HiLIbAYy8BkeNuLzG5RVhjY7uq4D3215"},
    {"gost-yescrypt", "$gy$j9T$Ha0l4U2hX2Rkq.Xd6nnn21$Fsf5raK2dxLAz6YDIY/vElyoD29NoUiEtSLtqyEbqT4"},
    {"crypt scrypt $7$", "$7$CU..../....JRQdSMMgTsNFdkVERIhCC/$f7XpM.626sC9ifhpNGJHtaoObHWMxX08nzozvWVGfA."},
};

}  // namespace

TEST_CASE("hashes from real implementations verify, and only with the right password")
{
    for (const auto& [name, stored] : k_vectors) {
        CAPTURE(name);
        CHECK(inspect_hash(stored).usable);
        CHECK(verify_password(k_password, stored));
        CHECK_FALSE(verify_password(k_password + " ", stored));
        CHECK_FALSE(verify_password("Correct horse battery staple", stored));
        CHECK_FALSE(verify_password("", stored));
    }
}

TEST_CASE("non-ASCII passwords verify byte for byte against other implementations")
{
    CHECK(verify_password(k_unicode, "pbkdf2:sha256:1000$t9cc2XGUDoJDms1z$668ec3aa37143497bcd52258121f03a0ced30bff8bceda9fda581955451b3493"));
    CHECK(verify_password(k_unicode, "$2b$04$DOjf.3z0DkJy1mXuYIcCAenizKSaJ.ZHkoPyUmtdOXp5/EEr52X56"));
    // NFD form of the same text is a different byte string: no normalisation.
    CHECK_FALSE(verify_password("pa\xcc\x88ssw\xc3\xb6rd-\xe5\xaf\x86\xe7\xa0\x81-\xf0\x9f\x94\x91",
                                "$2b$04$DOjf.3z0DkJy1mXuYIcCAenizKSaJ.ZHkoPyUmtdOXp5/EEr52X56"));
}

TEST_CASE("each scheme round-trips and writes the documented format")
{
    struct Case {
        Scheme scheme;
        std::optional<std::uint64_t> cost;
        std::string prefix;
        std::string label;
    };
    const std::vector<Case> cases = {
        {Scheme::bcrypt, 4, "$2b$04$", "bcrypt:4"},
        {Scheme::yescrypt, 1, "$y$", "yescrypt:1"},
        {Scheme::sha512crypt, std::nullopt, "$6$", "sha512crypt:5000"},
        {Scheme::sha512crypt, 6000, "$6$rounds=6000$", "sha512crypt:6000"},
        {Scheme::werkzeug_pbkdf2, 1000, "pbkdf2:sha256:1000$", "werkzeug-pbkdf2:1000"},
        {Scheme::werkzeug_scrypt, 1024, "scrypt:1024:8:1$", "werkzeug-scrypt:1024:8:1"},
    };
    for (const auto& c : cases) {
        CAPTURE(scheme_name(c.scheme), c.label);
        const std::string h = hash_password(k_unicode, {c.scheme, c.cost});
        CHECK(h.rfind(c.prefix, 0) == 0);
        CHECK(inspect_hash(h).label == c.label);
        CHECK(verify_password(k_unicode, h));
        CHECK_FALSE(verify_password(k_password, h));
        CHECK(h != hash_password(k_unicode, {c.scheme, c.cost}));  // fresh salt each time
    }
}

TEST_CASE("werkzeug formats use a 16-character alphanumeric salt and lowercase hex of the right length")
{
    const std::string h = hash_password(k_password, {Scheme::werkzeug_pbkdf2, 1000});
    const auto first = h.find('$');
    const auto second = h.find('$', first + 1);
    const std::string salt = h.substr(first + 1, second - first - 1);
    CHECK(salt.size() == 16);
    CHECK(salt.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == std::string::npos);
    CHECK(h.size() - second - 1 == 64);
    const std::string s = hash_password(k_password, {Scheme::werkzeug_scrypt, 1024});
    CHECK(s.size() - s.rfind('$') - 1 == 128);
}

TEST_CASE("defaults: bcrypt 12, pbkdf2 600000, scrypt 32768")
{
    CHECK(default_cost(Scheme::bcrypt) == 12);
    CHECK(default_cost(Scheme::werkzeug_pbkdf2) == 600000);
    CHECK(default_cost(Scheme::werkzeug_scrypt) == 32768);
    CHECK(dummy_hash({Scheme::bcrypt, std::nullopt}).rfind("$2b$12$", 0) == 0);
    CHECK(dummy_hash({Scheme::werkzeug_pbkdf2, std::nullopt}).rfind("pbkdf2:sha256:600000$", 0) == 0);
}

TEST_CASE("anything outside the allow-list never verifies, even where crypt(3) would accept it")
{
    // crypt("x", "garbage") is a traditional DES hash: usersctl must not fall through to it.
    const std::vector<std::string> bad = {
        "", "garbage", "ga3B1/aPyo5qQ", "*0", "*1", "!", "!!", "*", "$1$abcdefgh$abcdefghijklmnopqrstuv",
        "$2b$12$ab", "$2b$12$", "$2x$04$Pemy6T3zbq4mwpWsWlzr0.NSFNbN0/UKDYrS20gfkoRflxWcs11oW",
        "$2b$03$Pemy6T3zbq4mwpWsWlzr0.NSFNbN0/UKDYrS20gfkoRflxWcs11oW",
        "$2b$04$Pemy6T3zbq4mwpWsWlzr0.NSFNbN0/UKDYrS20gfkoRflxWcs11o",
        "$6$salt$short", "$y$j9T$salt", "plain$$correct horse battery staple",
        "sha256$abc$0123", "md5$abc$0123456789abcdef0123456789abcdef",
        "pbkdf2:md5:1000$salt$0123456789abcdef0123456789abcdef",
        "pbkdf2:sha256:1000$$" + std::string(64, '0'),
        "pbkdf2:sha256:1000$salt$" + std::string(63, '0'),
        "pbkdf2:sha256:1000$salt$" + std::string(64, 'A'),
        "pbkdf2:sha256:-5$salt$" + std::string(64, '0'),
        "scrypt:1000:8:1$salt$" + std::string(128, '0'),
        "scrypt:16384:8$salt$" + std::string(128, '0'),
        "_J9..CCCCXBrJUJV154M",
    };
    for (const auto& stored : bad) {
        CAPTURE(stored);
        CHECK_FALSE(inspect_hash(stored).usable);
        CHECK(inspect_hash(stored).label == "unsupported");
        CHECK_FALSE(verify_password("garbage", stored));
        CHECK_FALSE(verify_password(k_password, stored));
        CHECK_FALSE(verify_password("", stored));
    }
}

TEST_CASE("stored costs above the ceilings are refused without computing")
{
    const std::vector<std::string> expensive = {
        "$2b$31$Pemy6T3zbq4mwpWsWlzr0.NSFNbN0/UKDYrS20gfkoRflxWcs11oW",
        "$2b$19$Pemy6T3zbq4mwpWsWlzr0.NSFNbN0/UKDYrS20gfkoRflxWcs11oW",
        "$6$rounds=999999999$qMA8Y2HJrdtEhtyl$pfQZDzWoh3SL49lrhbS3ycDtTyfYNxeoMYzUK0EEvJz8rj4TfUYKOswJD3eJ9rZ4JcydbTKSHC3qQfv21xs1G0",
        "pbkdf2:sha256:4000000000$salt$" + std::string(64, '0'),
        "scrypt:1073741824:8:1$salt$" + std::string(128, '0'),
        "scrypt:1048576:64:1$salt$" + std::string(128, '0'),
        "$7$zU..../....JRQdSMMgTsNFdkVERIhCC/$f7XpM.626sC9ifhpNGJHtaoObHWMxX08nzozvWVGfA.",
        "$y$jzT$Ha0l4U2hX2Rkq.Xd6nnn21$891e./Ojeu2HiLIbAYy8BkeNuLzG5RVhjY7uq4D3215",
    };
    for (const auto& stored : expensive) {
        CAPTURE(stored);
        const HashInfo info = inspect_hash(stored);
        CHECK_FALSE(info.usable);
        CHECK_FALSE(info.problem.empty());
        CHECK_FALSE(verify_password(k_password, stored));  // returns at once, or this test times out
    }
    CHECK(inspect_hash("$2b$31$Pemy6T3zbq4mwpWsWlzr0.NSFNbN0/UKDYrS20gfkoRflxWcs11oW").label == "bcrypt:31");
}

TEST_CASE("bcrypt never verifies a password longer than the 72 bytes it reads")
{
    const std::string long_a = std::string(72, 'a') + "tail-one";
    const std::string long_b = std::string(72, 'a') + "tail-two";
    // A hash of the first 72 bytes, as a tool that truncates silently would store it.
    const std::string h = hash_password(std::string(72, 'a'), {Scheme::bcrypt, 4});
    CHECK(verify_password(std::string(72, 'a'), h));
    CHECK_FALSE(verify_password(long_a, h));
    CHECK_FALSE(verify_password(long_b, h));
    CHECK_THROWS_AS(hash_password(long_a, {Scheme::bcrypt, 4}), InvalidInput);
}

TEST_CASE("costs outside a scheme's range are usage errors")
{
    CHECK_THROWS_AS(validate_settings({Scheme::bcrypt, 3}), UsageError);
    CHECK_THROWS_AS(validate_settings({Scheme::bcrypt, 19}), UsageError);
    CHECK_NOTHROW(validate_settings({Scheme::bcrypt, 4}));
    CHECK_THROWS_AS(validate_settings({Scheme::werkzeug_scrypt, 30000}), UsageError);
    CHECK_THROWS_AS(validate_settings({Scheme::yescrypt, 12}), UsageError);
    CHECK_THROWS_AS(parse_scheme("md5"), UsageError);
    CHECK(parse_scheme("werkzeug-pbkdf2") == Scheme::werkzeug_pbkdf2);
}

TEST_CASE("needs_rehash compares scheme and cost with the configured ones")
{
    const std::string b4 = hash_password(k_password, {Scheme::bcrypt, 4});
    CHECK_FALSE(needs_rehash(b4, {Scheme::bcrypt, 4}));
    CHECK(needs_rehash(b4, {Scheme::bcrypt, 5}));
    CHECK(needs_rehash(b4, {Scheme::bcrypt, std::nullopt}));
    CHECK(needs_rehash(b4, {Scheme::werkzeug_pbkdf2, std::nullopt}));
    CHECK(needs_rehash(k_vectors[0].second, {Scheme::werkzeug_pbkdf2, std::nullopt}));  // 260000 < 600000
    CHECK_FALSE(needs_rehash(k_vectors[0].second, {Scheme::werkzeug_pbkdf2, 260000}));
    CHECK(needs_rehash(k_vectors[2].second, {Scheme::werkzeug_pbkdf2, 1000}));  // sha1
    CHECK(needs_rehash("garbage", {Scheme::bcrypt, std::nullopt}));
    CHECK(needs_rehash(k_vectors[11].second, {Scheme::yescrypt, 4}));
    CHECK_FALSE(needs_rehash(k_vectors[11].second, {Scheme::yescrypt, std::nullopt}));
}

TEST_CASE("dummy hashes are well-formed, cost what the scheme costs, and match nothing")
{
    for (Scheme s : k_schemes) {
        CAPTURE(scheme_name(s));
        const HashSettings settings{s, s == Scheme::bcrypt     ? std::optional<std::uint64_t>(4)
                                       : s == Scheme::argon2id ? std::optional<std::uint64_t>(1024)
                                                               : std::nullopt};
        const std::string d = dummy_hash(settings);
        CHECK(inspect_hash(d).usable);
        CHECK_FALSE(needs_rehash(d, settings));
        CHECK_FALSE(verify_password(k_password, d));
    }
}

namespace {

const std::string k_itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string encode30(std::uint64_t value)
{
    std::string out;
    for (int i = 0; i < 5; ++i) {
        out.push_back(k_itoa64[(value >> (6 * i)) & 63]);
    }
    return out;
}

// A well-formed $7$ (crypt scrypt) string with the given parameters; its hash matches nothing.
std::string crypt_scrypt(unsigned nlog2, std::uint64_t r, std::uint64_t p)
{
    return "$7$" + std::string(1, k_itoa64[nlog2]) + encode30(r) + encode30(p) + "saltsalt$" + std::string(43, '.');
}

std::string yescrypt_with(const std::string& params)
{
    return "$y$" + params + "$Ha0l4U2hX2Rkq.Xd6nnn21$" + std::string(43, '.');
}

}  // namespace

TEST_CASE("ceilings bound a check's total memory and work, at and just past each one (nothing computed)")
{
    const std::string b53(53, '.');
    const std::string hex64(64, '0');
    const std::string hex128(128, '0');
    struct Case {
        std::string stored;
        bool usable;
    };
    const std::vector<Case> cases = {
        {"$2b$16$" + b53, true},
        {"$2b$17$" + b53, false},
        {yescrypt_with("jFT"), true},   // N = 2^18, r = 32: 1 GiB (libxcrypt's cost 11)
        {yescrypt_with("jFU"), false},  // r = 33
        {yescrypt_with("jGT"), false},  // N = 2^19
        {yescrypt_with("jFj"), false},  // r = 48: the 1.5 GiB value from the review
        {yescrypt_with("jEi"), true},   // N = 2^17, r = 47: 752 MiB
        {yescrypt_with("jkT"), false},  // multi-character encodings are not read
        {"scrypt:524288:8:1$salt$" + hex128, true},    // N * r * p = 2^22
        {"scrypt:1048576:8:1$salt$" + hex128, false},  // 2^23
        {"scrypt:16384:8:32$salt$" + hex128, true},
        {"scrypt:16384:8:33$salt$" + hex128, false},  // p counts: the review's p = 16 case
        {"scrypt:1048576:8:16$salt$" + hex128, false},
        {"scrypt:1024:4294967295:1$salt$" + hex128, false},  // no overflow lets a product wrap
        {crypt_scrypt(14, 8, 32), true},
        {crypt_scrypt(14, 8, 33), false},
        {crypt_scrypt(20, 8, 1), false},
        {crypt_scrypt(10, 1073741823, 1), false},
        {"pbkdf2:sha512:4000000$salt$" + std::string(128, '0'), true},
        {"pbkdf2:sha512:4000001$salt$" + std::string(128, '0'), false},
        {"pbkdf2:sha256:4000001$salt$" + hex64, false},
        {"$6$rounds=10000000$saltsalt$" + std::string(86, '.'), true},
        {"$6$rounds=10000001$saltsalt$" + std::string(86, '.'), false},
    };
    for (const auto& c : cases) {
        CAPTURE(c.stored);
        const HashInfo info = inspect_hash(c.stored);
        CHECK(info.usable == c.usable);
        if (!c.usable) {
            CHECK_FALSE(info.problem.empty());
            CHECK_FALSE(verify_password(k_password, c.stored));  // refused at once, never computed
        }
    }
}

TEST_CASE("writing shares the ceilings: a --cost past one is a usage error")
{
    CHECK_NOTHROW(validate_settings({Scheme::bcrypt, 16}));
    CHECK_THROWS_AS(validate_settings({Scheme::bcrypt, 17}), UsageError);
    CHECK_NOTHROW(validate_settings({Scheme::yescrypt, 11}));
    CHECK_THROWS_AS(validate_settings({Scheme::yescrypt, 12}), UsageError);
    CHECK_NOTHROW(validate_settings({Scheme::werkzeug_scrypt, 524288}));
    CHECK_THROWS_AS(validate_settings({Scheme::werkzeug_scrypt, 1048576}), UsageError);
    CHECK_NOTHROW(validate_settings({Scheme::werkzeug_pbkdf2, 4000000}));
    CHECK_THROWS_AS(validate_settings({Scheme::werkzeug_pbkdf2, 4000001}), UsageError);
    CHECK_NOTHROW(validate_settings({Scheme::sha512crypt, 10000000}));
    CHECK_THROWS_AS(validate_settings({Scheme::sha512crypt, 10000001}), UsageError);
    CHECK_THROWS_AS(validate_settings({Scheme::bcrypt, std::numeric_limits<std::uint64_t>::max()}), UsageError);
}
