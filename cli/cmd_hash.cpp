// usersctl hash: print a hash of a password, or check one, without a database (like mkpasswd).

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/new_password.hpp"
#include "core/output.hpp"

namespace usersctl::cli {

namespace {

struct HashCommandOptions {
    PasswordOptions password;
    HashOptions hash;
    std::optional<std::string> verify;  // --verify HASH; an empty HASH is given, and never matches
};

ExitCode run_hash(const Context& context, const HashCommandOptions& options)
{
    if (options.verify) {
        const ObtainedPassword password = obtain_password(password_input(options.password), false);
        return verify_password(password.secret.view(), *options.verify) ? ExitCode::ok : ExitCode::mismatch;
    }
    const HashSettings settings = hash_settings(context, options.hash);
    const NewPassword password = make_new_password(password_input(options.password), settings, policy_options(context, options.hash));
    if (password.generated) {
        write_stdout(password.generated->view());
        write_stdout("\n");
    }
    write_stdout(password.hash + "\n");
    return ExitCode::ok;
}

}  // namespace

void register_hash(CLI::App& app, Context& context)
{
    const char* const description = "Print the hash of a password (no database), or check one with --verify";
    add_command(app, "hash", description, [&context](CLI::App& command) {
        auto options = std::make_shared<HashCommandOptions>();
        auto* cmd = &command;
        add_password_options(*cmd, options->password, true);
        add_hash_options(*cmd, options->hash, true);
        cmd->add_option("--verify", options->verify, "Exit 0 if the password matches HASH, 1 if not")->type_name("HASH");
        on_run(*cmd, context, options, run_hash);
    });
}

}  // namespace usersctl::cli
