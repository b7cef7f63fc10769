// apply's declaration files without a database: YAML and JSON into one document model, the
// checks and their paths, the plan's printed forms.

#include "core/apply/declaration.hpp"
#include "core/apply/document.hpp"
#include "core/apply/plan_format.hpp"
#include "core/errors.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace usersctl;

namespace {

const std::string k_hash = "$2b$04$" + std::string(53, 'a');  // well-formed bcrypt, as bench/run uses

DeclarationChecks checks()
{
    DeclarationChecks c;
    c.settings.scheme = Scheme::bcrypt;
    c.verifier = Verifier::any;
    return c;
}

std::vector<std::string> problems_of(const Declaration& d)
{
    std::vector<std::string> out;
    for (const auto& p : d.problems) {
        out.push_back(p.path + ": " + p.message);
    }
    return out;
}

bool any_starts_with(const std::vector<std::string>& lines, const std::string& prefix)
{
    for (const auto& line : lines) {
        if (line.compare(0, prefix.size(), prefix) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("apply: YAML and JSON give the same document and the same accounts", "[apply]")
{
    const DocNode yaml = read_yaml("accounts:\n  - email: A@Example.com\n    first_name: Ada\n    password_hash: '" +
                                   k_hash + "'\n    update_password: if_changed\n");
    const DocNode json = read_json("{\"accounts\":[{\"email\":\"A@Example.com\",\"first_name\":\"Ada\","
                                   "\"password_hash\":\"" + k_hash + "\",\"update_password\":\"if_changed\"}]}");
    for (const DocNode* doc : {&yaml, &json}) {
        const Declaration d = check_declaration(*doc, checks());
        REQUIRE(d.problems.empty());
        REQUIRE(d.accounts.size() == 1);
        CHECK(d.accounts[0].email == "a@example.com");
        CHECK(d.accounts[0].first_name == std::optional<std::string>("Ada"));
        CHECK_FALSE(d.accounts[0].last_name);
        CHECK(d.accounts[0].password_hash == k_hash);
        CHECK(d.accounts[0].update == PasswordUpdate::if_changed);
    }
}

TEST_CASE("apply: the format is chosen by extension, else by the first byte", "[apply]")
{
    CHECK(guess_doc_format("a.json", "accounts: []") == DocFormat::json);
    CHECK(guess_doc_format("a.yml", "{}") == DocFormat::yaml);
    CHECK(guess_doc_format("a.yaml", "{}") == DocFormat::yaml);
    CHECK(guess_doc_format("-", " \n\t{\"accounts\": []}") == DocFormat::json);
    CHECK(guess_doc_format("-", "\xEF\xBB\xBF{}") == DocFormat::json);
    CHECK(guess_doc_format("-", "accounts: []") == DocFormat::yaml);
    CHECK(guess_doc_format("accounts", "") == DocFormat::yaml);
    CHECK_THROWS_AS(parse_doc_format("toml"), UsageError);
}

TEST_CASE("apply: repeated keys and syntax errors are refused without quoting the text", "[apply]")
{
    try {
        read_yaml("accounts:\n  - email: a@example.com\n    email: Secret-Canary@example.com\n");
        FAIL("a repeated key was accepted");
    } catch (const InvalidInput& e) {
        CHECK(std::string(e.what()) == "a key appears twice in one mapping at line 3, column 5");
    }
    CHECK_THROWS_AS(read_json("{\"a\": 1, \"a\": 2}"), InvalidInput);
    try {
        read_json("{\"accounts\": [Secret-Canary]}");
        FAIL("invalid JSON was accepted");
    } catch (const InvalidInput& e) {
        CHECK(std::string(e.what()).find("Canary") == std::string::npos);
        CHECK(std::string(e.what()).find("JSON syntax error at byte") == 0);
    }
    try {
        read_yaml("accounts: [Secret-Canary\n");
        FAIL("invalid YAML was accepted");
    } catch (const InvalidInput& e) {
        CHECK(std::string(e.what()).find("Canary") == std::string::npos);
        CHECK(std::string(e.what()).find("YAML syntax error at line") == 0);
    }
}

TEST_CASE("apply: every problem is listed with its path, none quoting a value", "[apply]")
{
    ::setenv("APPLY_UNIT_WEAK", "password", 1);
    const DocNode doc = read_yaml("accounts:\n"
                                  "  - {email: ok@example.com, password_hash: '" + k_hash + "'}\n"
                                  "  - {email: Ok@Example.com, password_hash: '" + k_hash + "'}\n"
                                  "  - {email: bad, password_hash: '" + k_hash + "'}\n"
                                  "  - {email: p@example.com, password: Canary-Plain}\n"
                                  "  - {email: q@example.com, password_hash: Canary-Hash}\n"
                                  "  - {email: r@example.com, password_env: APPLY_UNIT_WEAK}\n"
                                  "  - {email: s@example.com, password_env: 'not a name', first_name: 3}\n"
                                  "  - {email: t@example.com, password_hash: '" + k_hash + "', 'Canary Key': 1}\n"
                                  "  - email: u@example.com\n"
                                  "  - just a string\n"
                                  "  - {password_hash: '" + k_hash + "'}\n"
                                  "other: 1\n");
    const Declaration d = check_declaration(doc, checks());
    const auto problems = problems_of(d);
    CHECK(d.accounts.empty());
    CHECK(any_starts_with(problems, "other: unknown key"));
    CHECK(any_starts_with(problems, "accounts[1].email: the same email as accounts[0]"));
    CHECK(any_starts_with(problems, "accounts[2].email: the email must contain exactly one '@'"));
    CHECK(any_starts_with(problems, "accounts[3].password: a plaintext password is not accepted"));
    CHECK(any_starts_with(problems, "accounts[4].password_hash: not a format verify accepts"));
    CHECK(any_starts_with(problems, "accounts[5].password_env: "));
    CHECK(any_starts_with(problems, "accounts[6].password_env: not the name of an environment variable"));
    CHECK(any_starts_with(problems, "accounts[7]: an unknown key (not quoted"));
    CHECK(any_starts_with(problems, "accounts[8]: no password source"));
    CHECK(any_starts_with(problems, "accounts[9]: must be a mapping"));
    CHECK(any_starts_with(problems, "accounts[10]: no email"));
    for (const auto& p : problems) {
        CHECK(p.find("Canary") == std::string::npos);
        CHECK(p.find(k_hash) == std::string::npos);
        CHECK(p.find("'bad'") == std::string::npos);
    }
    // YAML reads 3 as a string; JSON's number is not one.
    const Declaration j = check_declaration(
        read_json("{\"accounts\":[{\"email\":\"a@example.com\",\"first_name\":3,\"password_hash\":\"" + k_hash + "\"}]}"),
        checks());
    CHECK(problems_of(j) == std::vector<std::string>{"accounts[0].first_name: must be a string"});
}

TEST_CASE("apply: a hash the verifier cannot read is a problem", "[apply]")
{
    DeclarationChecks c = checks();
    c.verifier = Verifier::werkzeug;
    const Declaration d = check_declaration(
        read_yaml("accounts:\n  - {email: a@example.com, password_hash: '" + k_hash + "'}\n"), c);
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems[0].path == "accounts[0].password_hash");
    CHECK(d.problems[0].message.find("cannot read") != std::string::npos);
}

TEST_CASE("apply: the plan as text and as JSON, emails escaped", "[apply]")
{
    ApplyPlan plan;
    plan.create = {"new@example.com"};
    plan.update = {{"upd@example.com", true, false, true}};
    plan.remove = {"evil\x1b]2;x\x07@example.com"};
    plan.unchanged = 4;
    CHECK(plan_text(plan) == "+ create new@example.com\n~ update upd@example.com (first_name, password)\n"
                             "- delete evil\\x1b]2;x\\x07@example.com\n1 to create, 1 to update, 1 to delete, 4 unchanged\n");
    CHECK(plan_json(plan) == "{\"create\":[\"new@example.com\"],\"update\":[{\"email\":\"upd@example.com\","
                             "\"fields\":[\"first_name\",\"password\"]}],\"delete\":[\"evil\\u001b]2;x\\u0007@example.com\"],"
                             "\"unchanged\":4,\"written\":false}\n");
    plan.written = true;
    CHECK(plan_text(plan).find("1 created, 1 updated, 1 deleted, 4 unchanged\n") != std::string::npos);
}
