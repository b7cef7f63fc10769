#pragma once
// Sends an import's checked rows to the server a chunk at a time, inside the import's
// transaction: straight into the users table while that is possible, else to the staging table.

#include "core/database.hpp"
#include "core/import/done_spool.hpp"
#include "core/import/seen_emails.hpp"
#include "core/import/staged_batch.hpp"
#include "core/table_name.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <vector>

namespace usersctl {

/// While every email so far was new, a chunk is copied straight into the users table under a
/// savepoint (COPY writes a page at a time, the fastest path by far) and only its line numbers
/// and emails go to the staging table, for the duplicate check. A chunk that meets an existing
/// email (a unique violation) is rolled back to its savepoint and goes to the staging table
/// whole, as does every later chunk, to be written after all the checks.
///
/// Savepoints are limited (see chunk_writer.cpp), so after the first 60 chunks an import of
/// prehashed rows (one hashing passwords is slow, and must not hold the lock) takes
/// the lock the staged path's final write takes anyway, and later chunks go straight in without
/// a savepoint when none of their emails can conflict: a Bloom filter of every email in the
/// table (and sent since) says which may, and the table's lower(email) index decides those.
/// A chunk with a possible conflict that proves real goes to the staging table, as above.
class ChunkWriter {
public:
    /// `direct`: whether the direct path may be used at all (it needs the lower(email) index
    /// and is never used by a dry run).
    ChunkWriter(Transaction& tx, const TableName& table, bool direct);

    /// Adds a batch; sends the chunk once it is large enough.
    void add(StagedBatch&& batch);
    /// Sends what is gathered.
    void flush();
    /// After the last flush(): puts back what the locked direct path set for its look-ups, before
    /// the statements of the staged path are planned.
    void finish() { leave_locked_path(); }

    /// Whether chunks may still go straight into the users table; the hashing threads read it
    /// to skip the encodings that path needs once it is closed.
    const std::atomic<bool>& direct() const { return m_direct; }
    /// Lists every row copied straight in so far in the staging table (until now they may wait
    /// in a temporary file: DoneSpool), for the staged path and the report of bad rows.
    void send_done();
    /// Rows already in the users table.
    std::uint64_t inserted() const { return m_inserted; }
    /// Whether rows not read yet may carry a password to hash (then the import never takes the
    /// locked direct path: it would hold the lock while it hashes). Unset: assumed so.
    void set_may_hash_later(std::function<bool()> may_hash_later) { m_may_hash_later = std::move(may_hash_later); }

private:
    bool copy_direct();
    void lock_for_direct_path();
    bool copy_locked();
    void leave_locked_path();
    /// Rows of m_batches that passed their checks.
    std::size_t good_rows() const;
    /// One COPY of the chunk's rows in the given forms (of the same columns), batch by batch,
    /// less the pieces `kept_elsewhere` takes (returns true for).
    void copy_pieces(const std::string& table, const std::vector<std::string>& columns,
                     std::initializer_list<std::string StagedBatch::*> forms,
                     const std::function<bool(const std::string&)>& kept_elsewhere = nullptr);

    Transaction& m_tx;
    const TableName& m_table;
    std::atomic<bool> m_direct;
    std::size_t m_direct_chunks = 0;
    std::uint64_t m_inserted = 0;
    std::vector<StagedBatch> m_batches;  ///< the chunk gathered so far
    std::size_t m_rows = 0;              ///< rows of m_batches (checked at every add)
    std::size_t m_bytes = 0;             ///< of their staging forms
    std::unique_ptr<DoneSpool> m_spool;  ///< set while the direct path may be used
    std::unique_ptr<SeenEmails> m_seen;  ///< set on the locked direct path
    bool m_hashed = false;               ///< some row's password was hashed by the import
    std::function<bool()> m_may_hash_later;
};

}  // namespace usersctl
