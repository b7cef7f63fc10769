#pragma once
// The only door to PostgreSQL. Every statement goes through libpqxx's exec_params (unnamed
// statements, so it works behind PgBouncer in transaction pooling mode); pqxx types and
// exceptions never leave core/database.cpp.

#include "core/copy_text.hpp"  // append_copy_field: the format copy_in takes
#include "core/value.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace usersctl {

/// How to reach the database.
struct DatabaseOptions {
    std::string url;                   ///< as given (URI, key=value or SQLAlchemy); empty = libpq defaults
    std::string url_source = "libpq defaults";
    int connect_timeout_seconds = 10;  ///< unless the URL sets connect_timeout
    int lock_timeout_ms = 5000;        ///< SET LOCAL lock_timeout in every transaction
    int statement_timeout_ms = 60000;  ///< SET LOCAL statement_timeout; 0 = none. A statement
                                       ///< unanswered 5 s past it (a dead peer or a stalled
                                       ///< proxy) has its connection dropped: Unavailable
    double wait_seconds = 0;           ///< keep retrying an unavailable server this long
};

/// Rows of a statement plus the count of rows it affected.
struct QueryResult {
    std::vector<std::string> columns;  ///< the result's column names, in order
    std::vector<Row> rows;
    std::size_t affected = 0;

    /// The value of the column called `name` in `row`, so that a reader does not depend on
    /// the column order of a .sql file. InternalError when the statement has no such column.
    const Value& get(const Row& row, const std::string& name) const;
};

/// One open transaction; valid only inside Database::transaction().
class Transaction {
public:
    /// Runs one parameterised statement ($1, $2, ...). Throws the core errors.
    QueryResult exec(const std::string& sql, const std::vector<Value>& params = {});
    /// Runs a query through a server-side cursor, handing each row to `on_row`, `batch` rows
    /// per round trip, so memory does not grow with the result.
    void stream(const std::string& sql, const std::vector<Value>& params, std::size_t batch,
                const std::function<void(const Row&)>& on_row);
    /// Runs `COPY (query) TO STDOUT` and hands each row to `on_row` (the same Row object,
    /// refilled). The fastest way out of the server, and memory stays flat. COPY takes no
    /// parameters: pass values with set_config('usersctl.name', $1, true) first and read them in
    /// the query with current_setting(). The server's statement timeout is lifted for the COPY
    /// (its length grows with the table); a server that stops sending for statement_timeout + 5 s
    /// still has its connection dropped.
    void copy_out(const std::string& query, const std::function<void(const Row&)>& on_row);
    /// Loads rows into `table` with COPY FROM STDIN; AlreadyExists on a unique violation (the
    /// transaction then needs a ROLLBACK TO SAVEPOINT to go on). `data` is COPY text format,
    /// rows ending in '\n' (see append_copy_field); it goes to the server as a few large
    /// messages, not one per row.
    void copy_in(const std::string& table, const std::vector<std::string>& columns, const std::string& data);
    /// The same with the data in pieces (each of whole rows), sent one after the other in one COPY.
    void copy_in(const std::string& table, const std::vector<std::string>& columns,
                 const std::vector<const std::string*>& pieces);

private:
    friend class Database;
    Transaction(void* work, void* impl) : m_work(work), m_impl(impl) {}
    void* m_work;
    void* m_impl;
};

/// A connection to PostgreSQL.
class Database {
public:
    /// Connects (retrying for up to options.wait_seconds while the server is unavailable).
    /// Throws ConfigError, Unavailable or PermissionDenied.
    explicit Database(const DatabaseOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs `body` in one read-committed transaction (lock_timeout set with SET LOCAL) and
    /// commits. Database errors become core errors; a lost commit is a TemporaryFailure
    /// that says the outcome is unknown.
    void transaction(const std::function<void(Transaction&)>& body);

    /// Runs one read statement ($1, $2, ...) in a transaction of its own with the settings
    /// transaction() gives it, in one round trip to the server (libpq's pipeline mode: the
    /// settings, the statement and a Sync, which ends the transaction). For a look-up that is
    /// the whole transaction; the errors are those transaction() throws.
    QueryResult read_once(const std::string& sql, const std::vector<Value>& params = {});

    /// The server version as a number, e.g. 150018.
    int server_version() const;

    struct Impl;  ///< defined in database.cpp only

private:
    std::unique_ptr<Impl> m_impl;
};

/// The libpq this process runs with, as PostgreSQL spells its versions ("15.10"); asks
/// PQlibVersion, which opens no connection.
std::string libpq_version();

/// libpq's own reading of a connection string (a URI or key=value pairs; PQconninfoParse, no
/// connection): calls `visit(keyword, value)` for each of its keywords in libpq's order, value
/// null where the string gives none, and returns true; returns false, visiting nothing, when
/// libpq cannot parse it, with libpq's message in `error` when given. The values (a password
/// among them) are libpq's own memory, freed on return: copy only what is needed.
bool parse_conninfo(const std::string& text, const std::function<void(const char* keyword, const char* value)>& visit,
                    std::string* error = nullptr);

}  // namespace usersctl
