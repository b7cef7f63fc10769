#include "core/import.hpp"

#include "core/accounts.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/record_writer.hpp"
#include "core/schema.hpp"
#include "core/sql_text.hpp"
#include "sql_statements.hpp"

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <map>
#include <mutex>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <thread>

namespace usersctl {

namespace {

// The staging table's columns, in COPY order.
const std::vector<std::string> k_staging_columns = {"line",      "problem",       "email",         "kind",       "first_name",
                                                    "last_name", "password_hash", "last_login_at", "login_count"};
// The users table's columns an import writes, in COPY order.
const std::vector<std::string> k_target_columns = {"email",         "first_name",    "last_name",
                                                   "password_hash", "last_login_at", "login_count"};
// Chunks copied straight into the users table, each under its own savepoint, at most: beyond
// PostgreSQL's cache of 64 subtransactions per transaction every other session's snapshots get
// slower, so later chunks take the staged path.
constexpr std::size_t k_max_direct_chunks = 60;

// A batch of records goes to one hashing thread: up to this many rows, fewer when they carry
// passwords (a bcrypt hash takes tens of milliseconds) or are large.
constexpr std::size_t k_batch_rows = 256;
constexpr std::size_t k_batch_password_rows = 8;
constexpr std::size_t k_batch_bytes = 1 << 20;
// Batches read but not yet sent: enough that reading and hashing go on while a chunk is sent
// by COPY, few enough (and at most this many bytes) that memory stays flat.
constexpr std::size_t k_window_batches = 64;
constexpr std::size_t k_window_bytes = 4 << 20;
// Staged rows reach the server by COPY in chunks this large.
constexpr std::size_t k_chunk_rows = 5000;
constexpr std::size_t k_chunk_bytes = 1 << 20;

// What a record costs in memory, roughly: the record itself, a heap block per field, the bytes.
std::size_t record_bytes(const ImportRecord& record)
{
    std::size_t n = sizeof(ImportRecord) + 32 * k_import_column_count;
    for (const auto& field : record.fields) {
        n += field ? field->size() : 0;
    }
    return n;
}

bool all_digits(const std::string& text, std::size_t pos, std::size_t count)
{
    if (pos + count > text.size()) {
        return false;
    }
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    return true;
}

int number_at(const std::string& text, std::size_t pos, std::size_t count)
{
    return std::stoi(text.substr(pos, count));
}

std::optional<std::string> parse_login_count(const std::string& text)
{
    if (text.empty() || text.size() > 10 || !all_digits(text, 0, text.size())) {
        return std::nullopt;
    }
    const long long value = std::stoll(text);
    if (value > 2147483647LL) {
        return std::nullopt;
    }
    return std::to_string(value);
}

// Checks one record and turns it into a staged row (line, problem, email, first_name,
// last_name, password_hash, last_login_at, login_count). A bad row keeps only its line, its
// reason and, when the email was valid, the email (for the duplicate check): no content.
Row stage(ImportRecord& record, const ImportOptions& options, bool& unreadable)
{
    constexpr std::size_t k_fields = 8;
    Row row(k_fields);
    row[0] = std::to_string(record.line);
    std::optional<std::string> email;
    auto fail = [&](const std::string& why) {
        Row bad(k_fields);
        bad[0] = std::to_string(record.line);
        bad[1] = why;
        bad[2] = email;
        return bad;
    };
    if (!record.problem.empty()) {
        return fail(record.problem);
    }
    try {
        const auto& raw_email = record[ImportColumn::email];
        if (!raw_email) {
            return fail("no email");
        }
        email = normalise_new_email(*raw_email);
        row[2] = email;
        if (const auto& first = record[ImportColumn::first_name]) {
            check_name_text(*first, "first name");
        }
        if (const auto& last = record[ImportColumn::last_name]) {
            check_name_text(*last, "last name");
        }
        row[3] = record[ImportColumn::first_name];
        row[4] = record[ImportColumn::last_name];
        const auto& password = record[ImportColumn::password];
        const auto& prehashed = record[ImportColumn::password_hash];
        if (password && prehashed) {
            return fail("both password and password_hash are given; give one");
        }
        if (!password && !prehashed) {
            return fail("neither password nor password_hash is given");
        }
        if (prehashed) {
            const HashInfo info = inspect_hash(*prehashed);
            if (!info.usable) {
                return fail("password_hash is not a format verify accepts (" + info.problem + ")");
            }
            if (!can_read_family(options.verifier, info.family)) {
                if (options.require_readable) {
                    return fail("password_hash is " + info.family + ", which the verifier '" +
                                verifier_name(options.verifier) + "' cannot read");
                }
                unreadable = true;
            }
            row[5] = *prehashed;
        } else {
            PolicyOptions policy = options.policy;
            policy.user_words.push_back(*email);
            policy.user_words.push_back(row[3].value_or(""));
            policy.user_words.push_back(row[4].value_or(""));
            check_password_policy(*password, options.settings.scheme, policy);
            row[5] = hash_password(*password, options.settings);
        }
        if (const auto& at = record[ImportColumn::last_login_at]) {
            row[6] = parse_utc_timestamp(*at);
            if (!row[6]) {
                return fail("last_login_at is not an ISO 8601 UTC time such as 2024-05-01T12:00:00Z");
            }
        }
        if (const auto& count = record[ImportColumn::login_count]) {
            row[7] = parse_login_count(*count);
            if (!row[7]) {
                return fail("login_count is not a whole number from 0 to 2147483647");
            }
        }
    } catch (const InvalidInput& e) {
        return fail(e.what());
    }
    return row;
}

// The rows of one batch, encoded for COPY on the hashing thread. Good rows in the forms the
// importing thread may pick per chunk: `pending` (every value, kind NULL) for the staging table,
// and while the direct path is open also `insert` for the users table and `done` (line and
// email only, kind 'inserted') for the staging table; bad rows in `bad` (line, reason and, when
// valid, email).
struct StagedBatch {
    std::string insert;
    std::string done;
    std::string pending;
    std::string bad;
    std::size_t rows = 0;
    std::size_t bad_rows = 0;
    std::vector<std::uint64_t> unreadable_lines;  // good rows whose hash the verifier cannot read
};

// Adds one checked row (line, problem, email, first_name, last_name, password_hash,
// last_login_at, login_count) to `batch` in each form it may need.
void encode(const Row& row, bool direct, StagedBatch& batch)
{
    auto staging = [&row](std::string& out, const char* kind, bool values) {
        append_copy_field(out, row[0], true);
        append_copy_field(out, row[1], false);
        append_copy_field(out, row[2], false);
        append_copy_field(out, kind != nullptr ? Value(kind) : Value(), false);
        for (std::size_t i = 3; i < row.size(); ++i) {
            append_copy_field(out, values ? row[i] : Value(), false);
        }
        out.push_back('\n');
    };
    ++batch.rows;
    if (row[1]) {
        ++batch.bad_rows;
        staging(batch.bad, nullptr, false);
        return;
    }
    staging(batch.pending, nullptr, true);
    if (!direct) {
        return;
    }
    staging(batch.done, "inserted", false);
    for (std::size_t i = 2; i < row.size(); ++i) {
        // Absent names are '' in the users table (NULL in the staging table, where NULL tells
        // --on-conflict update to keep the stored name).
        append_copy_field(batch.insert, i == 3 || i == 4 ? Value(row[i].value_or("")) : row[i], i == 2);
    }
    batch.insert.push_back('\n');
}

// Records flow reader -> hashing threads -> the importing thread in file order. A window of
// batches in flight bounds memory whatever the file's size.
class Pipeline {
public:
    /// `direct`: whether chunks may still go straight into the users table (it only ever turns
    /// false); the hashing threads skip the encodings that path needs once it is closed.
    Pipeline(ImportReader& reader, const ImportOptions& options, unsigned jobs, const std::atomic<bool>& direct)
        : m_reader(reader), m_options(options), m_direct(direct)
    {
        // SIGINT goes to the reader thread only: it may be blocked reading a terminal or a pipe,
        // and the signal's EINTR is what frees it. The calling thread and the hashing threads
        // block it meanwhile; one that arrives after the reader is done stays pending until the
        // destructor restores the caller's mask.
        m_threads.emplace_back([this] { read_loop(); });
        sigset_t sigint;
        sigemptyset(&sigint);
        sigaddset(&sigint, SIGINT);
        pthread_sigmask(SIG_BLOCK, &sigint, &m_saved_mask);
        for (unsigned i = 0; i < jobs; ++i) {
            m_threads.emplace_back([this] { work_loop(); });
        }
    }
    ~Pipeline()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        for (auto& t : m_threads) {
            t.join();
        }
        pthread_sigmask(SIG_SETMASK, &m_saved_mask, nullptr);
    }
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    /// The checked rows of the next batch in file order, encoded for COPY; false when all are
    /// done.
    /// Rethrows what the reader or a hashing thread threw.
    bool next(StagedBatch& batch)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_cv.wait(lock, [this] {
            return m_error || m_done.count(m_next_out) > 0 || (m_reader_finished && m_next_out == m_next_in);
        });
        if (m_error) {
            std::rethrow_exception(m_error);
        }
        const auto it = m_done.find(m_next_out);
        if (it == m_done.end()) {
            return false;
        }
        batch = std::move(it->second);
        m_done.erase(it);
        const auto size = m_batch_bytes.find(m_next_out);
        m_inflight_bytes -= size->second;
        m_batch_bytes.erase(size);
        ++m_next_out;
        m_cv.notify_all();
        return true;
    }

