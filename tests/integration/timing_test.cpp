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

TEST_CASE("verify: an unknown email costs the same time as a wrong password", "[verify][timing]")
{
    UsersDb users;
    users.add("known@example.com", k_good_password, {"--cost", "8"});
    DatabaseOptions options;
    options.url = users.url();
    Database db(options);
    VerifyOptions verify;
    verify.settings = HashSettings{Scheme::bcrypt, 8};
    const TableName table;
    std::vector<double> wrong, unknown;
    auto time_one = [&](const std::string& email) {
        const auto start = std::chrono::steady_clock::now();
        const bool ok = verify_user(db, table, email, "wrong horse battery staple", verify);
        CHECK_FALSE(ok);
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    };
    for (int i = 0; i < 5; ++i) {  // warm-up
        time_one("known@example.com");
        time_one("nobody@example.com");
    }
    for (int i = 0; i < 200; ++i) {
        wrong.push_back(time_one("known@example.com"));
        unknown.push_back(time_one("nobody@example.com"));
    }
    const double w = median(wrong);
    const double u = median(unknown);
    INFO("median wrong password " << w << " ms, unknown email " << u << " ms");
    // The target is 5%; the test allows 15% so a busy CI machine does not make it flaky.
    // bench/README.md records the measured difference.
    CHECK(std::abs(u - w) / w < 0.15);
    WARN("timing: wrong password median " << w << " ms, unknown email median " << u << " ms, difference "
                                           << 100.0 * std::abs(u - w) / w << "%");
}
