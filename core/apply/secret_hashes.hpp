#pragma once
// The hashes apply needs for passwords from the environment or files: only for accounts it
// creates, for update_password always, and for if_changed when the stored hash does not verify
// the password. Looked up in a short read transaction, hashed outside any transaction (a pooled
// server connection never waits on a hash) on several threads; apply_counts.sql later finds
// accounts that changed in between.

#include "core/apply/declaration.hpp"
#include "core/database.hpp"
#include "core/table_name.hpp"

#include <optional>
#include <string>
#include <vector>

namespace usersctl {

class Interruption;

/// What usersctl saw of an account with a password from the environment or a file, and the
/// hash it made (if one is needed).
struct SecretHash {
    bool seen = false;                         ///< the account existed when looked up
    std::optional<std::string> expected_hash;  ///< its stored hash then
    std::optional<std::string> new_hash;       ///< to store; nullopt when none is needed
    bool password_change = false;              ///< an existing account's password is replaced
};

/// For each account (nullopt for a password_hash account): looks the account up, then verifies
/// and hashes on `jobs` threads. Throws Interrupted once `interruption` is requested.
std::vector<std::optional<SecretHash>> make_secret_hashes(Database& db, const TableName& table,
                                                          const std::vector<DeclaredAccount>& accounts,
                                                          const HashSettings& settings, unsigned jobs,
                                                          const Interruption* interruption);

}  // namespace usersctl
