// apply end to end: the real binary, a fresh database per test, real YAML and JSON files.

#include "tests/support/eventually.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace usersctl::test;

namespace {

// Declaration files are YAML unless named otherwise.
struct YamlFile : TempFile {
    explicit YamlFile(const std::string& content, const std::string& suffix = ".yaml") : TempFile(content, suffix) {}
};

const std::string k_admin_password = "Canary-admin-5f1c-orbit-lantern";
const std::string k_bot_password = "Canary-bot-77d2-harbour-violet";

// A bcrypt hash (cost 4) of `password`, made by usersctl itself.
std::string hash_of_password(const std::string& password)
{
    auto r = run_usersctl({"hash", "--password-stdin", "--cost", "4"}, password + "\n");
    if (r.exit_code != 0) {
        throw std::runtime_error("hash failed: " + r.err);
    }
    r.out.pop_back();
    return r.out;
}

bool has(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string count(const UsersDb& db)
{
    return db.scalar("SELECT count(*)::text FROM users");
}

// Every row's id, xmin and values: equal before and after means nothing was written.
std::string snapshot(const UsersDb& db)
{
    std::string out;
    for (const auto& row : db.query("SELECT id::text, xmin::text, email, first_name, last_name, password_hash, "
                                    "coalesce(login_count::text, '-') FROM users ORDER BY id")) {
        for (const auto& v : row) {
            out += v.value_or("NULL") + "|";
        }
        out += "\n";
    }
    return out;
}

EnvChanges secrets_env()
{
    return {{"ADMIN_PASSWORD", k_admin_password}};
}

bool verifies(const UsersDb& db, const std::string& email, const std::string& password)
{
    return db.usersctl({"verify", email, "--password-stdin"}, password + "\n").exit_code == 0;
}

}  // namespace

TEST_CASE("apply creates the declared accounts from YAML, and a second run writes no row", "[apply]")
{
    UsersDb db;
    const YamlFile secret(k_bot_password + "\n", ".txt");
    const std::string imported = hash_of_password(k_good_password);
    const YamlFile file("accounts:\n"
                        "  - email: Admin@Example.com\n"
                        "    first_name: Ada\n"
                        "    last_name: Lovelace\n"
                        "    password_env: ADMIN_PASSWORD\n"
                        "    update_password: if_changed\n"
                        "  - email: ci-bot@example.com\n"
                        "    first_name: CI\n"
                        "    last_name: Bot\n"
                        "    password_file: " + secret.path() + "\n"
                        "  - email: imported@example.com\n"
                        "    password_hash: \"" + imported + "\"\n");
    const auto r = db.usersctl({"apply", file.path()}, "", secrets_env());
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "+ create admin@example.com\n+ create ci-bot@example.com\n+ create imported@example.com\n"
                   "3 created, 0 updated, 0 deleted, 0 unchanged\n");
    const auto rows = db.query("SELECT email, first_name, last_name FROM users ORDER BY id");
    REQUIRE(rows.size() == 3);
    CHECK(*rows[0][0] == "admin@example.com");
    CHECK(*rows[0][1] == "Ada");
    CHECK(*rows[1][2] == "Bot");
    CHECK(*rows[2][1] == "");
    CHECK(db.hash_of("imported@example.com") == imported);
    CHECK(verifies(db, "admin@example.com", k_admin_password));
    CHECK(verifies(db, "ci-bot@example.com", k_bot_password));
    CHECK(verifies(db, "imported@example.com", k_good_password));

    const std::string before = snapshot(db);
    const auto again = db.usersctl({"apply", file.path()}, "", secrets_env());
    REQUIRE(again.exit_code == 0);
    CHECK(again.out == "0 to create, 0 to update, 0 to delete, 3 unchanged\n");
    CHECK(snapshot(db) == before);  // xmin of every row unchanged: not even rewritten
}

