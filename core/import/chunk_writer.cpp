#include "core/import/chunk_writer.hpp"

#include "core/errors.hpp"
#include "core/sql_text.hpp"
#include "core/text.hpp"
#include "sql_statements.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace usersctl {

namespace {

// Chunks copied straight into the users table, each under its own savepoint, at most: beyond
// PostgreSQL's cache of 64 subtransactions per transaction every other session's snapshots get
// slower, so later chunks take the locked direct path (or the staged one).
constexpr std::size_t k_max_direct_chunks = 60;
// The locked direct path loads the table's emails into its filter: beyond this many it would
// say "maybe" too often to be worth it, and the staged path takes over.
constexpr std::size_t k_max_filtered_emails = 4'000'000;
// Rows reach the server by COPY in chunks this large.
constexpr std::size_t k_chunk_rows = 5000;
constexpr std::size_t k_chunk_bytes = 1 << 20;

// Whether an email occurs twice among `emails` (hashes[i] is the hash of emails[i]).
bool repeated_in(const std::vector<std::string_view>& emails, const std::vector<std::uint64_t>& hashes)
{
    std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted;
    sorted.reserve(hashes.size());
    for (std::uint32_t i = 0; i < hashes.size(); ++i) {
        sorted.emplace_back(hashes[i], i);
    }
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        // Equal emails have equal hashes; each run of equal hashes is compared pairwise.
        for (std::size_t j = i; j > 0 && sorted[j - 1].first == sorted[i].first; --j) {
            if (emails[sorted[j - 1].second] == emails[sorted[i].second]) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

ChunkWriter::ChunkWriter(Transaction& tx, const TableName& table, bool direct)
    : m_tx(tx), m_table(table), m_direct(direct), m_spool(direct ? std::make_unique<DoneSpool>() : nullptr)
{
}

void ChunkWriter::send_done()
{
    if (m_spool) {
        m_spool->send(m_tx);
    }
}

void ChunkWriter::add(StagedBatch&& batch)
{
    m_hashed = m_hashed || batch.hashed_rows > 0;
    m_rows += batch.rows;
    m_bytes += batch.pending.size() + batch.bad.size();
    // Kept as they came (moved, not appended to one string): a chunk's rows are sent piece by
    // piece, never copied together first.
    m_batches.push_back(std::move(batch));
    if (m_rows >= k_chunk_rows || m_bytes >= k_chunk_bytes) {
        flush();
    }
}

std::size_t ChunkWriter::good_rows() const
{
    std::size_t good = 0;
    for (const StagedBatch& batch : m_batches) {
        good += batch.rows - batch.bad_rows;
    }
    return good;
}

void ChunkWriter::copy_pieces(const std::string& table, const std::vector<std::string>& columns,
                              std::initializer_list<std::string StagedBatch::*> forms,
                              const std::function<bool(const std::string&)>& kept_elsewhere)
{
    std::vector<const std::string*> pieces;
    for (const auto form : forms) {
        for (const StagedBatch& batch : m_batches) {
            if (!(batch.*form).empty() && !(kept_elsewhere && kept_elsewhere(batch.*form))) {
                pieces.push_back(&(batch.*form));
            }
        }
    }
    if (!pieces.empty()) {
        m_tx.copy_in(table, columns, pieces);
    }
}

void ChunkWriter::flush()
{
    if (m_rows == 0) {
        return;
    }
    bool copied = false;
    const bool has_insert =
        std::any_of(m_batches.begin(), m_batches.end(), [](const StagedBatch& batch) { return !batch.insert.empty(); });
    if (m_direct && has_insert) {
        copied = m_seen ? copy_locked() : copy_direct();
    }
    if (copied) {
        // The spool keeps what it can; the rest goes to the staging table now, in one COPY.
        copy_pieces("usersctl_import", k_done_columns, {&StagedBatch::done},
                    [this](const std::string& rows) { return m_spool && m_spool->keep(rows); });
        copy_pieces("usersctl_import", k_staging_columns, {&StagedBatch::bad});
    } else {
        copy_pieces("usersctl_import", k_staging_columns, {&StagedBatch::pending, &StagedBatch::bad});
    }
    m_batches.clear();
    m_rows = 0;
    m_bytes = 0;
}

bool ChunkWriter::copy_direct()
{
    m_tx.exec(sql::k_import_chunk_savepoint);
    try {
        copy_pieces(m_table.quoted(), k_target_columns, {&StagedBatch::insert});
    } catch (const AlreadyExists&) {
        m_tx.exec(sql::k_import_chunk_rollback);
        m_tx.exec(sql::k_import_chunk_release);
        m_direct = false;
        return false;
    }
    m_tx.exec(sql::k_import_chunk_release);
    m_inserted += good_rows();
    if (++m_direct_chunks >= k_max_direct_chunks) {
        // Rows that carry passwords come at the hashing rate (a few a second per core at bcrypt
        // cost 12): the lock would keep the app's writers waiting for hours. They take the staged
        // path, which locks only for its final write.
        if (m_hashed || !m_may_hash_later || m_may_hash_later()) {
            m_direct = false;
        } else {
            lock_for_direct_path();
        }
    }
    return true;
}

void ChunkWriter::lock_for_direct_path()
{
    // The path's guarantee needs each statement to see what is committed (not so under
    // REPEATABLE READ, a database's default_transaction_isolation) and the email column in the
    // collation the probe's lower() uses.
    const QueryResult path =
        m_tx.exec(sql::k_import_locked_path_ok, {m_table.quoted(), std::to_string(k_max_filtered_emails)});
    if (path.rows.empty() || path.get(path.rows[0], "ok") != Value("t")) {
        spdlog::debug("import: not read committed, or the email column has a collation of its own; the rest goes "
                      "through the staging table");
        m_direct = false;
        return;
    }
    if (path.get(path.rows[0], "fits") != Value("t")) {
        spdlog::debug("import: the table's statistics count over {} emails; the rest goes through the staging table",
                      k_max_filtered_emails);
        m_direct = false;
        return;
    }
    // Writers wait from here to the commit, as they would for the staged path's final write;
    // readers are not blocked. Every email in the table goes into the filter: whatever a later
    // chunk could meet is in it (the table changes only through this import now).
    m_tx.exec(sql_for_table(sql::k_import_lock, m_table));
    auto seen = std::make_unique<SeenEmails>();
    std::size_t count = 0;
    m_tx.copy_out(sql_for_table(sql::k_import_table_emails, m_table,
                                {{"limit", std::to_string(k_max_filtered_emails + 1)}}),
                  [&](const Row& row) {
                      ++count;
                      seen->add(row.at(0).value_or(""));
                  });
    if (count > k_max_filtered_emails) {
        spdlog::debug("import: the table has over {} emails; the rest goes through the staging table",
                      k_max_filtered_emails);
        m_direct = false;
        return;
    }
    spdlog::debug("import: {} rows in; the table is locked against writers and the rest goes straight in", m_inserted);
    m_seen = std::move(seen);
    // For the probes of every later chunk; put back when the path ends (leave_locked_path).
    m_tx.exec(sql::k_import_probe_plan);
}

void ChunkWriter::leave_locked_path()
{
    if (m_seen) {
        m_seen.reset();
        m_tx.exec(sql::k_import_probe_plan_reset);
    }
}

bool ChunkWriter::copy_locked()
{
    // A chunk goes in without a savepoint only when none of its emails can meet the unique
    // indexes: not twice in the chunk, not (by the filter, then by the index itself for the
    // filter's "maybe") in the table. An email that is not ASCII is always looked up: the index
    // is on PostgreSQL's lower(), which may differ from Python's for it.
    // Each email goes into the filter as it is checked (a chunk that cannot go straight in drops
    // the filter anyway): an email repeated in the chunk is then a "maybe" too, and equal hashes
    // find it.
    std::vector<std::string_view> emails;
    std::vector<std::uint64_t> hashes;
    emails.reserve(m_rows);
    hashes.reserve(m_rows);
    bool all_ascii = true;
    for (const StagedBatch& batch : m_batches) {
        std::uint32_t start = 0;
        for (const std::uint32_t end : batch.email_ends) {
            emails.emplace_back(batch.emails.data() + start, end - start);
            hashes.push_back(SeenEmails::hash(emails.back()));
            all_ascii = all_ascii && is_ascii(emails.back());
            start = end;
        }
    }
    std::vector<std::string_view> maybe_taken;
    for (const std::uint32_t i : m_seen->add_all(hashes)) {
        maybe_taken.push_back(emails[i]);
    }
    bool repeated = !maybe_taken.empty() && repeated_in(emails, hashes);
    if (!all_ascii) {
        maybe_taken = emails;  // so lower() compares each of them with every other one too
    }
    if (!repeated && !maybe_taken.empty()) {
        repeated = !m_tx.exec(sql_for_table(sql::k_import_chunk_taken, m_table), {array_literal(maybe_taken)}).rows.empty();
    }
    if (repeated) {
        // The staged path finds and reports what this was (a repeated email or an account).
        spdlog::debug("import: a chunk may meet an email already in; it and the rest go through the staging table");
        leave_locked_path();
        m_direct = false;
        return false;
    }
    copy_pieces(m_table.quoted(), k_target_columns, {&StagedBatch::insert});
    m_inserted += good_rows();
    return true;
}

}  // namespace usersctl
