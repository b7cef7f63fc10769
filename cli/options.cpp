#include "cli/options.hpp"

#include "core/timestamp.hpp"

#include "core/accounts.hpp"
#include "core/database_url.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/output.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace usersctl::cli {

namespace {

// Seconds to whole milliseconds, never rounding a positive time down to 0 (which the server
// reads as "no limit").
int milliseconds(double seconds)
{
    if (seconds <= 0) {
        return 0;
    }
    return std::max(1, static_cast<int>(std::llround(seconds * 1000)));
}

}  // namespace

DatabaseOptions Context::database_options() const
{
    const ResolvedUrl url = resolve_database_url(global.database_url, process_environment());
    DatabaseOptions out;
    out.url = url.url;
    out.url_source = url.source;
    out.connect_timeout_seconds = global.connect_timeout;
    out.lock_timeout_ms = milliseconds(global.lock_timeout);
    out.statement_timeout_ms = milliseconds(global.statement_timeout);
    return out;
}

CLI::Validator finite_range(double low, double high)
{
    std::ostringstream range;
    range << low << " to " << high;
    return CLI::Validator(
        [low, high, text_range = range.str()](std::string& text) -> std::string {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(value) || value < low || value > high) {
                return "must be a number from " + text_range;
            }
            return {};
        },
        "NUMBER from " + range.str());
}

TableName Context::table() const
{
    return TableName::parse(global.table);
}

Verifier Context::verifier() const
{
    return parse_verifier(global.verifier);
}

namespace {

// The commands declared and not completed yet, with what completes each. One CLI::App per
// process: main() builds it once.
std::map<const CLI::App*, std::function<void(CLI::App&)>>& pending_commands()
{
    static std::map<const CLI::App*, std::function<void(CLI::App&)>> pending;
    return pending;
}

bool g_positionals_optional = false;

void complete_command(CLI::App& command)
{
    auto& pending = pending_commands();
    const auto found = pending.find(&command);
    if (found == pending.end()) {
        return;
    }
    const std::function<void(CLI::App&)> add_options = std::move(found->second);
    pending.erase(found);
    add_options(command);
    // What App::parse does to nameless subcommands (option groups) before it parses, which a
    // command completed while parsing missed: a group that fell through to its command would
    // hand an option neither knows (a global one after the command) back and forth for ever.
    for (CLI::App* group : command.get_subcommands([](CLI::App* sub) { return sub->get_name().empty(); })) {
        group->fallthrough(false);
        group->prefix_command(false);
    }
    // A command's --help lists its own options; the global ones it also takes are one pointer
    // away. A command with exit statuses of its own (checkpassword) says them itself.
    if (command.get_footer().empty()) {
        command.footer("Global options (-d/--database-url, --table, --verifier, --connect-timeout, --lock-timeout, "
                       "--statement-timeout, -v, -q, --log-format, --config) go before or after the command: see "
                       "'usersctl --help'. " +
                       exit_code_footer());
    }
    if (g_positionals_optional) {
        for (CLI::Option* option : command.get_options()) {
            if (option->get_positional()) {
                option->required(false);
            }
        }
    }
}

}  // namespace

void add_command(CLI::App& app, const std::string& name, const std::string& description,
                 std::function<void(CLI::App& command)> add_options)
{
    CLI::App* const command = app.add_subcommand(name, description);
    pending_commands()[command] = std::move(add_options);
    // CLI11 calls this when it meets the command on the command line, before it parses the
    // command's arguments (and again after App::clear(), when it is already complete).
    command->preparse_callback([command](std::size_t) { complete_command(*command); });
}

void complete_commands(CLI::App& app)
{
    for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
        complete_command(*command);
    }
}

void make_positionals_optional()
{
    g_positionals_optional = true;
}

