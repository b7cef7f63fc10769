#pragma once
// One error hierarchy for all of usersctl. Every failure that reaches main() is one of these;
// exit_code_for() is the single place that maps them to process exit codes.

#include <stdexcept>
#include <string>

namespace usersctl {

/// Process exit codes, shared by every command. k_exit_codes below describes each; the --help
/// footer is generated from it and a docs test checks README and usersctl(1) against it.
enum class ExitCode : int {
    ok = 0,
    mismatch = 1,          ///< verify: no match; doctor: findings; delete-user: declined
    changes_pending = 2,   ///< apply --check: the database does not match the file
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
    config = 78,           ///< malformed URL, table missing or incompatible, bad config file
    interrupted = 130,     ///< Ctrl-C
};

/// One exit code: its number, a word or two for the --help footer, and its meaning.
struct ExitCodeInfo {
    ExitCode code;
    const char* label;
    const char* meaning;
};

/// Every exit code, in order: the one table the footer and the docs test read.
inline constexpr ExitCodeInfo k_exit_codes[] = {
    {ExitCode::ok, "ok", "success"},
    {ExitCode::mismatch, "no (verify mismatch, doctor findings, delete-user declined)",
     "verify: wrong password or no such account; doctor: findings; delete-user: declined at the prompt"},
    {ExitCode::changes_pending, "changes pending (apply check mode)",
     "apply --check: the database does not match the file, changes are pending"},
    {ExitCode::usage, "usage", "usage error: bad options or arguments"},
    {ExitCode::data_error, "bad input", "invalid input data"},
    {ExitCode::no_input, "input file unreadable", "an input file is missing or unreadable"},
    {ExitCode::no_account, "no such account", "no such account"},
    {ExitCode::unavailable, "database unavailable", "database unavailable"},
    {ExitCode::internal, "internal", "internal error"},
    {ExitCode::already_exists, "already exists", "account already exists"},
    {ExitCode::io_error, "output error", "output error"},
    {ExitCode::temporary, "temporary failure", "temporary failure, a retry may help"},
    {ExitCode::permission, "permission denied", "permission denied by the database"},
    {ExitCode::config, "configuration", "configuration error"},
    {ExitCode::interrupted, "interrupted", "interrupted (Ctrl-C)"},
};

/// "Exit codes: 0 ok, 1 no (...), 64 usage, ..." for --help.
std::string exit_code_footer();

/// Base of every error usersctl reports; what() is the message, hint() what to do about it.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, std::string hint = {})
        : std::runtime_error(message), m_hint(std::move(hint)) {}
    const std::string& hint() const { return m_hint; }
    /// The exit code this error ends the process with, declared with each class below.
    virtual ExitCode code() const noexcept { return ExitCode::internal; }

private:
    std::string m_hint;
};

#define USERSCTL_ERROR_CLASS(Name, Code)                                     \
    class Name : public Error {                                              \
    public:                                                                  \
        using Error::Error;                                                  \
        ExitCode code() const noexcept override { return ExitCode::Code; }   \
    }

USERSCTL_ERROR_CLASS(UsageError, usage);
USERSCTL_ERROR_CLASS(InvalidInput, data_error);
USERSCTL_ERROR_CLASS(NoInput, no_input);
USERSCTL_ERROR_CLASS(NotFound, no_account);
USERSCTL_ERROR_CLASS(Unavailable, unavailable);
USERSCTL_ERROR_CLASS(InternalError, internal);
USERSCTL_ERROR_CLASS(AlreadyExists, already_exists);
USERSCTL_ERROR_CLASS(OutputError, io_error);
USERSCTL_ERROR_CLASS(TemporaryFailure, temporary);
USERSCTL_ERROR_CLASS(PermissionDenied, permission);
USERSCTL_ERROR_CLASS(ConfigError, config);
USERSCTL_ERROR_CLASS(Interrupted, interrupted);
USERSCTL_ERROR_CLASS(OutputClosed, ok);  // silently: the reader of stdout went away (EPIPE)

#undef USERSCTL_ERROR_CLASS

/// The exit code for any exception: the one mapping from errors to codes.
ExitCode exit_code_for(const std::exception& error) noexcept;

/// "message; hint" (or just the message) as printed after "usersctl: error: ".
std::string describe(const std::exception& error);

}  // namespace usersctl
