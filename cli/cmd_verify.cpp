// usersctl verify: exit 0 when the password matches, 1 when it does not or there is no account.
// With --pam, the same check as a backend of pam_exec (expose_authtok).

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/accounts.hpp"
#include "core/host_login.hpp"

#include <cstdlib>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace usersctl::cli {

namespace {

struct VerifyCommandOptions {
    AccountKeyOptions account;
    PasswordOptions password;
    HashOptions hash;
    bool record_login = false;
    bool rehash = false;
    bool pam = false;
};

bool is_host_login(const VerifyCommandOptions& options)
{
    return options.pam;
}

VerifyOptions verify_options(const Context& context, const VerifyCommandOptions& options)
{
    VerifyOptions verify;
    verify.settings = hash_settings(context, options.hash);
    verify.record_login = options.record_login;
    verify.rehash = options.rehash;
    return verify;
}

std::string pam_variable(const char* name)
{
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

// pam_exec expose_authtok: the user from PAM_USER, the password on stdin. Anything but a match
// is 1 (pam_exec fails the module on any non-zero status); problems with the database or the
// settings keep their usual codes and reach syslog through main().
ExitCode run_pam(const Context& context, const VerifyCommandOptions& options)
{
    const PasswordOptions& given = options.password;
    if (!options.account.email.empty() || options.account.id || given.from_stdin || !given.file.empty() ||
        given.fd >= 0 || !given.env.empty()) {
        throw UsageError("--pam takes the user from PAM_USER and the password from stdin",
                         "give no EMAIL, --id or password option with it");
    }
    const std::string type = pam_variable("PAM_TYPE");
    if (!type.empty() && type != "auth") {
        throw UsageError("verify --pam answers the auth stack only, not PAM_TYPE=" + type.substr(0, 32),
                         "use it as 'auth ... pam_exec.so expose_authtok ...'");
    }
    const std::string user = pam_variable("PAM_USER");
    if (user.empty()) {
        throw UsageError("PAM_USER is not set", "verify --pam is meant to be run by pam_exec");
    }
    if (::isatty(STDIN_FILENO) != 0) {
        // Typed by hand, the password would be echoed: pam_exec writes it through a pipe.
        throw UsageError("verify --pam reads the password pam_exec writes on stdin, not a terminal",
                         "to check a password by hand, use 'usersctl verify EMAIL'");
    }
    const VerifyOptions verify = verify_options(context, options);
    const TableName table = context.table();
    std::optional<Secret> password = read_pam_authtok(STDIN_FILENO);
    if (!password || password->empty()) {
        spdlog::info("no match: the password from PAM is empty or longer than 512 bytes");
        return ExitCode::mismatch;
    }
    const std::optional<std::string> email = login_email(user);
    if (!email || *email != user) {
        // PAM grants the name it was given: only the email exactly as the app stores it may log
        // in, never another spelling of it (" Ada@Example.com", a Kelvin sign for a K), which the
        // host could take for another user. At the usual cost.
        dummy_check(password->view(), verify.settings);
        return ExitCode::mismatch;
    }
    Database db(context.database_options());
    const auto account = verify_account(db, table, AccountKey{*email, std::nullopt}, password->view(), verify);
    return account && account->email == user ? ExitCode::ok : ExitCode::mismatch;
}

ExitCode run_verify(const Context& context, const VerifyCommandOptions& options)
{
    if (options.pam) {
        return run_pam(context, options);
    }
    const AccountKey key = account_key(options.account);
    const VerifyOptions verify = verify_options(context, options);
    const TableName table = context.table();
    const ObtainedPassword password = obtain_password(password_input(options.password), false);
    Database db(context.database_options());
    if (verify_user(db, table, key, password.secret.view(), verify)) {
        return ExitCode::ok;
    }
    // The same words whether the account is missing or the password is wrong.
    spdlog::info("no match for {}", key.display());
    return ExitCode::mismatch;
}

}  // namespace

void register_verify(CLI::App& app, Context& context)
{
    add_command(app, "verify", "Check a password: exit 0 on a match, 1 otherwise", [&context](CLI::App& command) {
        auto options = std::make_shared<VerifyCommandOptions>();
        auto* cmd = &command;
        add_account_key_options(*cmd, options->account);
        cmd->add_flag("--record-login", options->record_login,
                      "On a match, record a login as the web app does (last_login_at, login_count)");
        cmd->add_flag("--rehash", options->rehash,
                      "On a match, store a fresh hash if the stored one is not in --scheme at --cost");
        cmd->add_flag("--pam", options->pam,
                      "Be a PAM backend for pam_exec expose_authtok: user from PAM_USER, password on stdin, no "
                      "setting from the environment");
        add_password_options(*cmd, options->password, false);
        add_hash_options(*cmd, options->hash, false);
        on_run(*cmd, context, options, run_verify, is_host_login);
    });
}

}  // namespace usersctl::cli