    std::uint64_t bytes_read() const { return m_bytes.load(); }

private:
    void fail(std::exception_ptr error)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_error) {
            m_error = error;
        }
        m_stop = true;
        m_cv.notify_all();
    }

    void read_loop()
    {
        try {
            std::vector<ImportRecord> batch;
            std::size_t bytes = 0;
            std::size_t passwords = 0;
            auto push = [&] {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_cv.wait(lock, [this] {
                    return m_stop || (m_next_in - m_next_out < k_window_batches && m_inflight_bytes < k_window_bytes);
                });
                if (m_stop) {
                    return false;
                }
                m_inflight_bytes += bytes;
                m_batch_bytes.emplace(m_next_in, bytes);
                m_todo.emplace(m_next_in++, std::move(batch));
                batch.clear();
                bytes = 0;
                passwords = 0;
                m_cv.notify_all();
                return true;
            };
            ImportRecord record;
            while (m_reader.next(record)) {
                m_bytes.store(m_reader.bytes_read());
                bytes += record_bytes(record);
                passwords += record[ImportColumn::password] ? 1 : 0;
                batch.push_back(std::move(record));
                if ((batch.size() >= k_batch_rows || passwords >= k_batch_password_rows || bytes >= k_batch_bytes) &&
                    !push()) {
                    return;
                }
            }
            m_bytes.store(m_reader.bytes_read());
            if (!batch.empty() && !push()) {
                return;
            }
            std::lock_guard<std::mutex> lock(m_mutex);
            m_reader_finished = true;
            m_cv.notify_all();
        } catch (...) {
            fail(std::current_exception());
        }
    }

    void work_loop()
    {
        try {
            while (true) {
                std::pair<std::uint64_t, std::vector<ImportRecord>> job;
                {
                    std::unique_lock<std::mutex> lock(m_mutex);
                    m_cv.wait(lock, [this] { return m_stop || !m_todo.empty() || m_reader_finished; });
                    if (m_stop || (m_todo.empty() && m_reader_finished)) {
                        return;
                    }
                    job.first = m_todo.begin()->first;
                    job.second = std::move(m_todo.begin()->second);
                    m_todo.erase(m_todo.begin());
                }
                // Checked, hashed and encoded for COPY here, on all cores.
                StagedBatch staged;
                for (auto& record : job.second) {
                    bool unreadable = false;
                    encode(stage(record, m_options, unreadable), m_direct.load(), staged);
                    if (unreadable) {
                        staged.unreadable_lines.push_back(record.line);
                    }
                    record.reset();
                }
                std::lock_guard<std::mutex> lock(m_mutex);
                m_done.emplace(job.first, std::move(staged));
                m_cv.notify_all();
            }
        } catch (...) {
            fail(std::current_exception());
        }
    }

    ImportReader& m_reader;
    const ImportOptions& m_options;
    const std::atomic<bool>& m_direct;
    std::size_t m_inflight_bytes = 0;
    std::map<std::uint64_t, std::size_t> m_batch_bytes;  ///< in-flight batch -> its size
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::map<std::uint64_t, std::vector<ImportRecord>> m_todo;
    std::map<std::uint64_t, StagedBatch> m_done;
    std::uint64_t m_next_in = 0;
    std::uint64_t m_next_out = 0;
    bool m_reader_finished = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    std::atomic<std::uint64_t> m_bytes{0};
    std::vector<std::thread> m_threads;
    sigset_t m_saved_mask{};
};

