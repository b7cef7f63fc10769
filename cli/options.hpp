#pragma once
// Option groups shared by several commands, and the context every command runs in.

#include "core/accounts.hpp"
#include "core/database.hpp"
#include "core/errors.hpp"
#include "core/password_hash.hpp"
#include "core/password_input.hpp"
#include "core/password_policy.hpp"
#include "core/table_name.hpp"
#include "core/verifier.hpp"

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace usersctl::cli {

/// Options every command shares.
struct GlobalOptions {
    std::optional<std::string> database_url;
    std::string table = "public.users";
    int connect_timeout = 10;
    double lock_timeout = 5;
    double statement_timeout = 60;
    int verbose = 0;
    bool quiet = false;
    std::string log_format = "text";
    std::string verifier = "werkzeug";
    std::optional<std::string> config;  ///< --config / USERSCTL_CONFIG
    bool show_config = false;
};

/// What main() hands to each command: the global options, and the action the parsed command set.
struct Context {
    GlobalOptions global;
    std::function<ExitCode()> run;
    /// A host login (verify --pam, checkpassword): no setting from the environment, config
    /// files root's alone, problems to syslog too.
    bool host_login = false;
    /// The process exit status for an exit code, when the command speaks a protocol of its own
    /// (checkpassword); unset: the code itself.
    std::function<int(ExitCode)> exit_status;
    /// For a host login, the environment usersctl started with ("NAME=value"), before it was
    /// emptied: what checkpassword hands on to the program it runs.
    std::vector<std::string> environment;
    /// Whether the command runs a program given by the words after its options (checkpassword's
    /// PROG ARGS...), and those words; any other command refuses such words (64).
    bool takes_program = false;
    std::vector<std::string> program;

    /// Database options from the global options and the environment.
    DatabaseOptions database_options() const;
    /// The parsed --table.
    TableName table() const;
    /// The parsed --verifier.
    Verifier verifier() const;
};

/// A number check for CLI11: finite and within [low, high]. CLI::Range alone lets "nan"
/// through (every comparison with NaN is false).
CLI::Validator finite_range(double low, double high);

/// Adds the global options (-d, --table, --connect-timeout, --lock-timeout, --statement-timeout,
/// --verifier, -v, -q, --log-format).
void add_global_options(CLI::App& app, GlobalOptions& options);

/// Declares a command on `app`: its name and description now (what 'usersctl --help' lists), its
/// options and callback (`add_options`) and its footer only when they are needed: when the
/// parser meets the command, or when complete_commands() asks for every command's. Building all
/// thirteen commands' options at every start was most of what main() did (issue #18).
void add_command(CLI::App& app, const std::string& name, const std::string& description,
                 std::function<void(CLI::App& command)> add_options);
/// Adds the options of every command that has not got them yet, for whatever looks at every
/// command's options (the config files' key check).
void complete_commands(CLI::App& app);
/// For --show-config: commands completed from now on take their positional arguments as
/// optional, so a command's settings show without what running it needs.
void make_positionals_optional();

/// How a command that acts on one account names it: EMAIL, or --id N.
struct AccountKeyOptions {
    std::string email;
    std::optional<std::int64_t> id;
};

/// Adds the optional EMAIL argument and --id N; exactly one must be given.
void add_account_key_options(CLI::App& command, AccountKeyOptions& options);
/// The account key: the normalised email, or the id (throws UsageError or InvalidInput).
AccountKey account_key(const AccountKeyOptions& options);

/// Which accounts list and export show, in which order, or only how many.
struct ListFilterOptions {
    std::optional<std::string> email_glob;
    std::optional<std::uint64_t> limit;
    bool never_logged_in = false;
    std::optional<std::string> since;   ///< as given: ISO 8601
    std::optional<std::string> before;
    std::string sort = "id";
    bool reverse = false;
    bool count = false;
};

/// Adds --email, --limit, --never-logged-in, --logged-in-since, --logged-in-before, --sort,
/// --reverse and --count.
void add_list_filter_options(CLI::App& command, ListFilterOptions& options);
/// The core filter (UsageError for a time that is not ISO 8601).
ListFilter list_filter(const ListFilterOptions& options);
/// --count: prints how many accounts `filter` selects, alone on a line.
ExitCode print_count(const Context& context, const ListFilter& filter);

/// Password input options of one command.
struct PasswordOptions {
    bool from_stdin = false;
    std::string file;
    int fd = -1;
    std::string env;
    std::optional<std::size_t> generate;  ///< --generate-password[=LENGTH]
};

/// Adds --password-stdin, --password-file, --password-fd, --password-env (and, when
/// `with_generate`, --generate-password[=LENGTH]); at most one may be given.
void add_password_options(CLI::App& command, PasswordOptions& options, bool with_generate);
/// The core description of the chosen source.
PasswordInput password_input(const PasswordOptions& options);

/// Scheme, cost and policy options of commands that write hashes.
struct HashOptions {
    std::optional<std::string> scheme;  ///< nullopt: the verifier's default
    std::optional<std::uint64_t> cost;
    std::size_t min_length = 8;
    bool allow_weak = false;
};

/// Adds --scheme, --cost (env USERSCTL_SCHEME, USERSCTL_COST); with `with_policy`, also
/// --min-length and --allow-weak-password.
void add_hash_options(CLI::App& command, HashOptions& options, bool with_policy);
/// The validated hash settings: --scheme or the verifier's default, which the verifier must be
/// able to read (throws UsageError).
HashSettings hash_settings(const Context& context, const HashOptions& options);
/// The password policy, with `user_words` as known words for the guessability estimate.
PolicyOptions policy_options(const Context& context, const HashOptions& options,
                             std::vector<std::string> user_words = {});

/// Makes `run(context, *options)` the action main() runs when `command` is the one given.
template <typename Options>
void on_run(CLI::App& command, Context& context, std::shared_ptr<Options> options,
            ExitCode (*run)(const Context&, const Options&))
{
    command.callback([&context, options, run] { context.run = [&context, options, run] { return run(context, *options); }; });
}

/// on_run for a command that may be a host login: `is_host_login(*options)` decides, once parsed.
template <typename Options>
void on_run(CLI::App& command, Context& context, std::shared_ptr<Options> options,
            ExitCode (*run)(const Context&, const Options&), bool (*is_host_login)(const Options&))
{
    command.callback([&context, options, run, is_host_login] {
        context.host_login = is_host_login(*options);
        context.run = [&context, options, run] { return run(context, *options); };
    });
}

// One registration function per command, each in its own file.
void register_init_db(CLI::App& app, Context& context);
void register_hash(CLI::App& app, Context& context);
void register_add_user(CLI::App& app, Context& context);
void register_verify(CLI::App& app, Context& context);
void register_set_password(CLI::App& app, Context& context);
void register_list(CLI::App& app, Context& context);
void register_import(CLI::App& app, Context& context);
void register_apply(CLI::App& app, Context& context);
void register_export(CLI::App& app, Context& context);
void register_doctor(CLI::App& app, Context& context);
void register_update_user(CLI::App& app, Context& context);
void register_delete_user(CLI::App& app, Context& context);
void register_checkpassword(CLI::App& app, Context& context);

}  // namespace usersctl::cli

namespace usersctl {
struct WriteResult;
}

namespace usersctl::cli {

/// The --json line of a write command: {"id":7,"email":"a@b.c","created":true,"changed":true}
/// plus "password" when one was generated.
std::string write_result_json(const WriteResult& result, const Secret* generated_password);

/// `word` as one shell word: as is when it holds only safe characters, else single-quoted.
std::string shell_quote(const std::string& word);

/// What a write command prints: the --json line, or a generated password alone on a line, or
/// nothing.
std::string write_result_output(const WriteResult& result, const Secret* generated_password, bool json);

/// Writes and flushes `text` on stdout from inside a transaction, before its commit: a closed
/// pipe (EPIPE) or a full disk (ENOSPC) is then OutputError (74) and the write is rolled back,
/// so a generated password is never committed without having been delivered.
void deliver_before_commit(const std::string& text);

/// Validates a name given on the command line (UTF-8, no NUL); throws InvalidInput.
std::optional<std::string> checked_name(const std::optional<std::string>& name, const char* what);

}  // namespace usersctl::cli
