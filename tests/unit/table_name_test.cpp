#include "core/errors.hpp"
#include "core/table_name.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

TEST_CASE("table names parse like PostgreSQL identifiers")
{
    CHECK(TableName::parse("users").quoted() == "\"public\".\"users\"");
    CHECK(TableName::parse("Auth.Users").quoted() == "\"auth\".\"users\"");
    CHECK(TableName::parse("\"My Schema\".\"Users\"").quoted() == "\"My Schema\".\"Users\"");
    CHECK(TableName::parse("\"a\"\"b\".c").schema == "a\"b");
    CHECK(TableName::parse("\"a.b\"").name == "a.b");
}

TEST_CASE("hostile table names are refused or quoted, never injected")
{
    CHECK_THROWS_AS(TableName::parse("users; DROP TABLE users"), UsageError);
    CHECK_THROWS_AS(TableName::parse("a.b.c"), UsageError);
    CHECK_THROWS_AS(TableName::parse(""), UsageError);
    CHECK_THROWS_AS(TableName::parse("\"unterminated"), UsageError);
    CHECK_THROWS_AS(TableName::parse("a..b"), UsageError);
    CHECK_THROWS_AS(TableName::parse(std::string(64, 'x')), UsageError);
    CHECK(TableName::parse("\"x\"\"; DROP TABLE users; --\"").quoted() == "\"public\".\"x\"\"; DROP TABLE users; --\"");
}
