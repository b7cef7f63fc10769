#include "core/errors.hpp"
#include "core/logging.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

TEST_CASE("every error class maps to its documented exit code")
{
    CHECK(exit_code_for(UsageError("x")) == ExitCode::usage);
    CHECK(static_cast<int>(exit_code_for(InvalidInput("x"))) == 65);
    CHECK(static_cast<int>(exit_code_for(NoInput("x"))) == 66);
    CHECK(static_cast<int>(exit_code_for(NotFound("x"))) == 67);
    CHECK(static_cast<int>(exit_code_for(Unavailable("x"))) == 69);
    CHECK(static_cast<int>(exit_code_for(InternalError("x"))) == 70);
    CHECK(static_cast<int>(exit_code_for(AlreadyExists("x"))) == 73);
    CHECK(static_cast<int>(exit_code_for(OutputError("x"))) == 74);
    CHECK(static_cast<int>(exit_code_for(TemporaryFailure("x"))) == 75);
    CHECK(static_cast<int>(exit_code_for(PermissionDenied("x"))) == 77);
    CHECK(static_cast<int>(exit_code_for(ConfigError("x"))) == 78);
    CHECK(static_cast<int>(exit_code_for(Interrupted("x"))) == 130);
    CHECK(static_cast<int>(exit_code_for(std::runtime_error("x"))) == 70);
    CHECK(exit_code_for(OutputClosed("x")) == ExitCode::ok);
}

TEST_CASE("messages carry their hint after a semicolon")
{
    CHECK(describe(ConfigError("table missing", "run init-db")) == "table missing; run init-db");
    CHECK(describe(ConfigError("table missing")) == "table missing");
}

TEST_CASE("JSON escaping covers quotes, backslashes and control characters")
{
    CHECK(json_escape("a\"b\\c\nd\x1b[31m") == "a\\\"b\\\\c\\nd\\u001b[31m");
    CHECK(json_escape("caf\xc3\xa9") == "caf\xc3\xa9");
}
