#pragma once
// A fresh test database with the users table created by `usersctl init-db`, plus helpers.

#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

#include <stdexcept>

namespace usersctl::test {

/// A password zxcvbn rates strong, used wherever the password itself does not matter.
inline const std::string k_good_password = "correct horse battery staple";

class UsersDb : public TestDatabase {
public:
    UsersDb()
    {
        const auto r = run_usersctl({"init-db", "-q", "-d", url()});
        if (r.exit_code != 0) {
            throw std::runtime_error("init-db failed: " + r.err);
        }
    }

    /// usersctl with -d set to this database (bcrypt cost 4 unless the args say otherwise).
    ProcessResult usersctl(std::vector<std::string> args, const std::string& input = {}, const EnvChanges& env = {}) const
    {
        args.insert(args.begin(), {"-d", url()});
        EnvChanges e = env;
        if (e.count("USERSCTL_COST") == 0) {
            e["USERSCTL_COST"] = "4";
        }
        return run_usersctl(args, input, e);
    }

    /// Adds an account with --password-stdin; throws unless it exits 0.
    void add(const std::string& email, const std::string& password = k_good_password,
             std::vector<std::string> extra = {}) const
    {
        std::vector<std::string> args{"add-user", email, "--password-stdin"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = usersctl(args, password + "\n");
        if (r.exit_code != 0) {
            throw std::runtime_error("add-user failed: " + r.err);
        }
    }

    std::string hash_of(const std::string& email) const
    {
        return scalar("SELECT password_hash FROM users WHERE email = $1", {email});
    }
};

}  // namespace usersctl::test
