// usersctl update-user: change the email or names of an account, or clear its last login.

#include "cli/options.hpp"
#include "core/accounts.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/output.hpp"

#include <spdlog/spdlog.h>

namespace usersctl::cli {

namespace {

struct UpdateUserOptions {
    AccountKeyOptions account;
    std::optional<std::string> new_email;
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    bool clear_last_login = false;
    bool json = false;
};

ExitCode run_update_user(const Context& context, const UpdateUserOptions& options)
{
    const AccountKey key = account_key(options.account);
    AccountChanges changes;
    if (options.new_email) {
        changes.new_email = normalise_new_email(*options.new_email);
    }
    changes.first_name = checked_name(options.first_name, "first name");
    changes.last_name = checked_name(options.last_name, "last name");
    changes.clear_last_login = options.clear_last_login;
    if (!changes.new_email && !changes.first_name && !changes.last_name && !changes.clear_last_login) {
        throw UsageError("nothing to change", "give --new-email, --first-name, --last-name or --clear-last-login");
    }
    Database db(context.database_options());
    const WriteResult result = update_user(db, context.table(), key, changes);
    if (options.json) {
        write_stdout(write_result_json(result, nullptr));
    }
    spdlog::info(result.changed ? "updated account {} (id {})" : "account {} (id {}) already as given; unchanged",
                 result.email, result.id);
    return ExitCode::ok;
}

}  // namespace

void register_update_user(CLI::App& app, Context& context)
{
    add_command(app, "update-user", "Change the email or names of an account, or clear its last login",
                [&context](CLI::App& command) {
                    auto options = std::make_shared<UpdateUserOptions>();
                    auto* cmd = &command;
                    add_account_key_options(*cmd, options->account);
                    cmd->add_option("--new-email", options->new_email, "New email address");
                    cmd->add_option("--first-name", options->first_name, "New first name");
                    cmd->add_option("--last-name", options->last_name, "New last name");
                    cmd->add_flag("--clear-last-login", options->clear_last_login,
                                  "Set last_login_at to NULL, e.g. a year the web app cannot load");
                    cmd->add_flag("--json", options->json, "Print what happened as one JSON object");
                    on_run(*cmd, context, options, run_update_user);
                });
}

}  // namespace usersctl::cli
