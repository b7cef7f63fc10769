// The only file that includes libpqxx and libpq: connections, transactions, statements and
// COPY, and libpq's reading of a connection string for core/database_url and core/url_secrets. What the
// failures mean is core/db_errors; the deadline on blocked calls is core/watchdog; COPY's text
// format is core/copy_text. pqxx types and exceptions stop here.
#include "core/database.hpp"

#include "core/database_url.hpp"
#include "core/db_errors.hpp"
#include "core/errors.hpp"
#include "core/watchdog.hpp"
#include "sql_statements.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <libpq-fe.h>
#include <poll.h>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <thread>

namespace usersctl {

namespace {

// Server notices ("relation already exists, skipping") are debug logs, not stderr noise.
class NoticeToLog : public pqxx::errorhandler {
public:
    using pqxx::errorhandler::errorhandler;
    bool operator()(const char message[]) noexcept override
    {
        std::string text = message;
        while (!text.empty() && text.back() == '\n') {
            text.pop_back();
        }
        spdlog::debug("server: {}", text);
        return false;
    }
};

// libpqxx 6.4 leaves sqlstate() empty on several of the subclasses it throws (e.g.
// insufficient_privilege), so the class itself stands in for the code there.
std::string sqlstate_of(const pqxx::sql_error& e)
{
    if (!e.sqlstate().empty()) {
        return e.sqlstate();
    }
    if (dynamic_cast<const pqxx::insufficient_privilege*>(&e) != nullptr) { return "42501"; }
    if (dynamic_cast<const pqxx::unique_violation*>(&e) != nullptr) { return "23505"; }
    if (dynamic_cast<const pqxx::undefined_table*>(&e) != nullptr) { return "42P01"; }
    if (dynamic_cast<const pqxx::undefined_column*>(&e) != nullptr) { return "42703"; }
    if (dynamic_cast<const pqxx::disk_full*>(&e) != nullptr) { return "53100"; }
    if (dynamic_cast<const pqxx::out_of_memory*>(&e) != nullptr) { return "53200"; }
    if (dynamic_cast<const pqxx::insufficient_resources*>(&e) != nullptr) { return "53000"; }
    if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e) != nullptr) { return "23000"; }
    if (dynamic_cast<const pqxx::data_exception*>(&e) != nullptr) { return "22000"; }
    if (dynamic_cast<const pqxx::syntax_error*>(&e) != nullptr) { return "42601"; }
    if (dynamic_cast<const pqxx::feature_not_supported*>(&e) != nullptr) { return "0A000"; }
    return "";
}

// Describes the exception in flight for core/db_errors, which throws the core error for it.
// The order of the handlers matters: libpqxx's classes derive from one another.
// `connection_lost`: the connection is no longer usable, whatever the exception says.
[[noreturn]] void rethrow_database_error(bool connection_lost)
{
    using Kind = DatabaseFault::Kind;
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const pqxx::in_doubt_error& e) {
        throw_database_error({Kind::commit_unknown, "", e.what(), connection_lost});
    } catch (const pqxx::broken_connection& e) {
        throw_database_error({Kind::broken_connection, "", e.what(), connection_lost});
    } catch (const pqxx::statement_completion_unknown& e) {
        throw_database_error({Kind::statement_unknown, "", e.what(), connection_lost});
    } catch (const pqxx::transaction_rollback& e) {
        throw_database_error({Kind::rollback, "", e.what(), connection_lost});
    } catch (const pqxx::sql_error& e) {
        throw_database_error({Kind::sql, sqlstate_of(e), e.what(), connection_lost});
    } catch (const pqxx::usage_error& e) {
        throw_database_error({Kind::library_misuse, "", e.what(), connection_lost});
    } catch (const pqxx::failure& e) {
        throw_database_error({Kind::other, "", e.what(), connection_lost});
    }
}

constexpr std::chrono::milliseconds k_watchdog_slack{5000};

using PgConn = pqxx::internal::pq::PGconn;

// libpqxx's direct connection, telling its owner the libpq handle it holds: libpqxx 6.4 has no
// accessor, and read_once() speaks libpq's pipeline mode, which libpqxx 6.4 does not.
class HandlePolicy : public pqxx::connect_direct {
public:
    HandlePolicy(const std::string& options, PgConn** sink) : pqxx::connect_direct(options), m_sink(sink) {}
    handle do_startconnect(handle orig) override { return *m_sink = pqxx::connect_direct::do_startconnect(orig); }
    handle do_completeconnect(handle orig) override
    {
        return *m_sink = pqxx::connect_direct::do_completeconnect(orig);
    }
    handle do_dropconnect(handle orig) noexcept override
    {
        return *m_sink = pqxx::connect_direct::do_dropconnect(orig);
    }
    handle do_disconnect(handle orig) noexcept override { return *m_sink = pqxx::connect_direct::do_disconnect(orig); }

private:
    PgConn** m_sink;
};

