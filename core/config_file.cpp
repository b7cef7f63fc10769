#include "core/config_file.hpp"

#include "core/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

namespace usersctl {

namespace {

constexpr const char* k_system_config = "/etc/usersctl.conf";
constexpr std::size_t k_max_config_bytes = 1 << 20;

std::string trim(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

bool is_name(const std::string& s)
{
    if (s.empty()) {
        return false;
    }
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            return false;
        }
    }
    return true;
}

[[noreturn]] void bad_line(const std::string& path, std::size_t line, const std::string& why)
{
    throw ConfigError(path + ":" + std::to_string(line) + ": " + why);
}

// The value after '=': bare (taken as written, so a stray '#' makes an invalid value rather
// than a silently shortened one), or quoted, optionally followed by a comment.
std::string parse_value(const std::string& raw, const std::string& path, std::size_t line)
{
    if (raw.empty() || (raw[0] != '"' && raw[0] != '\'')) {
        return raw;
    }
    const char quote = raw[0];
    std::string out;
    std::size_t i = 1;
    for (; i < raw.size() && raw[i] != quote; ++i) {
        if (quote == '"' && raw[i] == '\\') {
            if (++i == raw.size()) {
                break;
            }
            switch (raw[i]) {
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case 'n': out.push_back('\n'); break;
            case 't': out.push_back('\t'); break;
            default: bad_line(path, line, std::string("unknown escape \\") + raw[i] + " in a quoted value");
            }
        } else {
            out.push_back(raw[i]);
        }
    }
    if (i >= raw.size()) {
        bad_line(path, line, "a quoted value is not closed");
    }
    const std::string rest = trim(raw.substr(i + 1));
    if (!rest.empty() && rest[0] != '#' && rest[0] != ';') {
        bad_line(path, line, "text after a quoted value");
    }
    return out;
}

// Host logins take settings from config files alone: anyone who could change one could point
// logins at a database of their own. Like sshd's StrictModes, the file and every folder above
// it must be root's and writable by root alone (a sticky folder such as /tmp may be writable by
// all, since nobody else can rename what root owns in it). Both the path as written and the
// path it resolves to are checked, so a symbolic link is only followed when root made it in a
// folder only root can change.
void check_only_root_can_change(const std::string& path, const struct stat& file)
{
    const auto refuse = [&path](const std::string& what) {
        throw ConfigError("the config file " + path + " is refused for host logins: " + what,
                          "give an absolute path to a file that it and the folders above it are root's and "
                          "writable by root alone (chown root, chmod go-w), with no link anyone else made");
    };
    if (path.empty() || path[0] != '/') {
        refuse("host logins take an absolute path");
    }
    if (file.st_uid != 0 || (file.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        refuse("it is not root's, or group or others can write it");
    }
    const auto check_folders = [&refuse](std::string walked, bool as_written) {
        while (walked != "/") {
            walked = walked.substr(0, std::max<std::size_t>(walked.rfind('/'), 1));
            struct stat st {};
            if ((as_written ? ::lstat(walked.c_str(), &st) : ::stat(walked.c_str(), &st)) != 0) {
                refuse("cannot inspect " + walked + ": " + std::strerror(errno));
            }
            const bool others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !S_ISLNK(st.st_mode);
            if (st.st_uid != 0 || (others_write && (st.st_mode & S_ISVTX) == 0)) {
                refuse(walked + " is not root's, or group or others can change what is in it");
            }
        }
    };
    struct stat link {};
    if (::lstat(path.c_str(), &link) != 0 || link.st_uid != 0) {
        refuse("it, or the link naming it, is not root's");
    }
    check_folders(path, true);
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (resolved == nullptr) {
        refuse(std::string("cannot resolve its path: ") + std::strerror(errno));
    }
    const std::string target(resolved);
    std::free(resolved);
    check_folders(target, false);
}

}  // namespace

std::vector<ConfigEntry> parse_config_text(const std::string& text, const std::string& path)
{
    std::vector<ConfigEntry> entries;
    std::set<std::pair<std::string, std::string>> seen;
    std::string section;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        const std::string line = trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        start = end == std::string::npos ? text.size() + 1 : end + 1;
        ++line_number;
        if (line.empty() || line[0] == '#' || line[0] == ';') {
            continue;
        }
        if (line[0] == '[') {
            if (line.back() != ']' || !is_name(trim(line.substr(1, line.size() - 2)))) {
                bad_line(path, line_number, "a section must be [COMMAND]");
            }
            section = trim(line.substr(1, line.size() - 2));
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string::npos) {
            bad_line(path, line_number, "expected KEY = VALUE");
        }
        std::string key = trim(line.substr(0, equals));
        if (!is_name(key)) {
            bad_line(path, line_number, "expected KEY = VALUE with a key of letters, digits, '-' and '_'");
        }
        for (char& c : key) {
            c = c == '_' ? '-' : c;
        }
        if (!seen.emplace(section, key).second) {
            bad_line(path, line_number, "'" + key + "' is set twice" + (section.empty() ? "" : " in [" + section + "]"));
        }
        entries.push_back(ConfigEntry{path, line_number, section, key, parse_value(trim(line.substr(equals + 1)), path, line_number)});
    }
    return entries;
}

