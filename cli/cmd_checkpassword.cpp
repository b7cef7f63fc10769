// usersctl checkpassword: the checkpassword interface (qmail, dovecot's passdb and userdb):
// login and password on descriptor 3; on a match, USER (and HOME) set and PROG run.

#include "cli/options.hpp"
#include "core/accounts.hpp"
#include "core/host_login.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace usersctl::cli {

namespace {

constexpr int k_login_fd = 3;

struct CheckpasswordOptions {
    std::optional<std::string> home;
    bool record_login = false;
};

bool variable_is(const char* name, const char* value)
{
    const char* set = std::getenv(name);
    return set != nullptr && std::strcmp(set, value) == 0;
}

// The caller's environment with `changes` ("NAME=value") in place of same-named entries.
std::vector<std::string> with_changes(std::vector<std::string> environment, const std::vector<std::string>& changes)
{
    for (const auto& change : changes) {
        const std::string_view name = variable_name(change);
        environment.erase(std::remove_if(environment.begin(), environment.end(),
                                         [name](const std::string& e) { return variable_name(e) == name; }),
                          environment.end());
        environment.push_back(change);
    }
    return environment;
}

// Runs PROG with the account's USER (and HOME, and AUTHORIZED=2 for a userdb lookup); returns
// only when there is no PROG (qmail style: exit 0) or it cannot be run.
ExitCode hand_on(const Context& context, const CheckpasswordOptions& options, const std::string& email, bool lookup)
{
    std::vector<std::string> changes{"USER=" + email};
    if (options.home) {
        changes.push_back("HOME=" + expand_home_template(*options.home, email));
    }
    if (lookup) {
        changes.push_back("AUTHORIZED=2");
    }
    if (context.program.empty()) {
        return ExitCode::ok;
    }
    const std::vector<std::string> environment = with_changes(context.environment, changes);
    std::vector<char*> envp;
    for (const auto& e : environment) {
        envp.push_back(const_cast<char*>(e.c_str()));
    }
    envp.push_back(nullptr);
    std::vector<char*> argv;
    for (const auto& a : context.program) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    ::execvpe(argv[0], argv.data(), envp.data());
    const int error = errno;
    if (error == ENOENT || error == EACCES || error == ENOTDIR || error == ENOEXEC) {
        // A program that is not there will not be there on a retry: misuse, not temporary.
        throw UsageError("cannot run " + context.program[0] + ": " + std::strerror(error));
    }
    throw Unavailable("cannot run " + context.program[0] + ": " + std::strerror(error));
}

ExitCode run_checkpassword(const Context& context, const CheckpasswordOptions& options)
{
    if (!context.program.empty() && context.program[0].rfind('-', 0) == 0) {
        // An option no command takes ended up first: a typo, not a program.
        throw UsageError("checkpassword was given an option it does not take (not repeated here)",
                         "see 'usersctl checkpassword --help'");
    }
    if (options.home) {
        check_home_template(*options.home);
    }
    // dovecot sets AUTHORIZED=1 for a userdb lookup (no password to check), and also
    // CREDENTIALS_LOOKUP=1 when it wants the stored password itself, which no caller gets.
    const bool lookup = variable_is("AUTHORIZED", "1");
    if (lookup && variable_is("CREDENTIALS_LOOKUP", "1")) {
        throw UsageError("checkpassword cannot hand out stored passwords (CREDENTIALS_LOOKUP=1)",
                         "use it with plaintext mechanisms only: auth_mechanisms = plain login");
    }
    if (lookup && context.program.empty()) {
        throw UsageError("a userdb lookup (AUTHORIZED=1) needs PROG to answer through",
                         "dovecot passes its checkpassword-reply");
    }
    if (::isatty(k_login_fd) != 0) {
        // Typed by hand, the password would be echoed.
        throw UsageError("descriptor 3 is a terminal", "checkpassword reads what its caller writes through a pipe");
    }
    CheckpasswordRequest request = read_checkpassword_request(k_login_fd);
    VerifyOptions verify;
    verify.settings = hash_settings(context, HashOptions{});
    verify.record_login = options.record_login && !lookup;
    const std::optional<std::string> email = login_email(request.login);
    std::optional<StoredAccount> account;
    {
        Database db(context.database_options());
        const TableName table = context.table();
        if (lookup) {
            account = email ? find_user(db, table, AccountKey{*email, std::nullopt}) : std::nullopt;
            if (!account) {
                return ExitCode::no_account;
            }
        } else if (!email || request.password.empty()) {
            dummy_check(request.password.view(), verify.settings);
        } else {
            account = verify_account(db, table, AccountKey{*email, std::nullopt}, request.password.view(), verify);
        }
    }
    request.password.clear();
    if (!account) {
        spdlog::info("no match for the login given");
        return ExitCode::mismatch;
    }
    return hand_on(context, options, account->email, lookup);
}

}  // namespace

void register_checkpassword(CLI::App& app, Context& context)
{
    const char* const description =
        "Check a login on descriptor 3 for qmail or dovecot (the checkpassword interface), then run PROG ARGS..., "
        "the words after the options (dovecot: checkpassword-reply)";
    add_command(app, "checkpassword", description, [&context](CLI::App& command) {
        auto options = std::make_shared<CheckpasswordOptions>();
        auto* cmd = &command;
        cmd->add_option("--home", options->home,
                        "On a match, set HOME from TEMPLATE: %u the email, %n its local part, %d its domain, %% a %")
            ->type_name("TEMPLATE");
        cmd->add_flag("--record-login", options->record_login,
                      "On a match, record a login as the web app does (last_login_at, login_count)");
        cmd->footer("Global options (-d/--database-url, --table, --verifier, --config, ...) go before PROG: see "
                    "'usersctl --help'; none is taken from the environment. Exit statuses (the checkpassword "
                    "protocol's): 0 match (or PROG's status), 1 rejected, 2 misuse, 3 no such account (userdb "
                    "lookup), 111 temporary failure. See usersctl-checkpassword(1).");
        // main() hands over the words from the first that is not an option on (context.program).
        cmd->callback([&context, options] {
            context.takes_program = true;
            context.host_login = true;
            context.exit_status = [](ExitCode code) { return static_cast<int>(checkpassword_status(code)); };
            context.run = [&context, options] { return run_checkpassword(context, *options); };
        });
    });
}

}  // namespace usersctl::cli
