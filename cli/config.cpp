#include "cli/config.hpp"

#include "core/config_file.hpp"
#include "core/database_url.hpp"
#include "core/errors.hpp"
#include "core/output.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace usersctl::cli {

namespace {

// Options that name one account, one password source or a one-off change to an account: a file
// setting them for every run would act on an account, read a secret or erase a value nobody
// asked for on that run.
const std::set<std::string> k_not_configurable = {
    "help", "version", "config", "show-config", "id", "password-stdin", "password-file", "password-fd",
    "password-env", "generate-password", "clear-last-login"};

// The long name a config key uses for an option, or "" when it has none or is not settable.
std::string key_of(const CLI::Option* option)
{
    if (option->get_positional() || option->get_lnames().empty()) {
        return {};
    }
    const std::string& name = option->get_lnames().front();
    return k_not_configurable.count(name) != 0 ? std::string() : name;
}

std::map<std::string, CLI::Option*> configurable(CLI::App& app)
{
    std::map<std::string, CLI::Option*> out;
    for (CLI::Option* option : app.get_options()) {
        if (const std::string key = key_of(option); !key.empty()) {
            out[key] = option;
        }
    }
    return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string nearest(const std::string& key, const std::set<std::string>& valid)
{
    std::string best;
    std::size_t best_distance = 4;  // further than three edits is no suggestion
    for (const auto& candidate : valid) {
        const std::size_t d = edit_distance(key, candidate);
        if (d < best_distance) {
            best = candidate;
            best_distance = d;
        }
    }
    return best;
}

bool holds_secret(const ConfigEntry& entry)
{
    return entry.key == "database-url" && url_holds_password(entry.value);
}

bool env_set(const std::string& name)
{
    const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
    return value != nullptr && value[0] != '\0';
}

// Whether the environment already gives this option a value (which beats any file).
bool set_by_environment(const std::string& key, const CLI::Option* option)
{
    if (key == "database-url") {
        return env_set("USERSCTL_DATABASE_URL") || env_set("DATABASE_URL") || env_set("SQLALCHEMY_DATABASE_URI");
    }
    return env_set(option->get_envname());
}

std::string where(const ConfigEntry& entry)
{
    return entry.path + ":" + std::to_string(entry.line);
}

}  // namespace

void add_config_options(CLI::App& app, GlobalOptions& options)
{
    app.add_option("--config", options.config,
                   "Read settings from FILE too, after /etc/usersctl.conf and ~/.config/usersctl/config")
        ->envname("USERSCTL_CONFIG")
        ->type_name("FILE");
    app.add_flag("--show-config", options.show_config,
                 "Print the effective settings and where each came from, then exit");
}

namespace {

using OptionsByKey = std::map<std::string, CLI::Option*>;

// Every configurable key: of the top-level app (global) and of each command.
struct KnownKeys {
    OptionsByKey global;
    std::map<std::string, OptionsByKey> commands;
    std::set<std::string> any;
};

KnownKeys known_keys(CLI::App& app)
{
    KnownKeys known;
    known.global = configurable(app);
    for (const auto& [key, option] : known.global) {
        known.any.insert(key);
    }
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        known.commands[sub->get_name()] = configurable(*sub);
        for (const auto& [key, option] : known.commands[sub->get_name()]) {
            known.any.insert(key);
        }
    }
    return known;
}

// Fails closed on an entry no command takes: ConfigError naming file, line and the nearest key.
void check_entry(const ConfigEntry& entry, const KnownKeys& known)
{
    std::set<std::string> valid = known.any;
    if (!entry.section.empty()) {
        const auto command = known.commands.find(entry.section);
        if (command == known.commands.end()) {
            throw ConfigError(where(entry) + ": [" + entry.section + "] is not a usersctl command");
        }
        valid.clear();
        for (const auto& [key, option] : known.global) {
            valid.insert(key);
        }
        for (const auto& [key, option] : command->second) {
            valid.insert(key);
        }
    }
    if (valid.count(entry.key) == 0) {
        const std::string suggestion = nearest(entry.key, valid);
        const bool refused = k_not_configurable.count(entry.key) != 0;
        throw ConfigError(where(entry) + ": '" + entry.key + "' " +
                              (refused ? "cannot be set in a config file"
                                       : entry.section.empty() ? "is not an option of any usersctl command"
                                                               : "is not an option of " + entry.section),
                          refused                ? "give it on the command line"
                          : suggestion.empty()   ? "see 'usersctl --help' and 'usersctl COMMAND --help'"
                                                 : "did you mean '" + suggestion + "'?");
    }
}

}  // namespace

