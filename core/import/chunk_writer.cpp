#include "core/import/chunk_writer.hpp"

#include "core/errors.hpp"
#include "sql_statements.hpp"

namespace usersctl {

namespace {

// Chunks copied straight into the users table, each under its own savepoint, at most: beyond
// PostgreSQL's cache of 64 subtransactions per transaction every other session's snapshots get
// slower, so later chunks take the staged path.
constexpr std::size_t k_max_direct_chunks = 60;
// Rows reach the server by COPY in chunks this large.
constexpr std::size_t k_chunk_rows = 5000;
constexpr std::size_t k_chunk_bytes = 1 << 20;

}  // namespace

void ChunkWriter::add(const StagedBatch& batch)
{
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
        copied = copy_direct();
    }
    std::string staging = std::move(copied ? m_chunk.done : m_chunk.pending);
    staging += m_chunk.bad;
    m_tx.copy_in("usersctl_import", k_staging_columns, staging);
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
        m_direct = false;
    }
    return true;
}

}  // namespace usersctl
