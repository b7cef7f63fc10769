// The wire formats of the host-login interfaces, written into a real pipe as pam_exec and
// dovecot write them.

#include "core/host_login.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>
#include <unistd.h>

using namespace usersctl;

namespace {

// A pipe holding `bytes`, closed for writing; returns its read end.
int pipe_with(const std::string& bytes)
{
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(bytes.size() < 65536);  // fits the pipe buffer: no writer thread needed
    REQUIRE(::write(fds[1], bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(fds[1]);
    return fds[0];
}

std::optional<std::string> authtok(const std::string& bytes)
{
    const int fd = pipe_with(bytes);
    auto token = read_pam_authtok(fd);
    ::close(fd);
    return token ? std::optional<std::string>(std::string(token->view())) : std::nullopt;
}

}  // namespace

TEST_CASE("pam_exec's authtok: one trailing NUL is removed and nothing else", "[host-login]")
{
    CHECK(authtok("secret") == "secret");
    CHECK(authtok(std::string("secret\0", 7)) == "secret");
    CHECK(authtok(std::string("secret\0\0", 8)) == std::string("secret\0", 7));
    CHECK(authtok("secret\n") == "secret\n");
    CHECK(authtok(" secret \r\n") == " secret \r\n");
    CHECK(authtok("") == "");
    CHECK(authtok(std::string(1, '\0')) == "");
}

TEST_CASE("pam_exec's authtok: 511 and 512 bytes are taken, with or without a NUL, and more is refused", "[host-login]")
{
    const std::string p511(511, 'x');
    const std::string p512(512, 'y');
    CHECK(authtok(p511) == p511);
    CHECK(authtok(p511 + '\0') == p511);
    CHECK(authtok(p512) == p512);
    CHECK(authtok(p512 + '\0') == p512);
    CHECK_FALSE(authtok(p512 + 'z'));
    CHECK_FALSE(authtok(p512 + 'z' + '\0'));
    CHECK_FALSE(authtok(std::string(60000, 'a')));
}

TEST_CASE("checkpassword input: login, password and timestamp, each ended by a NUL byte", "[host-login]")
{
    {
        auto request = read_checkpassword_request(pipe_with(std::string("ada@example.com\0pw\0\0", 21)));
        CHECK(request.login == "ada@example.com");
        CHECK(request.password.view() == "pw");
    }
    {
        // qmail's timestamp and data after it are allowed.
        auto request = read_checkpassword_request(pipe_with(std::string("a@b.c\0p w\n\0<1.2@host>\0extra", 27)));
        CHECK(request.login == "a@b.c");
        CHECK(request.password.view() == "p w\n");
    }
    {
        // dovecot's userdb lookup: no password.
        auto request = read_checkpassword_request(pipe_with(std::string("a@b.c\0\0\0", 8)));
        CHECK(request.password.empty());
    }
}

TEST_CASE("checkpassword input: missing NULs, over 512 bytes and no descriptor are refused", "[host-login]")
{
    CHECK_THROWS_AS(read_checkpassword_request(pipe_with("")), InvalidInput);
    CHECK_THROWS_AS(read_checkpassword_request(pipe_with("a@b.c")), InvalidInput);
    CHECK_THROWS_AS(read_checkpassword_request(pipe_with(std::string("a@b.c\0pw", 8))), InvalidInput);
    CHECK_THROWS_AS(read_checkpassword_request(pipe_with(std::string("a@b.c\0pw\0", 9))), InvalidInput);
    const std::string at_limit = "a@b.c" + std::string(1, '\0') + std::string(504, 'p') + '\0' + '\0';
    REQUIRE(at_limit.size() == 512);
    CHECK(read_checkpassword_request(pipe_with(at_limit)).password.size() == 504);
    CHECK_THROWS_AS(read_checkpassword_request(pipe_with(at_limit + 'x')), InvalidInput);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);
    ::close(fds[1]);
    CHECK_THROWS_AS(read_checkpassword_request(fds[0]), UsageError);
}

TEST_CASE("home templates take %u, %n, %d and %% only, an absolute path, no escape from the folder", "[host-login]")
{
    CHECK_NOTHROW(check_home_template("/var/mail/%u"));
    CHECK_NOTHROW(check_home_template("/var/vmail/%d/%n/100%%"));
    CHECK_THROWS_AS(check_home_template("var/mail/%u"), UsageError);
    CHECK_THROWS_AS(check_home_template(""), UsageError);
    CHECK_THROWS_AS(check_home_template("/var/mail/%x"), UsageError);
    CHECK_THROWS_AS(check_home_template("/var/mail/%"), UsageError);
    CHECK_THROWS_AS(check_home_template("/var/mail/\t%u"), UsageError);
    CHECK(expand_home_template("/var/mail/%u", "ada@example.com") == "/var/mail/ada@example.com");
    CHECK(expand_home_template("/var/vmail/%d/%n/100%%", "ada@example.com") == "/var/vmail/example.com/ada/100%");
    CHECK_THROWS_AS(expand_home_template("/var/mail/%u", "../../etc@example.com"), InvalidInput);
    CHECK_THROWS_AS(expand_home_template("/var/vmail/%d/%n", "..@example.com"), InvalidInput);
    CHECK_THROWS_AS(expand_home_template("/var/vmail/%d/%n", "ada@."), InvalidInput);
    CHECK_THROWS_AS(expand_home_template("/var/mail/%u", "a\tb@example.com"), InvalidInput);
    // A part the template does not use cannot refuse it.
    CHECK(expand_home_template("/var/vmail/%d", "a/b@example.com") == "/var/vmail/example.com");
}

TEST_CASE("host logins drop every variable that gives a setting, and can put back the very same entries", "[host-login]")
{
    const char* names[] = {"USERSCTL_VERIFIER", "USERSCTL_DATABASE_URL", "DATABASE_URL", "SQLALCHEMY_DATABASE_URI",
                           "PGHOST", "PGPASSFILE", "PGSERVICEFILE", "HOME", "XDG_CONFIG_HOME"};
    std::vector<std::optional<std::string>> before;
    for (const char* name : names) {
        const char* value = std::getenv(name);
        before.push_back(value == nullptr ? std::nullopt : std::optional<std::string>(value));
        ::setenv(name, "hostile", 1);
    }
    ::setenv("PAM_USER", "ada@example.com", 1);
    const auto entries = environment_entries();
    const char* pam_user_before = std::getenv("PAM_USER");
    drop_environment_settings();
    for (const char* name : names) {
        INFO(name);
        CHECK(std::getenv(name) == nullptr);
    }
    CHECK(std::string(std::getenv("PAM_USER")) == "ada@example.com");
    restore_environment(entries);
    CHECK(std::getenv("PAM_USER") == pam_user_before);  // the same memory, not a copy
    for (const char* name : names) {
        INFO(name);
        REQUIRE(std::getenv(name) != nullptr);
        CHECK(std::string(std::getenv(name)) == "hostile");
    }
    for (std::size_t i = 0; i < before.size(); ++i) {
        if (before[i]) {
            ::setenv(names[i], before[i]->c_str(), 1);
        } else {
            ::unsetenv(names[i]);
        }
    }
    ::unsetenv("PAM_USER");
}

TEST_CASE("checkpassword statuses: only a match is 0, only a rejection is 1, trouble is 111", "[host-login]")
{
    CHECK(checkpassword_status(ExitCode::ok) == CheckpasswordStatus::ok);
    CHECK(checkpassword_status(ExitCode::mismatch) == CheckpasswordStatus::rejected);
    CHECK(checkpassword_status(ExitCode::usage) == CheckpasswordStatus::misuse);
    CHECK(checkpassword_status(ExitCode::data_error) == CheckpasswordStatus::misuse);
    CHECK(checkpassword_status(ExitCode::no_account) == CheckpasswordStatus::no_user);
    for (const auto& info : k_exit_codes) {
        const auto status = checkpassword_status(info.code);
        if (info.code != ExitCode::ok) {
            CHECK(status != CheckpasswordStatus::ok);
        }
        if (info.code != ExitCode::mismatch) {
            CHECK(status != CheckpasswordStatus::rejected);
        }
    }
    for (const ExitCode code : {ExitCode::unavailable, ExitCode::temporary, ExitCode::config, ExitCode::permission,
                                ExitCode::internal, ExitCode::interrupted, ExitCode::no_input}) {
        CHECK(checkpassword_status(code) == CheckpasswordStatus::temporary);
    }
}

TEST_CASE("a host login keeps only what the interfaces pass, and PATH", "[host-login]")
{
    const auto entries = environment_entries();  // to put this process's environment back after
    ::setenv("PAM_USER", "ada@example.com", 1);
    ::setenv("AUTHORIZED", "1", 1);
    ::setenv("OPENSSL_CONF", "/tmp/evil.cnf", 1);
    ::setenv("KRB5_TRACE", "/etc/nologin", 1);
    ::setenv("LC_ALL", "tr_TR.UTF-8", 1);
    const auto snapshot = environment_snapshot();
    keep_only_login_environment(snapshot);
    CHECK(std::string(std::getenv("PAM_USER")) == "ada@example.com");
    CHECK(std::string(std::getenv("AUTHORIZED")) == "1");
    CHECK(std::getenv("OPENSSL_CONF") == nullptr);
    CHECK(std::getenv("KRB5_TRACE") == nullptr);
    CHECK(std::getenv("LC_ALL") == nullptr);
    std::size_t count = 0;
    for (const auto& entry : environment_snapshot()) {
        const std::string name = entry.substr(0, entry.find('='));
        CHECK((name.rfind("PAM_", 0) == 0 || name == "AUTHORIZED" || name == "CREDENTIALS_LOOKUP" || name == "PATH"));
        ++count;
    }
    CHECK(count >= 2);
    restore_environment(entries);
    for (const char* name : {"PAM_USER", "AUTHORIZED", "OPENSSL_CONF", "KRB5_TRACE", "LC_ALL"}) {
        ::unsetenv(name);
    }
}
