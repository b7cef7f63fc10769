// Database::read_once (#18): the look-up of verify, checkpassword and the one-account commands
// in one round trip, pipelined with the transaction's settings. The settings still bite, the
// failures are a transaction's (the same core error, the same message), and the connection is
// usable afterwards.

#include "core/database.hpp"
#include "core/errors.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <future>
#include <sstream>
#include <unistd.h>

using namespace usersctl;
using namespace usersctl::test;

namespace {

DatabaseOptions options_for(const TestDatabase& db, int lock_timeout_ms, int statement_timeout_ms)
{
    DatabaseOptions options;
    options.url = db.url();
    options.lock_timeout_ms = lock_timeout_ms;
    options.statement_timeout_ms = statement_timeout_ms;
    return options;
}

// What a call threw: the exit code it maps to and the message.
struct Failure {
    ExitCode code = ExitCode::ok;
    std::string message;
    double seconds = 0;
};

template <typename Call>
Failure failure_of(Call&& call)
{
    const double start = now_seconds();
    try {
        call();
    } catch (const std::exception& e) {
        return {exit_code_for(e), e.what(), now_seconds() - start};
    }
    return {ExitCode::ok, "", now_seconds() - start};
}

// The same statement through a transaction, as every command ran it before #18.
Failure transaction_failure(Database& database, const std::string& sql, const std::vector<Value>& params = {})
{
    return failure_of([&] { database.transaction([&](Transaction& tx) { tx.exec(sql, params); }); });
}

Failure read_once_failure(Database& database, const std::string& sql, const std::vector<Value>& params = {})
{
    return failure_of([&] { database.read_once(sql, params); });
}

// Holds an ACCESS EXCLUSIVE lock on the users table for `seconds` in a psql session, once held.
Process hold_table_lock(const UsersDb& db, int seconds)
{
    Process holder({"psql", "-qAtX", db.url(), "-c",
                    "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(" + std::to_string(seconds) +
                        "); COMMIT;"},
                   "", {});
    REQUIRE(eventually([&] {
        return db.scalar("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'users'::regclass "
                         "AND mode = 'AccessExclusiveLock' AND granted)::text") == "true";
    }));
    return holder;
}

std::string session_state(const TestDatabase& db)
{
    return db.scalar("SELECT string_agg(state, ',') FROM pg_stat_activity WHERE application_name = 'usersctl' "
                     "AND datname = current_database()");
}

}  // namespace

TEST_CASE("read_once returns the statement's rows under the transaction's settings and leaves the session idle",
          "[read_once]")
{
    TestDatabase db;
    Database database(options_for(db, 1500, 7000));
    const QueryResult r = database.read_once(
        "SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS statement, "
        "$1::text AS echo, NULL::text AS nothing",
        {std::string("x")});
    REQUIRE(r.rows.size() == 1);
    CHECK(r.columns == std::vector<std::string>{"lock", "statement", "echo", "nothing"});
    CHECK(r.get(r.rows[0], "lock") == Value("1500ms"));
    CHECK(r.get(r.rows[0], "statement") == Value("7s"));
    CHECK(r.get(r.rows[0], "echo") == Value("x"));
    CHECK(r.get(r.rows[0], "nothing") == Value(std::nullopt));
    // The Sync ended the transaction: not idle in transaction, nothing held.
    CHECK(session_state(db) == "idle");
    // libpqxx's transactions still work on the connection, and so does the next read.
    database.transaction([](Transaction& tx) { CHECK(tx.exec("SELECT 1").rows.size() == 1); });
    CHECK(database.read_once("SELECT generate_series(1, 3)").rows.size() == 3);
    CHECK(database.read_once("SELECT 1 WHERE false").rows.empty());
}

TEST_CASE("read_once gives up on a table held under ACCESS EXCLUSIVE within the lock timeout, as a transaction does",
          "[read_once][lock]")
{
    UsersDb db;
    auto holder = hold_table_lock(db, 6);
    const std::string count = "SELECT count(*) FROM users";
    // The pipeline fails as a transaction does, in time, and leaves the connection usable.
    const auto gives_up = [&](int lock_timeout_ms, int statement_timeout_ms, const std::string& why) {
        Database database(options_for(db, lock_timeout_ms, statement_timeout_ms));
        const Failure piped = read_once_failure(database, count);
        CHECK(piped.code == ExitCode::temporary);
        CHECK(piped.message.find(why) != std::string::npos);
        CHECK(piped.seconds < 2.5);
        const Failure transaction = transaction_failure(database, count);
        CHECK(transaction.code == piped.code);
        CHECK(transaction.message == piped.message);
        // The failed pipeline was rolled back at its Sync: the connection goes on.
        CHECK(session_state(db) == "idle");
        CHECK(database.read_once("SELECT 1").rows.size() == 1);
    };
    gives_up(300, 60000, "timed out waiting for a lock");
    // No lock timeout (0): the statement timeout, set in the same pipeline, cancels the wait.
    gives_up(0, 300, "statement canceled");
    holder.wait();
}

