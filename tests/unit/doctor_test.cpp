#include "core/doctor.hpp"
#include "core/password_hash.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

TEST_CASE("weak hashes by current guidance")
{
    CHECK(weakness(hash_password("correct horse battery staple", {Scheme::bcrypt, 9})) == std::string("bcrypt cost below 10"));
    CHECK_FALSE(weakness(hash_password("correct horse battery staple", {Scheme::bcrypt, 10})));
    CHECK(weakness("pbkdf2:sha256:260000$abcdefgh$" + std::string(64, '0')));
    CHECK_FALSE(weakness("pbkdf2:sha256:600000$abcdefgh$" + std::string(64, '0')));
    CHECK(weakness("pbkdf2:sha1:1000000$abcdefgh$" + std::string(40, '0')));
    CHECK_FALSE(weakness("pbkdf2:sha512:210000$abcdefgh$" + std::string(128, '0')));
    CHECK(weakness("scrypt:16384:8:1$abcdefgh$" + std::string(128, '0')));
    CHECK_FALSE(weakness("scrypt:32768:8:1$abcdefgh$" + std::string(128, '0')));
    CHECK(weakness(hash_password("correct horse battery staple", {Scheme::sha512crypt, std::nullopt})));
    CHECK_FALSE(weakness(hash_password("correct horse battery staple", {Scheme::sha512crypt, 100000})));
    CHECK_FALSE(weakness(hash_password("correct horse battery staple", {Scheme::yescrypt, std::nullopt})));
    CHECK_FALSE(weakness("garbage"));  // corrupt, reported as such, not as weak
}

TEST_CASE("Argon2 is weak below OWASP's minimum and every equivalent it lists, whatever the variant and p")
{
    auto with = [](const std::string& variant, const std::string& params) {
        return "$" + variant + "$v=19$" + params + "$c2FsdHNhbHRzYWx0c2FsdA$" + std::string(43, 'A');
    };
    struct Case {
        std::string params;
        bool weak;
    };
    const std::vector<Case> cases = {
        {"m=19456,t=2,p=1", false}, {"m=19455,t=2,p=1", true},  {"m=47104,t=1,p=1", false},
        {"m=47103,t=1,p=1", true},  {"m=12288,t=3,p=1", false}, {"m=12287,t=3,p=1", true},
        {"m=9216,t=4,p=1", false},  {"m=9215,t=4,p=1", true},   {"m=7168,t=5,p=1", false},
        {"m=7167,t=5,p=1", true},   {"m=7168,t=4,p=1", true},   {"m=7168,t=99,p=1", false},
        {"m=19455,t=2,p=8", true},  {"m=65536,t=2,p=1", false}, {"m=102400,t=2,p=8", false},
        {"m=4096,t=3,p=1", true},   {"m=1048576,t=1,p=1", false},
    };
    for (const char* variant : {"argon2id", "argon2i", "argon2d"}) {
        for (const auto& c : cases) {
            CAPTURE(variant, c.params);
            const auto why = weakness(with(variant, c.params));
            CHECK(why.has_value() == c.weak);
            if (why) {
                CHECK(why->find("OWASP") != std::string::npos);
            }
        }
    }
    CHECK(weakness("argon2" + with("argon2id", "m=4096,t=3,p=1")));
    CHECK_FALSE(weakness(with("argon2id", "m=2097152,t=1,p=1")));  // over the ceiling: unusable, not weak
}

TEST_CASE("the text report lists findings with their fixes and bounds the accounts")
{
    DoctorReport r;
    r.table = "public.users";
    r.server_version = "15.18";
    r.role = "app";
    r.table_exists = r.table_compatible = r.lower_email_index = true;
    r.accounts = 1234567;
    r.hashes_by_label = {{"bcrypt:12", 1234560}, {"unsupported", 7}};
    r.findings.push_back({Severity::error, "unsupported-hashes", "7 accounts have bad hashes", "usersctl set-password EMAIL", 7,
                          {{1, "a@b.c"}, {2, "evil\x1b[31m@b.c"}}});
    const std::string text = format_report_text(r);
    CHECK(text.find("Accounts: 1,234,567") != std::string::npos);
    CHECK(text.find("bcrypt:12    1,234,560") != std::string::npos);
    CHECK(text.find("error: 7 accounts have bad hashes\n    fix: usersctl set-password EMAIL\n") != std::string::npos);
    CHECK(text.find("and 5 more") != std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find("1 error, 0 warnings.") != std::string::npos);
    const std::string json = format_report_json(r);
    CHECK(json.find("\"findings\":[{\"severity\":\"error\",\"check\":\"unsupported-hashes\"") != std::string::npos);
    CHECK(json.find("\"email\":\"evil\\u001b[31m@b.c\"") != std::string::npos);
}
