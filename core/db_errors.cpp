#include "core/db_errors.hpp"

#include "core/database.hpp"
#include "core/database_url.hpp"
#include "core/errors.hpp"

#include <cctype>

namespace usersctl {

namespace {

bool contains(const std::string& haystack, const char* needle)
{
    return haystack.find(needle) != std::string::npos;
}

bool starts_with(const std::string& text, const char* prefix)
{
    return text.rfind(prefix, 0) == 0;
}

std::string first_line(std::string text)
{
    const auto nl = text.find('\n');
    if (nl != std::string::npos) {
        text.resize(nl);
    }
    if (starts_with(text, "ERROR:  ") || starts_with(text, "FATAL:  ")) {
        text.erase(0, 8);
    }
    return text;
}

// libpq's text on one line, without trailing blanks or secrets.
std::string connect_detail(const std::string& raw, const std::string& url)
{
    std::string detail = redact_secrets(raw, url);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) {
        detail.pop_back();
    }
    // libpq breaks its lines with "\n\t": one space for each run of line breaks and tabs, and a
    // full stop where a line ended without one ("Connection refused. Is the server running?").
    std::string out;
    for (char c : detail) {
        const bool blank = c == '\n' || c == '\t' || c == ' ';
        if (c == '\n' && !out.empty() && std::isalnum(static_cast<unsigned char>(out.back())) != 0) {
            out.push_back('.');
        }
        if (!blank || out.empty() || out.back() != ' ') {
            out.push_back(blank ? ' ' : c);
        }
    }
    return out;
}

// The server answered, so the failure is the statement's: by SQLSTATE, class by class.
[[noreturn]] void throw_sql_error(const std::string& state, const std::string& text, bool connection_lost)
{
    // libpqxx 6.4 reports a server that died during COPY as a plain sql_error without SQLSTATE.
    if (state.empty() && connection_lost) {
        throw Unavailable("the connection to the database was lost: " + text,
                          "nothing was committed; re-run when the server is back");
    }
    // lock_timeout ran out: another session holds the lock, and a later run may get it.
    if (state == "55P03") {
        throw TemporaryFailure("timed out waiting for a lock: " + text,
                               "another session holds the table; retry later or raise --lock-timeout");
    }
    // statement_timeout ran out (or someone cancelled the statement): a quieter moment may do.
    if (state == "57014") {
        throw TemporaryFailure("statement canceled: " + text, "retry later");
    }
    // Serialization failure or deadlock: the server aborted this transaction so that it is retried.
    if (state == "40001" || state == "40P01") {
        throw TemporaryFailure("transaction aborted by a conflict: " + text, "retry");
    }
    // A read-only transaction: connected to a standby, so the primary is what is unavailable.
    if (state == "25006") {
        throw Unavailable("the server is read-only (a standby?)",
                          "connect to the primary, e.g. add target_session_attrs=read-write to the URL");
    }
    // A missing privilege or failed authorization: retrying cannot help, granting can.
    if (state == "42501" || starts_with(state, "28")) {
        throw PermissionDenied("permission denied: " + text, "grant the role the privileges it needs");
    }
    // The row exists; callers that expect that (--if-not-exists, import) catch AlreadyExists.
    if (state == "23505") {
        throw AlreadyExists("a unique constraint was violated: " + text);
    }
    // The table is missing or older than usersctl expects: init-db creates or checks it.
    if (state == "42P01") {
        throw ConfigError("the table does not exist: " + text, "run 'usersctl init-db'");
    }
    if (state == "42703") {
        throw ConfigError("the table lacks a column: " + text, "run 'usersctl init-db' to check the table");
    }
    // Connection exceptions and operator intervention (shutdown, crash recovery): the server went.
    if (starts_with(state, "08") || starts_with(state, "57P")) {
        throw Unavailable("the database became unavailable: " + text, "re-run when the server is back");
    }
    // Insufficient resources (disk full, out of memory, too many connections) may pass.
    if (starts_with(state, "53")) {
        throw TemporaryFailure("the server is out of resources: " + text, "retry later");
    }
    // Anything else is a statement usersctl should not have sent.
    throw InternalError("unexpected database error (SQLSTATE " + state + "): " + text);
}

}  // namespace

void ConnectFailure::raise() const
{
    switch (kind) {
    case Kind::permission_denied: throw PermissionDenied(message, hint);
    case Kind::config: throw ConfigError(message, hint);
    case Kind::unavailable: break;
    }
    throw Unavailable(message, hint);
}

// libpq reports connection failures only as text; these phrases are stable across versions.
ConnectFailure classify_connect_error(const std::string& libpq_text, const DatabaseOptions& options,
                                      bool broken_connection)
{
    const std::string& raw = libpq_text;
    // With no URL, the source already says where the server came from: libpq's defaults.
    const std::string where = options.url.empty() ? "the server libpq's defaults name (PG* variables, local socket)"
                                                  : "'" + redact_url(options.url) + "' (from " + options.url_source + ")";
    ConnectFailure failure;
    failure.message = "cannot connect to " + where + ": " + connect_detail(raw, options.url);
    if (contains(raw, "authentication failed") || contains(raw, "no pg_hba.conf entry") ||
        contains(raw, "permission denied") || (contains(raw, "role \"") && contains(raw, "does not exist")) ||
        contains(raw, "password is required") || contains(raw, "no password supplied")) {
        failure.kind = ConnectFailure::Kind::permission_denied;
        failure.hint = "check the user name, password and pg_hba.conf";
    } else if (contains(raw, "database \"") && contains(raw, "does not exist")) {
        failure.kind = ConnectFailure::Kind::config;
        failure.hint = "create the database or fix the database name in the URL";
    } else if (contains(raw, "invalid ") && contains(raw, "option")) {
        failure.kind = ConnectFailure::Kind::config;
        failure.hint = "fix the database URL";
    } else {
        failure.kind = ConnectFailure::Kind::unavailable;
        failure.hint = "check that the server is running and reachable";
        failure.retryable = broken_connection;
    }
    return failure;
}

void throw_database_error(const DatabaseFault& fault)
{
    const std::string text = first_line(fault.what);
    switch (fault.kind) {
    case DatabaseFault::Kind::commit_unknown:
        throw TemporaryFailure("the connection was lost while committing; the outcome is unknown",
                               "check the table before re-running");
    case DatabaseFault::Kind::broken_connection:
        throw Unavailable("the connection to the database was lost: " + text,
                          "nothing was committed; re-run when the server is back");
    case DatabaseFault::Kind::statement_unknown:
        throw TemporaryFailure("the connection was lost while a statement ran; its outcome is unknown",
                               "check the table before re-running");
    case DatabaseFault::Kind::rollback:
        throw TemporaryFailure("transaction aborted by a conflict: " + text, "retry");
    case DatabaseFault::Kind::sql: throw_sql_error(fault.sqlstate, text, fault.connection_lost);
    case DatabaseFault::Kind::library_misuse: throw InternalError("database library misuse: " + fault.what);
    case DatabaseFault::Kind::other: break;
    }
    throw Unavailable("database failure: " + text, "re-run when the server is back");
}

}  // namespace usersctl