TEST_CASE("apply reads JSON by extension, and stdin by --format or by its first byte", "[apply]")
{
    UsersDb db;
    const std::string hash = hash_of_password(k_good_password);
    const std::string json = "{\"accounts\": [{\"email\": \"j@example.com\", \"first_name\": \"Jay\", "
                             "\"password_hash\": \"" + hash + "\"}]}";
    const YamlFile file(json, ".json");
    const auto r = db.usersctl({"apply", file.path(), "--json"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "{\"create\":[\"j@example.com\"],\"update\":[],\"delete\":[],\"unchanged\":0,\"written\":true}\n");
    const std::string renamed = "{\"accounts\": [{\"email\": \"j@example.com\", \"first_name\": \"Jo\", "
                                "\"password_hash\": \"" + hash + "\"}]}";
    const auto sniffed = db.usersctl({"apply", "-", "--json"}, "\n  " + renamed);
    REQUIRE(sniffed.exit_code == 0);
    CHECK(sniffed.out ==
          "{\"create\":[],\"update\":[{\"email\":\"j@example.com\",\"fields\":[\"first_name\"]}],\"delete\":[],"
          "\"unchanged\":0,\"written\":true}\n");
    const std::string yaml = "accounts:\n  - {email: j@example.com, first_name: Jo, password_hash: '" + hash + "'}\n";
    const auto forced = db.usersctl({"apply", "-", "--format", "yaml"}, yaml);
    REQUIRE(forced.exit_code == 0);
    CHECK(forced.out == "0 to create, 0 to update, 0 to delete, 1 unchanged\n");
    // YAML given to the JSON reader: a syntax error, 65, nothing written.
    const auto wrong = db.usersctl({"apply", "-", "--format", "json"}, yaml);
    CHECK(wrong.exit_code == 65);
    CHECK(has(wrong.err, "JSON syntax error at byte"));
}

TEST_CASE("apply sets the names given and leaves omitted names and login fields alone", "[apply]")
{
    UsersDb db;
    db.add("n@example.com", k_good_password, {"--first-name", "Old", "--last-name", "Keep"});
    db.query("UPDATE users SET login_count = 7, last_login_at = '2024-01-01 00:00:00'");
    const std::string stored = db.hash_of("n@example.com");
    const YamlFile file("accounts:\n  - email: N@example.com\n    first_name: New\n    password_hash: '" +
                        hash_of_password("another fine passphrase") + "'\n");
    const auto r = db.usersctl({"apply", file.path()});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "~ update n@example.com (first_name)\n0 created, 1 updated, 0 deleted, 0 unchanged\n");
    const auto row = db.query("SELECT first_name, last_name, password_hash, login_count::text, last_login_at::text "
                              "FROM users")[0];
    CHECK(*row[0] == "New");
    CHECK(*row[1] == "Keep");
    CHECK(*row[2] == stored);  // on_create (the default): the password is left alone
    CHECK(*row[3] == "7");
    CHECK(*row[4] == "2024-01-01 00:00:00");
}

