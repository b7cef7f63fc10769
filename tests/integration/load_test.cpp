// Load: many processes at once against one table, the way CI jobs and ops scripts hit it.

#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace usersctl::test;

TEST_CASE("32 concurrent init-db runs x 10 rounds: zero failures", "[load]")
{
    int failures = 0;
    for (int round = 0; round < 10; ++round) {
        TestDatabase db;
        std::vector<Process> runs;
        for (int i = 0; i < 32; ++i) {
            runs.push_back(start_usersctl({"init-db", "-q", "-d", db.url()}));
        }
        for (auto& p : runs) {
            const auto r = p.wait();
            if (r.exit_code != 0) {
                ++failures;
                UNSCOPED_INFO("round " << round << ": exit " << r.exit_code << ": " << r.err);
            }
        }
        CHECK(db.scalar("SELECT count(*)::text FROM pg_tables WHERE tablename = 'users'") == "1");
    }
    CHECK(failures == 0);
}

TEST_CASE("50 processes x 20 distinct users: exactly 1,000 rows, none lost, none doubled", "[load]")
{
    UsersDb db;
    std::vector<Process> loops;
    for (int p = 0; p < 50; ++p) {
        const std::string script =
            "for i in $(seq 1 20); do printf '%s\\n' \"$PW\" | \"$BIN\" -q -d \"$URL\" --verifier any add-user \"p" + std::to_string(p) +
            "-u$i@example.com\" --password-stdin --scheme bcrypt --cost 4 || exit 1; done";
        loops.emplace_back(std::vector<std::string>{"bash", "-c", script}, "",
                           EnvChanges{{"PW", k_good_password}, {"BIN", usersctl_binary()}, {"URL", db.url()}});
    }
    int failed = 0;
    for (auto& l : loops) {
        const auto r = l.wait();
        if (r.exit_code != 0) {
            ++failed;
            UNSCOPED_INFO(r.err);
        }
    }
    CHECK(failed == 0);
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "1000");
    CHECK(db.scalar("SELECT count(DISTINCT email)::text FROM users") == "1000");
}

TEST_CASE("concurrent set-password and verify on one account: the final hash is one written, verify exits 0 or 1", "[load]")
{
    UsersDb db;
    db.add("shared@example.com");
    std::vector<std::string> passwords;
    std::vector<Process> runs;
    for (int i = 0; i < 12; ++i) {
        passwords.push_back("rotating passphrase number " + std::to_string(i));
        runs.push_back(start_usersctl({"-d", db.url(), "set-password", "shared@example.com", "--password-stdin", "--cost", "4"},
                                      passwords.back() + "\n"));
        for (int k = 0; k < 3; ++k) {
            runs.push_back(start_usersctl({"-d", db.url(), "verify", "shared@example.com", "--password-stdin", "--record-login"},
                                          passwords[static_cast<std::size_t>(i / 2)] + "\n"));
        }
    }
    std::multiset<int> codes;
    for (auto& p : runs) {
        const auto r = p.wait();
        codes.insert(r.exit_code);
        if (r.exit_code > 1) {
            UNSCOPED_INFO(r.err);
        }
    }
    CHECK(codes.count(0) + codes.count(1) == runs.size());
    int matching = 0;
    for (const auto& pw : passwords) {
        if (db.usersctl({"verify", "shared@example.com", "--password-stdin"}, pw + "\n").exit_code == 0) {
            ++matching;
        }
    }
    CHECK(matching == 1);
}