// pqxx::connection (basic_connection_base<connect_direct>) with the policy above.
class Connection : public pqxx::connection_base {
public:
    explicit Connection(const std::string& options)
        : pqxx::connection_base(m_policy), m_options(options), m_policy(m_options, &m_handle)
    {
        init();
    }
    ~Connection() noexcept { close(); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// The libpq connection; null when closed.
    PgConn* handle() const noexcept { return m_handle; }

private:
    PgConn* m_handle = nullptr;  // declared before the policy, which sets it while init() connects
    std::string m_options;
    HandlePolicy m_policy;
};

// What libpqxx 6.4 would have thrown for a failed call, as a DatabaseFault: a lost connection
// first (pqxx::broken_connection; in_doubt_error when only the commit was outstanding), then by
// SQLSTATE as libpqxx sorts its exception classes. `lost` is judged once the server's answers
// are read, as libpqxx judges it after PQexec: a session killed by the server sends its FATAL
// error before it closes.
DatabaseFault fault_for(const std::string& state, std::string what, bool lost, bool only_commit_left)
{
    using Kind = DatabaseFault::Kind;
    if (lost) {
        return {only_commit_left ? Kind::commit_unknown : Kind::broken_connection, "", std::move(what), true};
    }
    if (state.rfind("08", 0) == 0) {
        return {Kind::broken_connection, "", std::move(what), false};
    }
    if (state == "40000" || state == "40001" || state == "40P01") {
        return {Kind::rollback, "", std::move(what), false};
    }
    if (state == "40003") {
        return {Kind::statement_unknown, "", std::move(what), false};
    }
    return {Kind::sql, state, std::move(what), false};
}

// The rows of a result as core values.
QueryResult query_result(const PGresult* r)
{
    QueryResult out;
    const char* affected = PQcmdTuples(const_cast<PGresult*>(r));
    out.affected = affected[0] != '\0' ? static_cast<std::size_t>(std::stoull(affected)) : 0;
    const int columns = PQnfields(r);
    for (int c = 0; c < columns; ++c) {
        out.columns.emplace_back(PQfname(r, c));
    }
    const int rows = PQntuples(r);
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
        Row values;
        values.reserve(static_cast<std::size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(r, i, c) != 0) {
                values.emplace_back(std::nullopt);
            } else {
                values.emplace_back(std::string(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c))));
            }
        }
        out.rows.push_back(std::move(values));
    }
    return out;
}

}  // namespace

struct Database::Impl {
    std::unique_ptr<Connection> connection;
    std::unique_ptr<NoticeToLog> notices;
    int lock_timeout_ms = 5000;
    int statement_timeout_ms = 60000;
    std::unique_ptr<Watchdog> watchdog;

    std::optional<ConnectFailure> connect(const DatabaseOptions& options, int timeout, int attempt);
    /// The settings, the statement and the end of the transaction in one round trip.
    QueryResult pipelined_read(const std::string& sql, const std::vector<Value>& params);
    /// Throws the core error for the exception in flight (from a call to the server).
    [[noreturn]] void fail();
    /// Waits until PQgetResult would not block, at most until `deadline` when the statement
    /// timeout is on; past it the socket is shut down as the watchdog would.
    void await_result(PGconn* conn, std::chrono::steady_clock::time_point deadline);
    bool deadline_passed = false;  ///< await_result shut the socket down

    // Arms the watchdog for one call to the server; disarms when the guard goes.
    struct Guard {
        Impl& impl;
        explicit Guard(Impl& i) : impl(i) { refresh(); }
        /// Restarts the deadline (a long stream that is still moving).
        void refresh()
        {
            if (impl.watchdog) {
                impl.watchdog->arm(impl.connection->sock(),
                                   std::chrono::milliseconds(impl.statement_timeout_ms) + k_watchdog_slack);
            }
        }
        ~Guard()
        {
            if (impl.watchdog) {
                impl.watchdog->disarm();
            }
        }
    };
};

