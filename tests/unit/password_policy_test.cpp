#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/password_policy.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

namespace {

std::string reason(std::string_view password, Scheme scheme = Scheme::bcrypt, PolicyOptions options = {})
{
    try {
        check_password_policy(password, scheme, options);
        return "";
    } catch (const InvalidInput& e) {
        return e.what();
    }
}

}  // namespace

TEST_CASE("the policy refuses empty, non-UTF-8, NUL, short and guessable passwords")
{
    CHECK(reason("").find("empty") != std::string::npos);
    CHECK(reason("abc\xff\xfe-long-enough-x").find("UTF-8") != std::string::npos);
    CHECK(reason(std::string("abcd\0efgh-long", 14)).find("NUL") != std::string::npos);
    CHECK(reason("Xq9#vT2").find("shorter than 8") != std::string::npos);
    for (const char* weak : {"password", "12345678", "qwertyuiop", "password123", "iloveyou1"}) {
        CAPTURE(weak);
        CHECK(reason(weak).find("too easy to guess") != std::string::npos);
    }
    PolicyOptions allow;
    allow.allow_weak = true;
    CHECK(reason("password", Scheme::bcrypt, allow).empty());
    CHECK(reason("correct horse battery staple").empty());
}

TEST_CASE("length counts code points - the scheme's byte limit is never exceeded silently")
{
    // 8 code points, 16 bytes
    CHECK(reason("\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x9f\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab", Scheme::bcrypt,
                 PolicyOptions{8, true, {}})
              .empty());
    const std::string long73 = "Zq8!" + std::string(69, 'x');
    CHECK(reason(long73).find("bcrypt hashes at most 72") != std::string::npos);
    const auto hint = [&](std::string_view password, Scheme scheme, Verifier verifier) {
        PolicyOptions options{8, true, {}};
        options.verifier = verifier;
        try {
            check_password_policy(password, scheme, options);
        } catch (const InvalidInput& e) {
            return e.hint();
        }
        return std::string("(accepted)");
    };
    // The hint says it once and suggests only schemes the verifier reads and that take it whole.
    CHECK(hint(long73, Scheme::bcrypt, Verifier::crypt) ==
          "use a shorter password or a --scheme that takes it whole (yescrypt, sha512crypt)");
    CHECK(hint(long73, Scheme::bcrypt, Verifier::any).find("argon2id") != std::string::npos);
    CHECK(hint(std::string(600, 'k'), Scheme::bcrypt, Verifier::crypt) == "use a shorter password");
    CHECK(hint(std::string(4097, 'k'), Scheme::werkzeug_pbkdf2, Verifier::werkzeug) == "use a shorter password");
    CHECK(reason(long73, Scheme::yescrypt, PolicyOptions{8, true, {}}).empty());
    CHECK(reason(std::string(512, 'k'), Scheme::yescrypt, PolicyOptions{8, true, {}}).find("511") != std::string::npos);
    CHECK(reason(std::string(4097, 'k'), Scheme::werkzeug_pbkdf2, PolicyOptions{8, true, {}}).find("4096") != std::string::npos);
}

TEST_CASE("the user's own email and names make a password guessable")
{
    PolicyOptions with_words;
    with_words.user_words = {"alice.wonderland@example.com", "Alice", "Wonderland"};
    CHECK(estimated_guesses_log10("Wonderland2024", with_words.user_words) < estimated_guesses_log10("Wonderland2024", {}));
}

TEST_CASE("UTF-8 validation rejects overlong forms, surrogates and truncation")
{
    CHECK(is_valid_utf8("plain"));
    CHECK(is_valid_utf8("\xf0\x9f\x94\x91"));
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xe5\xaf"));          // truncated
    CHECK(count_code_points("\xc3\xa4-\xf0\x9f\x94\x91") == 3);
}

TEST_CASE("emails are trimmed, lower-cased and validated as the web app stores them")
{
    CHECK(normalise_email("  Alice@Example.COM \n") == "alice@example.com");
    CHECK(normalise_email("\xc3\x89lodie@Example.fr") == "\xc3\xa9lodie@example.fr");
    for (const char* bad : {"", "   ", "no-at-sign", "two@@example.com", "a@b@c", "@example.com", "alice@",
                            "al ice@example.com", "alice@exa\tmple.com", "ali\x1b[31mce@example.com",
                            "alice@example.com\x7f", "\xff@example.com"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(normalise_email(bad), InvalidInput);
    }
    CHECK_THROWS_AS(normalise_email(std::string(250, 'a') + "@b.cd"), InvalidInput);
    CHECK(normalise_email(std::string(248, 'a') + "@b.cde").size() == 254);
}
