// usersctl delete-user: delete an account (or a list of them), after confirmation on a terminal.

#include "cli/options.hpp"
#include "core/accounts.hpp"
#include "core/bulk_delete.hpp"
#include "core/errors.hpp"
#include "core/import/input_file.hpp"
#include "core/output.hpp"
#include "core/text.hpp"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace usersctl::cli {

namespace {

struct DeleteUserOptions {
    AccountKeyOptions account;
    std::optional<std::string> from_file;
    bool yes = false;
    bool if_exists = false;
    bool dry_run = false;
    bool json = false;
};

bool confirmed_count(std::size_t count)
{
    std::fprintf(stderr, "Delete %zu account%s? [y/N] ", count, count == 1 ? "" : "s");
    std::fflush(stderr);
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

void write_bulk_json(const std::vector<StoredAccount>& accounts, const BulkDeletePlan& plan, bool dry_run)
{
    nlohmann::ordered_json out;
    out["deleted"] = nlohmann::ordered_json::array();
    for (const auto& account : accounts) {
        out["deleted"].push_back({{"id", account.id}, {"email", to_valid_utf8(account.email)}});
    }
    out["not_found_lines"] = plan.not_found_lines;
    out["dry_run"] = dry_run;
    write_stdout(out.dump() + "\n");
}

// --from-file: every listed account, in one transaction, after one confirmation of the count.
ExitCode run_bulk(const Context& context, const DeleteUserOptions& options)
{
    const bool from_stdin = *options.from_file == "-";
    if (!options.yes && !options.dry_run && (from_stdin || ::isatty(STDIN_FILENO) == 0)) {
        throw UsageError(from_stdin ? "delete-user --from-file - needs --yes (stdin is the list, not an answer)"
                                    : "delete-user needs --yes when stdin is not a terminal");
    }
    InputFile input(*options.from_file);
    const auto emails = read_email_list([&](char* buffer, std::size_t size) { return input.read(buffer, size); });
    const TableName table = context.table();
    Database db(context.database_options());
    const BulkDeletePlan plan = plan_bulk_delete(db, table, emails, options.if_exists);
    if (options.dry_run) {
        for (const auto& account : plan.accounts) {
            spdlog::info("would delete account {} (id {})", escape_for_terminal(account.email), account.id);
        }
        spdlog::info("dry run: {} account{} would be deleted; nothing was written", plan.accounts.size(),
                     plan.accounts.size() == 1 ? "" : "s");
        if (options.json) {
            write_bulk_json(plan.accounts, plan, true);
        }
        return ExitCode::ok;
    }
    if (!options.yes && !plan.accounts.empty() && !confirmed_count(plan.accounts.size())) {
        spdlog::info("nothing deleted");
        return ExitCode::mismatch;
    }
    const std::vector<StoredAccount> deleted =
        plan.accounts.empty() ? std::vector<StoredAccount>{} : run_bulk_delete(db, table, plan, options.if_exists);
    if (options.json) {
        write_bulk_json(deleted, plan, false);
    }
    spdlog::info("deleted {} account{}", deleted.size(), deleted.size() == 1 ? "" : "s");
    return ExitCode::ok;
}

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
    if (options.from_file) {
        return run_bulk(context, options);
    }
    if (options.dry_run) {
        throw UsageError("--dry-run goes with --from-file", "without it, the confirmation prompt shows the account");
    }
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
    add_command(app, "delete-user", "Delete an account", [&context](CLI::App& command) {
        auto options = std::make_shared<DeleteUserOptions>();
        auto* cmd = &command;
        add_account_key_options(*cmd, options->account);
        auto* from_file = cmd->add_option("--from-file", options->from_file,
                                          "Delete the accounts of a list of emails (one per line; blank lines and # "
                                          "comments skipped), all or nothing")
                              ->type_name("FILE|-");
        from_file->excludes(cmd->get_option("email"))->excludes(cmd->get_option("--id"));
        cmd->add_flag("--dry-run", options->dry_run, "With --from-file: list what would be deleted; delete nothing");
        cmd->add_flag("-y,--yes", options->yes, "Do not ask for confirmation (required without a terminal)");
        cmd->add_flag("--if-exists", options->if_exists,
                      "Exit 0 if there is no such account (with --from-file: delete the listed accounts that exist)");
        cmd->add_flag("--json", options->json, "Print what happened as one JSON object");
        on_run(*cmd, context, options, run_delete_user);
    });
}

}  // namespace usersctl::cli
