#pragma once
// usersctl's configuration files: where they are, and their text read into settings. Which keys
// exist is the command line's business (cli/config.cpp); this file only reads.

#include <optional>
#include <string>
#include <vector>

namespace usersctl {

/// One `key = value` line of a config file.
struct ConfigEntry {
    std::string path;     ///< the file
    std::size_t line = 0;
    std::string section;  ///< "" for top-level keys, else the command name of a [section]
    std::string key;      ///< as written, with '_' read as '-'
    std::string value;    ///< unquoted
};

/// Parses config text: `key = value` lines (value bare, "double-quoted" with \" \\ \n \t escapes,
/// or 'single-quoted' literally), `[command]` sections, blank lines, and comments starting with
/// '#' or ';'. Any other line, a repeated key in one section, or a key before '=' that is not a
/// name: ConfigError naming the file and line.
std::vector<ConfigEntry> parse_config_text(const std::string& text, const std::string& path);

/// A config file to read, and whether its absence is an error.
struct ConfigFile {
    std::string path;
    bool required = false;  ///< --config / USERSCTL_CONFIG: missing is NoInput (66)
    bool root_only = false;  ///< must be root's and writable by root alone (host logins)
    bool private_to_readers = false;  ///< /etc/usersctl.conf: one its mode keeps from this user is not theirs
};

/// The files in order of increasing precedence: /etc/usersctl.conf, then
/// $XDG_CONFIG_HOME/usersctl/config (or ~/.config/usersctl/config), then `explicit_path`.
/// For host logins (`root_only`): /etc/usersctl.conf and `explicit_path` only, both root_only.
std::vector<ConfigFile> config_search_path(const std::optional<std::string>& explicit_path, bool root_only = false);

/// Reads one file. A missing optional file yields nothing; a missing required one is NoInput
/// (66); a private_to_readers file this user may not open (EACCES) yields nothing; any other failure to read it is ConfigError (78), since settings it may hold would be
/// silently lost. `holds_secret` is asked of each entry: a file holding one that group or others
/// can read is refused (78), as libpq refuses such a .pgpass. A root_only file that is not
/// owned by root, or that anyone but root could change (the file or a folder above it writable
/// by group or others, sticky folders such as /tmp excepted), is refused (78).
std::vector<ConfigEntry> read_config_file(const ConfigFile& file, bool (*holds_secret)(const ConfigEntry&));

}  // namespace usersctl
