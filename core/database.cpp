#include "core/database.hpp"

#include "core/database_url.hpp"
#include "core/errors.hpp"
#include "core/table_name.hpp"

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>
#include <sys/socket.h>
#include <spdlog/spdlog.h>
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

bool contains(const std::string& haystack, const char* needle)
{
    return haystack.find(needle) != std::string::npos;
}

std::string first_line(std::string text)
{
    const auto nl = text.find('\n');
    if (nl != std::string::npos) {
        text.resize(nl);
    }
    if (text.rfind("ERROR:  ", 0) == 0 || text.rfind("FATAL:  ", 0) == 0) {
        text.erase(0, 8);
    }
    return text;
}

// libpq reports connection failures only as text; these phrases are stable across versions.
[[noreturn]] void throw_connect_error(const std::string& raw, const DatabaseOptions& options)
{
    const std::string where = options.url.empty() ? std::string("the server from libpq's defaults")
                                                  : "'" + redact_url(options.url) + "'";
    std::string detail = redact_secrets(raw, options.url);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) {
        detail.pop_back();
    }
    for (auto pos = detail.find_first_of("\n\t"); pos != std::string::npos; pos = detail.find_first_of("\n\t", pos)) {
        detail.replace(pos, 1, " ");
    }
    const std::string message = "cannot connect to " + where + " (from " + options.url_source + "): " + detail;
    if (contains(raw, "authentication failed") || contains(raw, "no pg_hba.conf entry") ||
        contains(raw, "permission denied") || (contains(raw, "role \"") && contains(raw, "does not exist")) ||
        contains(raw, "password is required") || contains(raw, "no password supplied")) {
        throw PermissionDenied(message, "check the user name, password and pg_hba.conf");
    }
    if (contains(raw, "database \"") && contains(raw, "does not exist")) {
        throw ConfigError(message, "create the database or fix the database name in the URL");
    }
    if (contains(raw, "invalid ") && contains(raw, "option")) {
        throw ConfigError(message, "fix the database URL");
    }
    throw Unavailable(message, "check that the server is running and reachable");
}

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

// Maps a database error to the core hierarchy, by SQLSTATE where the server gave one.
// `connection_lost`: the connection is no longer usable, whatever the exception says (libpqxx
// 6.4 reports a server that died during COPY as a plain sql_error without SQLSTATE).
[[noreturn]] void rethrow_database_error(bool connection_lost)
{
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const pqxx::in_doubt_error& e) {
        throw TemporaryFailure("the connection was lost while committing; the outcome is unknown",
                               "check the table before re-running");
    } catch (const pqxx::broken_connection& e) {
        throw Unavailable("the connection to the database was lost: " + first_line(e.what()),
                          "nothing was committed; re-run when the server is back");
    } catch (const pqxx::statement_completion_unknown& e) {
        throw TemporaryFailure("the connection was lost while a statement ran; its outcome is unknown",
                               "check the table before re-running");
    } catch (const pqxx::transaction_rollback& e) {
        throw TemporaryFailure(std::string("transaction aborted by a conflict: ") + first_line(e.what()), "retry");
    } catch (const pqxx::sql_error& e) {
        const std::string state = sqlstate_of(e);
        const std::string text = first_line(e.what());
        if (state.empty() && connection_lost) {
            throw Unavailable("the connection to the database was lost: " + text,
                              "nothing was committed; re-run when the server is back");
        }
        if (state == "55P03") {
            throw TemporaryFailure("timed out waiting for a lock: " + text,
                                   "another session holds the table; retry later or raise --lock-timeout");
        }
        if (state == "57014") {
            throw TemporaryFailure("statement canceled: " + text, "retry later");
        }
        if (state == "40001" || state == "40P01") {
            throw TemporaryFailure("transaction aborted by a conflict: " + text, "retry");
        }
        if (state == "25006") {
            throw Unavailable("the server is read-only (a standby?)",
                              "connect to the primary, e.g. add target_session_attrs=read-write to the URL");
        }
        if (state == "42501" || state.rfind("28", 0) == 0) {
            throw PermissionDenied("permission denied: " + text, "grant the role the privileges it needs");
        }
        if (state == "23505") {
            throw AlreadyExists("a unique constraint was violated: " + text);
        }
        if (state == "42P01") {
            throw ConfigError("the table does not exist: " + text, "run 'usersctl init-db'");
        }
        if (state == "42703") {
            throw ConfigError("the table lacks a column: " + text, "run 'usersctl init-db' to check the table");
        }
        if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) {
            throw Unavailable("the database became unavailable: " + text, "re-run when the server is back");
        }
        if (state.rfind("53", 0) == 0) {
            throw TemporaryFailure("the server is out of resources: " + text, "retry later");
        }
        throw InternalError("unexpected database error (SQLSTATE " + state + "): " + text);
    } catch (const pqxx::usage_error& e) {
        throw InternalError(std::string("database library misuse: ") + e.what());
    } catch (const pqxx::failure& e) {
        throw Unavailable("database failure: " + first_line(e.what()), "re-run when the server is back");
    }
}

