// The app is the oracle: usersctl's lower-casing must equal Python 3's str.lower() itself, for
// every code point and for the context rule (a final capital sigma). python3 (the interpreter the
// web app runs on) writes its answers to a file; core's python_lower must agree with each.

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/unicode.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace usersctl;
using namespace usersctl::test;

namespace {

// Writes, for each input, "<input hex> <input.lower() hex> <unicodedata.category of a single
// code point or ->" a line. Inputs: every code point (surrogates excluded), then a capital sigma
// and a dotted capital I in every context the rules look at.
const char* k_oracle = R"py(
import sys, unicodedata
out = open(sys.argv[1], "w", encoding="ascii")
def emit(s, category="-"):
    out.write("%s %s %s\n" % (s.encode("utf-8").hex(), s.lower().encode("utf-8").hex(), category))
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    emit(chr(cp), unicodedata.category(chr(cp)))
before = ["", "A", "a", "\u0391", "1", "@", ".", "'", "A'", "A\u00ad", "A\u0301", "\u0391\u0345", "'A", "A@"]
after = ["", "A", "a", "\u0391", "1", "@x", ".", "'", "'A", "\u0301", "\u0301A", "\u00adA", ".A", "\u03a3", "@\u03a3"]
for b in before:
    for a in after:
        for middle in ["\u03a3", "\u03a3\u03a3", "\u0130", "\u03a3\u0130\u03a3"]:
            emit(b + middle + a)
out.close()
)py";

std::string from_hex(const std::string& hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

std::string to_hex(const std::string& bytes)
{
    std::string out;
    char buf[3];
    for (unsigned char c : bytes) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        out += buf;
    }
    return out;
}

std::uint32_t single_code_point(const std::string& s)
{
    const auto c = static_cast<unsigned char>(s[0]);
    const std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
    }
    return cp;
}

}  // namespace

TEST_CASE("lower-casing equals python3's str.lower() for every code point and the sigma rule", "[email][python]")
{
    char path[] = "/tmp/usersctl-python-lower-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    ::close(fd);
    const auto r = run_program({"/usr/bin/python3", "-c", k_oracle, path});
    REQUIRE(r.exit_code == 0);
    std::ifstream in(path);
    std::string line;
    std::size_t compared = 0, differing = 0, mismatches = 0, cf = 0;
    std::ostringstream first_mismatches;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string input_hex, expected_hex, category;
        fields >> input_hex >> expected_hex >> category;
        const std::string input = from_hex(input_hex);
        const std::string got = python_lower(input);
        ++compared;
        if (input_hex != expected_hex) {
            ++differing;
        }
        if (to_hex(got) != expected_hex) {
            if (++mismatches <= 10) {
                first_mismatches << input_hex << ": python " << expected_hex << ", usersctl " << to_hex(got) << "\n";
            }
        }
        // Format characters Python knows are refused in new emails (ICU may know more, being a
        // later Unicode version; never fewer).
        if (category == "Cf") {
            ++cf;
            CHECK(is_invisible_or_unassigned(single_code_point(input)));
        } else if (category == "Lu" || category == "Ll" || category == "Nd") {
            // Letters and digits are never refused (the ignorable and private-use ones aside,
            // which are not letters).
            const std::uint32_t cp = single_code_point(input);
            if (is_invisible_or_unassigned(cp)) {
                FAIL_CHECK("code point " << cp << " is a letter or digit (" << category << ") in Python but refused");
            }
        }
    }
    std::remove(path);
    INFO(first_mismatches.str());
    CHECK(mismatches == 0);
    CHECK(compared > 1'100'000);
    CHECK(differing > 1400);  // Unicode 14 has about 1,400 code points whose lower case differs
    CHECK(cf > 150);
    WARN("compared " << compared << " strings with python3 (" << differing << " change when lower-cased), ICU Unicode "
                     << unicode_version());
}

TEST_CASE("emails: the lookups the issue names land where the app's would", "[email]")
{
    CHECK(normalise_email("\xC4\xB0nci@example.com") == "i\xCC\x87nci@example.com");  // U+0130
    CHECK(normalise_email("\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3@example.com") ==
          "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82@example.com");  // final sigma before '@'
    CHECK(normalise_email("Zed@Example.COM") == "zed@example.com");
    // Lookups accept what the app could have stored; new emails refuse what prints like another.
    CHECK(normalise_email("ad\xE2\x80\x8Dmin@example.com") == "ad\xE2\x80\x8Dmin@example.com");
    CHECK_THROWS_AS(normalise_new_email("ad\xE2\x80\x8Dmin@example.com"), InvalidInput);  // U+200D
    CHECK_THROWS_AS(normalise_new_email("ad\xC2\xADmin@example.com"), InvalidInput);      // U+00AD
    CHECK_THROWS_AS(normalise_new_email("\xE2\x80\xAE" "admin@example.com"), InvalidInput);  // U+202E
    CHECK_THROWS_AS(normalise_new_email("a\xCD\xB8" "b@example.com"), InvalidInput);  // U+0378, unassigned
    CHECK(normalise_new_email("\xC4\xB0nci@example.com") == "i\xCC\x87nci@example.com");  // U+0307 is Mn, fine
    // Default-ignorable, private-use and blank characters print as nothing or a space.
    for (const char* hidden : {"\xCD\x8F", "\xEF\xB8\x8F", "\xF3\xA0\x84\x80", "\xE3\x85\xA4", "\xE1\x85\x9F",
                               "\xEF\xBE\xA0", "\xE2\xA0\x80", "\xEE\x80\x80"}) {
        CAPTURE(hidden);
        CHECK_THROWS_AS(normalise_new_email(std::string("zz") + hidden + "@example.com"), InvalidInput);
    }
}