std::string with_table(const char* statement, const TableName& table)
{
    return render_sql(statement, {{"table", table.quoted()}});
}

std::uint64_t count_of(const Value& v)
{
    return v ? std::stoull(*v) : 0;
}

void check_interrupted(const std::atomic<bool>* interrupted)
{
    if (interrupted != nullptr && interrupted->load()) {
        throw Interrupted("interrupted; the import was rolled back, nothing was written");
    }
}

// Sends the checked rows to the server a chunk at a time. While every email so far was new, a
// chunk is copied straight into the users table under a savepoint (COPY writes a page at a
// time, which makes it the fastest path by far) and only its line numbers and emails go to the
// staging table, for the duplicate check. A chunk that meets an existing email (a unique
// violation) is rolled back to its savepoint and goes to the staging table whole, as does every
// later chunk, to be written after all the checks.
class ChunkWriter {
public:
    ChunkWriter(Transaction& tx, const TableName& table, bool direct) : m_tx(tx), m_table(table), m_direct(direct) {}

    void add(const StagedBatch& batch)
    {
        m_chunk.insert += batch.insert;
        m_chunk.done += batch.done;
        m_chunk.pending += batch.pending;
        m_chunk.bad += batch.bad;
        m_chunk.rows += batch.rows;
        m_chunk.bad_rows += batch.bad_rows;
        if (m_chunk.rows >= k_chunk_rows || m_chunk.pending.size() + m_chunk.bad.size() >= k_chunk_bytes) {
            flush();
        }
    }