// One attempt; a failure comes back as a value, so the retry loop decides without exceptions.
std::optional<ConnectFailure> Database::Impl::connect(const DatabaseOptions& options, int timeout, int attempt)
{
    if (options.url.empty()) {
        spdlog::debug("connecting with libpq's defaults (PG* variables), attempt {}", attempt);
    } else {
        spdlog::debug("connecting to {} (from {}), attempt {}", redact_url(options.url), options.url_source, attempt);
    }
    try {
        connection = std::make_unique<Connection>(build_conninfo(options.url, timeout));
        notices = std::make_unique<NoticeToLog>(*connection);
        if (options.statement_timeout_ms > 0) {
            watchdog = std::make_unique<Watchdog>();
        }
        spdlog::debug("connected: server version {}", connection->server_version());
        return std::nullopt;
    } catch (const pqxx::broken_connection& e) {
        return classify_connect_error(e.what(), options, true);
    } catch (const pqxx::failure& e) {
        return classify_connect_error(e.what(), options, false);
    }
}

Database::Database(const DatabaseOptions& options) : m_impl(std::make_unique<Impl>())
{
    m_impl->lock_timeout_ms = options.lock_timeout_ms;
    m_impl->statement_timeout_ms = options.statement_timeout_ms;
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long long>(options.wait_seconds * 1000));
    // A CI log gets one line when waiting starts and one every 10 s at most, not one per attempt.
    auto next_report = std::chrono::steady_clock::now();
    for (int attempt = 1;; ++attempt) {
        int timeout = options.connect_timeout_seconds;
        if (options.wait_seconds > 0) {
            const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - std::chrono::steady_clock::now());
            timeout = std::max(2, std::min(timeout, static_cast<int>(left.count()) + 1));
        }
        std::optional<ConnectFailure> failure = m_impl->connect(options, timeout, attempt);
        if (!failure) {
            return;
        }
        if (!failure->retryable) {
            failure->raise();
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            if (options.wait_seconds > 0) {
                failure->message +=
                    " (gave up after waiting " + std::to_string(static_cast<int>(options.wait_seconds)) + " s)";
            }
            failure->raise();
        }
        if (const auto now = std::chrono::steady_clock::now(); now >= next_report) {
            const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - now).count();
            spdlog::info("database not available yet; retrying for up to {} s more: {}", left, failure->message);
            next_report = now + std::chrono::seconds(10);
        } else {
            spdlog::debug("database not available yet (attempt {})", attempt);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
}

Database::~Database() = default;

int Database::server_version() const
{
    return m_impl->connection->server_version();
}

void Database::transaction(const std::function<void(Transaction&)>& body)
{
    try {
        std::unique_ptr<pqxx::work> work;
        {
            const Impl::Guard guard(*m_impl);
            work = std::make_unique<pqxx::work>(*m_impl->connection);
            work->exec_params(sql::k_transaction_settings, std::to_string(m_impl->lock_timeout_ms) + "ms",
                              std::to_string(m_impl->statement_timeout_ms) + "ms");
        }
        Transaction tx(work.get(), m_impl.get());
        body(tx);
        const Impl::Guard guard(*m_impl);
        work->commit();
    } catch (...) {
        m_impl->fail();
    }
}

void Database::Impl::fail()
{
    if ((watchdog && watchdog->fired()) || deadline_passed) {
        throw Unavailable("no answer from the server within " + std::to_string(statement_timeout_ms / 1000) +
                              " s past the statement timeout; the connection was dropped",
                          "check the network path to the server (a stalled proxy?); if this happened at "
                          "commit, check whether the change landed before re-running");
    }
    rethrow_database_error(!connection->is_open());
}

QueryResult Database::read_once(const std::string& sql, const std::vector<Value>& params)
{
    try {
        return m_impl->pipelined_read(sql, params);
    } catch (...) {
        m_impl->fail();
    }
}

// The watchdog's deadline without its thread: one round trip waits in poll(), not in a blocking
// libpq call, so the deadline is poll's timeout (starting and joining the watchdog's thread cost
// verify a third of a millisecond).
void Database::Impl::await_result(PGconn* conn, std::chrono::steady_clock::time_point deadline)
{
    while (PQisBusy(conn) == 1) {
        int timeout_ms = -1;
        if (watchdog) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            timeout_ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
        }
        pollfd ready{PQsocket(conn), POLLIN, 0};
        const int polled = ::poll(&ready, 1, timeout_ms);
        if (polled < 0 && errno == EINTR) {
            continue;
        }
        if (polled == 0) {
            // shutdown(), not close(): the descriptor stays libpq's, which now reads its end.
            ::shutdown(ready.fd, SHUT_RDWR);
            deadline_passed = true;
        }
        if (PQconsumeInput(conn) == 0) {
            return;  // the connection failed: PQgetResult reports it
        }
    }
}

