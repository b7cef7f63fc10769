#include "tests/support/process.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace usersctl::test {

namespace {

constexpr std::size_t k_pipe_capacity = 60000;  // below Linux's default 64 KiB pipe buffer

std::vector<std::string> child_environment(const EnvChanges& changes, bool scrub_database_vars)
{
    std::vector<std::string> out;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        if (changes.count(name) != 0) {
            continue;
        }
        if (scrub_database_vars && (name.rfind("USERSCTL_", 0) == 0 || name == "DATABASE_URL" ||
                                    name == "SQLALCHEMY_DATABASE_URI" || name.rfind("PG", 0) == 0)) {
            continue;
        }
        out.push_back(entry);
    }
    for (const auto& [name, value] : changes) {
        if (value) {
            out.push_back(name + "=" + *value);
        }
    }
    return out;
}

Process spawn(const std::vector<std::string>& argv, const std::string& input, const EnvChanges& env, bool scrub)
{
    if (!scrub) {
        return Process(argv, input, env);
    }
    // Most tests hash with bcrypt at cost 4 for speed, which only --verifier any (or crypt)
    // accepts; any's own default is argon2id, so the scheme is named too. A test that sets the
    // verifier gets that verifier's own default; the tests of the real default remove the
    // variable. A user's own config file never reaches a test.
    EnvChanges changes = env;
    if (changes.count("USERSCTL_VERIFIER") == 0) {
        changes.emplace("USERSCTL_VERIFIER", "any");
        changes.emplace("USERSCTL_SCHEME", "bcrypt");
    }
    changes.emplace("XDG_CONFIG_HOME", "/nonexistent/usersctl-test-config");
    return Process(argv, input, changes);
}

}  // namespace

double now_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

Process::Process(const std::vector<std::string>& argv, const std::string& input, const EnvChanges& env)
    : m_input(input)
{
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    // Children start with default signal handling: the test runner may ignore SIGPIPE.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);

    const bool scrub = argv.at(0) == usersctl_binary();
    const std::vector<std::string> env_strings = child_environment(env, scrub);
    std::vector<char*> c_argv, c_env;
    for (const auto& a : argv) {
        c_argv.push_back(const_cast<char*>(a.c_str()));
    }
    c_argv.push_back(nullptr);
    for (const auto& e : env_strings) {
        c_env.push_back(const_cast<char*>(e.c_str()));
    }
    c_env.push_back(nullptr);
    m_started = now_seconds();
    const int rc = posix_spawnp(&m_pid, c_argv[0], &actions, &attr, c_argv.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    m_in = in[1];
    m_out = out[0];
    m_err = err[0];
    if (rc != 0) {
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    // Small input goes into the pipe now, so that started children run at once (concurrency
    // tests start many before waiting for any); larger input is fed by wait().
    if (m_input.size() <= k_pipe_capacity) {
        signal(SIGPIPE, SIG_IGN);
        std::size_t written = 0;
        while (written < m_input.size()) {
            const ssize_t w = write(m_in, m_input.data() + written, m_input.size() - written);
            if (w <= 0) {
                break;
            }
            written += static_cast<std::size_t>(w);
        }
        close(m_in);
        m_in = -1;
        m_input.clear();
    }
}

Process::Process(Process&& other) noexcept
    : m_pid(other.m_pid), m_in(other.m_in), m_out(other.m_out), m_err(other.m_err),
      m_input(std::move(other.m_input)), m_started(other.m_started)
{
    other.m_pid = -1;
    other.m_in = other.m_out = other.m_err = -1;
}

Process::~Process()
{
    if (m_pid > 0) {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    for (int fd : {m_in, m_out, m_err}) {
        if (fd >= 0) {
            close(fd);
        }
    }
}

ProcessResult Process::wait()
{
    ProcessResult result;
    std::size_t written = 0;
    signal(SIGPIPE, SIG_IGN);
    if (m_input.empty() && m_in >= 0) {
        close(m_in);
        m_in = -1;
    }
    while (m_out >= 0 || m_err >= 0) {
        pollfd fds[3];
        int n = 0;
        if (m_out >= 0) { fds[n++] = {m_out, POLLIN, 0}; }
        if (m_err >= 0) { fds[n++] = {m_err, POLLIN, 0}; }
        if (m_in >= 0) { fds[n++] = {m_in, POLLOUT, 0}; }
        if (poll(fds, static_cast<nfds_t>(n), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (int i = 0; i < n; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            if (fds[i].fd == m_in) {
                const ssize_t w = write(m_in, m_input.data() + written, m_input.size() - written);
                if (w > 0) {
                    written += static_cast<std::size_t>(w);
                }
                if (w < 0 || written == m_input.size()) {
                    close(m_in);
                    m_in = -1;
                }
                continue;
            }
            char buffer[65536];
            const ssize_t r = read(fds[i].fd, buffer, sizeof buffer);
            if (r <= 0) {
                if (fds[i].fd == m_out) { close(m_out); m_out = -1; }
                else { close(m_err); m_err = -1; }
                continue;
            }
            (fds[i].fd == m_out ? result.out : result.err).append(buffer, static_cast<std::size_t>(r));
        }
    }
    if (m_in >= 0) {
        close(m_in);
        m_in = -1;
    }
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
    result.seconds = now_seconds() - m_started;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::string usersctl_binary()
{
    return USERSCTL_BINARY;
}

ProcessResult run_usersctl(const std::vector<std::string>& args, const std::string& input, const EnvChanges& env)
{
    return start_usersctl(args, input, env).wait();
}

Process start_usersctl(const std::vector<std::string>& args, const std::string& input, const EnvChanges& env)
{
    std::vector<std::string> argv{usersctl_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return spawn(argv, input, env, true);
}

ProcessResult run_program(const std::vector<std::string>& argv, const std::string& input, const EnvChanges& env)
{
    return spawn(argv, input, env, false).wait();
}

}  // namespace usersctl::test
