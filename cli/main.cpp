// usersctl: administer the users table of a web application in PostgreSQL.
// main() builds the command line, runs the chosen command, and is the one place that turns
// errors into messages and exit codes.

#include "cli/config.hpp"
#include "cli/options.hpp"
#include "cli/version_text.hpp"
#include "core/errors.hpp"
#include "core/host_login.hpp"
#include "core/logging.hpp"
#include "core/output.hpp"
#include "core/secret.hpp"

#include <algorithm>
#include <optional>
#include <csignal>
#include <cstdio>
#include <spdlog/spdlog.h>
#include <unistd.h>

using namespace usersctl;

namespace {

// CLI11's message, unless it would repeat a value from the command line: a password typed where
// an option value or an argument was expected must not reach a terminal, a log or CI output.
std::string describe_parse_error(const CLI::ParseError& e)
{
    const std::string text = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
        return "unexpected arguments (not repeated here: one may be a password; passwords are never "
               "given as arguments)";
    }
    if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr ||
        dynamic_cast<const CLI::ConversionError*>(&e) != nullptr) {
        const auto start = text.find("--");
        const auto end = start == std::string::npos ? start : text.find_first_not_of("abcdefghijklmnopqrstuvwxyz-", start + 2);
        const std::string option = start == std::string::npos ? "an option" : text.substr(start, end - start);
        return option + " has a value it does not take (not repeated here, in case it is a password)";
    }
    return text;
}

// Adds the global options and declares every command (each gets its options when parsed).
void add_commands(CLI::App& app, cli::Context& context, int argc, char** argv)
{
    // --show-config COMMAND shows a command's settings without the arguments running it needs.
    if (std::any_of(argv + 1, argv + argc, [](const char* a) { return std::string(a) == "--show-config"; })) {
        cli::make_positionals_optional();
    }
    cli::add_global_options(app, context.global);
    cli::add_config_options(app, context.global);
    cli::register_init_db(app, context);
    cli::register_hash(app, context);
    cli::register_add_user(app, context);
    cli::register_verify(app, context);
    cli::register_set_password(app, context);
    cli::register_update_user(app, context);
    cli::register_delete_user(app, context);
    cli::register_list(app, context);
    cli::register_import(app, context);
    cli::register_apply(app, context);
    cli::register_export(app, context);
    cli::register_doctor(app, context);
    cli::register_checkpassword(app, context);
}

// Parses the command line into `context`; an exit status when the process should end now
// (--help, --version, a usage error).
//
// Host logins (verify --pam, checkpassword) take no setting from the environment, which the
// person logging in may partly control, and an invalid value there must not stop them. The
// parser decides what the command is: parse once without those variables and, unless it is a
// host login, put them back and parse again.
std::optional<int> parse_command_line(CLI::App& app, cli::Context& context, int argc, char** argv)
{
    const std::vector<char*> original_environment = environment_entries();
    drop_environment_settings();
    bool host_login = false;
    try {
        app.parse(argc, argv);
        host_login = context.host_login;
    } catch (const std::exception&) {
        // Parsed again below, with the environment, where the error is reported.
    }
    if (host_login) {
        // From here on no library may find a setting of the caller's in the environment. The
        // entries dropped above are still in memory (unsetenv frees nothing it did not allocate).
        context.environment.assign(original_environment.begin(), original_environment.end());
        keep_only_login_environment(context.environment);
    } else {
        restore_environment(original_environment);
        app.clear();
        context.run = nullptr;
        context.host_login = false;
        context.exit_status = nullptr;
        context.takes_program = false;
        try {
            app.parse(argc, argv);
        } catch (const CLI::Success& e) {
            return app.exit(e);
        } catch (const CLI::ParseError& e) {
            std::fprintf(stderr, "usersctl: error: %s; see 'usersctl --help'\n", describe_parse_error(e).c_str());
            return static_cast<int>(ExitCode::usage);
        }
        if (context.host_login) {
            // Only the environment made this command line parse: a host login never takes it.
            std::fprintf(stderr, "usersctl: error: this host login parses only with settings from the environment, "
                                 "which host logins never take; see 'usersctl --help'\n");
            return static_cast<int>(ExitCode::usage);
        }
    }

    context.program = app.remaining(true);
    if (!context.program.empty() && !context.takes_program) {
        std::fprintf(stderr, "usersctl: error: %s; see 'usersctl --help'\n",
                     describe_parse_error(CLI::ExtrasError(context.program)).c_str());
        return static_cast<int>(ExitCode::usage);
    }
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv)
{
    // A crash while a password is in memory must not leave a core file behind.
    disable_core_dumps();
    // Write errors on stdout (EPIPE included) are reported by write_stdout, not by a signal.
    std::signal(SIGPIPE, SIG_IGN);
    // Data commands stream millions of rows: a larger stdout buffer when it is not a terminal
    // (a terminal keeps line buffering, so tables appear as they are written).
    // (glibc ignores the size unless it is given the buffer.)
    static char stdout_buffer[1 << 16];
    if (isatty(STDOUT_FILENO) == 0) {
        std::setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
    }

    CLI::App app{"usersctl: administer the users table of a web application in PostgreSQL", "usersctl"};
    app.set_version_flag("--version", cli::version_text);
    app.require_subcommand(0, 1);
    app.fallthrough();
    // The first word no command takes, and every word after it, are left over as they are:
    // checkpassword's PROG ARGS... (whatever they look like); any other command refuses them.
    app.prefix_command();
    app.footer(exit_code_footer());

    cli::Context context;
    add_commands(app, context, argc, argv);

    if (const auto failed = parse_command_line(app, context, argc, argv)) {
        return *failed;
    }

    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto logging_from_options = [&context] {
        setup_logging(context.global.verbose, context.global.quiet,
                      context.global.log_format == "json" ? LogFormat::json : LogFormat::text, context.host_login);
    };
    const auto exit_status = [&context](ExitCode code) {
        return context.exit_status ? context.exit_status(code) : static_cast<int>(code);
    };
    logging_from_options();  // errors in a config file are reported as the command line asked
    try {
        const cli::ConfigSources sources = cli::apply_config(app, context.global, context.host_login);
        logging_from_options();
        if (context.global.show_config) {
            cli::show_config(app, sources, args);
            flush_stdout();
            return 0;
        }
        if (!context.run) {
            throw UsageError("no command given", "see 'usersctl --help'");
        }
        const ExitCode code = context.run();
        flush_stdout();
        return exit_status(code);
    } catch (const std::exception& e) {
        const ExitCode code = exit_code_for(e);
        if (code != ExitCode::ok) {
            spdlog::error("{}", describe(e));
        }
        return exit_status(code);
    } catch (...) {
        // Not a std::exception (nothing usersctl throws): still an error, never a success.
        spdlog::error("an unexpected error (not a std::exception); please report it");
        return exit_status(ExitCode::internal);
    }
}
