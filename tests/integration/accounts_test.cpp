// The account commands end to end: the real binary against a fresh database per test.

#include "tests/support/eventually.hpp"
#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>
#include <sstream>
#include <set>
#include <thread>

using namespace usersctl::test;

TEST_CASE("add-user inserts one row as the web app's registration does, printing nothing", "[add-user]")
{
    UsersDb db;
    const auto r = db.usersctl({"add-user", "  Alice@Example.COM ", "--first-name", "Alice", "--last-name", "O'Neil",
                                "--password-stdin"},
                               k_good_password + "\n");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());
    const auto rows = db.query("SELECT email, first_name, last_name, last_login_at, login_count FROM users");
    REQUIRE(rows.size() == 1);
    CHECK(*rows[0][0] == "alice@example.com");
    CHECK(*rows[0][1] == "Alice");
    CHECK(*rows[0][2] == "O'Neil");
    CHECK_FALSE(rows[0][3].has_value());
    CHECK_FALSE(rows[0][4].has_value());
    CHECK(db.hash_of("alice@example.com").rfind("$2b$04$", 0) == 0);
    db.add("bob@example.com");
    CHECK(db.scalar("SELECT first_name || '|' || last_name FROM users WHERE email = 'bob@example.com'") == "|");
}

TEST_CASE("add-user on an existing email: 73, --if-not-exists, --update-existing, --json", "[add-user]")
{
    UsersDb db;
    db.add("alice@example.com", k_good_password, {"--first-name", "Alice"});
    const std::string before = db.hash_of("alice@example.com");

    const auto again = db.usersctl({"add-user", "ALICE@example.com", "--password-stdin"}, "another fine passphrase\n");
    CHECK(again.exit_code == 73);
    CHECK(again.err.find("already exists") != std::string::npos);
    CHECK(db.hash_of("alice@example.com") == before);

    const auto keep = db.usersctl({"add-user", "alice@example.com", "--password-stdin", "--if-not-exists", "--json"},
                                  "another fine passphrase\n");
    CHECK(keep.exit_code == 0);
    CHECK(keep.out == "{\"id\":1,\"email\":\"alice@example.com\",\"created\":false,\"changed\":false}\n");
    CHECK(db.hash_of("alice@example.com") == before);

    const auto update = db.usersctl({"add-user", "alice@example.com", "--password-stdin", "--update-existing",
                                     "--last-name", "Liddell", "--json"},
                                    "another fine passphrase\n");
    CHECK(update.exit_code == 0);
    CHECK(update.out == "{\"id\":1,\"email\":\"alice@example.com\",\"created\":false,\"changed\":true}\n");
    CHECK(db.scalar("SELECT first_name || ' ' || last_name FROM users") == "Alice Liddell");
    CHECK(db.usersctl({"verify", "alice@example.com", "--password-stdin"}, "another fine passphrase\n").exit_code == 0);

    const auto created = db.usersctl({"add-user", "new@example.com", "--password-stdin", "--json"}, k_good_password + "\n");
    CHECK(created.out == "{\"id\":2,\"email\":\"new@example.com\",\"created\":true,\"changed\":true}\n");
    CHECK(db.usersctl({"add-user", "x@example.com", "--if-not-exists", "--update-existing", "--password-stdin"},
                      k_good_password + "\n")
              .exit_code == 64);
}

