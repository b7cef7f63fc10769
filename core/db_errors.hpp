#pragma once
// What database failures mean to usersctl: connection failures classified for the retry loop,
// and failed calls translated to the core error hierarchy by SQLSTATE. No libpqxx here:
// core/database.cpp describes each pqxx exception as a DatabaseFault, so the table itself is
// plain code that unit tests reach without a server.

#include <string>

namespace usersctl {

struct DatabaseOptions;

/// A failed connection attempt, classified.
struct ConnectFailure {
    enum class Kind { unavailable, permission_denied, config };
    Kind kind = Kind::unavailable;
    bool retryable = false;  ///< worth another attempt while --wait lasts (the server may come up)
    std::string message;
    std::string hint;

    /// Throws the core error for this failure (Unavailable, PermissionDenied or ConfigError).
    [[noreturn]] void raise() const;
};

/// Classifies libpq's text for a failed connection to `options.url`; the message names the
/// server with its password redacted. Only an unavailable server is retryable, and only when
/// libpqxx reported a `broken_connection` (not another failure).
ConnectFailure classify_connect_error(const std::string& libpq_text, const DatabaseOptions& options,
                                      bool broken_connection);

/// A failed call to the server, described without libpqxx's types.
struct DatabaseFault {
    enum class Kind {
        commit_unknown,     ///< the connection broke during COMMIT
        broken_connection,  ///< the connection broke
        statement_unknown,  ///< the connection broke while a statement ran
        rollback,           ///< the server aborted the transaction (serialization, deadlock)
        sql,                ///< the server refused a statement: see `sqlstate`
        library_misuse,     ///< a bug in how usersctl calls libpqxx
        other,              ///< any other libpqxx failure
    };
    Kind kind = Kind::other;
    std::string sqlstate;          ///< for Kind::sql; empty when nobody gave one
    std::string what;              ///< the library's message
    bool connection_lost = false;  ///< the connection is no longer usable, whatever `kind` says
};

/// Throws the core error for `fault`: the one SQLSTATE translation table.
[[noreturn]] void throw_database_error(const DatabaseFault& fault);

}  // namespace usersctl
