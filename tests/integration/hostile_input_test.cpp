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