TEST_CASE("add-user --update-existing writes and reports a change only when something differs", "[add-user]")
{
    UsersDb db;
    db.add("alice@example.com", k_good_password, {"--first-name", "Alice", "--last-name", "Liddell"});
    const std::string xmin = db.scalar("SELECT xmin::text FROM users");
    const auto same = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"add-user", "alice@example.com", "--password-stdin", "--update-existing", "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return db.usersctl(args, k_good_password + "\n");
    };
    // Same password, same or omitted names: nothing written, "changed":false.
    for (const auto& extra : std::vector<std::vector<std::string>>{{}, {"--first-name", "Alice"}, {"--last-name", "Liddell"}}) {
        const auto r = same(extra);
        CHECK(r.exit_code == 0);
        CHECK(r.out == "{\"id\":1,\"email\":\"alice@example.com\",\"created\":false,\"changed\":false}\n");
        CHECK(r.err.find("unchanged") != std::string::npos);
    }
    CHECK(db.scalar("SELECT xmin::text FROM users") == xmin);

    // A name that differs: written, the hash kept (the password did not change).
    const std::string hash = db.hash_of("alice@example.com");
    const auto renamed = same({"--first-name", "Alicia"});
    CHECK(renamed.out.find("\"changed\":true") != std::string::npos);
    CHECK(db.scalar("SELECT first_name FROM users") == "Alicia");
    CHECK(db.hash_of("alice@example.com") == hash);

    // A different password: a new hash that verifies it.
    const auto repassword = db.usersctl({"add-user", "alice@example.com", "--password-stdin", "--update-existing", "--json"},
                                        "another fine passphrase\n");
    CHECK(repassword.out.find("\"changed\":true") != std::string::npos);
    CHECK(db.hash_of("alice@example.com") != hash);
    CHECK(db.usersctl({"verify", "alice@example.com", "--password-stdin"}, "another fine passphrase\n").exit_code == 0);

    // The same password under a stored hash (bcrypt) the verifier cannot read: rewritten so the app can.
    const auto for_werkzeug = db.usersctl({"--verifier", "werkzeug", "add-user", "alice@example.com", "--password-stdin",
                                           "--update-existing", "--json"},
                                          "another fine passphrase\n",
                                          {{"USERSCTL_SCHEME", std::nullopt}, {"USERSCTL_COST", std::nullopt}});
    CHECK(for_werkzeug.exit_code == 0);
    CHECK(for_werkzeug.out.find("\"changed\":true") != std::string::npos);
    CHECK(db.hash_of("alice@example.com").rfind("pbkdf2:sha256:", 0) == 0);
}

TEST_CASE("delete-user --from-file: all or nothing, unknown emails by line (67), --if-exists, --dry-run, --json",
          "[delete-user]")
{
    UsersDb db;
    for (const char* email : {"a@example.com", "b@example.com", "c@example.com", "d@example.com"}) {
        db.add(email);
    }
    const std::string list = "# leavers, December\n  A@Example.com \r\n\nb@example.com\nnobody@example.com\n"
                             "a@example.com\n# done\nghost@example.com";
    const auto refused = db.usersctl({"delete-user", "--from-file", "-", "--yes"}, list);
    CHECK(refused.exit_code == 67);
    CHECK(refused.err.find("line 5: no account for nobody@example.com") != std::string::npos);
    CHECK(refused.err.find("line 8: no account for ghost@example.com") != std::string::npos);
    CHECK(refused.err.find("2 of the emails have no account; nothing was deleted") != std::string::npos);
    CHECK(db.scalar("SELECT count(*) FROM users") == "4");

    const auto dry = db.usersctl({"delete-user", "--from-file", "-", "--if-exists", "--dry-run", "--json"}, list);
    CHECK(dry.exit_code == 0);
    CHECK(dry.out == "{\"deleted\":[{\"id\":1,\"email\":\"a@example.com\"},{\"id\":2,\"email\":\"b@example.com\"}],"
                     "\"not_found_lines\":[5,8],\"dry_run\":true}\n");
    CHECK(db.scalar("SELECT count(*) FROM users") == "4");

    // Without a terminal (and always with a list on stdin) --yes is required.
    CHECK(db.usersctl({"delete-user", "--from-file", "-", "--if-exists"}, list).exit_code == 64);
    const auto done = db.usersctl({"delete-user", "--from-file", "-", "--if-exists", "--yes", "--json"}, list);
    CHECK(done.exit_code == 0);
    CHECK(done.out.rfind("{\"deleted\":[{\"id\":1,", 0) == 0);
    CHECK(db.scalar("SELECT string_agg(email, ' ' ORDER BY id) FROM users") == "c@example.com d@example.com");

    // A line that is not an email fails the run by line number, without showing the line.
    const auto bad = db.usersctl({"delete-user", "--from-file", "-", "--yes"}, "c@example.com\nroot:$6$salt$hash:19000::\n");
    CHECK(bad.exit_code == 65);
    CHECK(bad.err.find("line 2: not an email address") != std::string::npos);
    CHECK(bad.err.find("salt") == std::string::npos);
    CHECK(db.usersctl({"delete-user", "--from-file", "-", "--yes"}, "# nothing\n\n").exit_code == 65);
    // A file given by mistake (emails with their passwords): lines by number, nothing of them shown.
    const auto secrets = db.usersctl({"delete-user", "--from-file", "-", "--yes"},
                                     "bob@example.com:hunter2-secret\nalice@example.com,Tr0ub4dor&3\n");
    CHECK(secrets.exit_code == 67);
    CHECK(secrets.err.find("line 1: no account for this line's email (not shown") != std::string::npos);
    CHECK(secrets.err.find("hunter2") == std::string::npos);
    CHECK(secrets.err.find("Tr0ub4dor") == std::string::npos);
    CHECK(secrets.err.find("tr0ub4dor") == std::string::npos);
    CHECK(db.usersctl({"delete-user", "--from-file", "/nonexistent/list", "--yes"}).exit_code == 66);
    CHECK(db.usersctl({"delete-user", "c@example.com", "--from-file", "-", "--yes"}, "d@example.com\n").exit_code == 64);
    CHECK(db.usersctl({"delete-user", "c@example.com", "--dry-run"}).exit_code == 64);
    CHECK(db.scalar("SELECT count(*) FROM users") == "2");
}

