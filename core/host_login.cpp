#include "core/host_login.hpp"

#include "core/email.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

extern char** environ;

namespace usersctl {

namespace {

// Reads `fd` to end of file into a Secret, stopping (and saying so) once more than `limit`
// bytes have arrived, so a hostile writer cannot make it hold more than that.
bool read_to_end(int fd, std::size_t limit, Secret& out)
{
    char buffer[256];
    bool within = true;
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int error = errno;
            wipe(buffer, sizeof buffer);
            if (error == EBADF) {
                throw UsageError("descriptor " + std::to_string(fd) + " is not open for reading",
                                 "usersctl is meant to be run by the program that writes it");
            }
            throw InvalidInput(std::string("cannot read the login data: ") + std::strerror(error));
        }
        if (n == 0) {
            break;
        }
        for (ssize_t i = 0; i < n && within; ++i) {
            out.push_back(buffer[i]);
            within = out.size() <= limit;
        }
        if (!within) {
            break;
        }
    }
    wipe(buffer, sizeof buffer);
    return within;
}

bool is_setting_variable(std::string_view name)
{
    static const char* const exact[] = {"DATABASE_URL", "SQLALCHEMY_DATABASE_URI", "HOME", "XDG_CONFIG_HOME"};
    for (const char* e : exact) {
        if (name == e) {
            return true;
        }
    }
    return name.rfind("USERSCTL_", 0) == 0 || name.rfind("PG", 0) == 0;
}

// Why `part` cannot go into a path, or nullptr.
const char* unsafe_path_part(const std::string& part)
{
    if (part.empty() || part == "." || part == "..") {
        return "is empty, '.' or '..'";
    }
    for (const char c : part) {
        if (c == '/') {
            return "holds '/'";
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return "holds a control character";
        }
    }
    return nullptr;
}

}  // namespace

std::optional<std::string> login_email(std::string_view login)
{
    try {
        return normalise_email(login);
    } catch (const InvalidInput&) {
        return std::nullopt;
    }
}

std::optional<Secret> read_pam_authtok(int fd)
{
    Secret token;
    // One byte over the limit may be the NUL an older PAM adds.
    if (!read_to_end(fd, k_host_login_max_bytes + 1, token)) {
        return std::nullopt;
    }
    if (!token.empty() && token.view().back() == '\0') {
        token.pop_back();
    }
    if (token.size() > k_host_login_max_bytes) {
        return std::nullopt;
    }
    return token;
}

CheckpasswordRequest read_checkpassword_request(int fd)
{
    Secret input;
    const bool within = read_to_end(fd, k_host_login_max_bytes, input);
    ::close(fd);
    if (!within) {
        throw InvalidInput("the login data on descriptor " + std::to_string(fd) + " is over 512 bytes");
    }
    const std::string_view data = input.view();
    const std::size_t login_end = data.find('\0');
    const std::size_t password_end = login_end == std::string_view::npos ? login_end : data.find('\0', login_end + 1);
    const std::size_t timestamp_end =
        password_end == std::string_view::npos ? password_end : data.find('\0', password_end + 1);
    if (timestamp_end == std::string_view::npos) {
        throw InvalidInput("the login data on descriptor " + std::to_string(fd) +
                           " is not login, password and timestamp, each ended by a NUL byte");
    }
    CheckpasswordRequest request;
    request.login.assign(data.substr(0, login_end));
    for (const char c : data.substr(login_end + 1, password_end - login_end - 1)) {
        request.password.push_back(c);
    }
    return request;
}

void drop_environment_settings()
{
    std::vector<std::string> names;
    for (const char* entry : environment_entries()) {
        const std::string_view name = variable_name(entry);
        if (is_setting_variable(name)) {
            names.emplace_back(name);
        }
    }
    for (const auto& name : names) {
        ::unsetenv(name.c_str());
    }
}

void keep_only_login_environment(const std::vector<std::string>& snapshot)
{
    static const char* const kept[] = {"PAM_USER", "PAM_TYPE",  "PAM_SERVICE",        "PAM_RHOST", "PAM_RUSER",
                                       "PAM_TTY",  "AUTHORIZED", "CREDENTIALS_LOOKUP", "PATH"};
    ::clearenv();
    for (const auto& entry : snapshot) {
        const std::string name(variable_name(entry));
        if (name.size() == entry.size()) {
            continue;  // no '='
        }
        for (const char* k : kept) {
            if (name == k) {
                ::setenv(name.c_str(), entry.c_str() + name.size() + 1, 1);
            }
        }
    }
}

std::vector<std::string> environment_snapshot()
{
    const std::vector<char*> entries = environment_entries();
    return std::vector<std::string>(entries.begin(), entries.end());
}

std::string_view variable_name(std::string_view entry)
{
    return entry.substr(0, entry.find('='));
}

std::vector<char*> environment_entries()
{
    std::vector<char*> out;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        out.push_back(*entry);
    }
    return out;
}

void restore_environment(const std::vector<char*>& entries)
{
    // unsetenv never frees the strings it drops; putenv takes each back without copying it.
    ::clearenv();
    for (char* entry : entries) {
        ::putenv(entry);
    }
}

void check_home_template(const std::string& home_template)
{
    if (home_template.empty() || home_template[0] != '/') {
        throw UsageError("--home must be an absolute path template", "e.g. --home /var/mail/%u");
    }
    for (std::size_t i = 0; i < home_template.size(); ++i) {
        if (home_template[i] != '%') {
            if (static_cast<unsigned char>(home_template[i]) < 0x20 || home_template[i] == 0x7f) {
                throw UsageError("--home holds a control character");
            }
            continue;
        }
        const char next = i + 1 < home_template.size() ? home_template[i + 1] : '\0';
        if (next != 'u' && next != 'n' && next != 'd' && next != '%') {
            throw UsageError("--home takes %u (the email), %n (its local part), %d (its domain) and %% only",
                             "dovecot expands % in args itself: write %%u there");
        }
        ++i;
    }
}

std::string expand_home_template(const std::string& home_template, const std::string& email)
{
    const std::size_t at = email.rfind('@');
    const std::string local = at == std::string::npos ? email : email.substr(0, at);
    const std::string domain = at == std::string::npos ? std::string() : email.substr(at + 1);
    std::string out;
    for (std::size_t i = 0; i < home_template.size(); ++i) {
        if (home_template[i] != '%' || i + 1 >= home_template.size()) {
            out.push_back(home_template[i]);
            continue;
        }
        const char escape = home_template[++i];
        const std::string* part = escape == 'u' ? &email : escape == 'n' ? &local : escape == 'd' ? &domain : nullptr;
        if (part == nullptr) {
            out.push_back(escape);
            continue;
        }
        if (const char* why = unsafe_path_part(*part)) {
            throw InvalidInput(std::string("the account's email cannot name a home folder: its %") + escape + " part " +
                               why);
        }
        out += *part;
    }
    return out;
}

CheckpasswordStatus checkpassword_status(ExitCode code) noexcept
{
    switch (code) {
    case ExitCode::ok: return CheckpasswordStatus::ok;
    case ExitCode::mismatch: return CheckpasswordStatus::rejected;
    case ExitCode::usage:
    case ExitCode::data_error: return CheckpasswordStatus::misuse;
    case ExitCode::no_account: return CheckpasswordStatus::no_user;
    default: return CheckpasswordStatus::temporary;
    }
}

}  // namespace usersctl