// libpq blocks without a client-side limit once connected: a peer that stops answering (a
// stalled proxy, a half-open TCP connection) would hang usersctl forever. The watchdog shuts the
// socket down when one call outlives its deadline, so the blocked call fails and the command
// exits 69 instead.
class Watchdog {
public:
    Watchdog() : m_thread([this] { loop(); }) {}
    ~Watchdog()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        m_thread.join();
    }
    void arm(int fd, std::chrono::milliseconds limit)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_fd = fd;
        m_deadline = std::chrono::steady_clock::now() + limit;
        // Pushing the deadline of an armed watchdog further out needs no wake-up: the thread
        // finds the later deadline when the earlier one passes.
        if (!m_armed) {
            m_armed = true;
            m_cv.notify_all();
        }
    }
    void disarm()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_armed = false;
    }
    bool fired() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_fired;
    }

private:
    void loop()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        while (!m_stop) {
            if (!m_armed) {
                m_cv.wait(lock);
                continue;
            }
            if (m_cv.wait_until(lock, m_deadline) == std::cv_status::timeout && m_armed &&
                std::chrono::steady_clock::now() >= m_deadline) {
                ::shutdown(m_fd, SHUT_RDWR);
                m_fired = true;
                m_armed = false;
            }
        }
    }

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_fd = -1;
    std::chrono::steady_clock::time_point m_deadline;
    bool m_armed = false;
    bool m_fired = false;
    bool m_stop = false;
    std::thread m_thread;
};

constexpr std::chrono::milliseconds k_watchdog_slack{5000};

}  // namespace

struct Database::Impl {
    std::unique_ptr<pqxx::connection> connection;
    std::unique_ptr<NoticeToLog> notices;
    int lock_timeout_ms = 5000;
    int statement_timeout_ms = 60000;
    std::unique_ptr<Watchdog> watchdog;

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

Database::Database(const DatabaseOptions& options) : m_impl(std::make_unique<Impl>())
{
    m_impl->lock_timeout_ms = options.lock_timeout_ms;
    m_impl->statement_timeout_ms = options.statement_timeout_ms;
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long long>(options.wait_seconds * 1000));
    int attempt = 0;
    while (true) {
        ++attempt;
        int timeout = options.connect_timeout_seconds;
        if (options.wait_seconds > 0) {
            const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - std::chrono::steady_clock::now());
            timeout = std::max(2, std::min(timeout, static_cast<int>(left.count()) + 1));
        }
        const std::string conninfo = build_conninfo(options.url, timeout);
        try {
            spdlog::debug("connecting to {} (from {}), attempt {}",
                          options.url.empty() ? "libpq defaults" : redact_url(options.url), options.url_source, attempt);
            m_impl->connection = std::make_unique<pqxx::connection>(conninfo);
            m_impl->notices = std::make_unique<NoticeToLog>(*m_impl->connection);
            if (options.statement_timeout_ms > 0) {
                m_impl->watchdog = std::make_unique<Watchdog>();
            }
            spdlog::debug("connected: server version {}", m_impl->connection->server_version());
            return;
        } catch (const pqxx::broken_connection& e) {
            try {
                throw_connect_error(e.what(), options);
            } catch (const Unavailable& unavailable) {
                if (std::chrono::steady_clock::now() >= deadline) {
                    if (options.wait_seconds > 0) {
                        throw Unavailable(std::string(unavailable.what()) + " (gave up after waiting " +
                                              std::to_string(static_cast<int>(options.wait_seconds)) + " s)",
                                          unavailable.hint());
                    }
                    throw;
                }
                spdlog::info("database not available yet, retrying: {}", unavailable.what());
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
            }
        } catch (const pqxx::failure& e) {
            throw_connect_error(e.what(), options);
        }
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
            // SET LOCAL through set_config(..., true): scoped to this transaction, so nothing
            // leaks to other clients of a pooled server connection (PgBouncer transaction mode).
            work->exec_params("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)",
                              std::to_string(m_impl->lock_timeout_ms) + "ms",
                              std::to_string(m_impl->statement_timeout_ms) + "ms");
        }
        Transaction tx(work.get(), m_impl.get());
        body(tx);
        const Impl::Guard guard(*m_impl);
        work->commit();
    } catch (...) {
        if (m_impl->watchdog && m_impl->watchdog->fired()) {
            throw Unavailable("no answer from the server within " + std::to_string(m_impl->statement_timeout_ms / 1000) +
                                  " s past the statement timeout; the connection was dropped",
                              "check the network path to the server (a stalled proxy?); if this happened at "
                              "commit, check whether the change landed before re-running");
        }
        rethrow_database_error(!m_impl->connection->is_open());
    }
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

