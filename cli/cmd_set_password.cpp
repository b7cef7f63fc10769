// usersctl set-password: replace the password of an existing account.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/accounts.hpp"
#include "core/new_password.hpp"
#include "core/output.hpp"

#include <spdlog/spdlog.h>

namespace usersctl::cli {

namespace {

struct SetPasswordOptions {
    AccountKeyOptions account;
    PasswordOptions password;
    HashOptions hash;
    bool json = false;
};

ExitCode run_set_password(const Context& context, const SetPasswordOptions& options)
{
    const AccountKey key = account_key(options.account);
    const HashSettings settings = hash_settings(context, options.hash);
    const TableName table = context.table();
    const NewPassword password =
        make_new_password(password_input(options.password), settings, policy_options(context, options.hash, {key.email}));
    Database db(context.database_options());
    const Secret* generated = password.generated ? &*password.generated : nullptr;
    // A generated password is delivered before the commit, so it cannot be lost after it.
    const WriteResult result = set_password(db, table, key, password.hash, [&](const WriteResult& written) {
        if (generated != nullptr) {
            deliver_before_commit(write_result_output(written, generated, options.json));
        }
    });
    if (generated == nullptr) {
        write_stdout(write_result_output(result, nullptr, options.json));
    }
    spdlog::info("set the password of {} (id {})", result.email, result.id);
    return ExitCode::ok;
}

}  // namespace

void register_set_password(CLI::App& app, Context& context)
{
    add_command(app, "set-password", "Replace the password of an existing account", [&context](CLI::App& command) {
        auto options = std::make_shared<SetPasswordOptions>();
        auto* cmd = &command;
        add_account_key_options(*cmd, options->account);
        cmd->add_flag("--json", options->json, "Print what happened as one JSON object");
        add_password_options(*cmd, options->password, true);
        add_hash_options(*cmd, options->hash, true);
        on_run(*cmd, context, options, run_set_password);
    });
}

}  // namespace usersctl::cli
