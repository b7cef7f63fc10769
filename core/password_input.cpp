#include "core/password_input.hpp"

#include "core/errors.hpp"
#include "core/interruption.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <termios.h>
#include <unistd.h>

namespace usersctl {

namespace {

constexpr std::size_t k_min_generated = 8;
constexpr std::size_t k_max_generated = 1024;
constexpr std::string_view k_generated_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

[[noreturn]] void too_long()
{
    throw InvalidInput("the password input is longer than " + std::to_string(k_max_password_input) + " bytes");
}

void strip_one_newline(Secret& s)
{
    const auto v = s.view();
    if (!v.empty() && v.back() == '\n') {
        s.pop_back();
        if (!s.view().empty() && s.view().back() == '\r') {
            s.pop_back();
        }
    }
}

// Reads until end of input or, with stop_at_newline, through the first '\n'. Byte by byte on
// purpose: stdin is not consumed past the first line, and nothing sits in a stdio buffer.
Secret read_bounded(int fd, bool stop_at_newline, const std::string& what)
{
    Secret s;
    while (true) {
        char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw UsageError("cannot read the password from " + what + ": " + std::strerror(errno));
        }
        if (n == 0) {
            break;
        }
        s.push_back(c);
        if (stop_at_newline && c == '\n') {
            break;
        }
        if (s.size() > k_max_password_input + 2) {
            too_long();
        }
    }
    strip_one_newline(s);
    if (s.size() > k_max_password_input) {
        too_long();
    }
    if (!stop_at_newline && s.view().find('\n') != std::string_view::npos) {
        throw InvalidInput("the password from " + what + " spans more than one line",
                           "keep only the password in it (one trailing newline is allowed)");
    }
    return s;
}

// Terminal state to restore if Ctrl-C arrives while echo is off.
termios g_saved_termios;
volatile sig_atomic_t g_termios_saved = 0;
volatile sig_atomic_t g_termios_fd = STDIN_FILENO;

void restore_terminal() noexcept
{
    if (g_termios_saved != 0) {
        tcsetattr(g_termios_fd, TCSADRAIN, &g_saved_termios);
        const char nl = '\n';
        [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, &nl, 1);
    }
}

// Echo off on a terminal for as long as it lives: restored by the destructor on every return
// and exception, and before the process ends on Ctrl-C, SIGTERM and SIGHUP. Does nothing when
// `fd` is not a terminal.
class EchoOff {
public:
    explicit EchoOff(int fd)
    {
        if (::isatty(fd) == 0) {
            return;
        }
        if (tcgetattr(fd, &g_saved_termios) != 0) {
            throw UsageError("cannot read the terminal settings");
        }
        termios quiet = g_saved_termios;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;
        g_termios_fd = fd;
        g_termios_saved = 1;
        m_restore.emplace(restore_terminal);
        tcsetattr(fd, TCSADRAIN, &quiet);
        m_fd = fd;
    }
    ~EchoOff()
    {
        if (m_fd < 0) {
            return;
        }
        tcsetattr(m_fd, TCSADRAIN, &g_saved_termios);
        g_termios_saved = 0;
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    int m_fd = -1;
    std::optional<RestoreOnSignal> m_restore;  ///< declared last: reset after the terminal is restored
};

// A password read from `fd`, with echo off when `fd` is a terminal: --password-stdin,
// --password-fd 0 and a --password-file naming a tty are typed, and must not show.
Secret read_unechoed(int fd, bool stop_at_newline, const std::string& what)
{
    const EchoOff quiet(fd);
    return read_bounded(fd, stop_at_newline || ::isatty(fd) != 0, what);
}

Secret prompt_once(const char* prompt)
{
    if (::isatty(STDIN_FILENO) == 0) {
        throw UsageError("cannot read the terminal settings");
    }
    // Echo goes off before the prompt appears, so nothing typed after it is ever shown.
    const EchoOff quiet(STDIN_FILENO);
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, prompt, std::strlen(prompt));
    return read_bounded(STDIN_FILENO, true, "the terminal");
}

}  // namespace

