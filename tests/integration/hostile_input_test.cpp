// Hostile input: SQL, quotes, huge values, line breaks and terminal escapes in emails and names
// are stored literally or refused with 65; never executed, never able to forge output lines.

#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>

using namespace usersctl::test;

TEST_CASE("SQL in emails and names is stored literally, never executed", "[hostile]")
{
    UsersDb db;
    const std::string email = "x';drop/**/table/**/users;--@example.com";
    const std::string name = "Robert'); DROP TABLE users;-- \"quoted\" \\backslash $1 %s";
    REQUIRE(db.usersctl({"add-user", email, "--first-name", name, "--last-name", "O'Brien", "--password-stdin"},
                        k_good_password + "\n")
                .exit_code == 0);
    CHECK(db.scalar("SELECT first_name FROM users WHERE email = $1", {email}) == name);
    CHECK(db.usersctl({"verify", email, "--password-stdin"}, k_good_password + "\n").exit_code == 0);
    CHECK(db.usersctl({"update-user", email, "--last-name", "'; DELETE FROM users; --"}).exit_code == 0);
    CHECK(db.usersctl({"list", "--email", "%' OR '1'='1"}).out.find("example.com") == std::string::npos);
    CHECK(db.usersctl({"add-user", "a'; DROP TABLE users;--@example.com", "--password-stdin"}, k_good_password + "\n").exit_code == 65);
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "1");
}

TEST_CASE("10 KB names are stored whole, and line breaks and escapes cannot forge list output", "[hostile]")
{
    UsersDb db;
    const std::string big(10 * 1024, 'N');
    REQUIRE(db.usersctl({"add-user", "big@example.com", "--first-name", big, "--password-stdin"}, k_good_password + "\n").exit_code == 0);
    CHECK(db.scalar("SELECT length(first_name)::text FROM users") == "10240");
    const std::string forged = "x\n3  admin@example.com  Admin\r\x1b[2K\x1b]0;title\x07\xc2\x9b" "31m";
    REQUIRE(db.usersctl({"add-user", "forge@example.com", "--first-name", forged, "--password-stdin"}, k_good_password + "\n").exit_code == 0);
    CHECK(db.scalar("SELECT first_name FROM users WHERE email = 'forge@example.com'") == forged);
    for (const char* format : {"table", "tsv", "jsonl"}) {
        CAPTURE(format);
        const auto r = db.usersctl({"list", "--format", format});
        CHECK(r.exit_code == 0);
        const auto lines = std::count(r.out.begin(), r.out.end(), '\n');
        CHECK(lines == (std::string(format) == "jsonl" ? 2 : 3));
        CHECK(r.out.find('\x1b') == std::string::npos);
        CHECK(r.out.find('\r') == std::string::npos);
        CHECK(r.out.find("\xc2\x9b") == std::string::npos);
    }
    const auto csv = db.usersctl({"list", "--format", "csv"});
    CHECK(csv.out.find("\"x\n3  admin@example.com") != std::string::npos);  // quoted per RFC 4180
}

TEST_CASE("invalid UTF-8 in names and emails is refused with 65", "[hostile]")
{
    UsersDb db;
    CHECK(db.usersctl({"add-user", "a@example.com", "--first-name", "bad\xff\xfe", "--password-stdin"}, k_good_password + "\n").exit_code == 65);
    CHECK(db.usersctl({"add-user", "b\xc0\xaf@example.com", "--password-stdin"}, k_good_password + "\n").exit_code == 65);
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "0");
}

TEST_CASE("list is safe in every format: no terminal controls, no formula cells, while --raw and export are exact",
          "[hostile][output]")
{
    UsersDb db;
    const std::string osc = "\x1b]2;PWNED\x07";
    const std::string formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
    const std::vector<std::pair<std::string, std::string>> names = {
        {osc, formula}, {"+cmd|' /C calc'!A0", "-2+3\rX"}, {"@SUM(1)", "\tTab"}, {"c1\xc2\x9b" "31m", "del\x7f bel\x07"}};
    int n = 0;
    for (const auto& [first, last] : names) {
        REQUIRE(db.usersctl({"add-user", "u" + std::to_string(++n) + "@example.com", "--first-name=" + first,
                             "--last-name=" + last, "--password-stdin"},
                            k_good_password + "\n")
                    .exit_code == 0);
    }
    auto raw_control = [](const std::string& text, bool csv) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
            if (c == '\n' || c == '\t' || (csv && crlf)) {  // a TSV value's own tabs are escaped
                continue;
            }
            if (c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0)) {
                return true;
            }
        }
        return false;
    };
    for (const char* format : {"table", "csv", "tsv", "json", "jsonl"}) {
        CAPTURE(format);
        const auto r = db.usersctl({"list", "--format", format});
        REQUIRE(r.exit_code == 0);
        CHECK_FALSE(raw_control(r.out, std::string(format) == "csv"));
        CHECK(r.out.find("PWNED") != std::string::npos);  // shown, escaped
        if (std::string(format) == "csv" || std::string(format) == "tsv") {
            // Every cell that a spreadsheet would run starts with ' instead.
            for (const char* start : {",=", ",+", ",-", ",@", "\t=", "\t+", "\t-", "\t@", ",\"=", ",\"+", ",\"-", ",\"@"}) {
                CAPTURE(start);
                CHECK(r.out.find(start) == std::string::npos);
            }
            CHECK(r.out.find("'=HYPERLINK") != std::string::npos);
            CHECK(r.out.find("'+cmd") != std::string::npos);
        }
    }
    // --raw: the bytes as stored.
    const auto raw = db.usersctl({"list", "--format", "csv", "--raw"});
    CHECK(raw.out.find(osc) != std::string::npos);
    CHECK(raw.out.find("\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"") != std::string::npos);
    // export stays exact, and round-trips through import into another table.
    for (const char* format : {"csv", "jsonl"}) {
        CAPTURE(format);
        const auto exported = db.usersctl({"export", "--format", format});
        REQUIRE(exported.exit_code == 0);
        if (std::string(format) == "csv") {
            CHECK(exported.out.find(osc) != std::string::npos);
        }
        UsersDb other;
        const auto imported = other.usersctl({"import", "--format", format, "-"}, exported.out);
        REQUIRE(imported.exit_code == 0);
        for (int i = 1; i <= n; ++i) {
            const std::string email = "u" + std::to_string(i) + "@example.com";
            CHECK(other.scalar("SELECT first_name || '|' || last_name FROM users WHERE email = $1", {email}) ==
                  db.scalar("SELECT first_name || '|' || last_name FROM users WHERE email = $1", {email}));
        }
    }
}