TEST_CASE("apply update_password: on_create, if_changed and always, from a hash and from the environment", "[apply]")
{
    UsersDb db;
    db.add("onc@example.com");
    db.add("ifc@example.com");
    db.add("alw@example.com");
    db.add("hash@example.com");
    const std::string old_onc = db.hash_of("onc@example.com");
    const std::string new_hash = hash_of_password("yet another fine passphrase");
    auto file_for = [&](const std::string& ifc_env) {
        return "accounts:\n"
               "  - {email: onc@example.com, password_env: ADMIN_PASSWORD, update_password: on_create}\n"
               "  - {email: ifc@example.com, password_env: " + ifc_env + ", update_password: if_changed}\n"
               "  - {email: alw@example.com, password_hash: '" + new_hash + "', update_password: always}\n"
               "  - {email: hash@example.com, password_hash: '" + new_hash + "', update_password: if_changed}\n";
    };
    // if_changed with the password the account already has: no change.
    const YamlFile same(file_for("SAME_PASSWORD"));
    EnvChanges env = secrets_env();
    env["SAME_PASSWORD"] = k_good_password;
    const auto first = db.usersctl({"apply", same.path()}, "", env);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out == "~ update alw@example.com (password)\n~ update hash@example.com (password)\n"
                       "0 created, 2 updated, 0 deleted, 2 unchanged\n");
    CHECK(db.hash_of("onc@example.com") == old_onc);
    CHECK(verifies(db, "ifc@example.com", k_good_password));
    CHECK(db.hash_of("alw@example.com") == new_hash);
    CHECK(db.hash_of("hash@example.com") == new_hash);
    // Again: always is a change every run; if_changed with a hash compares the stored string.
    const std::string ifc_before = db.hash_of("ifc@example.com");
    const auto second = db.usersctl({"apply", same.path()}, "", env);
    REQUIRE(second.exit_code == 0);
    CHECK(second.out == "~ update alw@example.com (password)\n0 created, 1 updated, 0 deleted, 3 unchanged\n");
    CHECK(db.hash_of("ifc@example.com") == ifc_before);
    // if_changed with a new password: the stored hash does not verify it, so it is replaced.
    const YamlFile changed(file_for("ADMIN_PASSWORD"));
    const auto third = db.usersctl({"apply", changed.path()}, "", secrets_env());
    REQUIRE(third.exit_code == 0);
    CHECK(has(third.out, "~ update ifc@example.com (password)\n"));
    CHECK(verifies(db, "ifc@example.com", k_admin_password));
    CHECK_FALSE(verifies(db, "onc@example.com", k_admin_password));
    CHECK_FALSE(has(third.out + third.err, k_admin_password));
    CHECK_FALSE(has(third.out + third.err, "$2b$"));
}

TEST_CASE("apply --check exits 2 when changes are pending and 0 when none, writing nothing", "[apply]")
{
    UsersDb db;
    db.add("kept@example.com");
    const YamlFile file("accounts:\n  - email: new@example.com\n    password_hash: '" +
                        hash_of_password(k_good_password) + "'\n");
    const std::string before = snapshot(db);
    const auto pending = db.usersctl({"apply", file.path(), "--check", "--prune", "*@example.com"});
    CHECK(pending.exit_code == 2);
    CHECK(pending.out == "+ create new@example.com\n- delete kept@example.com\n"
                         "1 to create, 0 to update, 1 to delete, 0 unchanged\n");
    CHECK(snapshot(db) == before);
    REQUIRE(db.usersctl({"apply", file.path(), "--prune", "*@example.com"}).exit_code == 0);
    const auto clean = db.usersctl({"apply", file.path(), "--check", "--prune", "*@example.com", "--json"});
    CHECK(clean.exit_code == 0);
    CHECK(clean.out == "{\"create\":[],\"update\":[],\"delete\":[],\"unchanged\":1,\"written\":false}\n");
}

