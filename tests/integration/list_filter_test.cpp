// list and export: filters on last login, orders, --count, in every format.

#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>

using namespace usersctl::test;

namespace {

void seed(UsersDb& db)
{
    db.add("a@example.com");
    db.add("b@example.com");
    db.add("c@example.com");
    db.add("d@example.com");
    db.query("UPDATE users SET last_login_at = '2026-11-30 17:30:00', login_count = 3 WHERE email = 'a@example.com'");
    db.query("UPDATE users SET last_login_at = '2026-11-29 10:00:00', login_count = 7 WHERE email = 'b@example.com'");
    db.query("UPDATE users SET last_login_at = '2026-11-30 18:00:00', login_count = 1 WHERE email = 'd@example.com'");
}

std::string emails(UsersDb& db, std::vector<std::string> args)
{
    args.insert(args.begin(), {"-d", db.url(), "list", "--format", "csv"});
    const auto r = run_usersctl(args);
    REQUIRE(r.exit_code == 0);
    std::string out;
    std::size_t line_start = r.out.find('\n') + 1;  // past the header
    while (line_start < r.out.size()) {
        const std::size_t comma = r.out.find(',', line_start);
        const std::size_t comma2 = r.out.find(',', comma + 1);
        out += r.out.substr(comma + 1, comma2 - comma - 1).substr(0, 1);
        line_start = r.out.find('\n', line_start) + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("list filters on last login and sorts, in SQL, combined with --email and --limit", "[list]")
{
    UsersDb db;
    seed(db);
    CHECK(emails(db, {}) == "abcd");
    CHECK(emails(db, {"--never-logged-in"}) == "c");
    // An offset is converted to UTC, as the app stores UTC; no offset means UTC.
    CHECK(emails(db, {"--logged-in-since", "2026-11-30T18:00:00+01:00"}) == "ad");
    CHECK(emails(db, {"--logged-in-since", "2026-11-30T18:00:00"}) == "d");
    CHECK(emails(db, {"--logged-in-before", "2026-11-30"}) == "b");
    CHECK(emails(db, {"--logged-in-since", "2026-11-29", "--logged-in-before", "2026-11-30T18:00Z"}) == "ab");
    CHECK(emails(db, {"--sort", "last_login_at"}) == "badc");
    CHECK(emails(db, {"--sort", "last_login_at", "--reverse"}) == "dabc");
    CHECK(emails(db, {"--sort", "login_count", "--reverse", "--limit", "2"}) == "ba");
    CHECK(emails(db, {"--sort", "email", "--reverse", "--email", "*@example.com"}) == "dcba");
    CHECK(emails(db, {"--reverse"}) == "dcba");
}

TEST_CASE("list --count and export take the same filters, and bad times are 64", "[list]")
{
    UsersDb db;
    seed(db);
    CHECK(run_usersctl({"-d", db.url(), "list", "--count"}).out == "4\n");
    CHECK(run_usersctl({"-d", db.url(), "list", "--count", "--never-logged-in"}).out == "1\n");
    CHECK(run_usersctl({"-d", db.url(), "list", "--count", "--limit", "2"}).out == "2\n");
    CHECK(run_usersctl({"-d", db.url(), "export", "--count", "--logged-in-since", "2026-11-30"}).out == "2\n");
    const auto exported = run_usersctl({"-d", db.url(), "export", "--format", "jsonl", "--sort", "login_count"});
    REQUIRE(exported.exit_code == 0);
    CHECK(exported.out.find("\"d@example.com\"") < exported.out.find("\"a@example.com\""));
    CHECK(exported.out.find("\"a@example.com\"") < exported.out.find("\"b@example.com\""));
    for (const char* bad : {"2026-02-30", "yesterday", "2026-11-30T25:00"}) {
        const auto r = run_usersctl({"-d", db.url(), "list", "--logged-in-since", bad});
        CHECK(r.exit_code == 64);
        CHECK(r.out.empty());
    }
    CHECK(run_usersctl({"-d", db.url(), "list", "--never-logged-in", "--logged-in-before", "2026-01-01"}).exit_code == 64);
    CHECK(run_usersctl({"-d", db.url(), "list", "--sort", "password_hash"}).exit_code == 64);
}
