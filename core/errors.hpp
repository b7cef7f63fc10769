#pragma once
// One error hierarchy for all of usersctl. Every failure that reaches main() is one of these;
// exit_code_for() is the single place that maps them to process exit codes.

#include <stdexcept>
#include <string>

namespace usersctl {

/// Process exit codes, shared by every command (see README "Exit codes").
enum class ExitCode : int {
    ok = 0,
    mismatch = 1,          ///< verify: wrong password or no such account
    usage = 64,            ///< bad options or arguments
    data_error = 65,       ///< invalid email, password, hash string, import row
    no_input = 66,         ///< an input file is missing or unreadable
    no_account = 67,       ///< the named account does not exist
    unavailable = 69,      ///< cannot connect, connection lost, read-only server
    internal = 70,         ///< a bug or an unexpected failure
    already_exists = 73,   ///< the account already exists
    io_error = 74,         ///< writing output failed
    temporary = 75,        ///< lock or statement timeout, serialization failure, commit unknown
    permission = 77,       ///< authentication failed or privilege missing
    config = 78,           ///< malformed URL, table missing or incompatible
    interrupted = 130,     ///< Ctrl-C
};

/// Base of every error usersctl reports; what() is the message, hint() what to do about it.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, std::string hint = {})
        : std::runtime_error(message), m_hint(std::move(hint)) {}
    const std::string& hint() const { return m_hint; }

private:
    std::string m_hint;
};

#define USERSCTL_ERROR_CLASS(Name) \
    class Name : public Error {    \
    public:                        \
        using Error::Error;        \
    }

USERSCTL_ERROR_CLASS(UsageError);        // 64
USERSCTL_ERROR_CLASS(InvalidInput);      // 65
USERSCTL_ERROR_CLASS(NoInput);           // 66
USERSCTL_ERROR_CLASS(NotFound);          // 67
USERSCTL_ERROR_CLASS(Unavailable);       // 69
USERSCTL_ERROR_CLASS(InternalError);     // 70
USERSCTL_ERROR_CLASS(AlreadyExists);     // 73
USERSCTL_ERROR_CLASS(OutputError);       // 74
USERSCTL_ERROR_CLASS(TemporaryFailure);  // 75
USERSCTL_ERROR_CLASS(PermissionDenied);  // 77
USERSCTL_ERROR_CLASS(ConfigError);       // 78
USERSCTL_ERROR_CLASS(Interrupted);       // 130
USERSCTL_ERROR_CLASS(OutputClosed);      // 0, silently: the reader of stdout went away (EPIPE)

#undef USERSCTL_ERROR_CLASS

/// The exit code for any exception: the one mapping from errors to codes.
ExitCode exit_code_for(const std::exception& error) noexcept;

/// "message; hint" (or just the message) as printed after "usersctl: error: ".
std::string describe(const std::exception& error);

}  // namespace usersctl
