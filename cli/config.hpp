#pragma once
// Settings from config files, applied under the command line and the environment.

#include "cli/options.hpp"

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

namespace usersctl::cli {

/// Where each option that a config file set took its value from ("FILE:LINE").
using ConfigSources = std::map<const CLI::Option*, std::string>;

/// Adds --config FILE (env USERSCTL_CONFIG) and --show-config to the top-level app.
void add_config_options(CLI::App& app, GlobalOptions& options);

/// After parsing: reads /etc/usersctl.conf, the user's file and --config in that order, checks
/// every key against the options of every command (ConfigError naming file, line and the nearest
/// valid key), and gives each option of the chosen command that neither the command line nor
/// the environment set the value the files give it. For a host login (`host_login`): only
/// /etc/usersctl.conf and --config, each root's alone (ConfigError otherwise).
ConfigSources apply_config(CLI::App& app, const GlobalOptions& options, bool host_login);

/// Prints on stdout the effective settings of the global options and of the chosen command, if
/// any, each with where it came from; URL passwords as ***. `argv` tells the command line from
/// the environment.
void show_config(CLI::App& app, const ConfigSources& sources, const std::vector<std::string>& argv);

}  // namespace usersctl::cli
