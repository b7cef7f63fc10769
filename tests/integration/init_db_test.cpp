// init-db end to end: the real binary against a fresh database of the test server.

#include "tests/support/pg.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace usersctl::test;

namespace {

// The DDL the issue gives: what SQLAlchemy's create_all() emits for the web app's model.
const char* k_reference_ddl =
    "CREATE TABLE ref.users (id SERIAL NOT NULL, email TEXT NOT NULL, first_name TEXT NOT NULL, "
    "last_name TEXT NOT NULL, password_hash TEXT NOT NULL, last_login_at TIMESTAMP WITHOUT TIME ZONE, "
    "login_count INTEGER, PRIMARY KEY (id), UNIQUE (email))";

const char* k_columns_sql =
    "SELECT a.attnum::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, "
    "       replace(coalesce(pg_get_expr(d.adbin, d.adrelid), ''), 'ref.', '') "
    "  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    " WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

const char* k_constraints_sql =
    "SELECT conname::text, contype::text, pg_get_constraintdef(oid) FROM pg_constraint "
    " WHERE conrelid = $1::regclass ORDER BY conname";

std::string table_count(const TestDatabase& db)
{
    return db.scalar("SELECT count(*)::text FROM pg_class WHERE relname = 'users' AND relkind = 'r'");
}

// A TCP listener that completes the handshake but never answers: libpq must give up on its own.
struct SilentServer {
    int fd = -1;
    int port = 0;
    SilentServer()
    {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        listen(fd, 16);
        socklen_t len = sizeof addr;
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
    }
    ~SilentServer() { close(fd); }
};

int free_port()
{
    SilentServer probe;
    return probe.port;
}

}  // namespace

TEST_CASE("init-db creates exactly the table the web app's model creates", "[init-db]")
{
    TestDatabase db;
    db.query("CREATE SCHEMA ref");
    db.query(k_reference_ddl);
    const auto r = run_usersctl({"init-db", "-d", db.url()});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.find("created table public.users") != std::string::npos);
    CHECK(db.query(k_columns_sql, {"public.users"}) == db.query(k_columns_sql, {"ref.users"}));
    CHECK(db.query(k_constraints_sql, {"public.users"}) == db.query(k_constraints_sql, {"ref.users"}));
    const auto constraints = db.query(k_constraints_sql, {"public.users"});
    REQUIRE(constraints.size() == 2);
    CHECK(*constraints[0][0] == "users_email_key");
    CHECK(*constraints[1][0] == "users_pkey");
    CHECK(db.scalar("SELECT pg_get_serial_sequence('public.users', 'id')") == "public.users_id_seq");
    CHECK(db.scalar("SELECT pg_get_indexdef('public.users_email_lower_key'::regclass)") ==
          "CREATE UNIQUE INDEX users_email_lower_key ON public.users USING btree (lower(email))");
}

TEST_CASE("init-db is idempotent and leaves an existing compatible table unchanged", "[init-db]")
{
    TestDatabase db;
    REQUIRE(run_usersctl({"init-db", "-d", db.url()}).exit_code == 0);
    db.query("INSERT INTO users (email, first_name, last_name, password_hash) VALUES ('a@b.c', 'A', 'B', 'x')");
    const auto second = run_usersctl({"init-db", "-d", db.url()});
    CHECK(second.exit_code == 0);
    CHECK(second.err.find("unchanged") != std::string::npos);
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "1");
}

TEST_CASE("init-db adds the lower(email) index to a table the web app created", "[init-db]")
{
    TestDatabase db;
    db.query("CREATE SCHEMA ref");
    db.query(std::string(k_reference_ddl).replace(13, 9, "public.users"));
    const auto r = run_usersctl({"init-db", "-d", db.url()});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("created its unique index on lower(email)") != std::string::npos);
    CHECK(db.scalar("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'users_email_lower_key'") == "1");
}

TEST_CASE("32 concurrent init-db runs on an empty database all succeed and leave one table", "[init-db][concurrency]")
{
    TestDatabase db;
    std::vector<Process> runs;
    for (int i = 0; i < 32; ++i) {
        runs.push_back(start_usersctl({"init-db", "-d", db.url()}));
    }
    int failures = 0;
    for (auto& p : runs) {
        const auto r = p.wait();
        if (r.exit_code != 0) {
            ++failures;
            UNSCOPED_INFO("exit " << r.exit_code << ": " << r.err);
        }
    }
    CHECK(failures == 0);
    CHECK(table_count(db) == "1");
}