    void flush()
    {
        if (m_chunk.rows == 0) {
            return;
        }
        bool copied = false;
        if (m_direct && !m_chunk.insert.empty()) {
            copied = copy_direct();
        }
        std::string staging = std::move(copied ? m_chunk.done : m_chunk.pending);
        staging += m_chunk.bad;
        m_tx.copy_in("usersctl_import", k_staging_columns, staging);
        m_chunk = StagedBatch{};
    }

    /// Whether chunks may still go straight into the users table.
    const std::atomic<bool>& direct() const { return m_direct; }

    std::uint64_t inserted = 0;  ///< rows already in the users table

private:
    bool copy_direct()
    {
        m_tx.exec(sql::k_import_chunk_savepoint);
        try {
            m_tx.copy_in(m_table.quoted(), k_target_columns, m_chunk.insert);
        } catch (const AlreadyExists&) {
            m_tx.exec(sql::k_import_chunk_rollback);
            m_tx.exec(sql::k_import_chunk_release);
            m_direct = false;
            return false;
        }
        m_tx.exec(sql::k_import_chunk_release);
        inserted += m_chunk.rows - m_chunk.bad_rows;
        if (++m_direct_chunks >= k_max_direct_chunks) {
            m_direct = false;
        }
        return true;
    }

    Transaction& m_tx;
    const TableName& m_table;
    std::atomic<bool> m_direct;
    std::size_t m_direct_chunks = 0;
    StagedBatch m_chunk;
};

