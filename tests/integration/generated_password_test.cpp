// A generated password is delivered before the account is committed: when stdout cannot take
// it (a closed pipe, a full disk), the command exits 74 and nothing is committed.

#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>

using namespace usersctl::test;

namespace {

// Runs usersctl in bash with stdout sent to `redirect`: "| true" (a reader that is gone before
// anything is written) or "> /dev/full" (every write fails with ENOSPC). Returns usersctl's status.
ProcessResult run_redirected(const UsersDb& db, std::vector<std::string> args, const std::string& redirect)
{
    args.insert(args.begin(), {"-d", db.url()});
    std::vector<std::string> argv = {"bash", "-c",
                                     redirect == "| true"
                                         ? "{ sleep 0.2; exec \"$0\" \"$@\"; } | true; exit ${PIPESTATUS[0]}"
                                         : "exec \"$0\" \"$@\" " + redirect,
                                     usersctl_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, "", {{"USERSCTL_COST", "4"}, {"USERSCTL_VERIFIER", "any"}, {"USERSCTL_SCHEME", "bcrypt"}});
}

}  // namespace

TEST_CASE("add-user --generate-password into a closed pipe or a full disk: 74 and no account", "[generate]")
{
    UsersDb db;
    for (const std::string redirect : {"| true", "> /dev/full"}) {
        for (const bool json : {false, true}) {
            CAPTURE(redirect, json);
            std::vector<std::string> args{"add-user", "lost@example.com", "--generate-password"};
            if (json) {
                args.push_back("--json");
            }
            const auto r = run_redirected(db, args, redirect);
            CAPTURE(r.err);
            CHECK(r.exit_code == 74);
            CHECK(r.err.find("nothing was committed") != std::string::npos);
            CHECK(db.scalar("SELECT count(*)::text FROM users") == "0");
        }
    }
}

TEST_CASE("set-password --generate-password into a closed pipe or a full disk: 74 and the password unchanged",
          "[generate]")
{
    UsersDb db;
    db.add("kept@example.com");
    const std::string before = db.hash_of("kept@example.com");
    for (const std::string redirect : {"| true", "> /dev/full"}) {
        for (const bool json : {false, true}) {
            CAPTURE(redirect, json);
            std::vector<std::string> args{"set-password", "kept@example.com", "--generate-password"};
            if (json) {
                args.push_back("--json");
            }
            const auto r = run_redirected(db, args, redirect);
            CHECK(r.exit_code == 74);
            CHECK(db.hash_of("kept@example.com") == before);
        }
    }
    CHECK(db.usersctl({"verify", "kept@example.com", "--password-stdin"}, k_good_password + "\n").exit_code == 0);
}

TEST_CASE("a generated password that is delivered is committed, and verifies", "[generate]")
{
    UsersDb db;
    const auto added = db.usersctl({"add-user", "new@example.com", "--generate-password"});
    REQUIRE(added.exit_code == 0);
    REQUIRE(added.out.size() == 21);
    CHECK(db.usersctl({"verify", "new@example.com", "--password-stdin"}, added.out).exit_code == 0);
    const auto set = db.usersctl({"set-password", "new@example.com", "--generate-password=30", "--json"});
    REQUIRE(set.exit_code == 0);
    const auto at = set.out.find("\"password\":\"");
    REQUIRE(at != std::string::npos);
    const std::string password = set.out.substr(at + 12, 30);
    CHECK(db.usersctl({"verify", "new@example.com", "--password-stdin"}, password + "\n").exit_code == 0);
    // Without a generated password, --json still prints after the commit.
    const auto plain = db.usersctl({"set-password", "new@example.com", "--password-stdin", "--json"}, k_good_password + "\n");
    CHECK(plain.exit_code == 0);
    CHECK(plain.out.find("\"changed\":true") != std::string::npos);
}