TEST_CASE("delete-user --from-file refuses an email several accounts match, naming its line", "[delete-user]")
{
    UsersDb db;
    db.query("DROP INDEX IF EXISTS users_email_lower_key");
    db.query("INSERT INTO users (email, first_name, last_name, password_hash) VALUES "
             "('Zed@Example.com', '', '', 'x'), ('ZED@example.com', '', '', 'x'), ('y@example.com', '', '', 'x')");
    const auto r = db.usersctl({"delete-user", "--from-file", "-", "--yes"}, "y@example.com\nzed@example.com\n");
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("line 2: ") != std::string::npos);
    CHECK(db.scalar("SELECT count(*) FROM users") == "3");
}

TEST_CASE("add-user refuses bad emails and passwords with 65 and writes nothing", "[add-user]")
{
    UsersDb db;
    for (const std::string& email : std::vector<std::string>{"no-at-sign", "a@@b.c", "@b.c", "a@", "a b@c.d", std::string(260, 'a') + "@b.c"}) {
        CAPTURE(email);
        CHECK(db.usersctl({"add-user", email, "--password-stdin"}, k_good_password + "\n").exit_code == 65);
    }
    const auto weak = db.usersctl({"add-user", "a@b.c", "--password-stdin"}, "qwertyuiop\n");
    CHECK(weak.exit_code == 65);
    CHECK(weak.err.find("too easy to guess") != std::string::npos);
    CHECK(weak.err.find("qwertyuiop") == std::string::npos);
    CHECK(db.usersctl({"add-user", "a@b.c", "--password-stdin"}, "short\n").exit_code == 65);
    CHECK(db.usersctl({"add-user", "a@b.c", "--password-stdin"}, std::string(80, 'x') + "Q9!\n").exit_code == 65);
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "0");
    CHECK(db.usersctl({"add-user", "a@b.c", "--password-stdin", "--allow-weak-password"}, "password\n").exit_code == 0);
}

