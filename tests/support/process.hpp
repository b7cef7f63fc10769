#pragma once
// Runs the real usersctl binary (or any program) as a child process for end-to-end tests.

#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace usersctl::test {

struct ProcessResult {
    int exit_code = -1;  ///< exit status, or 128 + signal number
    std::string out;
    std::string err;
    double seconds = 0;
};

/// Environment changes for a child: a value sets the variable, nullopt removes it.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

/// A started child whose stdin, stdout and stderr are pipes.
class Process {
public:
    Process(const std::vector<std::string>& argv, const std::string& input, const EnvChanges& env);
    Process(Process&& other) noexcept;
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process();
    /// Feeds stdin, collects output until the child exits.
    ProcessResult wait();
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_in = -1, m_out = -1, m_err = -1;
    std::string m_input;
    double m_started = 0;
};

/// Path of the usersctl binary under test.
std::string usersctl_binary();

/// Runs usersctl with `args`. The database variables of the test runner's environment
/// (USERSCTL_*, DATABASE_URL, SQLALCHEMY_DATABASE_URI, PG*) are removed unless `env` sets them;
/// USERSCTL_VERIFIER is "any" with USERSCTL_SCHEME "bcrypt" unless `env` sets the verifier, and
/// XDG_CONFIG_HOME a missing folder unless `env` says otherwise (nullopt removes them, for tests
/// of the real defaults).
ProcessResult run_usersctl(const std::vector<std::string>& args, const std::string& input = {},
                           const EnvChanges& env = {});

/// Starts usersctl without waiting (for concurrency tests); same environment rules.
Process start_usersctl(const std::vector<std::string>& args, const std::string& input = {},
                       const EnvChanges& env = {});

/// Runs any program and waits.
ProcessResult run_program(const std::vector<std::string>& argv, const std::string& input = {},
                          const EnvChanges& env = {});

/// Seconds on a monotonic clock.
double now_seconds();

}  // namespace usersctl::test
