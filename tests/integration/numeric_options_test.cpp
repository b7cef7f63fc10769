// Every numeric option, given numbers out of any sensible range: a usage error (64), never an
// internal error with SQL text.

#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>

using namespace usersctl::test;

TEST_CASE("out-of-range numbers in every numeric option are usage errors", "[hostile][options]")
{
    UsersDb db;
    struct Option {
        std::vector<std::string> before;  ///< the command line up to the option
        std::string option;               ///< given as option=VALUE
    };
    const std::vector<Option> options = {
        {{"list"}, "--limit"},
        {{"hash", "--password-stdin"}, "--cost"},
        {{"hash", "--password-stdin", "--scheme", "werkzeug-scrypt"}, "--cost"},
        {{"import", "-"}, "--jobs"},
        {{"hash"}, "--password-fd"},
        {{"hash"}, "--generate-password"},
        {{"add-user", "n@example.com", "--password-stdin"}, "--min-length"},
        {{"doctor"}, "--max-listed"},
        {{"list", "--connect-timeout"}, ""},
        {{"list", "--lock-timeout"}, ""},
        {{"list", "--statement-timeout"}, ""},
        {{"init-db"}, "--wait"},
    };
    const std::vector<std::string> values = {"18446744073709551615", "18446744073709551616", "-1", "nan", "inf",
                                             "-inf", "1e400", "99999999999999999999999", "12abc"};
    for (const auto& o : options) {
        for (const auto& value : values) {
            std::vector<std::string> args = o.before;
            if (o.option.empty()) {
                args.back() += "=" + value;  // a global option: list --lock-timeout=VALUE
            } else {
                args.push_back(o.option + "=" + value);
            }
            CAPTURE(args);
            const auto r = db.usersctl(args, k_good_password + "\n");
            CAPTURE(r.err);
            CHECK(r.exit_code == 64);
            CHECK(r.err.find("SELECT") == std::string::npos);
            CHECK(r.err.find("bigint") == std::string::npos);
        }
    }
    // A tiny positive timeout is a short limit, never 0 ms ("no limit").
    const auto tiny = db.usersctl({"-v", "--statement-timeout=0.0001", "list"});
    CHECK(tiny.exit_code != 70);
}

TEST_CASE("a mistyped --password-env is named only when it is a variable name", "[hostile][options]")
{
    UsersDb db;
    const auto typed = db.usersctl({"hash", "--password-env", "Tr0ub4dor&3"});
    CHECK(typed.exit_code == 64);
    CHECK(typed.err.find("Tr0ub4dor") == std::string::npos);
    CHECK(typed.err.find("not valid") != std::string::npos);
    const auto unset = db.usersctl({"hash", "--password-env", "USERSCTL_NO_SUCH_VARIABLE"});
    CHECK(unset.exit_code == 64);
    CHECK(unset.err.find("USERSCTL_NO_SUCH_VARIABLE") != std::string::npos);
}
