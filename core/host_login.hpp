#pragma once
// Host logins: the two standard interfaces through which a host or a service checks a password
// against the web app's accounts, PAM (pam_exec with expose_authtok) and the checkpassword
// protocol (qmail, dovecot). Their wire formats, the rule that nothing is taken from the
// environment, which files may give settings, and checkpassword's exit statuses. The commands
// are cli/cmd_verify.cpp (--pam) and cli/cmd_checkpassword.cpp.

#include "core/errors.hpp"
#include "core/secret.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usersctl {

/// The most either interface hands over: pam_exec writes at most 511 bytes (plus a NUL on older
/// PAMs); the checkpassword protocol allows 512 bytes for login, password and timestamp.
inline constexpr std::size_t k_host_login_max_bytes = 512;

/// The email a login name stands for, looked up as the app does (normalise_email); nullopt when
/// it is no email at all (a host account such as "root"), which is then no account.
std::optional<std::string> login_email(std::string_view login);

/// The password pam_exec (expose_authtok) writes on `fd`, read to end of file, with exactly one
/// trailing NUL removed and nothing else (no newline stripping). nullopt when more than 512
/// bytes remain after that: such a password is never checked.
std::optional<Secret> read_pam_authtok(int fd);

/// What a checkpassword client writes on descriptor 3.
struct CheckpasswordRequest {
    std::string login;
    Secret password;  ///< empty in dovecot's userdb lookups
};

/// Reads `fd` to end of file: login, password and timestamp, each ended by a NUL (the timestamp
/// may be empty, as dovecot sends it; more data may follow). InvalidInput when the input is
/// over 512 bytes or a field is missing its NUL; UsageError when `fd` is not open.
CheckpasswordRequest read_checkpassword_request(int fd);

/// Removes from this process's environment every variable that could give usersctl a setting:
/// USERSCTL_*, DATABASE_URL, SQLALCHEMY_DATABASE_URI, libpq's PG*, HOME and XDG_CONFIG_HOME
/// (libpq then finds ~/.pgpass through the password database, not through HOME).
void drop_environment_settings();

/// Empties the environment but for what the interfaces themselves pass (PAM_USER, PAM_TYPE,
/// PAM_SERVICE, PAM_RHOST, PAM_RUSER, PAM_TTY, AUTHORIZED, CREDENTIALS_LOOKUP) and PATH (to find
/// checkpassword's PROG), taken from `snapshot`. Called once a command is known to be a host
/// login and before any library reads its own variables (OpenSSL's OPENSSL_CONF loads code,
/// Kerberos' KRB5_TRACE writes files as root, ICU_DATA, resolver and locale settings ...).
void keep_only_login_environment(const std::vector<std::string>& snapshot);

/// A copy of the environment as it is now ("NAME=value" strings), to hand on to a program.
std::vector<std::string> environment_snapshot();

/// The NAME of a "NAME=value" environment entry (all of it when it has no '=').
std::string_view variable_name(std::string_view entry);

/// The environment's entries themselves (pointers into it), to put back as they were.
std::vector<char*> environment_entries();

/// Makes the environment exactly `entries` again, the same strings in the same memory (so a
/// variable scrubbed in place later, as --password-env does, is scrubbed where the kernel put
/// it, /proc/self/environ included).
void restore_environment(const std::vector<char*>& entries);

/// Checks a --home template: %u (the email), %n (its local part), %d (its domain) and %% are
/// the only escapes, and it must give an absolute path. UsageError otherwise.
void check_home_template(const std::string& home_template);

/// The template with the account's email in it. InvalidInput when a substituted part would
/// escape its folder or confuse the reader: it holds '/', a control character or a tab, or is
/// "." or "..".
std::string expand_home_template(const std::string& home_template, const std::string& email);

/// checkpassword's exit statuses (qmail's, extended by dovecot).
enum class CheckpasswordStatus : int {
    ok = 0,          ///< password matches (or, in a userdb lookup, the account exists; PROG then says 2)
    rejected = 1,    ///< wrong password, no such account, an unusable stored hash
    misuse = 2,      ///< no descriptor 3, malformed input, an unusable template or lookup kind
    no_user = 3,     ///< userdb lookup (AUTHORIZED=1): no such account (from ExitCode::no_account)
    temporary = 111  ///< database unavailable, timeouts, configuration: retry; never a rejection
};

/// The checkpassword status for how usersctl would otherwise have exited.
CheckpasswordStatus checkpassword_status(ExitCode code) noexcept;

}  // namespace usersctl
