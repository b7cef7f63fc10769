// --table against the real server: whatever the name, `init-db` creates exactly the table it
// names (as PostgreSQL's parse_ident reads the text) and the objects that belong to it, or is
// refused and changes nothing. The catalog is compared before and after every run.

#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

using namespace usersctl::test;

namespace {

// Every user-visible catalog row that init-db could create or change, each with the oid of the
// table it belongs to (0 for schemas).
const char* k_catalog_sql = R"(
SELECT 'ns ' || n.oid || ' ' || n.nspname, '0'
  FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
UNION ALL
SELECT 'rel ' || c.oid || ' ' || c.relnamespace || ' ' || c.relname || ' ' || c.relkind::text || ' ' || c.relnatts,
       coalesce((SELECT i.indrelid FROM pg_index i WHERE i.indexrelid = c.oid),
                (SELECT d.refobjid FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1),
                c.oid)::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
UNION ALL
SELECT 'idx ' || i.indexrelid || ' ' || pg_get_indexdef(i.indexrelid), i.indrelid::text
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
UNION ALL
SELECT 'con ' || co.oid || ' ' || co.conrelid || ' ' || pg_get_constraintdef(co.oid), co.conrelid::text
  FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
)";

std::map<std::string, std::string> catalog(const TestDatabase& db)
{
    std::map<std::string, std::string> out;
    for (const auto& row : db.query(k_catalog_sql)) {
        out[*row[0]] = *row[1];
    }
    return out;
}

// The table PostgreSQL reads `text` as naming, as its oid (text), "" when there is none, or
// nullopt when the server refuses the text as a name.
std::optional<std::string> server_table_oid(const TestDatabase& db, const std::string& text)
{
    try {
        const auto rows = db.query(
            "SELECT coalesce(to_regclass(CASE WHEN cardinality(p) = 1 THEN quote_ident('public') ELSE quote_ident(p[1]) END"
            "       || '.' || quote_ident(p[cardinality(p)]))::oid::text, '') FROM parse_ident($1) AS p "
            " WHERE cardinality(p) <= 2",
            {text});
        if (rows.empty()) {
            return std::nullopt;
        }
        return *rows[0][0];
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void check_name(const TestDatabase& db, const std::string& name)
{
    CAPTURE(name);
    const auto before = catalog(db);
    const auto r = run_usersctl({"--table", name, "-d", db.url(), "init-db"});
    CAPTURE(r.exit_code, r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 64 || r.exit_code == 78));
    CHECK(r.err.find("syntax error") == std::string::npos);
    const auto after = catalog(db);
    for (const auto& [row, owner] : before) {
        CAPTURE(row);
        CHECK(after.count(row) == 1);  // nothing that existed is dropped or changed
    }
    if (r.exit_code != 0) {
        CHECK(after == before);
        return;
    }
    // It succeeded: the server reads the same text as a valid name of a table that now exists,
    // and every new catalog row belongs to that table.
    const auto oid = server_table_oid(db, name);
    REQUIRE(oid);
    REQUIRE(!oid->empty());
    for (const auto& [row, owner] : after) {
        if (before.count(row) == 0) {
            CAPTURE(row);
            CHECK(owner == *oid);
        }
    }
}

}  // namespace

TEST_CASE("init-db with hostile --table names creates exactly the named table or nothing", "[hostile][table]")
{
    TestDatabase db;
    REQUIRE(run_usersctl({"-d", db.url(), "init-db", "-q"}).exit_code == 0);
    for (const char* schema : {"users{index}", "users{table}", "a.b", "x\"y", "--", "{index}"}) {
        db.query(db.scalar("SELECT format('CREATE SCHEMA %I', $1::text)", {schema}));
    }
    // The exact case from the review, then the classes it stands for.
    const std::vector<std::string> fixed = {
        "\"users{index}\".\"(first_name) WHERE first_name<>'' --\"",
        "\"users{table}\".\"{index}\"",
        "\"{index}\".\"{table}\"",
        "\"a.b\".\"c.d\"",
        "\"x\"\"y\".\"z\"",
        "\"--\".\"users\"",
        "users\" (id int); DROP TABLE users; --",
        "\"users\"\" (id int); DROP TABLE public.users; --\"",
        "public.\"users\" ; DROP TABLE users",
        "\"" + std::string(63, 'x') + "\"",
        "\"" + std::string(64, 'x') + "\"",
        "\"" + std::string(21, 'x') + "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"",
        "Ünïcödé",
        "\"\xe2\x80\xae" "sresu\"",
        "users\xff",
        "1users",
        "\"\"",
        "a.b.c",
        ".users",
        "users.",
        "\"unterminated",
        "\"users\"x",
    };
    for (const auto& name : fixed) {
        check_name(db, name);
    }
    // Then names assembled at random (fixed seed) from the fragments hostile names are made of.
    const std::vector<std::string> fragments = {
        "users", "{index}", "{table}", "{", "}", "\"", "\"\"", ".", "--", "'", " ", ";", "(first_name) WHERE first_name<>''",
        "DROP TABLE users", "/*", "*/", "\\", "$1", "é", "\xf0\x9f\x98\x80", "x", "_", "E'", "public", std::string(40, 'L')};
    std::mt19937 random(12);
    for (int i = 0; i < 150; ++i) {
        std::string name;
        const int parts = 1 + static_cast<int>(random() % 6);
        for (int p = 0; p < parts; ++p) {
            name += fragments[random() % fragments.size()];
        }
        check_name(db, name);
    }
}
