// An unknown email must cost what a wrong password costs, so timing does not reveal which
// accounts exist. Measured in-process (core's verify_user against the test server), with the
// two cases interleaved so drift on a shared machine hits both alike.

#include "core/accounts.hpp"
#include "core/database.hpp"
#include "tests/support/users_db.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>

using namespace usersctl;
using namespace usersctl::test;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

TEST_CASE("verify: an unknown email and an unusable stored hash cost the same time as a wrong password",
          "[verify][timing]")
{
    UsersDb users;
    users.add("known@example.com", k_good_password, {"--cost", "8"});
    users.add("locked@example.com", k_good_password, {"--cost", "8"});
    users.add("long@example.com", k_good_password, {"--cost", "8"});
    users.query("UPDATE users SET password_hash = '!' WHERE email = 'locked@example.com'");
    DatabaseOptions options;
    options.url = users.url();
    Database db(options);
    VerifyOptions verify;
    verify.settings = HashSettings{Scheme::bcrypt, 8};
    const TableName table;
    std::vector<double> wrong, unknown, unusable, too_long;
    auto time_one = [&](const std::string& email, const std::string& password = "wrong horse battery staple") {
        const auto start = std::chrono::steady_clock::now();
        const bool ok = verify_user(db, table, AccountKey{email, std::nullopt}, password, verify);
        CHECK_FALSE(ok);
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    };
    // bcrypt reads 72 bytes: a longer password is refused without hashing, unless a dummy is checked.
    const std::string long_password(100, 'x');
    for (int i = 0; i < 5; ++i) {  // warm-up
        time_one("known@example.com");
        time_one("nobody@example.com");
        time_one("locked@example.com");
        time_one("long@example.com", long_password);
    }
    for (int i = 0; i < 200; ++i) {
        wrong.push_back(time_one("known@example.com"));
        unknown.push_back(time_one("nobody@example.com"));
        unusable.push_back(time_one("locked@example.com"));
        too_long.push_back(time_one("long@example.com", long_password));
    }
    const double w = median(wrong);
    const double u = median(unknown);
    const double x = median(unusable);
    const double l = median(too_long);
    INFO("median wrong password " << w << " ms, unknown email " << u << " ms, unusable hash " << x
                                  << " ms, over-long password " << l << " ms");
    // The target is 5%; the test allows 15% so a busy CI machine does not make it flaky.
    // bench/README.md records the measured difference.
    CHECK(std::abs(u - w) / w < 0.15);
    CHECK(std::abs(x - w) / w < 0.15);
    CHECK(std::abs(l - w) / w < 0.15);
    WARN("timing: wrong password median " << w << " ms, unknown email " << u << " ms, unusable hash " << x
                                           << " ms, over-long password " << l << " ms");
}

TEST_CASE("verify: unknown email, unusable hash and wrong password log the same lines at every verbosity",
          "[verify][timing]")
{
    UsersDb users;
    users.add("known@example.com");
    users.add("locked@example.com");
    users.query("UPDATE users SET password_hash = '!' WHERE email = 'locked@example.com'");
    for (const char* verbosity : {"-v", "-vv"}) {
        std::vector<std::string> logs;
        for (const char* email : {"known@example.com", "locked@example.com", "nobody@example.com"}) {
            const auto r = users.usersctl({verbosity, "verify", email, "--password-stdin"}, "wrong horse battery staple\n");
            CHECK(r.exit_code == 1);
            std::string log = r.err;
            // The email itself is the only difference allowed.
            for (auto pos = log.find(email); pos != std::string::npos; pos = log.find(email)) {
                log.replace(pos, std::string(email).size(), "EMAIL");
            }
            // Connection lines carry a process id or timing; keep only the lines about the check.
            std::string kept;
            std::size_t start = 0;
            while (start < log.size()) {
                const auto end = log.find('\n', start);
                const std::string line = log.substr(start, end - start);
                if (line.find("EMAIL") != std::string::npos || line.find("hash") != std::string::npos ||
                    line.find("password") != std::string::npos) {
                    kept += line + "\n";
                }
                start = end == std::string::npos ? log.size() : end + 1;
            }
            logs.push_back(kept);
        }
        INFO("known: " << logs[0] << "locked: " << logs[1] << "unknown: " << logs[2]);
        CHECK(logs[0] == logs[1]);
        CHECK(logs[0] == logs[2]);
        CHECK(logs[0].find("no match for EMAIL") != std::string::npos);
    }
}
