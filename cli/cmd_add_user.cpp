// usersctl add-user: create one account.

#include "cli/options.hpp"
#include "core/accounts.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/password_policy.hpp"
#include "core/verifier.hpp"
#include "core/output.hpp"

#include <spdlog/spdlog.h>

namespace usersctl::cli {

namespace {

struct AddUserOptions {
    std::string email;
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    PasswordOptions password;
    HashOptions hash;
    bool if_not_exists = false;
    bool update_existing = false;
    bool json = false;
};

// --update-existing with the password the account already has: its stored hash is written back,
// so the row is left alone (and reported unchanged) unless a name differs. A stored hash the
// verifier cannot read is replaced, since the app could not check it.
std::string password_hash_for(const Context& context, Database& db, const TableName& table, const std::string& email,
                              const ObtainedPassword& password, const HashSettings& settings, bool update_existing)
{
    if (update_existing && !password.generated) {
        const auto existing = find_user(db, table, AccountKey{email, std::nullopt});
        if (existing && can_read_stored(context.verifier(), existing->password_hash) &&
            verify_password(password.secret.view(), existing->password_hash)) {
            return existing->password_hash;
        }
    }
    return hash_password(password.secret.view(), settings);
}

ExitCode run_add_user(const Context& context, const AddUserOptions& options)
{
    NewAccount account;
    account.email = normalise_new_email(options.email);
    account.first_name = checked_name(options.first_name, "first name");
    account.last_name = checked_name(options.last_name, "last name");
    const HashSettings settings = hash_settings(context, options.hash);
    const TableName table = context.table();
    // Read and check the password before connecting; an existing account with --if-not-exists
    // then needs no hashing at all.
    const PolicyOptions policy = policy_options(context,
        options.hash, {account.email, account.first_name.value_or(""), account.last_name.value_or("")});
    const ObtainedPassword password = obtain_password(password_input(options.password), true);
    if (!password.generated) {
        check_password_policy(password.secret.view(), settings.scheme, policy);
    }
    Database db(context.database_options());
    if (options.if_not_exists) {
        if (const auto existing = find_user(db, table, AccountKey{account.email, std::nullopt})) {
            spdlog::info("an account for {} already exists (id {}); unchanged", existing->email, existing->id);
            if (options.json) {
                write_stdout(write_result_json(WriteResult{existing->id, existing->email, false, false}, nullptr));
            }
            return ExitCode::ok;
        }
    }
    account.password_hash = password_hash_for(context, db, table, account.email, password, settings,
                                              options.update_existing);
    const OnExisting on_existing = options.update_existing ? OnExisting::update
                                   : options.if_not_exists ? OnExisting::keep
                                                           : OnExisting::fail;
    const Secret* generated = password.generated ? &password.secret : nullptr;
    // A generated password is delivered before the commit: an account nobody can log in to
    // is never left behind.
    const WriteResult result = add_user(db, table, account, on_existing, [&](const WriteResult& written) {
        if (generated != nullptr && written.changed) {
            deliver_before_commit(write_result_output(written, generated, options.json));
        }
    });
    if (generated == nullptr || !result.changed) {
        write_stdout(write_result_output(result, nullptr, options.json));
    }
    if (result.created) {
        spdlog::info("created account {} (id {})", result.email, result.id);
    } else if (result.changed) {
        spdlog::info("updated account {} (id {})", result.email, result.id);
    } else {
        spdlog::info("an account for {} already exists (id {}); unchanged", result.email, result.id);
    }
    return ExitCode::ok;
}

}  // namespace

void register_add_user(CLI::App& app, Context& context)
{
    add_command(app, "add-user", "Create an account", [&context](CLI::App& command) {
        auto options = std::make_shared<AddUserOptions>();
        auto* cmd = &command;
        cmd->add_option("email", options->email, "Email address (stored lower-cased)")->required();
        cmd->add_option("--first-name", options->first_name, "First name (default: empty)");
        cmd->add_option("--last-name", options->last_name, "Last name (default: empty)");
        auto* keep = cmd->add_flag("--if-not-exists", options->if_not_exists, "Exit 0 and change nothing if the account exists");
        auto* update = cmd->add_flag("--update-existing", options->update_existing,
                                     "If the account exists, set its password and the names given");
        keep->excludes(update);
        cmd->add_flag("--json", options->json, "Print what happened as one JSON object");
        add_password_options(*cmd, options->password, true);
        add_hash_options(*cmd, options->hash, true);
        on_run(*cmd, context, options, run_add_user);
    });
}

}  // namespace usersctl::cli
