// Faults injected while usersctl waits on the database: the session is killed, or the operator
// presses Ctrl-C. Nothing half-written either way, and a re-run reaches the intended state.

#include "tests/support/eventually.hpp"
#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

using namespace usersctl::test;

namespace {

// Holds an ACCESS EXCLUSIVE lock on the users table for `seconds` in a psql session.
Process hold_table_lock(const UsersDb& db, int seconds)
{
    return Process({"psql", "-qAtX", db.url(), "-c",
                    "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(" + std::to_string(seconds) +
                        "); COMMIT;"},
                   "", {});
}

// Until `sql` returns "true" (up to 20 s).
bool eventually(const UsersDb& db, const std::string& sql)
{
    return usersctl::test::eventually([&] { return db.scalar(sql) == "true"; });
}

const char* k_lock_held =
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'users'::regclass AND mode = 'AccessExclusiveLock' AND granted)::text";
const char* k_usersctl_waiting =
    "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'usersctl' "
    "AND datname = current_database() AND wait_event_type = 'Lock')::text";

}  // namespace

TEST_CASE("a session killed with pg_terminate_backend while waiting on a lock exits cleanly with nothing written", "[faults]")
{
    UsersDb db;
    auto holder = hold_table_lock(db, 8);
    REQUIRE(eventually(db, k_lock_held));
    // --password-env: a started Process gets its stdin only once waited for.
    auto waiting = start_usersctl({"-d", db.url(), "--lock-timeout", "30", "add-user", "a@example.com", "--password-env",
                                   "PW", "--cost", "4"},
                                  "", {{"PW", k_good_password}});
    REQUIRE(eventually(db, k_usersctl_waiting));
    CHECK(db.scalar("SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_activity "
                    "WHERE application_name = 'usersctl' AND datname = current_database()") == "1");
    const auto r = waiting.wait();
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("usersctl: error:") != std::string::npos);
    CHECK(r.err.find("nothing was committed") != std::string::npos);
    holder.wait();
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "0");
    CHECK(db.usersctl({"add-user", "a@example.com", "--password-stdin"}, k_good_password + "\n").exit_code == 0);
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "1");
}

TEST_CASE("Ctrl-C while waiting on the database exits 130 and rolls back", "[faults]")
{
    UsersDb db;
    db.add("a@example.com");
    auto holder = hold_table_lock(db, 8);
    REQUIRE(eventually(db, k_lock_held));
    auto waiting = start_usersctl({"-d", db.url(), "--lock-timeout", "30", "update-user", "a@example.com", "--first-name",
                                   "Changed"});
    REQUIRE(eventually(db, k_usersctl_waiting));
    kill(waiting.pid(), SIGINT);
    const auto r = waiting.wait();
    CHECK(r.exit_code == 130);
    holder.wait();
    CHECK(db.scalar("SELECT first_name FROM users") == "");
    CHECK(db.scalar("SELECT count(*)::text FROM pg_stat_activity WHERE application_name = 'usersctl' "
                    "AND datname = current_database()") == "0");
}