TEST_CASE("init-db --dry-run prints the DDL and changes nothing", "[init-db]")
{
    TestDatabase db;
    const auto r = run_usersctl({"init-db", "--dry-run", "-d", db.url()});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("CREATE TABLE \"public\".\"users\"") != std::string::npos);
    CHECK(r.out.find("CREATE UNIQUE INDEX \"users_email_lower_key\"") != std::string::npos);
    CHECK(table_count(db) == "0");
    // The printed SQL is runnable as it stands.
    for (const auto& stmt : {std::string("CREATE TABLE"), std::string("CREATE UNIQUE INDEX")}) {
        const auto start = r.out.find(stmt);
        const auto end = r.out.find(';', start);
        db.query(r.out.substr(start, end - start));
    }
    CHECK(run_usersctl({"init-db", "-d", db.url()}).err.find("unchanged") != std::string::npos);
}

TEST_CASE("an incompatible table gives 78 with every difference in one message", "[init-db]")
{
    TestDatabase db;
    db.query("CREATE TABLE users (id integer PRIMARY KEY, email integer, first_name text NOT NULL, "
             "password_hash varchar(60) NOT NULL, last_login_at timestamptz, login_count integer NOT NULL, extra text)");
    const auto r = run_usersctl({"init-db", "-d", db.url()});
    CHECK(r.exit_code == 78);
    CHECK(r.out.empty());
    for (const char* expected : {"column email has type integer, expected text", "column email allows NULL",
                                 "column last_name is missing", "column password_hash is limited to 60",
                                 "column last_login_at has type timestamp with time zone",
                                 "column login_count is NOT NULL without a default", "column id has no default",
                                 "column email has no UNIQUE constraint", "run init-db"}) {
        CAPTURE(expected);
        CHECK(r.err.find(expected) != std::string::npos);
    }
    CHECK(r.err.find("extra") == std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("emails differing only by case are listed and give 78", "[init-db]")
{
    TestDatabase db;
    db.query("CREATE SCHEMA ref");
    db.query(std::string(k_reference_ddl).replace(13, 9, "public.users"));
    db.query("INSERT INTO users (email, first_name, last_name, password_hash) VALUES "
             "('Bob@Example.com', '', '', 'x'), ('bob@example.com', '', '', 'x'), ('carol@example.com', '', '', 'x')");
    const auto r = run_usersctl({"init-db", "-d", db.url()});
    CHECK(r.exit_code == 78);
    CHECK(r.err.find("Bob@Example.com (id 1), bob@example.com (id 2)") != std::string::npos);
    CHECK(r.err.find("carol") == std::string::npos);
    CHECK(db.scalar("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'users_email_lower_key'") == "0");
}

TEST_CASE("init-db works on a schema-qualified table with awkward names", "[init-db]")
{
    TestDatabase db;
    db.query("CREATE SCHEMA \"Auth Data\"");
    const auto r = run_usersctl({"init-db", "-d", db.url(), "--table", "\"Auth Data\".\"Users\"\"x\""});
    CHECK(r.exit_code == 0);
    CHECK(db.scalar("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'Auth Data' AND tablename = 'Users\"x'") == "1");
    CHECK(run_usersctl({"init-db", "-d", db.url(), "--table", "nosuchschema.users"}).exit_code == 78);
    CHECK(run_usersctl({"init-db", "-d", db.url(), "--table", "users; DROP TABLE x"}).exit_code == 64);
}

TEST_CASE("the URL comes from -d, USERSCTL_DATABASE_URL, DATABASE_URL, then SQLAlchemy's setting", "[init-db][url]")
{
    TestDatabase db;
    const std::string good = db.url();
    const std::string bad = "postgresql://nobody@127.0.0.1:1/none";
    const std::string sqlalchemy = "postgresql+psycopg2://postgres@127.0.0.1:" + TestServer::port() + "/" + db.name();
    CHECK(run_usersctl({"init-db", "-d", good}, "", {{"USERSCTL_DATABASE_URL", bad}, {"DATABASE_URL", bad}}).exit_code == 0);
    CHECK(run_usersctl({"init-db"}, "", {{"USERSCTL_DATABASE_URL", good}, {"DATABASE_URL", bad}}).exit_code == 0);
    CHECK(run_usersctl({"init-db"}, "", {{"USERSCTL_DATABASE_URL", bad}, {"DATABASE_URL", good}}).exit_code == 69);
    CHECK(run_usersctl({"init-db"}, "", {{"DATABASE_URL", good}, {"SQLALCHEMY_DATABASE_URI", bad}}).exit_code == 0);
    CHECK(run_usersctl({"init-db"}, "", {{"SQLALCHEMY_DATABASE_URI", sqlalchemy}}).exit_code == 0);
    // libpq's own variables when nothing else is set
    CHECK(run_usersctl({"init-db"}, "",
                       {{"PGHOST", TestServer::socket_dir()}, {"PGPORT", TestServer::port()}, {"PGUSER", "postgres"},
                        {"PGDATABASE", db.name()}})
              .exit_code == 0);
    // key=value strings
    CHECK(run_usersctl({"init-db", "-d", "host=" + TestServer::socket_dir() + " port=" + TestServer::port() +
                                             " user=postgres dbname=" + db.name()})
              .exit_code == 0);
}

TEST_CASE("a config file given with --config sets options, and so do USERSCTL_* variables", "[init-db][config]")
{
    TestDatabase db;
    db.query("CREATE SCHEMA app");
    const std::string path = "/tmp/usersctl-config-" + db.name() + ".ini";
    {
        std::ofstream f(path);
        f << "database-url=\"" << db.url() << "\"\ntable=app.accounts\n";
    }
    CHECK(run_usersctl({"--config", path, "init-db"}).exit_code == 0);
    CHECK(db.scalar("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'app' AND tablename = 'accounts'") == "1");
    std::remove(path.c_str());
    CHECK(run_usersctl({"init-db", "-d", db.url()}, "", {{"USERSCTL_TABLE", "app.people"}}).exit_code == 0);
    CHECK(db.scalar("SELECT count(*)::text FROM pg_tables WHERE tablename = 'people'") == "1");
}

TEST_CASE("a malformed URL gives 78 and never shows its password", "[init-db][url]")
{
    for (const std::string& url : std::vector<std::string>{"postgresql://alice:Sup3rS3cret@[::1/db", "postgresql://alice:Sup3rS3cret@h/db?bogus=1",
                                  "mysql://alice:Sup3rS3cret@h/db", "host=h password=Sup3rS3cret nonsense=1",
                                  "postgresql://alice:Sup3rS3cret@localhost:notaport/db"}) {
        CAPTURE(url);
        const auto r = run_usersctl({"-vv", "init-db", "-d", url});
        CHECK(r.exit_code == 78);
        CHECK(r.err.find("Sup3rS3cret") == std::string::npos);
        CHECK(r.err.find("usersctl: error:") != std::string::npos);
    }
}

TEST_CASE("the URL's password never appears in logs at the highest verbosity", "[init-db][url]")
{
    TestDatabase db;
    const std::string url = "postgresql://postgres:Sup3rS3cret@127.0.0.1:" + TestServer::port() + "/" + db.name();
    for (const char* format : {"text", "json"}) {
        const auto r = run_usersctl({"-vv", "--log-format", format, "init-db", "-d", url});
        CHECK(r.exit_code == 0);
        CHECK(r.err.find("connecting to postgresql://postgres:***@") != std::string::npos);
        CHECK(r.err.find("Sup3rS3cret") == std::string::npos);
    }
    const auto bad = run_usersctl({"-vv", "init-db", "-d", "postgresql://postgres:Sup3rS3cret@127.0.0.1:1/x"});
    CHECK(bad.exit_code == 69);
    CHECK(bad.err.find("Sup3rS3cret") == std::string::npos);
}

TEST_CASE("an unreachable server gives 69 within the connect timeout", "[init-db][unavailable]")
{
    SilentServer silent;
    const auto hang = run_usersctl({"init-db", "--connect-timeout", "2", "-d",
                                    "postgresql://postgres@127.0.0.1:" + std::to_string(silent.port) + "/x"});
    CHECK(hang.exit_code == 69);
    CHECK(hang.seconds < 2 + 1.5);
    CHECK(hang.seconds >= 1.5);
    const auto refused = run_usersctl({"init-db", "-d", "postgresql://postgres@127.0.0.1:" + std::to_string(free_port()) + "/x"});
    CHECK(refused.exit_code == 69);
    CHECK(refused.err.find("usersctl: error: cannot connect") != std::string::npos);
    const auto unknown = run_usersctl({"init-db", "--connect-timeout", "3", "-d", "postgresql://postgres@no-such-host.invalid/x"});
    CHECK(unknown.exit_code == 69);
    CHECK(unknown.seconds < 3 + 1.5);
    const auto missing_db = run_usersctl({"init-db", "-d", TestServer::url("no_such_database_here")});
    CHECK(missing_db.exit_code == 78);
}

TEST_CASE("init-db --wait succeeds when the server comes up late, and gives 69 when it never does", "[init-db][wait]")
{
    const int port = free_port();
    const std::string dir = "/tmp/usersctl-late-" + std::to_string(getpid());
    const std::string url = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
    auto waiting = start_usersctl({"init-db", "--wait", "60", "-d", url});
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const auto started = run_program({std::string(USERSCTL_SOURCE_DIR) + "/scripts/dev-db", "--dir", dir, "--port",
                                      std::to_string(port), "--fast", "start"});
    INFO(started.err);
    const auto r = waiting.wait();
    run_program({std::string(USERSCTL_SOURCE_DIR) + "/scripts/dev-db", "--dir", dir, "destroy"});
    REQUIRE(started.exit_code == 0);
    CHECK(r.exit_code == 0);
    CHECK(r.seconds >= 2);
    CHECK(r.err.find("created table public.users") != std::string::npos);

    const auto never = run_usersctl({"init-db", "--wait", "3", "-d",
                                     "postgresql://postgres@127.0.0.1:" + std::to_string(free_port()) + "/x"});
    CHECK(never.exit_code == 69);
    CHECK(never.seconds >= 3);
    CHECK(never.seconds < 3 + 3);
    CHECK(never.err.find("gave up after waiting 3 s") != std::string::npos);
    // One line when waiting starts (then one every 10 s at most), not one per half-second attempt.
    auto count_lines = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
            ++n;
        }
        return n;
    };
    CHECK(count_lines(never.err, "not available yet") == 1);
    CHECK(count_lines(r.err, "not available yet") == 1);
}

