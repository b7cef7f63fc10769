#pragma once
// Bulk import: every row is read, checked and hashed (on all cores) and streamed by COPY into a
// temporary table inside one transaction; bad rows, in-file duplicates and conflicts are found
// there by SQL; then one INSERT ... SELECT (and, for --on-conflict update, one UPDATE) writes
// the accounts. All or nothing: any failure rolls the whole import back.

#include "core/database.hpp"
#include "core/import_reader.hpp"
#include "core/password_hash.hpp"
#include "core/password_policy.hpp"
#include "core/table_name.hpp"
#include "core/verifier.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace usersctl {

/// What happens to a row whose email already has an account.
enum class OnConflict { fail, skip, update };

/// Parses "fail", "skip" or "update"; throws UsageError otherwise.
OnConflict parse_on_conflict(const std::string& name);

struct ImportOptions {
    ImportFormat format = ImportFormat::csv;
    OnConflict on_conflict = OnConflict::fail;
    bool dry_run = false;
    unsigned jobs = 0;       ///< hashing threads; 0 = one per core
    HashSettings settings;   ///< for rows that give a password
    PolicyOptions policy;    ///< for rows that give a password (each row's email and names are added as known words)
    Verifier verifier = Verifier::any;  ///< who must read each password_hash
    bool require_readable = false;      ///< a password_hash the verifier cannot read is a bad row
};

/// The most lines of unreadable hashes an ImportSummary lists (all are counted).
constexpr std::size_t k_max_unreadable_lines = 1000;

struct ImportSummary {
    std::uint64_t rows = 0;
    std::uint64_t created = 0;
    std::uint64_t updated = 0;
    std::uint64_t skipped = 0;
    std::uint64_t unreadable = 0;                  ///< rows whose password_hash the verifier cannot read
    std::vector<std::uint64_t> unreadable_lines;   ///< their lines, the first k_max_unreadable_lines
    bool dry_run = false;
};

/// Called now and then from the importing thread: rows read so far and bytes consumed.
using ImportProgress = std::function<void(std::uint64_t rows, std::uint64_t bytes)>;

/// Imports the accounts `source` yields. Bad rows are logged (line number and reason, never
/// content) and end in InvalidInput; existing emails under OnConflict::fail are logged and end in
/// AlreadyExists; in both cases nothing is written. When `*interrupted` becomes true the import
/// stops and throws Interrupted, rolled back. A dry run checks everything and writes nothing.
ImportSummary import_accounts(Database& db, const TableName& table, ImportSource source, const ImportOptions& options,
                              const ImportProgress& progress = {}, const std::atomic<bool>* interrupted = nullptr);

/// "2024-05-01T12:00:00Z", "2024-05-01 12:00:00.123456" (UTC; a trailing Z or +00:00 allowed)
/// as the timestamp text PostgreSQL reads, or nullopt when it is not such a time.
std::optional<std::string> parse_utc_timestamp(const std::string& text);

}  // namespace usersctl