ConfigSources apply_config(CLI::App& app, const GlobalOptions& options, bool host_login)
{
    std::vector<ConfigEntry> entries;
    for (const auto& file : config_search_path(options.config, host_login)) {
        for (auto& entry : read_config_file(file, holds_secret)) {
            entries.push_back(std::move(entry));
        }
    }
    // Every key any command accepts, per command, to check each entry of each file: the commands
    // not on the command line get their options now, when there is an entry to check.
    if (!entries.empty()) {
        complete_commands(app);
    }
    const KnownKeys known = known_keys(app);
    const auto& global = known.global;
    const auto& commands = known.commands;
    for (const auto& entry : entries) {
        check_entry(entry, known);
    }

    // The running command's options: the last entry wins (files in order, a [command] entry
    // after the top-level ones of the same file).
    std::map<std::string, CLI::Option*> running = global;
    std::string command_name;
    for (CLI::App* sub : app.get_subcommands()) {
        command_name = sub->get_name();
        for (const auto& [key, option] : commands.at(command_name)) {
            running[key] = option;
        }
    }
    // Later files win; within one file a [command] entry wins over a top-level one.
    std::map<std::string, std::pair<std::pair<std::size_t, int>, const ConfigEntry*>> chosen;
    std::vector<std::string> file_order;
    for (const auto& entry : entries) {
        if (file_order.empty() || file_order.back() != entry.path) {
            file_order.push_back(entry.path);
        }
        if (!entry.section.empty() && entry.section != command_name) {
            continue;
        }
        const std::pair<std::size_t, int> rank{file_order.size(), entry.section.empty() ? 0 : 1};
        const auto previous = chosen.find(entry.key);
        if (previous == chosen.end() || previous->second.first < rank) {
            chosen[entry.key] = {rank, &entry};
        }
    }
    ConfigSources sources;
    for (const auto& [key, ranked] : chosen) {
        const ConfigEntry* entry = ranked.second;
        const auto found = running.find(key);
        if (found == running.end()) {
            continue;  // an option of other commands only
        }
        CLI::Option* option = found->second;
        if (option->count() > 0 || set_by_environment(key, option)) {
            continue;  // the command line and the environment come first
        }
        try {
            option->add_result(entry->value);
            option->run_callback();
        } catch (const CLI::Error& e) {
            throw ConfigError(where(*entry) + ": " + key + ": " + e.what());
        }
        for (const CLI::Option* other : option->get_excludes()) {
            if (other->count() > 0) {
                throw ConfigError(where(*entry) + ": '" + key + "' cannot be combined with " + other->get_name());
            }
        }
        sources[option] = where(*entry);
    }
    return sources;
}

void show_config(CLI::App& app, const ConfigSources& sources, const std::vector<std::string>& argv)
{
    auto given_on_command_line = [&argv](const CLI::Option* option) {
        for (const auto& arg : argv) {
            for (const auto& name : option->get_lnames()) {
                if (arg == "--" + name || arg.rfind("--" + name + "=", 0) == 0) {
                    return true;
                }
            }
            for (const auto& name : option->get_snames()) {
                if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-' && arg.find(name) != std::string::npos) {
                    return true;
                }
            }
        }
        return false;
    };
    std::string out;
    auto report = [&](const std::string& scope, CLI::App& owner) {
        for (const auto& [key, option] : configurable(owner)) {
            std::string value;
            std::string source;
            if (const auto found = sources.find(option); found != sources.end()) {
                value = option->results().empty() ? "" : option->results().back();
                source = found->second;
            } else if (option->count() > 0) {
                value = option->results().back();
                source = given_on_command_line(option) ? "command line" : "environment " + option->get_envname();
            } else {
                value = option->get_default_str();
                source = "default";
            }
            if (key == "database-url") {
                const ResolvedUrl url = resolve_database_url(option->count() > 0 ? std::optional<std::string>(value)
                                                                                 : std::nullopt,
                                                             process_environment());
                if (option->count() == 0 && !url.url.empty()) {
                    value = url.url;
                    source = "environment " + url.source;
                } else if (url.url.empty()) {
                    source = "default (libpq's PG* variables and defaults)";
                }
                value = redact_url(value);
            }
            if (key == "scheme" && value.empty()) {
                value = "(the verifier's default)";
            }
            out += scope + key + " = " + value + "    # " + source + "\n";
        }
    };
    report("", app);
    for (CLI::App* sub : app.get_subcommands()) {
        report("[" + sub->get_name() + "] ", *sub);
    }
    write_stdout(out);
}

}  // namespace usersctl::cli