// Pipeline mode: the settings and the statement go out together with one Sync, and everything
// up to a Sync is one implicit transaction, which the Sync commits (or, after an error, rolls
// back). The server runs the statements in order as it would after BEGIN, so the settings
// (set_config(..., true), local to the transaction) apply to the statement: PostgreSQL 14 and
// later start a fresh statement_timeout for each Execute. One round trip instead of four
// (BEGIN, settings, statement, COMMIT); the session is idle again afterwards, so PgBouncer in
// transaction mode releases the server connection at the Sync as it would at COMMIT.
QueryResult Database::Impl::pipelined_read(const std::string& sql, const std::vector<Value>& params)
{
    using Kind = DatabaseFault::Kind;
    PGconn* const conn = connection->handle();
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
        throw_database_error({Kind::broken_connection, "", "the connection is closed", true});
    }
    if (PQenterPipelineMode(conn) != 1) {
        throw_database_error({Kind::library_misuse, "", "cannot enter pipeline mode: " + std::string(PQerrorMessage(conn)), false});
    }
    const std::string lock = std::to_string(lock_timeout_ms) + "ms";
    const std::string statement = std::to_string(statement_timeout_ms) + "ms";
    const char* settings[2] = {lock.c_str(), statement.c_str()};
    std::vector<const char*> raw;
    raw.reserve(params.size());
    for (const auto& p : params) {
        raw.push_back(p ? p->c_str() : nullptr);
    }
    if (PQsendQueryParams(conn, sql::k_transaction_settings, 2, nullptr, settings, nullptr, nullptr, 0) != 1 ||
        PQsendQueryParams(conn, sql.c_str(), static_cast<int>(raw.size()), nullptr, raw.data(), nullptr, nullptr, 0) != 1 ||
        PQpipelineSync(conn) != 1) {
        throw_database_error(fault_for("", PQerrorMessage(conn), PQstatus(conn) != CONNECTION_OK, false));
    }
    // Each statement's results end with a null; the Sync has a result of its own. After an
    // error the statements left are reported as aborted, and the Sync still comes.
    struct Failed {
        std::string state;
        std::string what;
        bool at_commit;
    };
    std::optional<Failed> failed;
    std::optional<QueryResult> out;
    bool synced = false;
    const auto note_failure = [&](const PGresult* r) {
        if (!failed) {
            const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            failed = Failed{state != nullptr ? state : "", PQresultErrorMessage(r), out.has_value()};
        }
    };
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(statement_timeout_ms) + k_watchdog_slack;
    const auto next_result = [&] {
        await_result(conn, deadline);
        return PQgetResult(conn);
    };
    for (int step = 0; step < 3 && !synced && PQstatus(conn) == CONNECTION_OK; ++step) {
        while (PGresult* r = next_result()) {
            const std::unique_ptr<PGresult, decltype(&PQclear)> owned(r, &PQclear);
            const ExecStatusType status = PQresultStatus(r);
            if (status == PGRES_PIPELINE_SYNC) {
                synced = true;
                break;  // nothing follows the Sync's result
            }
            if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
                if (step == 1) {
                    out = query_result(r);
                }
            } else if (status != PGRES_PIPELINE_ABORTED) {
                note_failure(r);
                if (PQstatus(conn) != CONNECTION_OK) {
                    break;
                }
            }
        }
    }
    const bool lost = PQstatus(conn) != CONNECTION_OK;
    if (synced && PQexitPipelineMode(conn) != 1 && !failed) {
        throw_database_error({Kind::library_misuse, "", "cannot leave pipeline mode: " + std::string(PQerrorMessage(conn)), false});
    }
    if (failed) {
        throw_database_error(fault_for(failed->state, failed->what, lost, failed->at_commit));
    }
    if (!synced) {
        // The connection went before the Sync's answer: after the statement's rows only the
        // commit was outstanding, as with a COMMIT lost in flight.
        throw_database_error(fault_for("", PQerrorMessage(conn), true, out.has_value()));
    }
    if (!out) {
        throw InternalError("the server answered the statement with no result");
    }
    return std::move(*out);
}

const Value& QueryResult::get(const Row& row, const std::string& name) const
{
    for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i) {
        if (columns[i] == name) {
            return row[i];
        }
    }
    throw InternalError("the statement has no column '" + name + "'");
}