void add_global_options(CLI::App& app, GlobalOptions& options)
{
    app.add_option("-d,--database-url", options.database_url,
                   "PostgreSQL URL or key=value string; default: $USERSCTL_DATABASE_URL, $DATABASE_URL, "
                   "$SQLALCHEMY_DATABASE_URI, then libpq's PG* variables")
        ->type_name("URL");
    app.add_option("--table", options.table, "Users table, optionally schema-qualified")
        ->envname("USERSCTL_TABLE")
        ->capture_default_str()
        ->type_name("NAME");
    app.add_option("--connect-timeout", options.connect_timeout, "Seconds to wait for a connection (unless the URL sets connect_timeout)")
        ->envname("USERSCTL_CONNECT_TIMEOUT")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str()
        ->type_name("SECONDS");
    app.add_option("--lock-timeout", options.lock_timeout, "Seconds to wait for a lock before giving up (exit 75)")
        ->envname("USERSCTL_LOCK_TIMEOUT")
        ->check(finite_range(0.001, 3600.0))
        ->capture_default_str()
        ->type_name("SECONDS");
    app.add_option("--statement-timeout", options.statement_timeout,
                   "Seconds any statement may run (0: no limit); a server silent 5 s past it is dropped (exit 69)")
        ->envname("USERSCTL_STATEMENT_TIMEOUT")
        ->check(finite_range(0.0, 86400.0))
        ->capture_default_str()
        ->type_name("SECONDS");
    app.add_option("--verifier", options.verifier,
                   "What checks the stored hashes at login: werkzeug (1.0 to 3.x), werkzeug-2.3 (2.3 and later), "
                   "crypt (crypt(3): PAM, dovecot, htpasswd) or any (only usersctl); sets the default --scheme "
                   "and refuses schemes it cannot read")
        ->envname("USERSCTL_VERIFIER")
        ->check(CLI::IsMember({"werkzeug", "werkzeug-2.3", "crypt", "any"}))
        ->capture_default_str()
        ->type_name("NAME");
    app.add_flag("-v,--verbose", options.verbose, "More log output on stderr (repeatable)")
        ->envname("USERSCTL_VERBOSE");
    app.add_flag("-q,--quiet", options.quiet, "Only errors on stderr")->envname("USERSCTL_QUIET");
    app.add_option("--log-format", options.log_format, "Log format on stderr")
        ->envname("USERSCTL_LOG_FORMAT")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
}

void add_account_key_options(CLI::App& command, AccountKeyOptions& options)
{
    auto* email = command.add_option("email", options.email, "Email address (looked up as the web app does: lower-cased)");
    auto* id = command.add_option("--id", options.id, "Choose the account by id instead of by email")
                   ->type_name("N")
                   ->check(CLI::Range(std::int64_t{1}, std::int64_t{2147483647}));
    email->excludes(id);
}

AccountKey account_key(const AccountKeyOptions& options)
{
    if (options.id) {
        return AccountKey{{}, options.id};
    }
    if (options.email.empty()) {
        throw UsageError("no account named", "give its EMAIL or --id N");
    }
    return AccountKey{normalise_email(options.email), std::nullopt};
}

void add_list_filter_options(CLI::App& command, ListFilterOptions& options)
{
    command.add_option("--email", options.email_glob, "Only emails matching a shell glob (* and ?), case-insensitive")
        ->type_name("GLOB");
    command.add_option("--limit", options.limit, "At most N accounts")
        ->type_name("N")
        ->check(CLI::Range(std::uint64_t{0}, static_cast<std::uint64_t>(INT64_MAX)));  // the server's bigint
    auto* never = command.add_flag("--never-logged-in", options.never_logged_in,
                                   "Only accounts that never logged in (last_login_at empty)");
    auto* since = command.add_option("--logged-in-since", options.since,
                                     "Only accounts whose last login is at or after TIME (ISO 8601; no offset: UTC)")
                      ->type_name("TIME");
    auto* before = command.add_option("--logged-in-before", options.before,
                                      "Only accounts whose last login is before TIME (ISO 8601; no offset: UTC)")
                       ->type_name("TIME");
    never->excludes(since)->excludes(before);
    command.add_option("--sort", options.sort, "Order by id, email, last_login_at or login_count (then id)")
        ->check(CLI::IsMember({"id", "email", "last_login_at", "login_count"}))
        ->capture_default_str();
    command.add_flag("--reverse", options.reverse,
                     "Reverse the order (accounts that never logged in stay last when sorting by login)");
    command.add_flag("--count", options.count, "Print only the number of accounts selected");
}

ListFilter list_filter(const ListFilterOptions& options)
{
    ListFilter filter;
    if (options.email_glob && options.email_glob->empty()) {
        // An empty variable in a script must not turn a filtered export into all of the table.
        throw UsageError("--email takes a glob (* and ?); an empty one matches no email",
                         "leave --email out to select every account");
    }
    filter.email_glob = options.email_glob;
    filter.limit = options.limit;
    filter.never_logged_in = options.never_logged_in;
    const auto utc = [](const std::optional<std::string>& given, const char* option) -> std::optional<std::string> {
        if (!given) {
            return std::nullopt;
        }
        auto parsed = parse_iso8601_utc(*given);
        if (!parsed) {
            throw UsageError(std::string(option) + " takes an ISO 8601 date or date-time",
                             "e.g. 2026-11-30, 2026-11-30T18:00:00Z or 2026-11-30T19:00:00+01:00");
        }
        return parsed;
    };
    filter.logged_in_since = utc(options.since, "--logged-in-since");
    filter.logged_in_before = utc(options.before, "--logged-in-before");
    filter.order = parse_list_order(options.sort);
    filter.reverse = options.reverse;
    return filter;
}

ExitCode print_count(const Context& context, const ListFilter& filter)
{
    Database db(context.database_options());
    write_stdout(std::to_string(count_users(db, context.table(), filter)) + "\n");
    return ExitCode::ok;
}

