// Database URL secrets end to end: with -vv, in both log formats, connecting and failing to
// connect, no spelling of a password or sslpassword ever reaches stdout or stderr.

#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

using namespace usersctl::test;

TEST_CASE("URL passwords never appear on stdout or stderr, at -vv, in text and JSON logs", "[secrets]")
{
    TestDatabase db;
    REQUIRE(run_usersctl({"-d", db.url(), "init-db", "-q"}).exit_code == 0);
    const std::string socket = TestServer::socket_dir();
    const std::string port = TestServer::port();
    std::string encoded_socket;
    for (const char c : socket) {
        encoded_socket += c == '/' ? std::string("%2F") : std::string(1, c);
    }
    const std::string query = "host=" + encoded_socket + "&port=" + port;
    // Each URL reaches the server (trust authentication ignores the passwords) or fails to
    // connect (port 1); every one carries the secrets in a different spelling.
    const std::vector<std::string> urls = {
        db.url() + "&sslpassword=Canary1Ssl",
        db.url() + "&pass%77ord=Canary2Enc",
        db.url() + "&%70assword=Canary3Enc",
        "postgresql+psycopg2://postgres:Canary4Alc@/" + db.name() + "?" + query,
        "host=" + socket + " port=" + port + " dbname=" + db.name() + " user=postgres password=Canary5\\ Tail5",
        "host=" + socket + " port=" + port + " dbname=" + db.name() + " user=postgres password='Canary6 Tail6'",
        "host=" + socket + " port=" + port + " dbname=" + db.name() + " user=postgres sslpassword=Canary7",
        "postgresql://u:Canary8@127.0.0.1:1/db?sslpassword=Canary9&pass%77ord=Canary10",
        "host=127.0.0.1 port=1 password=Canary11\\ Tail11",
        "host=127.0.0.1 port=1 password=Canary12 Tail12 dbname=x",  // not parseable: hidden whole
        "postgresql://u:Canary13@[::1/db",
    };
    for (const auto& url : urls) {
        for (const char* format : {"text", "json"}) {
            const auto r = run_usersctl({"-vv", "--log-format", format, "--connect-timeout", "2", "-d", url, "list"});
            CAPTURE(url, format, r.exit_code, r.err);
            CHECK(r.exit_code != 70);
            for (const std::string& text : {r.out, r.err}) {
                CHECK(text.find("Canary") == std::string::npos);
                CHECK(text.find("Tail") == std::string::npos);
            }
        }
    }
}