QueryResult Transaction::exec(const std::string& sql, const std::vector<Value>& params)
{
    auto& work = *static_cast<pqxx::work*>(m_work);
    const Database::Impl::Guard guard(*static_cast<Database::Impl*>(m_impl));
    std::vector<const char*> raw;
    raw.reserve(params.size());
    for (const auto& p : params) {
        raw.push_back(p ? p->c_str() : nullptr);
    }
    const pqxx::result r = work.exec_params(sql, pqxx::prepare::make_dynamic_params(raw));
    QueryResult out;
    out.affected = static_cast<std::size_t>(r.affected_rows());
    for (pqxx::row::size_type c = 0; c < r.columns(); ++c) {
        out.columns.emplace_back(r.column_name(c));
    }
    out.rows.reserve(r.size());
    for (const auto& row : r) {
        Row values;
        values.reserve(row.size());
        for (const auto& field : row) {
            if (field.is_null()) {
                values.emplace_back(std::nullopt);
            } else {
                values.emplace_back(std::string(field.c_str(), field.size()));
            }
        }
        out.rows.push_back(std::move(values));
    }
    return out;
}

void Transaction::stream(const std::string& sql, const std::vector<Value>& params, std::size_t batch,
                         const std::function<void(const Row&)>& on_row)
{
    // A cursor declared inside the transaction: works through PgBouncer's transaction pooling,
    // and the server hands the rows over `batch` at a time.
    exec("DECLARE usersctl_stream NO SCROLL CURSOR FOR " + sql, params);
    const std::string fetch = "FETCH FORWARD " + std::to_string(batch) + " FROM usersctl_stream";
    while (true) {
        const QueryResult chunk = exec(fetch);
        for (const auto& row : chunk.rows) {
            on_row(row);
        }
        if (chunk.rows.size() < batch) {
            break;
        }
    }
    exec("CLOSE usersctl_stream");
}

void Transaction::copy_out(const std::string& query, const std::function<void(const Row&)>& on_row)
{
    auto& impl = *static_cast<Database::Impl*>(m_impl);
    exec("SELECT set_config('statement_timeout', '0', true)");
    auto& work = *static_cast<pqxx::work*>(m_work);
    Database::Impl::Guard guard(impl);
    // libpqxx 6.4 puts the "table name" into COPY ... TO STDOUT as given, so a parenthesised
    // query streams its result. The query text is usersctl's own (sql/*.sql), never user input.
    pqxx::stream_from stream(work, "(" + query + ")");
    std::string line;
    Row row;
    std::size_t count = 0;
    while (stream.get_raw_line(line)) {
        decode_copy_line(line, row);
        on_row(row);
        if (++count % 1024 == 0) {
            guard.refresh();
        }
    }
    stream.complete();
    exec("SELECT set_config('statement_timeout', $1, true)", {std::to_string(impl.statement_timeout_ms) + "ms"});
}

void Transaction::copy_in(const std::string& table, const std::vector<std::string>& columns, const std::string& data)
{
    copy_in(table, columns, std::vector<const std::string*>{&data});
}

void Transaction::copy_in(const std::string& table, const std::vector<std::string>& columns,
                          const std::vector<const std::string*>& pieces)
{
    auto& work = *static_cast<pqxx::work*>(m_work);
    Database::Impl::Guard guard(*static_cast<Database::Impl*>(m_impl));
    // pqxx::tablewriter is deprecated for its own escaping, which usersctl does not use: its
    // write_raw_line sends already-encoded COPY data, and COPY's data messages need not follow
    // row boundaries, so megabytes of rows go as one call (stream_to costs a call and a string
    // per row, several times the server's own time at a hundred thousand rows).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    pqxx::tablewriter writer(work, table, columns.begin(), columns.end());
#pragma GCC diagnostic pop
    for (const std::string* piece : pieces) {
        if (!piece->empty()) {
            writer.write_raw_line(*piece);  // drops the one final line end and sends its own
        }
    }
    try {
        writer.complete();
    } catch (const pqxx::sql_error& e) {
        // Translated here, inside the transaction's body, so the caller can catch it and roll
        // back to a savepoint.
        const std::string state = sqlstate_of(e);
        if (state == "23505") {
            throw_database_error({DatabaseFault::Kind::sql, state, e.what(), false});
        }
        throw;
    }
}

bool parse_conninfo(const std::string& text, const std::function<void(const char*, const char*)>& visit,
                    std::string* error)
{
    char* message = nullptr;
    const std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(text.c_str(), &message),
                                                                             &PQconninfoFree);
    if (error != nullptr) {
        *error = message != nullptr ? message : (options ? "" : "out of memory");
    }
    PQfreemem(message);
    if (!options) {
        return false;
    }
    for (const PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
        visit(o->keyword, o->val);
    }
    return true;
}

std::string libpq_version()
{
    // Since PostgreSQL 10 the number is major * 10000 + minor (150010 is 15.10).
    const int version = PQlibVersion();
    return std::to_string(version / 10000) + "." + std::to_string(version % 10000);
}

}  // namespace usersctl