TEST_CASE("read_once's failures map as a transaction's: SQL errors, and a session killed while it waits",
          "[read_once][faults]")
{
    SECTION("errors in the statement, after which the connection goes on")
    {
        TestDatabase db;  // no users table
        Database database(options_for(db, 5000, 60000));
        for (const auto& [sql, params, code] :
             {std::tuple<std::string, std::vector<Value>, ExitCode>{"SELECT * FROM users", {}, ExitCode::config},
              {"SELECT $1::int", {std::string("x")}, ExitCode::internal},
              {"SELECT missing FROM pg_class", {}, ExitCode::config},
              {"SELECT 1/0", {}, ExitCode::internal}}) {
            CAPTURE(sql);
            const Failure piped = read_once_failure(database, sql, params);
            CHECK(piped.code == code);
            const Failure transaction = transaction_failure(database, sql, params);
            CHECK(transaction.code == piped.code);
            CHECK(transaction.message == piped.message);
            CHECK(database.read_once("SELECT 1").rows.size() == 1);
        }
    }
    SECTION("pg_terminate_backend while waiting on a lock: the connection was lost (69)")
    {
        UsersDb db;
        auto holder = hold_table_lock(db, 8);
        Database database(options_for(db, 30000, 60000));
        auto waiting = std::async(std::launch::async, [&] { return read_once_failure(database, "SELECT count(*) FROM users"); });
        REQUIRE(eventually([&] {
            return db.scalar("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'usersctl' "
                             "AND datname = current_database() AND wait_event_type = 'Lock')::text") == "true";
        }));
        CHECK(db.scalar("SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_activity "
                        "WHERE application_name = 'usersctl' AND datname = current_database()") == "1");
        const Failure killed = waiting.get();
        CHECK(killed.code == ExitCode::unavailable);
        CHECK(killed.message.find("the connection to the database was lost") != std::string::npos);
        // Later calls on the dead connection fail the same way, without hanging.
        CHECK(read_once_failure(database, "SELECT 1").code == ExitCode::unavailable);
        holder.wait();
    }
}

TEST_CASE("verify sends its settings and look-up in one write and waits no longer than the lock timeout",
          "[read_once][verify][lock]")
{
    UsersDb db;
    db.add("alice@example.com");
    if (run_program({"strace", "-o", "/dev/null", "/bin/true"}).exit_code != 0) {
        WARN("strace cannot trace here (no ptrace permission?)");
        return;
    }
    const std::string trace = "/tmp/usersctl-read-once-" + std::to_string(::getpid()) + ".trace";
    const auto r = run_program({"strace", "-f", "-o", trace, "-s", "4096", "-e", "trace=sendto",
                                usersctl_binary(), "-d", db.url(), "verify", "alice@example.com", "--password-stdin"},
                               k_good_password + "\n",
                               // LeakSanitizer cannot run under ptrace (the sanitizer build).
                               {{"ASAN_OPTIONS", "detect_leaks=0"}});
    CAPTURE(r.err);
    CHECK(r.exit_code == 0);
    std::ifstream in(trace);
    std::vector<std::string> writes;
    for (std::string line; std::getline(in, line);) {
        if (line.find("sendto(") != std::string::npos) {
            writes.push_back(line);
        }
    }
    std::remove(trace.c_str());
    // The startup message, the pipeline (settings, look-up, Sync), and Terminate: over the Unix
    // socket with trust there is no authentication exchange. Before #18: BEGIN, the settings,
    // the look-up and COMMIT were four writes, each waiting for its answer.
    CAPTURE(writes);
    REQUIRE(writes.size() == 3);
    CHECK(writes[1].find("set_config") != std::string::npos);
    CHECK(writes[1].find("FROM \\\"public\\\".\\\"users\\\"") != std::string::npos);

    auto holder = hold_table_lock(db, 6);
    const auto blocked = db.usersctl({"--lock-timeout", "0.5", "verify", "alice@example.com", "--password-stdin"},
                                     k_good_password + "\n");
    CHECK(blocked.exit_code == 75);
    CHECK(blocked.seconds < 3);
    CHECK(blocked.err.find("timed out waiting for a lock") != std::string::npos);
    holder.wait();
}
