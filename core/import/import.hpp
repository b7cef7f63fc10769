#pragma once
// Bulk import: every row is read (import_reader), checked and hashed on all cores (checked_row,
// on an OrderedPipeline) and sent by COPY (chunk_writer) inside one transaction, straight into
// the users table while every email is new, else into a temporary staging table where bad rows,
// in-file duplicates and conflicts are found by SQL before one INSERT ... SELECT (and, for
// --on-conflict update, one UPDATE) writes the rest. All or nothing: any failure rolls the
// whole import back.

#include "core/database.hpp"
#include "core/import/checked_row.hpp"
#include "core/import/password_file.hpp"
#include "core/import_reader.hpp"
#include "core/table_name.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace usersctl {

class Interruption;

/// What happens to a row whose email already has an account.
enum class OnConflict { fail, skip, update };

/// Parses "fail", "skip" or "update"; throws UsageError otherwise.
OnConflict parse_on_conflict(const std::string& name);

struct ImportOptions {
    ImportReaderOptions input;  ///< format, CSV delimiter
    OnConflict on_conflict = OnConflict::fail;
    bool dry_run = false;
    unsigned jobs = 0;       ///< hashing threads; 0 = one per core
    RowChecks checks;        ///< what every row is checked against
    PasswordFile* generated_passwords = nullptr;  ///< where generated passwords go (checks.generate_passwords)
};

/// The most lines of unreadable hashes an ImportSummary lists (all are counted).
constexpr std::size_t k_max_unreadable_lines = 1000;

struct ImportSummary {
    std::uint64_t rows = 0;
    std::uint64_t created = 0;
    std::uint64_t updated = 0;
    std::uint64_t skipped = 0;
    std::uint64_t generated = 0;                   ///< rows given a generated password
    std::uint64_t unreadable = 0;                  ///< rows whose password_hash the verifier cannot read
    std::vector<std::uint64_t> unreadable_lines;   ///< their lines, the first k_max_unreadable_lines
    bool dry_run = false;
};

/// Called now and then from the importing thread: rows read so far and bytes consumed.
using ImportProgress = std::function<void(std::uint64_t rows, std::uint64_t bytes)>;

/// Imports the accounts `source` yields. Bad rows are logged (line number and reason, never
/// content) and end in InvalidInput; existing emails under OnConflict::fail are logged and end in
/// AlreadyExists; in both cases nothing is written. Once `interruption` (if not null) is
/// requested the import stops and throws Interrupted, rolled back. A dry run checks everything
/// and writes nothing. Generated passwords are written to options.generated_passwords in file
/// order and synced before the commit. Under checks.keep_ids the file's ids are kept (an id
/// taken by another account: AlreadyExists) and the id sequence is moved past the largest.
ImportSummary import_accounts(Database& db, const TableName& table, ImportSource source, const ImportOptions& options,
                              const ImportProgress& progress = {}, const Interruption* interruption = nullptr);

}  // namespace usersctl