namespace {

// Decodes one line of COPY's text format (tab-separated, \N for NULL, backslash escapes) into
// `row`, reusing its strings' storage.
void decode_copy_line(const std::string& line, Row& row)
{
    std::size_t end = line.size();
    if (end > 0 && line[end - 1] == '\n') {
        --end;
    }
    std::size_t field = 0;
    std::size_t pos = 0;
    while (true) {
        if (row.size() <= field) {
            row.emplace_back();
        }
        auto& out = row[field];
        const void* tab = std::memchr(line.data() + pos, '\t', end - pos);
        const std::size_t stop = tab != nullptr ? static_cast<std::size_t>(static_cast<const char*>(tab) - line.data()) : end;
        if (stop - pos == 2 && line[pos] == '\\' && line[pos + 1] == 'N') {
            out.reset();
        } else {
            if (!out) {
                out.emplace();
            }
            std::string& text = *out;
            text.clear();
            std::size_t run = pos;  // start of the bytes not yet copied
            for (std::size_t i = pos; i < stop; ++i) {
                const void* backslash = std::memchr(line.data() + i, '\\', stop - i);
                if (backslash == nullptr) {
                    break;
                }
                i = static_cast<std::size_t>(static_cast<const char*>(backslash) - line.data());
                if (i + 1 >= stop) {
                    break;
                }
                text.append(line, run, i - run);
                const char e = line[++i];
                switch (e) {
                case 'b': text.push_back('\b'); break;
                case 'f': text.push_back('\f'); break;
                case 'n': text.push_back('\n'); break;
                case 'r': text.push_back('\r'); break;
                case 't': text.push_back('\t'); break;
                case 'v': text.push_back('\v'); break;
                default:
                    if (e >= '0' && e <= '7') {
                        int value = e - '0';
                        for (int k = 0; k < 2 && i + 1 < stop && line[i + 1] >= '0' && line[i + 1] <= '7'; ++k) {
                            value = value * 8 + (line[++i] - '0');
                        }
                        text.push_back(static_cast<char>(value));
                    } else {
                        text.push_back(e);
                    }
                }
                run = i + 1;
            }
            text.append(line, run, stop - run);
        }
        ++field;
        if (stop >= end) {
            break;
        }
        pos = stop + 1;
    }
    row.resize(field);
}

}  // namespace

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
    if (!data.empty()) {
        writer.write_raw_line(data);  // drops the one final line end and sends its own
    }
    try {
        writer.complete();
    } catch (const pqxx::sql_error& e) {
        if (sqlstate_of(e) == "23505") {
            throw AlreadyExists("a unique constraint was violated: " + first_line(e.what()));
        }
        throw;
    }
}

void append_copy_field(std::string& line, const Value& value, bool first)
{
    if (!first) {
        line.push_back('\t');
    }
    if (!value) {
        line += "\\N";
        return;
    }
    for (const char c : *value) {
        switch (c) {
        case '\\': line += "\\\\"; break;
        case '\t': line += "\\t"; break;
        case '\n': line += "\\n"; break;
        case '\r': line += "\\r"; break;
        default: line.push_back(c);
        }
    }
}
}  // namespace usersctl