// Streams every bad row (reading problems and in-file duplicates) to the log, in line order;
// returns how many rows are bad.
std::uint64_t report_bad_rows(Transaction& tx)
{
    std::uint64_t bad = 0;
    std::string last_line;
    tx.stream(sql::k_import_bad_rows, {}, 1000, [&](const Row& row) {
        if (*row[0] != last_line) {
            ++bad;  // a row with two problems counts once
            last_line = *row[0];
        }
        spdlog::error("line {}: {}", *row[0], escape_for_terminal(*row[1]));
    });
    return bad;
}

// Lists the rows whose email already has an account, then fails the import.
[[noreturn]] void report_conflicts(Transaction& tx, const TableName& table, std::uint64_t existing)
{
    tx.stream(with_table(sql::k_import_conflicts, table), {}, 1000, [](const Row& row) {
        spdlog::error("line {}: an account for {} already exists", *row[0], escape_for_terminal(*row[1]));
    });
    throw AlreadyExists(std::to_string(existing) + " of the emails already ha" + (existing == 1 ? "s" : "ve") +
                            " an account; nothing was imported",
                        "use --on-conflict skip to leave them alone, or --on-conflict update to replace "
                        "their names and passwords");
}

}  // namespace

OnConflict parse_on_conflict(const std::string& name)
{
    if (name == "fail") { return OnConflict::fail; }
    if (name == "skip") { return OnConflict::skip; }
    if (name == "update") { return OnConflict::update; }
    throw UsageError("unknown conflict mode '" + name + "'", "choose fail, skip or update");
}

std::optional<std::string> parse_utc_timestamp(const std::string& text)
{
    // YYYY-MM-DD[T ]HH:MM:SS[.f{1,6}][Z|+00:00|+00]
    if (text.size() < 19 || !all_digits(text, 0, 4) || text[4] != '-' || !all_digits(text, 5, 2) || text[7] != '-' ||
        !all_digits(text, 8, 2) || (text[10] != 'T' && text[10] != ' ') || !all_digits(text, 11, 2) ||
        text[13] != ':' || !all_digits(text, 14, 2) || text[16] != ':' || !all_digits(text, 17, 2)) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::string fraction;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && fraction.size() < 7) {
            fraction.push_back(text[pos++]);
        }
        if (fraction.empty() || fraction.size() > 6) {
            return std::nullopt;
        }
    }
    const std::string zone = text.substr(pos);
    if (!zone.empty() && zone != "Z" && zone != "+00:00" && zone != "+00") {
        return std::nullopt;
    }
    const int year = number_at(text, 0, 4);
    const int month = number_at(text, 5, 2);
    const int day = number_at(text, 8, 2);
    const int hour = number_at(text, 11, 2);
    const int minute = number_at(text, 14, 2);
    const int second = number_at(text, 17, 2);
    static const int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (year < 1 || month < 1 || month > 12 || day < 1 ||
        day > k_days[month - 1] + (month == 2 && leap ? 1 : 0) || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    std::string out = text.substr(0, 10) + " " + text.substr(11, 8);
    if (!fraction.empty()) {
        out += "." + fraction;
    }
    return out;
}

