// list and export: filters on last login, orders, --count, in every format.

#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace usersctl::test;

namespace {

void seed(UsersDb& db)
{
    db.add("a@example.com");
    db.add("b@example.com");
    db.add("c@example.com");
    db.add("d@example.com");
    db.query("UPDATE users SET last_login_at = '2026-11-30 17:30:00', login_count = 3 WHERE email = 'a@example.com'");
    db.query("UPDATE users SET last_login_at = '2026-11-29 10:00:00', login_count = 7 WHERE email = 'b@example.com'");
    db.query("UPDATE users SET last_login_at = '2026-11-30 18:00:00', login_count = 1 WHERE email = 'd@example.com'");
}

std::string emails(UsersDb& db, std::vector<std::string> args)
{
    args.insert(args.begin(), {"-d", db.url(), "list", "--format", "csv"});
    const auto r = run_usersctl(args);
    REQUIRE(r.exit_code == 0);
    std::string out;
    std::size_t line_start = r.out.find('\n') + 1;  // past the header
    while (line_start < r.out.size()) {
        const std::size_t comma = r.out.find(',', line_start);
        const std::size_t comma2 = r.out.find(',', comma + 1);
        out += r.out.substr(comma + 1, comma2 - comma - 1).substr(0, 1);
        line_start = r.out.find('\n', line_start) + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("list filters on last login and sorts, in SQL, combined with --email and --limit", "[list]")
{
    UsersDb db;
    seed(db);
    CHECK(emails(db, {}) == "abcd");
    CHECK(emails(db, {"--never-logged-in"}) == "c");
    // An offset is converted to UTC, as the app stores UTC; no offset means UTC.
    CHECK(emails(db, {"--logged-in-since", "2026-11-30T18:00:00+01:00"}) == "ad");
    CHECK(emails(db, {"--logged-in-since", "2026-11-30T18:00:00"}) == "d");
    CHECK(emails(db, {"--logged-in-before", "2026-11-30"}) == "b");
    CHECK(emails(db, {"--logged-in-since", "2026-11-29", "--logged-in-before", "2026-11-30T18:00Z"}) == "ab");
    CHECK(emails(db, {"--sort", "last_login_at"}) == "badc");
    CHECK(emails(db, {"--sort", "last_login_at", "--reverse"}) == "dabc");
    CHECK(emails(db, {"--sort", "login_count", "--reverse", "--limit", "2"}) == "ba");
    CHECK(emails(db, {"--sort", "email", "--reverse", "--email", "*@example.com"}) == "dcba");
    CHECK(emails(db, {"--reverse"}) == "dcba");
}

TEST_CASE("list --count and export take the same filters, and bad times are 64", "[list]")
{
    UsersDb db;
    seed(db);
    CHECK(run_usersctl({"-d", db.url(), "list", "--count"}).out == "4\n");
    CHECK(run_usersctl({"-d", db.url(), "list", "--count", "--never-logged-in"}).out == "1\n");
    CHECK(run_usersctl({"-d", db.url(), "list", "--count", "--limit", "2"}).out == "2\n");
    CHECK(run_usersctl({"-d", db.url(), "export", "--count", "--logged-in-since", "2026-11-30"}).out == "2\n");
    const auto exported = run_usersctl({"-d", db.url(), "export", "--format", "jsonl", "--sort", "login_count"});
    REQUIRE(exported.exit_code == 0);
    CHECK(exported.out.find("\"d@example.com\"") < exported.out.find("\"a@example.com\""));
    CHECK(exported.out.find("\"a@example.com\"") < exported.out.find("\"b@example.com\""));
    for (const char* bad : {"2026-02-30", "yesterday", "2026-11-30T25:00"}) {
        const auto r = run_usersctl({"-d", db.url(), "list", "--logged-in-since", bad});
        CHECK(r.exit_code == 64);
        CHECK(r.out.empty());
    }
    CHECK(run_usersctl({"-d", db.url(), "list", "--never-logged-in", "--logged-in-before", "2026-01-01"}).exit_code == 64);
    CHECK(run_usersctl({"-d", db.url(), "list", "--sort", "password_hash"}).exit_code == 64);
    // An empty glob (an empty variable in a script) is refused, not read as "every account".
    for (const char* command : {"list", "export"}) {
        const auto empty = run_usersctl({"-d", db.url(), command, "--email", ""});
        CHECK(empty.exit_code == 64);
        CHECK(empty.out.empty());
    }
}

TEST_CASE("last_login_at is written as the server's to_char writes it, with the era, for every kind of value", "[list]")
{
    // The client formats the server's DateStyle ISO text itself (see core/timestamp); the
    // server's own to_char() is the oracle, over values at the edges of the type, with " BC"
    // after a year before 1 (as to_json writes it) and the infinite values as the server names them.
    UsersDb db;
    const std::vector<std::string> values = {"2026-11-30 17:30:00",        "2026-11-30 17:30:00.5",
                                             "2026-11-30 17:30:00.000001", "2026-11-30 17:30:00.123456",
                                             "0001-01-01 00:00:00",        "12345-06-07 08:09:10.11",
                                             "0044-03-15 12:00:00 BC",     "infinity",
                                             "-infinity"};
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::string email = "u" + std::to_string(i) + "@example.com";
        db.add(email);
        db.query("UPDATE users SET last_login_at = $1 WHERE email = $2", {values[i], email});
    }
    // A session DateStyle of the server's own that is not ISO must not matter.
    db.query("ALTER DATABASE " + db.name() + " SET datestyle = 'SQL, DMY'");
    const auto expected = db.query("SELECT CASE WHEN isfinite(last_login_at) "
                                   "THEN to_char(last_login_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || "
                                   "CASE WHEN extract(year FROM last_login_at) < 0 THEN ' BC' ELSE '' END "
                                   "ELSE last_login_at::text END FROM users ORDER BY id");
    const auto exported = run_usersctl({"-d", db.url(), "export", "--format", "csv"});
    REQUIRE(exported.exit_code == 0);
    const auto listed = run_usersctl({"-d", db.url(), "list", "--format", "tsv"});
    REQUIRE(listed.exit_code == 0);
    std::istringstream export_lines(exported.out), list_lines(listed.out);
    std::string export_line, list_line;
    std::getline(export_lines, export_line);
    std::getline(list_lines, list_line);
    for (const auto& row : expected) {
        REQUIRE(std::getline(export_lines, export_line));
        REQUIRE(std::getline(list_lines, list_line));
        const std::string want = row.at(0).value();
        INFO(export_line);
        // export: id,email,first,last,hash,last_login_at,login_count\r ; list (TSV): the 5th column
        CHECK(export_line.find("," + want + ",") != std::string::npos);
        std::vector<std::string> cells;
        std::istringstream split(list_line);
        for (std::string cell; std::getline(split, cell, '\t');) {
            cells.push_back(cell);
        }
        REQUIRE(cells.size() >= 5);
        // list (not raw) starts a cell that begins with '-' with a quote, for spreadsheets
        CHECK(cells[4] == (want[0] == '-' ? "'" + want : want));
    }
    // doctor's oldest login is the earliest one (-infinity, which the app reads as datetime.min);
    // every account has logged in.
    const auto doctor = run_usersctl({"-d", db.url(), "doctor", "--format", "json"});
    CHECK(doctor.out.find("\"oldest_last_login\":\"-infinity\"") != std::string::npos);
    CHECK(doctor.out.find("\"never_logged_in\":0") != std::string::npos);
    db.query("UPDATE users SET last_login_at = NULL WHERE last_login_at = '-infinity'");
    const auto finite = run_usersctl({"-d", db.url(), "doctor", "--format", "json"});
    CHECK(finite.out.find("\"oldest_last_login\":\"0044-03-15T12:00:00Z BC\"") != std::string::npos);
    CHECK(finite.out.find("\"never_logged_in\":1") != std::string::npos);
}