void add_password_options(CLI::App& command, PasswordOptions& options, bool with_generate)
{
    auto* group = command.add_option_group("password input", "Where the password comes from (default: prompt on a terminal)");
    group->add_flag("--password-stdin", options.from_stdin, "Read the password from the first line of stdin");
    group->add_option("--password-file", options.file, "Read the password from a file")->type_name("PATH");
    group->add_option("--password-fd", options.fd, "Read the password from an open file descriptor")
        ->type_name("N")
        ->check(CLI::NonNegativeNumber);
    group->add_option("--password-env", options.env, "Read the password from an environment variable (then unset it)")
        ->type_name("VAR");
    if (with_generate) {
        group->add_option("--generate-password", options.generate,
                          "Generate a password (default 20 characters) and print it once on stdout")
            ->expected(0, 1)
            ->default_str("20")
            ->type_name("LENGTH");
    }
    group->require_option(0, 1);
}

PasswordInput password_input(const PasswordOptions& options)
{
    PasswordInput in;
    if (options.from_stdin) {
        in.source = PasswordSource::stdin_line;
    } else if (!options.file.empty()) {
        in.source = PasswordSource::file;
        in.path = options.file;
    } else if (options.fd >= 0) {
        in.source = PasswordSource::fd;
        in.fd = options.fd;
    } else if (!options.env.empty()) {
        in.source = PasswordSource::env;
        in.env_var = options.env;
    } else if (options.generate) {
        in.source = PasswordSource::generate;
        in.generate_length = *options.generate;
    }
    return in;
}

void add_hash_options(CLI::App& command, HashOptions& options, bool with_policy)
{
    command.add_option("--scheme", options.scheme,
                       "Hash scheme to write: " + scheme_names(", ") +
                           " (default: the --verifier's, werkzeug-pbkdf2 for werkzeug)")
        ->envname("USERSCTL_SCHEME")
        ->type_name("SCHEME");
    command.add_option("--cost", options.cost,
                       "Scheme cost (bcrypt log rounds, sha512crypt rounds, pbkdf2 iterations, scrypt N, "
                       "argon2id memory in KiB with t=2, p=1)")
        ->envname("USERSCTL_COST")
        ->type_name("N");
    if (with_policy) {
        command.add_option("--min-length", options.min_length, "Shortest password accepted, in characters")
            ->envname("USERSCTL_MIN_LENGTH")
            ->check(CLI::Range(1, 4096))
            ->capture_default_str();
        command.add_flag("--allow-weak-password", options.allow_weak, "Accept passwords zxcvbn guesses in under 10^6 tries");
    }
}

HashSettings hash_settings(const Context& context, const HashOptions& options)
{
    const std::optional<Scheme> scheme = options.scheme ? std::optional<Scheme>(parse_scheme(*options.scheme)) : std::nullopt;
    return settings_for(context.verifier(), scheme, options.cost);
}

PolicyOptions policy_options(const Context& context, const HashOptions& options, std::vector<std::string> user_words)
{
    PolicyOptions policy;
    policy.verifier = context.verifier();
    policy.min_length = options.min_length;
    policy.allow_weak = options.allow_weak;
    policy.user_words = std::move(user_words);
    return policy;
}


std::string write_result_json(const WriteResult& result, const Secret* generated_password)
{
    nlohmann::ordered_json out;
    // id 0: no account (delete-user --if-exists on a missing one), null rather than a fake id.
    out["id"] = result.id == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(result.id);
    out["email"] = to_valid_utf8(result.email);
    out["created"] = result.created;
    out["changed"] = result.changed;
    if (generated_password != nullptr) {
        out["password"] = std::string(generated_password->view());
    }
    return terminal_safe_json(out.dump()) + "\n";
}

std::string write_result_output(const WriteResult& result, const Secret* generated_password, bool json)
{
    if (json) {
        return write_result_json(result, generated_password);
    }
    return generated_password != nullptr ? std::string(generated_password->view()) + "\n" : std::string();
}

void deliver_before_commit(const std::string& text)
{
    try {
        write_stdout(text);
        flush_stdout();
    } catch (const Error& e) {
        // EPIPE too: elsewhere a reader that went away is a quiet success, but here it would
        // take the only copy of the password with it.
        throw OutputError(std::string(e.what()) + " before the generated password was delivered; nothing was committed",
                          "write stdout to a file or a pipe that is read to the end, then re-run");
    }
}

std::optional<std::string> checked_name(const std::optional<std::string>& name, const char* what)
{
    if (name) {
        check_name_text(*name, what);
    }
    return name;
}


std::string shell_quote(const std::string& word)
{
    const bool plain = !word.empty() && word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                                "0123456789_.,:/@%+-=") == std::string::npos;
    if (plain) {
        return word;
    }
    std::string out = "'";
    for (char c : word) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

}  // namespace usersctl::cli
