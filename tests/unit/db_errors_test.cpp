#include "core/database.hpp"
#include "core/db_errors.hpp"
#include "core/errors.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

namespace {

// The exit code and message `fault` ends in.
std::pair<int, std::string> outcome(const DatabaseFault& fault)
{
    try {
        throw_database_error(fault);
    } catch (const std::exception& e) {
        return {static_cast<int>(exit_code_for(e)), e.what()};
    }
    return {0, ""};
}

int code_for_state(const std::string& state)
{
    return outcome({DatabaseFault::Kind::sql, state, "ERROR:  text\nDETAIL: more", false}).first;
}

}  // namespace

TEST_CASE("connect failures: only an unreachable server is retried")
{
    DatabaseOptions options;
    options.url = "postgresql://app:s3cret@db.example/app";
    options.url_source = "--database-url";
    const auto down = classify_connect_error("could not connect to server: Connection refused\n", options, true);
    CHECK(down.kind == ConnectFailure::Kind::unavailable);
    CHECK(down.retryable);
    CHECK(down.message.find("s3cret") == std::string::npos);
    CHECK(down.message.find("(from --database-url): could not connect to server: Connection refused") !=
          std::string::npos);
    CHECK_THROWS_AS(down.raise(), Unavailable);
    CHECK_FALSE(classify_connect_error("could not connect", options, false).retryable);
    // libpq's "\n\t" line breaks become one space, never two.
    const auto refused = classify_connect_error(
        "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running?\n", options,
        true);
    CHECK(refused.message.find("Connection refused. Is the server running?") != std::string::npos);
    CHECK(refused.message.find("  ") == std::string::npos);

    const auto auth = classify_connect_error("FATAL:  password authentication failed for user \"app\"", options, true);
    CHECK(auth.kind == ConnectFailure::Kind::permission_denied);
    CHECK_FALSE(auth.retryable);
    CHECK_THROWS_AS(auth.raise(), PermissionDenied);
    const auto no_db = classify_connect_error("FATAL:  database \"app\" does not exist", options, true);
    CHECK(no_db.kind == ConnectFailure::Kind::config);
    CHECK_FALSE(no_db.retryable);
    CHECK_THROWS_AS(no_db.raise(), ConfigError);
    CHECK(classify_connect_error("invalid connection option \"x\"", options, false).kind ==
          ConnectFailure::Kind::config);
}

TEST_CASE("SQLSTATEs map to exit codes")
{
    CHECK(code_for_state("55P03") == 75);
    CHECK(code_for_state("57014") == 75);
    CHECK(code_for_state("40001") == 75);
    CHECK(code_for_state("40P01") == 75);
    CHECK(code_for_state("25006") == 69);
    CHECK(code_for_state("42501") == 77);
    CHECK(code_for_state("28P01") == 77);
    CHECK(code_for_state("23505") == 73);
    CHECK(code_for_state("42P01") == 78);
    CHECK(code_for_state("42703") == 78);
    CHECK(code_for_state("08006") == 69);
    CHECK(code_for_state("57P01") == 69);
    CHECK(code_for_state("53100") == 75);
    CHECK(code_for_state("22000") == 70);
    CHECK(code_for_state("") == 70);
    CHECK(outcome({DatabaseFault::Kind::sql, "", "server closed the connection", true}).first == 69);
    CHECK(outcome({DatabaseFault::Kind::sql, "23505", "ERROR:  duplicate key\nDETAIL: x", false}).second ==
          "a unique constraint was violated: duplicate key");
}

TEST_CASE("lost connections and library failures map to exit codes")
{
    using Kind = DatabaseFault::Kind;
    CHECK(outcome({Kind::commit_unknown, "", "x", true}).first == 75);
    CHECK(outcome({Kind::broken_connection, "", "x", true}).first == 69);
    CHECK(outcome({Kind::statement_unknown, "", "x", true}).first == 75);
    CHECK(outcome({Kind::rollback, "", "x", false}).first == 75);
    CHECK(outcome({Kind::library_misuse, "", "x", false}).first == 70);
    CHECK(outcome({Kind::other, "", "x", false}).first == 69);
}