ImportSummary import_accounts(Database& db, const TableName& table, ImportSource source, const ImportOptions& options,
                              const ImportProgress& progress, const std::atomic<bool>* interrupted)
{
    validate_settings(options.settings);
    unsigned jobs = options.jobs;
    if (jobs == 0) {
        jobs = std::max(1U, std::thread::hardware_concurrency());
    }
    ImportSummary summary;
    db.transaction([&](Transaction& tx) {
        summary = ImportSummary{};
        summary.dry_run = options.dry_run;
        // A missing or incompatible table: 78 before reading any of the file.
        const bool has_lower_index = check_table(tx, table);
        tx.exec(sql::k_import_create_staging);
        ImportReader reader(options.format, source);
        ChunkWriter writer(tx, table, has_lower_index && !options.dry_run);
        {
            Pipeline pipeline(reader, options, jobs, writer.direct());
            StagedBatch batch;
            while (pipeline.next(batch)) {
                check_interrupted(interrupted);
                summary.rows += batch.rows;
                summary.unreadable += batch.unreadable_lines.size();
                for (const std::uint64_t line : batch.unreadable_lines) {
                    if (summary.unreadable_lines.size() < k_max_unreadable_lines) {
                        summary.unreadable_lines.push_back(line);
                    }
                }
                writer.add(batch);
                if (progress) {
                    progress(summary.rows, pipeline.bytes_read());
                }
            }
            writer.flush();
            if (progress) {
                progress(summary.rows, pipeline.bytes_read());
            }
        }
        check_interrupted(interrupted);
        // When every row went straight into the users table and none failed a check, the
        // table's unique index on lower(email) has already refused any email repeated in the
        // file (the chunk would have taken the staged path): nothing left to report.
        const bool all_direct = writer.inserted == summary.rows;
        if (const std::uint64_t bad = all_direct ? 0 : report_bad_rows(tx); bad > 0) {
            throw InvalidInput(std::to_string(bad) + " bad row" + (bad == 1 ? "" : "s") + " of " +
                                   std::to_string(summary.rows) + "; nothing was imported",
                               "fix the rows listed above and run the import again");
        }
        // Rows copied straight into the users table are in; the pending rest (all of them in a
        // dry run, or from the first chunk that met an existing email on) is written below.
        const std::uint64_t pending = summary.rows - writer.inserted;
        if (options.dry_run) {
            const QueryResult counts = tx.exec(with_table(sql::k_import_counts, table));
            const std::uint64_t fresh = count_of(counts.rows.at(0).at(0));
            const std::uint64_t existing = count_of(counts.rows.at(0).at(1));
            if (existing > 0 && options.on_conflict == OnConflict::fail) {
                report_conflicts(tx, table, existing);
            }
            summary.created = fresh;
            (options.on_conflict == OnConflict::update ? summary.updated : summary.skipped) = existing;
            return;
        }
        summary.created = writer.inserted;
        if (pending > 0) {
            // Concurrent writers wait (up to --lock-timeout) while the pending rows go in, so the
            // conflict check below still holds when they are written. Readers are not blocked.
            tx.exec(with_table(sql::k_import_lock, table));
            // The pending rows whose email has no account go in by one INSERT ... SELECT (after
            // the UPDATE of the others under --on-conflict update); emails are unique in the
            // staging table, so every pending row not inserted is one that had an account.
            if (options.on_conflict == OnConflict::update) {
                summary.updated = tx.exec(with_table(sql::k_import_update, table)).affected;
            }
            if (options.on_conflict == OnConflict::fail) {
                tx.exec(sql::k_import_savepoint);
            }
            const std::uint64_t created = tx.exec(with_table(sql::k_import_insert, table)).affected;
            const std::uint64_t existing = pending - created;
            if (options.on_conflict == OnConflict::fail && existing > 0) {
                tx.exec(sql::k_import_rollback_to_savepoint);
                report_conflicts(tx, table, existing);
            }
            if (options.on_conflict == OnConflict::skip) {
                summary.skipped = existing;
            }
            summary.created += created;
        }
        check_interrupted(interrupted);
    });
    return summary;
}

}  // namespace usersctl
