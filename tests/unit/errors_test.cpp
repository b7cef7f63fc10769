#include "core/errors.hpp"
#include "core/logging.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>

using namespace usersctl;

TEST_CASE("every error class maps to its documented exit code")
{
    CHECK(exit_code_for(UsageError("x")) == ExitCode::usage);
    CHECK(static_cast<int>(exit_code_for(InvalidInput("x"))) == 65);
    CHECK(static_cast<int>(exit_code_for(NoInput("x"))) == 66);
    CHECK(static_cast<int>(exit_code_for(NotFound("x"))) == 67);
    CHECK(static_cast<int>(exit_code_for(Unavailable("x"))) == 69);
    CHECK(static_cast<int>(exit_code_for(InternalError("x"))) == 70);
    CHECK(static_cast<int>(exit_code_for(AlreadyExists("x"))) == 73);
    CHECK(static_cast<int>(exit_code_for(OutputError("x"))) == 74);
    CHECK(static_cast<int>(exit_code_for(TemporaryFailure("x"))) == 75);
    CHECK(static_cast<int>(exit_code_for(PermissionDenied("x"))) == 77);
    CHECK(static_cast<int>(exit_code_for(ConfigError("x"))) == 78);
    CHECK(static_cast<int>(exit_code_for(Interrupted("x"))) == 130);
    CHECK(static_cast<int>(exit_code_for(std::runtime_error("x"))) == 70);
    CHECK(exit_code_for(OutputClosed("x")) == ExitCode::ok);
}

TEST_CASE("messages carry their hint after a semicolon")
{
    CHECK(describe(ConfigError("table missing", "run init-db")) == "table missing; run init-db");
    CHECK(describe(ConfigError("table missing")) == "table missing");
}

TEST_CASE("JSON escaping covers quotes, backslashes and control characters")
{
    CHECK(json_escape("a\"b\\c\nd\x1b[31m") == "a\\\"b\\\\c\\nd\\u001b[31m");
    CHECK(json_escape("caf\xc3\xa9") == "caf\xc3\xa9");
}

namespace {

std::string read_source(const std::string& path)
{
    std::ifstream in(std::string(USERSCTL_SOURCE_DIR) + "/" + path);
    REQUIRE(in.good());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::set<int> declared_codes()
{
    std::set<int> codes;
    for (const auto& info : k_exit_codes) {
        codes.insert(static_cast<int>(info.code));
    }
    return codes;
}

// The numbers that start a line of `text` matching `pattern` (its first group).
std::set<int> codes_in(const std::string& text, const std::regex& pattern)
{
    std::set<int> codes;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
        codes.insert(std::stoi((*it)[1].str()));
    }
    return codes;
}

// The part of `text` from `start` to the next `end` marker.
std::string section(const std::string& text, const std::string& start, const std::string& end)
{
    const auto from = text.find(start);
    REQUIRE(from != std::string::npos);
    return text.substr(from, text.find(end, from + start.size()) - from);
}

}  // namespace

TEST_CASE("exit codes are declared once: the footer, README and usersctl(1) list exactly the table's codes", "[docs]")
{
    const std::set<int> declared = declared_codes();
    const std::string footer = exit_code_footer();
    CHECK(codes_in(footer, std::regex(R"((?:: |, )(\d+) )")) == declared);
    const std::string readme = section(read_source("README.md"), "## Exit codes", "\n## ");
    CHECK(codes_in(readme, std::regex(R"(\n\| (\d+) \|)")) == declared);
    const std::string man = section(read_source("man/usersctl.1"), ".Sh EXIT STATUS", ".Sh ");
    CHECK(codes_in(man, std::regex(R"(\n\.It (\d+)\n)")) == declared);
    // Each error class ends the process with the code its class declares.
    CHECK(UsageError("x").code() == ExitCode::usage);
    CHECK(ConfigError("x").code() == ExitCode::config);
}
