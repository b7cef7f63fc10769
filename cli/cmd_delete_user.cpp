// usersctl delete-user: delete an account, after confirmation on a terminal.

#include "cli/options.hpp"
#include "core/accounts.hpp"
#include "core/errors.hpp"
#include "core/output.hpp"

#include <cstdio>
#include <iostream>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace usersctl::cli {

namespace {

struct DeleteUserOptions {
    AccountKeyOptions account;
    bool yes = false;
    bool if_exists = false;
    bool json = false;
};

bool confirmed(const std::string& email, std::int64_t id)
{
    std::fprintf(stderr, "Delete account %s (id %lld)? [y/N] ", email.c_str(), static_cast<long long>(id));
    std::fflush(stderr);
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

ExitCode run_delete_user(const Context& context, const DeleteUserOptions& options)
{
    const AccountKey key = account_key(options.account);
    if (!options.yes && ::isatty(STDIN_FILENO) == 0) {
        throw UsageError("delete-user needs --yes when stdin is not a terminal");
    }
    const TableName table = context.table();
    Database db(context.database_options());
    const auto account = find_user(db, table, key);
    if (!account) {
        if (options.if_exists) {
            spdlog::info("no account for {}; nothing to delete", key.display());
            if (options.json) {
                write_stdout(write_result_json(WriteResult{0, key.email, false, false}, nullptr));
            }
            return ExitCode::ok;
        }
        throw NotFound("no account for " + key.display(), "use --if-exists to accept that");
    }
    if (!options.yes && !confirmed(account->email, account->id)) {
        spdlog::info("not deleted");
        return ExitCode::mismatch;
    }
    // The account confirmed is the one deleted, even if its email changed meanwhile.
    WriteResult result;
    try {
        result = delete_user(db, table, AccountKey{{}, account->id});
    } catch (const NotFound&) {
        if (!options.if_exists) {
            throw;
        }
        result = WriteResult{0, account->email, false, false};
    }
    if (options.json) {
        write_stdout(write_result_json(result, nullptr));
    }
    if (result.changed) {
        spdlog::info("deleted account {} (id {})", result.email, result.id);
    }
    return ExitCode::ok;
}

}  // namespace

void register_delete_user(CLI::App& app, Context& context)
{
    auto options = std::make_shared<DeleteUserOptions>();
    auto* cmd = app.add_subcommand("delete-user", "Delete an account");
    add_account_key_options(*cmd, options->account);
    cmd->add_flag("-y,--yes", options->yes, "Do not ask for confirmation (required without a terminal)");
    cmd->add_flag("--if-exists", options->if_exists, "Exit 0 if there is no such account");
    cmd->add_flag("--json", options->json, "Print what happened as one JSON object");
    on_run(*cmd, context, options, run_delete_user);
}

}  // namespace usersctl::cli
