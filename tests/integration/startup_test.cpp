// Start-up (#18): the dynamic loader maps only what libpq brings along; ICU, zxcvbn and libcsv
// are loaded when a run needs them, and then they work.

#include "tests/support/temp_files.hpp"
#include "tests/support/users_db.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <sstream>

using namespace usersctl::test;

namespace {

// The libraries a run of usersctl loaded, as glibc's loader reports them (LD_DEBUG=files):
// "file=libpq.so.5 [0];  needed by ..." or "...;  dynamically loaded by ...".
struct Loaded {
    std::set<std::string> at_start;
    std::set<std::string> later;
};

Loaded libraries_loaded(const ProcessResult& r)
{
    Loaded loaded;
    std::istringstream lines(r.err);
    for (std::string line; std::getline(lines, line);) {
        const auto file = line.find("file=");
        if (file == std::string::npos) {
            continue;
        }
        const auto end = line.find(' ', file);
        const std::string name = line.substr(file + 5, end - file - 5);
        (line.find("dynamically loaded by") != std::string::npos ? loaded.later : loaded.at_start).insert(name);
    }
    return loaded;
}

bool has_prefix(const std::set<std::string>& names, const std::string& prefix)
{
    for (const auto& name : names) {
        if (name.rfind(prefix, 0) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("usersctl starts with libpq's libraries only, and loads ICU, zxcvbn and libcsv when a run needs them",
          "[startup]")
{
    const EnvChanges debug{{"LD_DEBUG", "files"}, {"USERSCTL_COST", "4"}};
    const auto version = run_usersctl({"--version"}, "", debug);
    REQUIRE(version.exit_code == 0);
    const Loaded at_version = libraries_loaded(version);
    CAPTURE(at_version.at_start);
    CHECK(has_prefix(at_version.at_start, "libpq.so"));
    // The sanitizers' runtimes bring libstdc++ and libgcc_s themselves.
    const bool sanitized = has_prefix(at_version.at_start, "libasan") || has_prefix(at_version.at_start, "libubsan");
    for (const char* absent : {"libstdc++", "libgcc_s", "libfmt", "libyaml-cpp", "libicu", "libzxcvbn", "libcsv"}) {
        CAPTURE(absent);
        if (!sanitized || (std::string(absent).rfind("libstdc++", 0) != 0 && std::string(absent).rfind("libgcc_s", 0) != 0)) {
            CHECK_FALSE(has_prefix(at_version.at_start, absent));
        }
    }
    CHECK(at_version.later.empty());

    UsersDb db;
    // An ASCII email: lower-cased without ICU; rating the new password loads zxcvbn.
    const auto add = db.usersctl({"add-user", "Ada@Example.com", "--password-stdin"}, k_good_password + "\n", debug);
    CHECK(add.exit_code == 0);
    CHECK(has_prefix(libraries_loaded(add).later, "libzxcvbn"));
    CHECK_FALSE(has_prefix(libraries_loaded(add).later, "libicu"));
    CHECK(db.scalar("SELECT email FROM users") == "ada@example.com");
    const auto verify = db.usersctl({"verify", "ADA@example.com", "--password-stdin"}, k_good_password + "\n", debug);
    CHECK(verify.exit_code == 0);
    CHECK(libraries_loaded(verify).later.empty());

    // Not ASCII: ICU, loaded then, lower-cases as Python does (İ becomes i + U+0307).
    const auto accented = db.usersctl({"add-user", "\xC4\xB0LKER@example.com", "--password-stdin"},
                                      k_good_password + "\n", debug);
    CHECK(accented.exit_code == 0);
    CHECK(has_prefix(libraries_loaded(accented).later, "libicuuc"));
    CHECK(db.scalar("SELECT count(*)::text FROM users WHERE email = 'i\xCC\x87lker@example.com'") == "1");

    // A CSV file loads libcsv; JSON Lines does not.
    TempFile csv("email,password\nbob@example.com," + k_good_password + "\n", ".csv");
    const auto import_csv = db.usersctl({"import", csv.path()}, "", debug);
    CHECK(import_csv.exit_code == 0);
    CHECK(has_prefix(libraries_loaded(import_csv).later, "libcsv"));
    TempFile jsonl("{\"email\": \"carol@example.com\", \"password\": \"" + k_good_password + "\"}\n", ".jsonl");
    const auto import_jsonl = db.usersctl({"import", jsonl.path()}, "", debug);
    CHECK(import_jsonl.exit_code == 0);
    CHECK_FALSE(has_prefix(libraries_loaded(import_jsonl).later, "libcsv"));
    CHECK(db.scalar("SELECT count(*)::text FROM users") == "4");
}

TEST_CASE("a command built while parsing still takes global options after it, its option groups included",
          "[startup][cli]")
{
    // hash's password options are an option group: --verifier, a global option, after them
    // reached the group, which handed it back to the command (CLI11 unconfigured) for ever.
    const auto r = run_usersctl({"hash", "--password-stdin", "--verifier", "crypt", "--cost", "4"}, k_good_password + "\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("$2b$04$", 0) == 0);
    const auto unknown = run_usersctl({"hash", "--password-stdin", "--no-such-option"}, k_good_password + "\n");
    CHECK(unknown.exit_code == 64);
}