TEST_CASE("50 concurrent add-user of one email: one success, 49 exit 73, one row, no SQL error text", "[add-user][concurrency]")
{
    UsersDb db;
    std::vector<Process> runs;
    for (int i = 0; i < 50; ++i) {
        runs.push_back(start_usersctl({"-d", db.url(), "add-user", "race@example.com", "--password-stdin", "--cost", "4"},
                                      k_good_password + "\n"));
    }
    int ok = 0, exists = 0, other = 0;
    for (auto& p : runs) {
        const auto r = p.wait();
        if (r.exit_code == 0) { ++ok; }
        else if (r.exit_code == 73) { ++exists; }
        else { ++other; UNSCOPED_INFO("exit " << r.exit_code << ": " << r.err); }
        CHECK(r.err.find("duplicate key") == std::string::npos);
        CHECK(r.err.find("SQLSTATE") == std::string::npos);
        CHECK(r.err.find("ERROR") == std::string::npos);
    }
    CHECK(ok == 1);
    CHECK(exists == 49);
    CHECK(other == 0);
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "1");
}

TEST_CASE("add-user --generate-password prints the password once and it verifies", "[add-user]")
{
    UsersDb db;
    const auto r = db.usersctl({"add-user", "gen@example.com", "--generate-password"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.size() == 21);
    const std::string password = r.out.substr(0, 20);
    CHECK(password.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == std::string::npos);
    CHECK(r.err.find(password) == std::string::npos);
    CHECK(db.usersctl({"verify", "gen@example.com", "--password-stdin"}, password + "\n").exit_code == 0);
    const auto json = db.usersctl({"add-user", "gen2@example.com", "--generate-password=32", "--json"});
    CHECK(json.out.find("\"password\":\"") != std::string::npos);
    CHECK(json.out.size() > 32 + 60);
}

TEST_CASE("verify: 0 on a match, 1 otherwise, nothing on stdout, the same words for unknown and wrong", "[verify]")
{
    UsersDb db;
    db.add("alice@example.com");
    const auto match = db.usersctl({"verify", "Alice@Example.com", "--password-stdin"}, k_good_password + "\n");
    CHECK(match.exit_code == 0);
    CHECK(match.out.empty());
    const auto wrong = db.usersctl({"verify", "alice@example.com", "--password-stdin"}, "wrong horse battery staple\n");
    const auto unknown = db.usersctl({"verify", "alice2@example.com", "--password-stdin"}, k_good_password + "\n");
    CHECK(wrong.exit_code == 1);
    CHECK(unknown.exit_code == 1);
    CHECK(wrong.out.empty());
    CHECK(unknown.out.empty());
    auto strip_email = [](std::string s) { return s.substr(0, s.find(" for ")); };
    CHECK(strip_email(wrong.err) == strip_email(unknown.err));
    db.query("UPDATE users SET password_hash = 'garbage'");
    const auto corrupt = db.usersctl({"verify", "alice@example.com", "--password-stdin"}, "garbage\n");
    CHECK(corrupt.exit_code == 1);
    CHECK(strip_email(corrupt.err) == strip_email(wrong.err));
}

TEST_CASE("verify never exits 0 on corrupt or absurd stored hashes, and never hangs", "[verify]")
{
    UsersDb db;
    db.add("victim@example.com");
    for (const std::string& stored : std::vector<std::string>{"garbage", "", "*0", "!", "$1$abcdefgh$abcdefghijklmnopqrstuv", "$2b$12$ab",
                                     "$2b$31$Pemy6T3zbq4mwpWsWlzr0.NSFNbN0/UKDYrS20gfkoRflxWcs11oW"}) {
        CAPTURE(stored);
        db.query("UPDATE users SET password_hash = $1", {stored});
        for (const std::string& attempt : {std::string("garbage"), std::string("garbagex"), std::string(""),
                                          std::string("x"), k_good_password}) {
            const auto r = db.usersctl({"verify", "victim@example.com", "--password-stdin"}, attempt + "\n");
            CHECK(r.exit_code == (attempt.empty() ? 65 : 1));  // an empty password is no password
            CHECK(r.seconds < 30);  // generous for sanitizer builds on a loaded machine; $2b$31$ would take days
        }
    }
}

TEST_CASE("verify --record-login changes exactly what the app's login changes", "[verify]")
{
    UsersDb db;
    db.add("alice@example.com");
    CHECK(db.usersctl({"verify", "alice@example.com", "--password-stdin", "--record-login"}, "wrong one here\n").exit_code == 1);
    CHECK(db.scalar("SELECT coalesce(login_count, -1)::text FROM users") == "-1");
    CHECK(db.usersctl({"verify", "alice@example.com", "--password-stdin", "--record-login"}, k_good_password + "\n").exit_code == 0);
    CHECK(db.scalar("SELECT login_count::text FROM users") == "1");
    CHECK(db.scalar("SELECT (abs(extract(epoch FROM (now() AT TIME ZONE 'utc') - last_login_at)) < 60)::text FROM users") == "true");
    CHECK(db.usersctl({"verify", "alice@example.com", "--password-stdin", "--record-login"}, k_good_password + "\n").exit_code == 0);
    CHECK(db.scalar("SELECT login_count::text FROM users") == "2");
}

TEST_CASE("100 concurrent verify --record-login raise login_count by exactly 100", "[verify][concurrency]")
{
    UsersDb db;
    db.add("busy@example.com");
    db.query("UPDATE users SET login_count = 7");
    std::vector<Process> runs;
    for (int i = 0; i < 100; ++i) {
        runs.push_back(start_usersctl({"-d", db.url(), "verify", "busy@example.com", "--password-stdin", "--record-login"},
                                      k_good_password + "\n"));
    }
    int failures = 0;
    for (auto& p : runs) {
        const auto r = p.wait();
        if (r.exit_code != 0) {
            ++failures;
            UNSCOPED_INFO(r.err);
        }
    }
    CHECK(failures == 0);
    CHECK(db.scalar("SELECT login_count::text FROM users") == "107");
}

TEST_CASE("verify --rehash upgrades a matching hash to the configured scheme and cost", "[verify]")
{
    UsersDb db;
    db.add("old@example.com");
    REQUIRE(db.hash_of("old@example.com").rfind("$2b$04$", 0) == 0);
    CHECK(db.usersctl({"verify", "old@example.com", "--password-stdin", "--rehash", "--cost", "5"}, "wrong pass\n").exit_code == 1);
    CHECK(db.hash_of("old@example.com").rfind("$2b$04$", 0) == 0);
    CHECK(db.usersctl({"verify", "old@example.com", "--password-stdin", "--rehash", "--cost", "5"}, k_good_password + "\n").exit_code == 0);
    CHECK(db.hash_of("old@example.com").rfind("$2b$05$", 0) == 0);
    const auto r = db.usersctl({"verify", "old@example.com", "--password-stdin", "--rehash", "--scheme", "werkzeug-pbkdf2", "--cost", "1000"},
                               k_good_password + "\n");
    CHECK(r.exit_code == 0);
    CHECK(db.hash_of("old@example.com").rfind("pbkdf2:sha256:1000$", 0) == 0);
    CHECK(db.usersctl({"verify", "old@example.com", "--password-stdin"}, k_good_password + "\n").exit_code == 0);
}

TEST_CASE("set-password replaces the hash - a missing account is 67, never a silent success", "[set-password]")
{
    UsersDb db;
    db.add("alice@example.com");
    CHECK(db.usersctl({"set-password", "nobody@example.com", "--password-stdin"}, "a brand new passphrase\n").exit_code == 67);
    const auto r = db.usersctl({"set-password", "ALICE@example.com", "--password-stdin", "--scheme", "werkzeug-pbkdf2", "--cost", "1000"},
                               "a brand new passphrase\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(db.hash_of("alice@example.com").rfind("pbkdf2:sha256:1000$", 0) == 0);
    CHECK(db.usersctl({"verify", "alice@example.com", "--password-stdin"}, "a brand new passphrase\n").exit_code == 0);
    CHECK(db.usersctl({"verify", "alice@example.com", "--password-stdin"}, k_good_password + "\n").exit_code == 1);
    CHECK(db.usersctl({"set-password", "alice@example.com", "--password-stdin"}, "12345678\n").exit_code == 65);
}

TEST_CASE("update-user: 67 if missing, 73 if the new email is taken, --json says what changed", "[update-user]")
{
    UsersDb db;
    db.add("alice@example.com");
    db.add("bob@example.com");
    CHECK(db.usersctl({"update-user", "nobody@example.com", "--first-name", "X"}).exit_code == 67);
    CHECK(db.usersctl({"update-user", "alice@example.com", "--new-email", "BOB@example.com"}).exit_code == 73);
    CHECK(db.usersctl({"update-user", "alice@example.com"}).exit_code == 64);
    CHECK(db.usersctl({"update-user", "alice@example.com", "--new-email", "not-an-email"}).exit_code == 65);
    const auto r = db.usersctl({"update-user", "alice@example.com", "--new-email", "Alice.L@Example.com", "--first-name", "Alice", "--json"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"id\":1,\"email\":\"alice.l@example.com\",\"created\":false,\"changed\":true}\n");
    const auto same = db.usersctl({"update-user", "alice.l@example.com", "--first-name", "Alice", "--json"});
    CHECK(same.out == "{\"id\":1,\"email\":\"alice.l@example.com\",\"created\":false,\"changed\":false}\n");
    CHECK(db.scalar("SELECT string_agg(email || ':' || first_name, ',' ORDER BY id) FROM users") ==
          "alice.l@example.com:Alice,bob@example.com:");
}

TEST_CASE("delete-user needs --yes without a terminal - 67 if missing, 0 with --if-exists", "[delete-user]")
{
    UsersDb db;
    db.add("alice@example.com");
    CHECK(db.usersctl({"delete-user", "alice@example.com"}).exit_code == 64);
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "1");
    CHECK(db.usersctl({"delete-user", "nobody@example.com", "--yes"}).exit_code == 67);
    const auto gone = db.usersctl({"delete-user", "nobody@example.com", "--yes", "--if-exists", "--json"});
    CHECK(gone.exit_code == 0);
    CHECK(gone.out == "{\"id\":null,\"email\":\"nobody@example.com\",\"created\":false,\"changed\":false}\n");
    const auto r = db.usersctl({"delete-user", "Alice@example.com", "--yes", "--json"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"id\":1,\"email\":\"alice@example.com\",\"created\":false,\"changed\":true}\n");
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "0");
}

TEST_CASE("list prints every format, ordered by id, filtered and limited", "[list]")
{
    UsersDb db;
    db.add("carol@example.com", k_good_password, {"--first-name", "Carol"});
    db.add("alice@example.com", k_good_password, {"--first-name", "Al, \"the\" ice"});
    db.query("INSERT INTO users (email, first_name, last_name, password_hash, last_login_at, login_count) VALUES "
             "('legacy@example.com', 'L', 'Egacy', 'pbkdf2:sha256:260000$abcdefgh$' || repeat('0', 64), "
             "'2024-02-29 13:14:15.5', 3)");
    const auto table = db.usersctl({"list"});
    CHECK(table.exit_code == 0);
    CHECK(table.out.rfind("id  email ", 0) == 0);
    CHECK(table.out.find("bcrypt:4") != std::string::npos);
    CHECK(table.out.find("werkzeug-pbkdf2:260000") != std::string::npos);
    CHECK(table.out.find("$2b$") == std::string::npos);
    CHECK(table.out.find("carol") < table.out.find("alice"));

    const auto csv = db.usersctl({"list", "--format", "csv"});
    CHECK(csv.out.rfind("id,email,first_name,last_name,last_login_at,login_count,scheme\r\n", 0) == 0);
    CHECK(csv.out.find("2,alice@example.com,\"Al, \"\"the\"\" ice\",,,,bcrypt:4\r\n") != std::string::npos);
    CHECK(csv.out.find("3,legacy@example.com,L,Egacy,2024-02-29T13:14:15.500000Z,3,werkzeug-pbkdf2:260000\r\n") != std::string::npos);

    const auto jsonl = db.usersctl({"list", "--format", "jsonl", "--email", "*LEG*"});
    CHECK(jsonl.out == "{\"id\":3,\"email\":\"legacy@example.com\",\"first_name\":\"L\",\"last_name\":\"Egacy\","
                       "\"last_login_at\":\"2024-02-29T13:14:15.500000Z\",\"login_count\":3,\"scheme\":\"werkzeug-pbkdf2:260000\"}\n");
    const auto json = db.usersctl({"list", "--format", "json", "--limit", "1", "--with-hash"});
    CHECK(json.out.rfind("[\n{\"id\":1,", 0) == 0);
    CHECK(json.out.find("\"password_hash\":\"$2b$04$") != std::string::npos);
    CHECK(json.out.find("\"id\":2") == std::string::npos);
    CHECK(db.usersctl({"list", "--format", "json", "--email", "nobody*"}).out == "[]\n");
    CHECK(db.usersctl({"list", "--format", "csv", "--email", "nobody*"}).out == "id,email,first_name,last_name,last_login_at,login_count,scheme\r\n");
    CHECK(db.usersctl({"list", "--email", "_lice@example.com"}).out.find("alice") == std::string::npos);
    CHECK(db.usersctl({"list", "--email", "?lice@example.com"}).out.find("alice") != std::string::npos);
    const auto tsv = db.usersctl({"list", "--format", "tsv"});
    CHECK(tsv.out.find("2\talice@example.com\tAl, \"the\" ice\t\t\t\tbcrypt:4\n") != std::string::npos);
}

TEST_CASE("list escapes control characters so a name cannot forge lines or colour the terminal", "[list]")
{
    UsersDb db;
    db.add("evil@example.com", k_good_password, {"--first-name", "\x1b[31mred\nid 99 admin@x.com", "--last-name", "\r\x07"});
    const auto table = db.usersctl({"list"});
    CHECK(table.out.find('\x1b') == std::string::npos);
    CHECK(table.out.find('\x07') == std::string::npos);
    CHECK(std::count(table.out.begin(), table.out.end(), '\n') == 2);
    CHECK(table.out.find("\\x1b[31mred\\nid 99 admin@x.com") != std::string::npos);
    const auto tsv = db.usersctl({"list", "--format", "tsv"});
    CHECK(std::count(tsv.out.begin(), tsv.out.end(), '\n') == 2);
    CHECK(tsv.out.find('\x1b') == std::string::npos);
    const auto jsonl = db.usersctl({"list", "--format", "jsonl"});
    CHECK(jsonl.out.find("\\u001b[31mred\\nid 99") != std::string::npos);
    CHECK(std::count(jsonl.out.begin(), jsonl.out.end(), '\n') == 1);
}

TEST_CASE("list | head -1 ends quietly - a full disk is 74", "[list]")
{
    UsersDb db;
    db.query("INSERT INTO users (email, first_name, last_name, password_hash) "
             "SELECT 'user' || g || '@example.com', repeat('n', 100), '', 'x' FROM generate_series(1, 20000) g");
    const std::string cmd = "set -o pipefail; '" + usersctl_binary() + "' -d '" + db.url() + "' list --format csv | head -1";
    const auto head = run_program({"bash", "-c", cmd});
    CHECK(head.exit_code == 0);
    CHECK(head.out == "id,email,first_name,last_name,last_login_at,login_count,scheme\r\n");
    CHECK(head.err.empty());
    const auto full = run_program({"bash", "-c", "'" + usersctl_binary() + "' -d '" + db.url() + "' list > /dev/full"});
    CHECK(full.exit_code == 74);
    CHECK(full.err.find("No space left on device") != std::string::npos);
}

TEST_CASE("a table held under ACCESS EXCLUSIVE gives 75 within the lock timeout, not a hang", "[lock]")
{
    UsersDb db;
    db.add("alice@example.com");
    auto holder = Process({"psql", "-qAtX", db.url(), "-c",
                           "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8); COMMIT;"},
                          "", {});
    REQUIRE(eventually([&] {
        return db.scalar("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'users'::regclass "
                         "AND mode = 'AccessExclusiveLock' AND granted)::text") == "true";
    }));
    for (const std::vector<std::string>& args : {std::vector<std::string>{"list"},
                                                std::vector<std::string>{"verify", "alice@example.com", "--password-stdin"},
                                                std::vector<std::string>{"add-user", "bob@example.com", "--password-stdin"}}) {
        std::vector<std::string> full{"--lock-timeout", "1"};
        full.insert(full.end(), args.begin(), args.end());
        const auto r = db.usersctl(full, k_good_password + "\n");
        CHECK(r.exit_code == 75);
        CHECK(r.seconds < 4);
        CHECK(r.err.find("timed out waiting for a lock") != std::string::npos);
    }
}

TEST_CASE("commands on a missing table say to run init-db (78)", "[config]")
{
    TestDatabase db;
    const auto r = run_usersctl({"-d", db.url(), "list"});
    CHECK(r.exit_code == 78);
    CHECK(r.err.find("init-db") != std::string::npos);
    CHECK(run_usersctl({"-d", db.url(), "add-user", "a@b.c", "--password-stdin", "--cost", "4"}, k_good_password + "\n").exit_code == 78);
}

TEST_CASE("every command has --help, and --version prints the version", "[cli]")
{
    // The commands as usersctl --help lists them, so a new command cannot be missed here.
    const auto help = run_usersctl({"--help"});
    REQUIRE(help.exit_code == 0);
    const auto section = help.out.find("Subcommands:");
    REQUIRE(section != std::string::npos);
    std::vector<std::string> commands;
    std::istringstream lines(help.out.substr(section));
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line) && !line.empty() && line[0] == ' ') {
        commands.push_back(line.substr(line.find_first_not_of(' '), line.find(' ', line.find_first_not_of(' ')) -
                                                                       line.find_first_not_of(' ')));
    }
    CHECK(commands.size() >= 11);
    for (const auto& command : commands) {
        CAPTURE(command);
        const auto r = run_usersctl({command, "--help"});
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("Usage:") != std::string::npos);
    }
    const auto v = run_usersctl({"--version"});
    CHECK(v.exit_code == 0);
    CHECK(v.out.rfind("usersctl ", 0) == 0);
    CHECK(run_usersctl({"no-such-command"}).exit_code == 64);
    CHECK(run_usersctl({}).exit_code == 64);
    CHECK(run_usersctl({"list", "--format", "xml"}).exit_code == 64);
}

TEST_CASE("a role without privileges gets 77, an unknown role 77, a read-only server 69", "[permission]")
{
    UsersDb db;
    db.add("alice@example.com");
    const std::string role = "usersctl_ro_" + db.name().substr(db.name().size() - 8);
    db.query("CREATE ROLE \"" + role + "\" LOGIN");
    const auto denied = run_usersctl({"-d", TestServer::url(db.name(), role), "list"});
    CHECK(denied.exit_code == 77);
    CHECK(denied.err.find("permission denied") != std::string::npos);
    const auto unknown_role = run_usersctl({"-d", TestServer::url(db.name(), "nobody_here"), "list"});
    CHECK(unknown_role.exit_code == 77);
    CHECK(unknown_role.err.find("role \"nobody_here\" does not exist") != std::string::npos);
    db.query("DROP ROLE \"" + role + "\"");
    db.query("ALTER DATABASE \"" + db.name() + "\" SET default_transaction_read_only = on");
    const auto ro = db.usersctl({"add-user", "bob@example.com", "--password-stdin"}, k_good_password + "\n");
    CHECK(ro.exit_code == 69);
    CHECK(ro.err.find("read-only") != std::string::npos);
}