std::vector<ConfigFile> config_search_path(const std::optional<std::string>& explicit_path, bool root_only)
{
    // The package installs /etc/usersctl.conf 0640 root:root: its settings are for root and the
    // group the administrator gives it to; for anyone else it is as if absent.
    std::vector<ConfigFile> files{{k_system_config, false, root_only, true}};
    if (root_only) {
        if (explicit_path) {
            files.push_back({*explicit_path, true, true});
        }
        return files;
    }
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    // The XDG base directory rules: a relative XDG_CONFIG_HOME is invalid and ignored.
    if (xdg != nullptr && xdg[0] == '/') {
        files.push_back({std::string(xdg) + "/usersctl/config", false});
    } else if (home != nullptr && home[0] == '/') {
        files.push_back({std::string(home) + "/.config/usersctl/config", false});
    }
    if (explicit_path) {
        files.push_back({*explicit_path, true});
    }
    return files;
}

std::vector<ConfigEntry> read_config_file(const ConfigFile& file, bool (*holds_secret)(const ConfigEntry&))
{
    const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOENT && !file.required) {
            return {};
        }
        if (error == EACCES && file.private_to_readers) {
            spdlog::debug("not reading {}: {} (its mode keeps it for root and its group)", file.path,
                          std::strerror(error));
            return {};
        }
        if (error == ENOENT) {
            throw NoInput("the config file " + file.path + " does not exist");
        }
        throw ConfigError("cannot read the config file " + file.path + ": " + std::strerror(error),
                          "settings in it would be silently lost; make it readable or remove it");
    }
    struct stat st {};
    std::string text;
    try {
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            throw ConfigError("the config file " + file.path + " is not a regular file");
        }
        if (file.root_only) {
            check_only_root_can_change(file.path, st);
        }
        char buffer[8192];
        while (true) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                throw ConfigError("cannot read the config file " + file.path + ": " + std::strerror(errno));
            }
            if (n == 0) {
                break;
            }
            text.append(buffer, static_cast<std::size_t>(n));
            if (text.size() > k_max_config_bytes) {
                throw ConfigError("the config file " + file.path + " is larger than 1 MiB");
            }
        }
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    std::vector<ConfigEntry> entries = parse_config_text(text, file.path);
    if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
        for (const auto& entry : entries) {
            if (holds_secret(entry)) {
                throw ConfigError(file.path + ":" + std::to_string(entry.line) + ": '" + entry.key +
                                      "' holds a password, and the file is readable by group or others",
                                  "chmod go-rwx " + file.path + ", or keep the password in ~/.pgpass (libpq refuses "
                                  "a .pgpass others can read for the same reason)");
            }
        }
    }
    return entries;
}

}  // namespace usersctl