bool is_variable_name(const std::string& name)
{
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
        return false;
    }
    for (const char c : name) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

Secret generate_password(std::size_t length)
{
    return Secret(random_string(length, k_generated_alphabet));
}

namespace {

// --password-file: the file's first line.
Secret from_file(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        // An unreadable input file is 66, as for import. The path is not repeated: a
        // mistyped command line may have put the password itself there.
        throw NoInput(std::string("cannot open the file given with --password-file: ") + std::strerror(errno));
    }
    Secret secret;
    try {
        secret = read_unechoed(fd, false, "'" + path + "'");
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return secret;
}

// --password-env: the variable's value, scrubbed from the environment where it was.
Secret from_environment(const std::string& name)
{
    // A mistyped --password-env may be the password itself: named only when it is a name.
    if (!is_variable_name(name)) {
        throw UsageError("the variable name given to --password-env is not valid",
                         "give the name of an environment variable (letters, digits and _), e.g. "
                         "--password-env APP_PASSWORD");
    }
    char* value = std::getenv(name.c_str());
    if (value == nullptr) {
        throw UsageError("environment variable " + name + " is not set");
    }
    std::string text(value);
    // Scrub the variable in place (this also clears /proc/self/environ) and drop it, so
    // no child process could inherit it.
    wipe(value, std::strlen(value));
    ::unsetenv(name.c_str());
    Secret secret(std::move(text));
    strip_one_newline(secret);
    if (secret.size() > k_max_password_input) {
        too_long();
    }
    return secret;
}

}  // namespace

ObtainedPassword obtain_password(const PasswordInput& input, bool confirm)
{
    ObtainedPassword out;
    switch (input.source) {
    case PasswordSource::unspecified:
        if (::isatty(STDIN_FILENO) == 0) {
            throw UsageError("no password source and stdin is not a terminal",
                             "use --password-stdin, --password-file, --password-fd, --password-env or "
                             "--generate-password");
        }
        [[fallthrough]];
    case PasswordSource::prompt: {
        out.secret = prompt_once(confirm ? "New password: " : "Password: ");
        if (out.secret.size() == 0) {
            // Ctrl-D or Enter alone: stop here, not at a second prompt.
            throw InvalidInput("no password given", "the password source was empty");
        }
        if (confirm) {
            const Secret again = prompt_once("Retype new password: ");
            if (!constant_time_equal(out.secret.view(), again.view())) {
                throw InvalidInput("the two passwords do not match");
            }
        }
        break;
    }
    case PasswordSource::stdin_line:
        out.secret = read_unechoed(STDIN_FILENO, true, "stdin");
        break;
    case PasswordSource::file:
        out.secret = from_file(input.path);
        break;
    case PasswordSource::fd:
        if (input.fd < 0 || ::fcntl(input.fd, F_GETFD) < 0) {
            throw UsageError("--password-fd " + std::to_string(input.fd) + " is not an open file descriptor");
        }
        out.secret = read_unechoed(input.fd, false, "file descriptor " + std::to_string(input.fd));
        break;
    case PasswordSource::env:
        out.secret = from_environment(input.env_var);
        break;
    case PasswordSource::generate:
        if (input.generate_length < k_min_generated || input.generate_length > k_max_generated) {
            throw UsageError("--generate-password length must be between " + std::to_string(k_min_generated) +
                             " and " + std::to_string(k_max_generated));
        }
        out.secret = generate_password(input.generate_length);
        out.generated = true;
        break;
    }
    // An empty secret is a broken pipeline (an unset variable, an empty file), not a password:
    // verify must not report it as a mere mismatch, and no command may store it.
    if (out.secret.size() == 0) {
        throw InvalidInput("no password given", "the password source was empty");
    }
    return out;
}

}  // namespace usersctl
