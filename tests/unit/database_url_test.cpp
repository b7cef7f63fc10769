#include "core/database_url.hpp"
#include "core/errors.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <regex.h>

using namespace usersctl;

namespace {

EnvLookup fake_env(std::map<std::string, std::string> values)
{
    return [values](const std::string& name) -> std::optional<std::string> {
        const auto it = values.find(name);
        if (it == values.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

}  // namespace

TEST_CASE("the database URL comes from the option, then USERSCTL_DATABASE_URL, DATABASE_URL, SQLALCHEMY_DATABASE_URI")
{
    const auto all = fake_env({{"USERSCTL_DATABASE_URL", "postgresql:///a"},
                               {"DATABASE_URL", "postgresql:///b"},
                               {"SQLALCHEMY_DATABASE_URI", "postgresql+psycopg2:///c"}});
    CHECK(resolve_database_url(std::string("postgresql:///opt"), all).url == "postgresql:///opt");
    CHECK(resolve_database_url(std::string("postgresql:///opt"), all).source == "--database-url");
    CHECK(resolve_database_url(std::nullopt, all).url == "postgresql:///a");
    CHECK(resolve_database_url(std::nullopt, all).source == "USERSCTL_DATABASE_URL");
    const auto two = fake_env({{"DATABASE_URL", "postgresql:///b"}, {"SQLALCHEMY_DATABASE_URI", "postgresql:///c"}});
    CHECK(resolve_database_url(std::nullopt, two).url == "postgresql:///b");
    const auto one = fake_env({{"SQLALCHEMY_DATABASE_URI", "postgresql+psycopg2:///c"}});
    CHECK(resolve_database_url(std::nullopt, one).source == "SQLALCHEMY_DATABASE_URI");
    const auto none = fake_env({{"DATABASE_URL", ""}});
    CHECK(resolve_database_url(std::nullopt, none).url.empty());
    CHECK(resolve_database_url(std::string(), none).source == "libpq defaults");
}

TEST_CASE("SQLAlchemy URLs lose their +driver - other schemes are refused")
{
    CHECK(normalise_url("postgresql+psycopg2://u:p@h:5432/db") == "postgresql://u:p@h:5432/db");
    CHECK(normalise_url("postgresql+asyncpg://h/db") == "postgresql://h/db");
    CHECK(normalise_url("postgres://h/db") == "postgres://h/db");
    CHECK(normalise_url("host=h dbname=db") == "host=h dbname=db");
    CHECK_THROWS_AS(normalise_url("mysql://u:p@h/db"), ConfigError);
    CHECK_THROWS_AS(normalise_url("sqlite:///x.db"), ConfigError);
}

TEST_CASE("passwords in URLs are redacted in every form")
{
    CHECK(redact_url("postgresql://alice:s3cr%40t@h/db") == "postgresql://alice:***@h/db");
    CHECK(redact_url("postgresql://h/db?user=a&password=hunter22&sslmode=require") ==
          "postgresql://h/db?user=a&password=***&sslmode=require");
    CHECK(redact_url("host=h password=hunter22 dbname=x") == "host=h password=*** dbname=x");
    CHECK(redact_url("host=h password='a b\\'c' dbname=x").find("a b") == std::string::npos);
    CHECK(redact_url("postgresql://alice@h/db") == "postgresql://alice@h/db");
    CHECK(redact_secrets("failed for s3cr@t and s3cr%40t", "postgresql://alice:s3cr%40t@h/db") ==
          "failed for *** and ***");
}

TEST_CASE("the connection string gets a connect timeout and application_name unless the URL sets them")
{
    const auto plain = build_conninfo("postgresql://u@h:5433/db", 7);
    CHECK(plain.find("connect_timeout='7'") == std::string::npos);
    CHECK(plain.find("connect_timeout=7") != std::string::npos);
    CHECK(plain.find("application_name=usersctl") != std::string::npos);
    CHECK(plain.find("port='5433'") != std::string::npos);
    const auto own = build_conninfo("postgresql://u@h/db?connect_timeout=3&application_name=mine", 7);
    CHECK(own.find("connect_timeout='3'") != std::string::npos);
    CHECK(own.find("connect_timeout=7") == std::string::npos);
    CHECK(own.find("application_name='mine'") != std::string::npos);
    const auto sqlalchemy = build_conninfo("postgresql+psycopg2://u:pw@h/db", 10);
    CHECK(sqlalchemy.find("dbname='db'") != std::string::npos);
    const auto kv = build_conninfo("host=/tmp dbname=x", 10);
    CHECK(kv.find("host='/tmp'") != std::string::npos);
}

TEST_CASE("a malformed URL is a configuration error that never shows its password")
{
    for (const std::string url : {"postgresql://u:topsecret@[::1/db", "postgresql://u:topsecret@[::1:5432/db",
                                  "host=h password=topsecret bogus_option=1", "postgresql://u:topsecret@h/db?nope=1"}) {
        CAPTURE(url);
        try {
            build_conninfo(url, 10);
            FAIL("no exception");
        } catch (const ConfigError& e) {
            CHECK(std::string(e.what()).find("topsecret") == std::string::npos);
            CHECK(describe(e).find("topsecret") == std::string::npos);
        }
    }
}

TEST_CASE("found by fuzzing: a NUL byte or a second '@' never lets the password through")
{
    CHECK_THROWS_AS(build_conninfo(std::string("postgresql://u:Zq8Canary@[p\0\0|@x=o://", 36), 10), ConfigError);
    try {
        build_conninfo(std::string("postgresql://u:Zq8Canary@[p\0\0|@x=o://", 36), 10);
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()).find("Zq8Canary") == std::string::npos);
    }
    CHECK(redact_url("postgresql://u:pw@[bad@host/db").find("pw") == std::string::npos);
    // libpq quotes a bad token without escaping the quotes inside it: what follows such a quote
    // is still the token, and hidden.
    for (const std::string tail : {"h/db?x=%zz\"Zq8Canary", "h/d%zz\"b\"@Zq8Canary@h\"x", "\"Zq8Canary\""}) {
        CAPTURE(tail);
        try {
            build_conninfo("postgresql://u:pw@" + tail, 10);
        } catch (const ConfigError& e) {
            CHECK(std::string(e.what()).find("Zq8Canary") == std::string::npos);
        }
    }
    // The fuzzer's own find (fuzz/corpus/url/quote-in-token).
    const std::string found = "postgresql://u:Zq8Canary@postgresql://u@[::1]:ho\xc6st=/tmp port=2716 ppostg%esql:"
                              "\xb5\"@+\x0b\x14o port=5432 ppostg%esql://postgresql://u:Zq8Canary@hos";
    try {
        build_conninfo(found, 10);
    } catch (const ConfigError& e) {
        CHECK(std::string(e.what()).find("Zq8Canary") == std::string::npos);
    }
}

TEST_CASE("every password and sslpassword libpq reads is redacted, in every spelling")
{
    struct Case {
        std::string url;
        std::vector<std::string> secrets;  ///< none of these may remain
        std::string kept;                  ///< and this part must (the redaction is not a blanket)
    };
    const std::vector<Case> cases = {
        {"postgresql://u@h/db?sslpassword=KeyPass1&sslmode=require", {"KeyPass1"}, "sslmode=require"},
        {"postgresql://u@h/db?pass%77ord=Enc0ded&dbname=x", {"Enc0ded"}, "dbname=x"},
        {"postgresql://u@h/db?%70%61%73%73%77%6f%72%64=AllEnc", {"AllEnc"}, "u@h"},
        {"postgresql://u@h/db?ssl%70assword=Ssl2", {"Ssl2"}, "u@h"},
        {"postgresql://u@h/db?password=%41%42%43secret", {"%41%42%43secret", "ABCsecret"}, "u@h"},
        {"postgresql://u:p%40ss%3Aword@h/db", {"p%40ss%3Aword", "p@ss:word"}, "u:"},
        {"postgresql+psycopg2://u:alchemy@h/db?sslpassword=alch2", {"alchemy", "alch2"}, "psycopg2"},
        {"host=h password=abc\\ DEF dbname=x", {"abc", "DEF"}, "dbname=x"},
        {"host=h password='abc DEF\\' GHI' dbname=x", {"abc", "DEF", "GHI"}, "dbname=x"},
        {"host=h sslpassword = 'spaced out' dbname=x", {"spaced", "out"}, "dbname=x"},
        {"host=h password=a\\\\b\\'c dbname=x", {"a\\\\b", "b\\'c"}, "dbname=x"},
        {"password=first password=second host=h", {"first", "second"}, "host=h"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.url);
        const std::string shown = redact_url(c.url);
        CAPTURE(shown);
        for (const auto& secret : c.secrets) {
            CHECK(shown.find(secret) == std::string::npos);
        }
        CHECK(shown.find(c.kept) != std::string::npos);
        // A message quoting the URL loses the secrets too.
        const std::string redacted = redact_secrets("connection failed for " + c.url, c.url);
        for (const auto& secret : c.secrets) {
            CHECK(redacted.find(secret) == std::string::npos);
        }
    }
}

TEST_CASE("a URL libpq cannot parse is hidden whole, and so is what libpq quotes of it")
{
    for (const std::string url : {"host=h password=abc DEF dbname=x", "postgresql://u:TopSecret@[::1/db",
                                  "postgresql://u@h/db?password=Top%zzSecret", "host=h password='TopSecret",
                                  "postgresql://u@h/db?password==TopSecret", "mysql+x://u:TopSecret@h/db"}) {
        CAPTURE(url);
        CHECK(redact_url(url).find("Top") == std::string::npos);
        CHECK(redact_url(url).find("DEF") == std::string::npos);
        CHECK(redact_secrets("libpq: \"" + url + "\" and \"DEF\"", url).find("DEF") == std::string::npos);
        CHECK(redact_secrets("libpq: \"" + url + "\"", url).find("Top") == std::string::npos);
        try {
            build_conninfo(url, 10);
            FAIL("no exception");
        } catch (const ConfigError& e) {
            CHECK(describe(e).find("Top") == std::string::npos);
            CHECK(describe(e).find("DEF") == std::string::npos);
        }
    }
}

TEST_CASE("url_scheme_prefix finds what the regular expression it replaced matched", "[url]")
{
    // The pattern normalise_url and drop_driver used before #18, as the oracle. POSIX's regcomp
    // rather than std::regex, which GCC 12 warns about (maybe-uninitialized) under the sanitizers.
    regex_t pattern;
    REQUIRE(regcomp(&pattern, "^([A-Za-z][A-Za-z0-9.-]*)(\\+[A-Za-z0-9_]+)?://", REG_EXTENDED) == 0);
    std::vector<std::string> urls{"postgresql://u@h/db", "postgres://", "postgresql+psycopg2://u:p@h/db",
                                  "postgresql+://h", "postgresql+psycopg2:/h", "+psycopg2://h", "1pg://h",
                                  "pg.sql-x+a_b9://", "pg+a+b://h", "pg:/h", "pg:///", "p://", "", ":", "://",
                                  "postgresql", "host=h user=u", "PostgreSQL+Asyncpg://h", "pg-://x", "pg+_://x"};
    // And every string of up to 5 characters over the ones that matter.
    const std::string alphabet = "a1.+_:/-";
    std::vector<std::string> level{""};
    for (int length = 1; length <= 5; ++length) {
        std::vector<std::string> next;
        for (const auto& prefix : level) {
            for (char c : alphabet) {
                next.push_back(prefix + c);
            }
        }
        urls.insert(urls.end(), next.begin(), next.end());
        level = std::move(next);
    }
    for (const auto& url : urls) {
        CAPTURE(url);
        regmatch_t m[3];
        const bool matched = regexec(&pattern, url.c_str(), 3, m, 0) == 0;
        const auto prefix = url_scheme_prefix(url);
        REQUIRE(prefix.has_value() == matched);
        if (matched) {
            CHECK(prefix->scheme == url.substr(0, static_cast<std::size_t>(m[1].rm_eo)));
            CHECK(prefix->has_driver == (m[2].rm_so != -1));
            CHECK(prefix->length == static_cast<std::size_t>(m[0].rm_eo));
        }
    }
    regfree(&pattern);
}
