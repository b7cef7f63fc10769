#pragma once
// delete-user --from-file: the accounts named by a list of emails (one per line, blank lines and
// '#' comments skipped), found first and then deleted together in one transaction, all or nothing.

#include "core/accounts.hpp"
#include "core/database.hpp"
#include "core/table_name.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace usersctl {

/// One email of the list, normalised, with the line it is on.
struct ListedEmail {
    std::uint64_t line = 0;
    std::string email;
};

/// Reads up to `size` bytes into `buffer`; 0 at the end of the input.
using ListSource = std::function<std::size_t(char* buffer, std::size_t size)>;

/// The emails of the list, in file order, a repeated one kept once. Lines that are not an email
/// are logged by number (never content: the file may not be a list of emails at all) and end in
/// InvalidInput (65); so does a list with no email.
std::vector<ListedEmail> read_email_list(const ListSource& source);

/// What a bulk delete finds (and, once confirmed, deletes).
struct BulkDeletePlan {
    std::vector<StoredAccount> accounts;          ///< in list order
    std::vector<std::uint64_t> not_found_lines;   ///< lines whose email has no account
};

/// Looks every email up, as delete-user EMAIL would (an email several accounts match
/// case-insensitively and none exactly is InvalidInput, with its line). Missing accounts are
/// logged with their lines (and the email when it is a plain address); unless `if_exists`, they
/// end in NotFound (67).
BulkDeletePlan plan_bulk_delete(Database& db, const TableName& table, const std::vector<ListedEmail>& emails,
                                bool if_exists);

/// Deletes the planned accounts by id in one transaction. An account gone (or renamed) since the
/// plan fails the whole delete (TemporaryFailure: nothing deleted, re-run) unless `if_exists`,
/// which accepts it gone. Returns the accounts deleted.
std::vector<StoredAccount> run_bulk_delete(Database& db, const TableName& table, const BulkDeletePlan& plan,
                                           bool if_exists);

}  // namespace usersctl
