#include "core/errors.hpp"
#include "core/sql_text.hpp"
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

TEST_CASE("parsing follows PostgreSQL's parse_ident: ASCII-only folding, identifier starts, valid UTF-8")
{
    CHECK(TableName::parse("ÄBC").name == "Äbc");  // only ASCII letters fold, as in a UTF-8 database
    CHECK(TableName::parse("_x$1").name == "_x$1");
    CHECK_THROWS_AS(TableName::parse("1users"), UsageError);
    CHECK_THROWS_AS(TableName::parse("$users"), UsageError);
    CHECK_THROWS_AS(TableName::parse("users "), UsageError);
    CHECK_THROWS_AS(TableName::parse("\"bad\xff\""), UsageError);
    CHECK_THROWS_AS(TableName::parse("\"\x1b]2;x\x07\""), UsageError);
    CHECK_THROWS_AS(TableName::parse("\"\xc2\x9b" "31m\""), UsageError);
    CHECK_THROWS_AS(TableName::parse(std::string("\"a\0b\"", 5)), UsageError);
    CHECK(TableName::parse("\"" + std::string(63, 'y') + "\"").name.size() == 63);
    CHECK_THROWS_AS(TableName::parse("\"" + std::string(64, 'y') + "\""), UsageError);
}

TEST_CASE("the refusal never quotes the --table text back")
{
    try {
        TableName::parse("\"\x1b]2;PWNED\x07\"");
        FAIL("no exception");
    } catch (const UsageError& e) {
        CHECK(std::string(e.what()).find("PWNED") == std::string::npos);
    }
}

TEST_CASE("render_sql substitutes once and never rescans what it inserted")
{
    CHECK(render_sql("CREATE UNIQUE INDEX {index} ON {table} (lower(email))",
                     {{"table", "\"users{index}\".\"(first_name) WHERE x --\""}, {"index", "\"i\""}}) ==
          "CREATE UNIQUE INDEX \"i\" ON \"users{index}\".\"(first_name) WHERE x --\" (lower(email))");
    // The other order too: a value holding {table} stays literal.
    CHECK(render_sql("{index} {table}", {{"index", "\"{table}\""}, {"table", "\"t\""}}) == "\"{table}\" \"t\"");
    CHECK(render_sql("{table}{table}", {{"table", "\"{table}\""}}) == "\"{table}\"\"{table}\"");
    CHECK(render_sql("no placeholders { here }", {{"table", "x"}}) == "no placeholders { here }");
    CHECK_THROWS_AS(render_sql("SELECT {nope}", {{"table", "x"}}), InternalError);
}

TEST_CASE("the lower(email) index name is cut at a character boundary")
{
    TableName t;
    t.name = std::string(46, 'a') + "é";  // 48 bytes: the cut at 47 would split the é
    const std::string index = email_lower_index_name(t);
    CHECK(index == std::string(46, 'a') + "_email_lower_key");
    CHECK(index.size() <= 63);
}
