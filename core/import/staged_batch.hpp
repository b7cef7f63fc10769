#pragma once
// Checked rows encoded, on the hashing threads, in the COPY text forms the importing thread may
// send: to the staging table (usersctl_import, sql/import_create_staging.sql) or straight into
// the users table.

#include "core/import/checked_row.hpp"
#include "core/secret.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace usersctl {

/// The staging table's columns, in COPY order.
extern const std::vector<std::string> k_staging_columns;
/// The staging table's columns a row copied straight into the users table fills (`done`).
extern const std::vector<std::string> k_done_columns;
/// The users table's columns an import writes, in COPY order.
extern const std::vector<std::string> k_target_columns;

/// Good rows in the forms the importing thread may pick per chunk: `pending` (every value, kind
/// NULL) for the staging table, and while the direct path is open also `insert` for the users
/// table and `done` (k_done_columns: line, email and kind 'inserted') for the staging table; bad rows in
/// `bad` (line, problem and, when valid, email).
struct StagedBatch {
    std::string insert;
    std::string done;
    std::string pending;
    std::string bad;
    /// While the direct path is open, the good rows' emails (as stored) back to back, each
    /// ending at its entry of `email_ends`: the locked direct path looks them up.
    std::string emails;
    std::vector<std::uint32_t> email_ends;
    std::size_t rows = 0;
    std::size_t bad_rows = 0;
    std::size_t hashed_rows = 0;  ///< good rows whose password was hashed by the import
    std::vector<std::uint64_t> unreadable_lines;  ///< good rows whose hash the verifier cannot read
    Secret generated;  ///< `email,password\r\n` for each row given a generated password
    std::size_t generated_rows = 0;

    /// Adds one checked row in each form it may need (`direct`: the direct path is still open).
    void add(const CheckedRow& row, bool direct);
};

}  // namespace usersctl