namespace {

// Holds init-db's serialising lock on public.users in another session for `seconds`, as a
// concurrent run would, and returns once the server shows it granted.
Process hold_init_db_lock(TestDatabase& db, int seconds)
{
    auto holder = Process({"psql", "-qAtX", db.url(), "-c",
                           "SELECT pg_advisory_lock(7411, hashtext('\"public\".\"users\"')), pg_sleep(" +
                               std::to_string(seconds) + ")"},
                          "", {});
    REQUIRE(eventually([&] {
        return db.scalar("SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND classid = 7411 AND granted "
                         "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == "1";
    }));
    return holder;
}

}  // namespace

TEST_CASE("a re-run on a set-up table finds nothing to do without waiting for init-db's lock", "[init-db][lock]")
{
    TestDatabase db;
    REQUIRE(run_usersctl({"init-db", "-d", db.url()}).exit_code == 0);
    auto holder = hold_init_db_lock(db, 6);
    const auto r = run_usersctl({"init-db", "--lock-timeout", "1", "-d", db.url()});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("unchanged") != std::string::npos);
}

TEST_CASE("sessions identify as usersctl and give up on a held lock after lock_timeout with 75", "[init-db][lock]")
{
    TestDatabase db;
    // No table yet, so init-db has work to do and queues behind the lock.
    auto holder = hold_init_db_lock(db, 6);
    auto blocked = start_usersctl({"init-db", "--lock-timeout", "1.5", "-d", db.url()});
    CHECK(eventually([&] {
        return db.scalar("SELECT count(*)::text FROM pg_stat_activity WHERE application_name = 'usersctl' "
                         "AND datname = current_database() AND wait_event_type = 'Lock'") == "1";
    }, 1.4));
    const auto r = blocked.wait();
    CHECK(r.exit_code == 75);
    CHECK(r.seconds < 4);
    CHECK(r.err.find("timed out waiting for a lock") != std::string::npos);
}
