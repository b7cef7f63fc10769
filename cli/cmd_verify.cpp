// usersctl verify: exit 0 when the password matches, 1 when it does not or there is no account.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/accounts.hpp"

#include <spdlog/spdlog.h>

namespace usersctl::cli {

namespace {

struct VerifyCommandOptions {
    AccountKeyOptions account;
    PasswordOptions password;
    HashOptions hash;
    bool record_login = false;
    bool rehash = false;
};

ExitCode run_verify(const Context& context, const VerifyCommandOptions& options)
{
    const AccountKey key = account_key(options.account);
    VerifyOptions verify;
    verify.settings = hash_settings(context, options.hash);
    verify.record_login = options.record_login;
    verify.rehash = options.rehash;
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
    auto options = std::make_shared<VerifyCommandOptions>();
    auto* cmd = app.add_subcommand("verify", "Check a password: exit 0 on a match, 1 otherwise");
    add_account_key_options(*cmd, options->account);
    cmd->add_flag("--record-login", options->record_login,
                  "On a match, record a login as the web app does (last_login_at, login_count)");
    cmd->add_flag("--rehash", options->rehash,
                  "On a match, store a fresh hash if the stored one is not in --scheme at --cost");
    add_password_options(*cmd, options->password, false);
    add_hash_options(*cmd, options->hash, false);
    on_run(*cmd, context, options, run_verify);
}

}  // namespace usersctl::cli