TEST_CASE("apply --prune deletes only undeclared accounts matching the glob", "[apply]")
{
    UsersDb db;
    db.add("a@ci.example.com");
    db.add("b@ci.example.com");
    // As the web app may have stored it before it lower-cased emails (add-user would lower-case it).
    db.query("INSERT INTO users (email, first_name, last_name, password_hash) VALUES ('Keep@CI.example.com', '', '', 'x')");
    db.add("human@example.com");
    const YamlFile file("accounts:\n  - email: keep@ci.example.com\n    password_hash: '" +
                        hash_of_password(k_good_password) + "'\n");
    const auto none = db.usersctl({"apply", file.path(), "--prune", "*@nowhere.example.org"});
    REQUIRE(none.exit_code == 0);
    CHECK(none.out == "0 to create, 0 to update, 0 to delete, 1 unchanged\n");
    CHECK(count(db) == "4");
    const auto r = db.usersctl({"apply", file.path(), "--prune", "*@CI.example.com"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "- delete a@ci.example.com\n- delete b@ci.example.com\n"
                   "0 created, 0 updated, 2 deleted, 1 unchanged\n");
    const auto rows = db.query("SELECT email FROM users ORDER BY id");
    REQUIRE(rows.size() == 2);
    CHECK(*rows[0][0] == "Keep@CI.example.com");  // declared (matched case-insensitively), kept
    CHECK(*rows[1][0] == "human@example.com");    // outside the glob, never touched
}

TEST_CASE("apply --max-delete refuses the whole apply with the count, writing nothing", "[apply]")
{
    UsersDb db;
    for (int i = 0; i < 12; ++i) {
        db.query("INSERT INTO users (email, first_name, last_name, password_hash) VALUES ($1, '', '', 'x')",
                 {"old" + std::to_string(i) + "@example.com"});
    }
    const YamlFile file("accounts:\n  - email: new@example.com\n    password_hash: '" +
                        hash_of_password(k_good_password) + "'\n");
    const std::string before = snapshot(db);
    const auto r = db.usersctl({"apply", file.path(), "--prune", "old*"});
    CHECK(r.exit_code == 65);
    CHECK(has(r.err, "12 accounts would be deleted, more than --max-delete 10"));
    CHECK(r.out.empty());
    CHECK(snapshot(db) == before);
    const auto allowed = db.usersctl({"apply", file.path(), "--prune", "old*", "--max-delete", "12"});
    REQUIRE(allowed.exit_code == 0);
    CHECK(count(db) == "1");
}

TEST_CASE("apply is all or nothing: a failure in the middle of the writes rolls every change back", "[apply]")
{
    UsersDb db;
    db.add("upd@example.com", k_good_password, {"--first-name", "Before"});
    db.add("gone@example.com");
    // The insert fails at its second row, after the update and the first insert went in.
    db.query("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
             "IF NEW.email = 'boom@example.com' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$");
    db.query("CREATE TRIGGER boom BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION boom()");
    const std::string hash = hash_of_password(k_good_password);
    const YamlFile file("accounts:\n"
                        "  - {email: upd@example.com, first_name: After, password_hash: '" + hash + "'}\n"
                        "  - {email: fine@example.com, password_hash: '" + hash + "'}\n"
                        "  - {email: boom@example.com, password_hash: '" + hash + "'}\n");
    const std::string before = snapshot(db);
    const auto r = db.usersctl({"apply", file.path(), "--prune", "gone@*"});
    CHECK(r.exit_code != 0);
    CHECK(r.out.empty());
    CHECK(snapshot(db) == before);
}

TEST_CASE("two concurrent applies of one file end as one run would", "[apply]")
{
    UsersDb db;
    db.add("existing@example.com", k_good_password, {"--first-name", "Old"});
    db.add("stale@ci.example.com");
    std::string yaml = "accounts:\n"
                       "  - {email: existing@example.com, first_name: New, password_env: ADMIN_PASSWORD, "
                       "update_password: if_changed}\n";
    for (int i = 0; i < 20; ++i) {
        yaml += "  - {email: u" + std::to_string(i) + "@ci.example.com, password_env: ADMIN_PASSWORD}\n";
    }
    const YamlFile file(yaml);
    const std::vector<std::string> args{"-d", db.url(), "apply", file.path(), "--prune", "*@ci.example.com",
                                        "--cost", "6"};
    for (int round = 0; round < 3; ++round) {
        auto a = start_usersctl(args, "", secrets_env());
        auto b = start_usersctl(args, "", secrets_env());
        const auto ra = a.wait();
        const auto rb = b.wait();
        INFO(ra.err << rb.err);
        CHECK(ra.exit_code == 0);
        CHECK(rb.exit_code == 0);
        if (round == 0) {
            // One created the accounts; the other, serialised behind it, found nothing left to do.
            const std::string& writer = has(ra.out, "20 created") ? ra.out : rb.out;
            const std::string& other = has(ra.out, "20 created") ? rb.out : ra.out;
            CHECK(has(writer, "20 created, 1 updated, 1 deleted, 0 unchanged\n"));
            CHECK(other == "0 to create, 0 to update, 0 to delete, 21 unchanged\n");
        }
    }
    CHECK(count(db) == "21");
    CHECK(db.scalar("SELECT count(DISTINCT email)::text FROM users") == "21");
    CHECK(db.scalar("SELECT first_name FROM users WHERE email = 'existing@example.com'") == "New");
    CHECK(verifies(db, "existing@example.com", k_admin_password));
    CHECK(verifies(db, "u7@ci.example.com", k_admin_password));
}

TEST_CASE("apply lists every problem with its path, exits 65 and writes nothing", "[apply]")
{
    UsersDb db;
    db.add("kept@example.com");
    const std::string hash = hash_of_password(k_good_password);
    const YamlFile file("accounts:\n"
                        "  - {email: ok@example.com, password_hash: '" + hash + "'}\n"
                        "  - {email: not-an-email, password_hash: '" + hash + "'}\n"
                        "  - {email: OK@example.com, password_hash: '" + hash + "'}\n"
                        "  - {email: p@example.com, password: Hunter2-plaintext-Canary}\n"
                        "  - {email: q@example.com, password_hash: 'md5-Canary-hash'}\n"
                        "  - {email: r@example.com, password_env: ADMIN_PASSWORD, pasword: x}\n"
                        "  - {email: s@example.com, password_env: WEAK_PASSWORD}\n"
                        "  - {email: t@example.com, password_env: UNSET_VARIABLE_FOR_APPLY}\n"
                        "  - {email: u@example.com, password_hash: '" + hash + "', password_env: ADMIN_PASSWORD}\n"
                        "  - {email: v@example.com, password_hash: '" + hash + "', update_password: sometimes}\n"
                        "  - {email: w@example.com, first_name: [x], password_hash: '" + hash + "'}\n"
                        "  - {email: x@example.com, password_env: EMPTY_PASSWORD}\n"
                        "extra: 1\n");
    EnvChanges env = secrets_env();
    env["WEAK_PASSWORD"] = "password";
    env["EMPTY_PASSWORD"] = "";
    env["UNSET_VARIABLE_FOR_APPLY"] = std::nullopt;
    const std::string before = snapshot(db);
    const auto r = db.usersctl({"apply", file.path()}, "", env);
    CHECK(r.exit_code == 65);
    CHECK(r.out.empty());
    CHECK(snapshot(db) == before);
    CHECK(has(r.err, "extra: unknown key"));
    CHECK(has(r.err, "accounts[1].email: the email must contain exactly one '@'"));
    CHECK(has(r.err, "accounts[2].email: the same email as accounts[0]"));
    CHECK(has(r.err, "accounts[3].password: a plaintext password is not accepted"));
    CHECK(has(r.err, "accounts[3]: no password source"));
    CHECK(has(r.err, "accounts[4].password_hash: not a format verify accepts"));
    CHECK(has(r.err, "accounts[5].pasword: unknown key"));
    CHECK(has(r.err, "accounts[6].password_env: "));
    CHECK(has(r.err, "accounts[7].password_env: the environment variable UNSET_VARIABLE_FOR_APPLY is not set"));
    CHECK(has(r.err, "accounts[8]: more than one password source"));
    CHECK(has(r.err, "accounts[9].update_password: must be on_create, if_changed or always"));
    CHECK(has(r.err, "accounts[10].first_name: must be a string"));
    CHECK(has(r.err, "accounts[11].password_env: no password given"));
    CHECK(has(r.err, "13 problems in the declaration; nothing was applied"));
    for (const std::string& secret : {std::string("Canary"), k_admin_password, hash, std::string("not-an-email")}) {
        CHECK_FALSE(has(r.err + r.out, secret));
    }
}

TEST_CASE("apply: a repeated YAML key is refused, a password file that cannot be read is 66", "[apply]")
{
    UsersDb db;
    const std::string hash = hash_of_password(k_good_password);
    const YamlFile repeated("accounts:\n  - email: a@example.com\n    email: b@example.com\n    password_hash: '" +
                            hash + "'\n");
    const auto r = db.usersctl({"apply", repeated.path()});
    CHECK(r.exit_code == 65);
    CHECK(has(r.err, "a key appears twice in one mapping at line 3"));
    const YamlFile json("{\"accounts\": [], \"accounts\": []}", ".json");
    CHECK(db.usersctl({"apply", json.path()}).exit_code == 65);
    const YamlFile unreadable("accounts:\n  - email: a@example.com\n    password_file: /nonexistent/secret\n");
    const auto missing = db.usersctl({"apply", unreadable.path()});
    CHECK(missing.exit_code == 66);
    CHECK(has(missing.err, "accounts[0].password_file: cannot read the file: No such file or directory"));
    CHECK(db.usersctl({"apply", "/nonexistent/accounts.yaml"}).exit_code == 66);
    CHECK(count(db) == "0");
}

TEST_CASE("apply never puts a password or hash on stdout, stderr or in the server log", "[apply]")
{
    UsersDb db;
    const char* data = std::getenv("USERSCTL_TEST_PGDATA");
    REQUIRE(data != nullptr);
    const std::string log = std::string(data).substr(0, std::string(data).rfind('/')) + "/server.log";
    struct stat st {};
    REQUIRE(::stat(log.c_str(), &st) == 0);
    const auto start = st.st_size;
    db.query("ALTER DATABASE \"" + db.name() + "\" SET log_statement = 'all'");
    db.add("ifc@example.com");
    const YamlFile file("accounts:\n"
                        "  - {email: new@example.com, password_env: ADMIN_PASSWORD}\n"
                        "  - {email: ifc@example.com, password_env: ADMIN_PASSWORD, update_password: if_changed}\n");
    const auto r = db.usersctl({"-vv", "apply", file.path()}, "", secrets_env());
    REQUIRE(r.exit_code == 0);
    const auto again = db.usersctl({"-vv", "apply", file.path(), "--json"}, "", secrets_env());
    REQUIRE(again.exit_code == 0);
    ::usleep(500000);
    std::ifstream in(log, std::ios::binary);
    in.seekg(start);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(has(text, "usersctl_apply"));  // the statements were logged
    for (const std::string& secret : {k_admin_password, db.hash_of("new@example.com"), db.hash_of("ifc@example.com")}) {
        CHECK_FALSE(has(text, secret));
        CHECK_FALSE(has(r.out + r.err + again.out + again.err, secret));
    }
}

TEST_CASE("apply escapes hostile emails in its plan", "[apply]")
{
    UsersDb db;
    db.query("INSERT INTO users (email, first_name, last_name, password_hash) VALUES "
             "(E'evil\\x1b]2;PWNED\\x07@example.com', '', '', 'x')");
    const YamlFile file("accounts: []\n");
    const auto r = db.usersctl({"apply", file.path(), "--prune", "evil*", "--check"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.find('\x1b') == std::string::npos);
    CHECK(r.out.find('\x07') == std::string::npos);
    CHECK(has(r.out, "- delete evil\\x1b]2;PWNED\\x07@example.com\n"));
}

TEST_CASE("Ctrl-C while apply waits for its lock exits 130 with nothing written and no session left", "[apply]")
{
    UsersDb db;
    db.add("kept@example.com", k_good_password, {"--first-name", "Before"});
    Process holder({"psql", "-qAtX", db.url(), "-c",
                    "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8); COMMIT;"},
                   "", {});
    REQUIRE(eventually([&] {
        return db.scalar("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'users'::regclass "
                         "AND mode = 'AccessExclusiveLock' AND granted)::text") == "true";
    }));
    const YamlFile file("accounts:\n  - {email: kept@example.com, first_name: After, password_env: ADMIN_PASSWORD}\n"
                        "  - {email: new@example.com, password_env: ADMIN_PASSWORD}\n");
    auto waiting = start_usersctl({"-d", db.url(), "--lock-timeout", "30", "apply", file.path(), "--cost", "4"}, "",
                                  secrets_env());
    REQUIRE(eventually([&] {
        return db.scalar("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'usersctl' "
                         "AND datname = current_database() AND wait_event_type = 'Lock')::text") == "true";
    }));
    kill(waiting.pid(), SIGINT);
    const auto r = waiting.wait();
    CHECK(r.exit_code == 130);
    CHECK(r.out.empty());
    holder.wait();
    CHECK(count(db) == "1");
    CHECK(db.scalar("SELECT first_name FROM users") == "Before");
    CHECK(db.scalar("SELECT count(*)::text FROM pg_stat_activity WHERE application_name = 'usersctl' "
                    "AND datname = current_database()") == "0");
}
