#include "core/import/chunk_writer.hpp"

#include "core/errors.hpp"
#include "core/sql_text.hpp"
#include "sql_statements.hpp"

#include <spdlog/spdlog.h>

#include <string_view>
#include <unordered_set>
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

}  // namespace

void ChunkWriter::add(const StagedBatch& batch)
{
    m_hashed = m_hashed || batch.hashed_rows > 0;
    m_chunk.append(batch);
    if (m_chunk.rows >= k_chunk_rows || m_chunk.pending.size() + m_chunk.bad.size() >= k_chunk_bytes) {
        flush();
    }
}

void ChunkWriter::flush()
{
    if (m_chunk.rows == 0) {
        return;
    }
    bool copied = false;
    if (m_direct && !m_chunk.insert.empty()) {
        copied = m_seen ? copy_locked() : copy_direct();
    }
    if (copied) {
        m_tx.copy_in("usersctl_import", k_done_columns, m_chunk.done);
    } else {
        m_chunk.bad.insert(0, m_chunk.pending);
    }
    if (!m_chunk.bad.empty()) {
        m_tx.copy_in("usersctl_import", k_staging_columns, m_chunk.bad);
    }
    m_chunk = StagedBatch{};
}

bool ChunkWriter::copy_direct()
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
    m_inserted += m_chunk.rows - m_chunk.bad_rows;
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
    const QueryResult ok = m_tx.exec(sql::k_import_locked_path_ok, {m_table.quoted()});
    if (ok.rows.empty() || ok.rows[0].at(0) != Value("t")) {
        spdlog::debug("import: not read committed, or the email column has a collation of its own; the rest goes "
                      "through the staging table");
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
}

bool ChunkWriter::copy_locked()
{
    // A chunk goes in without a savepoint only when none of its emails can meet the unique
    // indexes: not twice in the chunk, not (by the filter, then by the index itself for the
    // filter's "maybe") in the table. An email that is not ASCII is always looked up: the index
    // is on PostgreSQL's lower(), which may differ from Python's for it.
    std::vector<std::string_view> emails;
    emails.reserve(m_chunk.email_ends.size());
    std::uint32_t start = 0;
    for (const std::uint32_t end : m_chunk.email_ends) {
        emails.emplace_back(m_chunk.emails.data() + start, end - start);
        start = end;
    }
    const auto ascii = [](std::string_view email) {
        for (const char c : email) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                return false;
            }
        }
        return true;
    };
    std::unordered_set<std::string_view> in_chunk(emails.size() * 2);
    std::vector<std::string_view> maybe_taken;
    bool repeated = false;
    bool all_ascii = true;
    for (const std::string_view email : emails) {
        if (!in_chunk.insert(email).second) {
            repeated = true;
            break;
        }
        all_ascii = all_ascii && ascii(email);
        if (!ascii(email) || m_seen->maybe_contains(email)) {
            maybe_taken.push_back(email);
        }
    }
    if (!all_ascii) {
        maybe_taken = emails;  // so lower() compares each of them with every other one too
    }
    if (!repeated && !maybe_taken.empty()) {
        m_tx.exec(sql::k_import_probe_plan);
        repeated = !m_tx.exec(sql_for_table(sql::k_import_chunk_taken, m_table), {array_literal(maybe_taken)}).rows.empty();
        m_tx.exec(sql::k_import_probe_plan_reset);
    }
    if (repeated) {
        // The staged path finds and reports what this was (a repeated email or an account).
        spdlog::debug("import: a chunk may meet an email already in; it and the rest go through the staging table");
        m_seen.reset();
        m_direct = false;
        return false;
    }
    for (const std::string_view email : emails) {
        m_seen->add(email);
    }
    m_tx.copy_in(m_table.quoted(), k_target_columns, m_chunk.insert);
    m_inserted += m_chunk.rows - m_chunk.bad_rows;
    return true;
}

}  // namespace usersctl
