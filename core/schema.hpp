#pragma once
// init-db: create the users table as the web app's model does, or check an existing one.

#include "core/database.hpp"
#include "core/table_name.hpp"

#include <string>
#include <vector>

namespace usersctl {

/// What init-db did.
struct InitDbResult {
    bool created_table = false;
    bool created_index = false;
    std::vector<std::string> statements;  ///< the DDL run (or, with dry_run, that would run)
};

/// Creates the table and its lower(email) unique index when missing, or checks the existing
/// table. Safe to run concurrently (transaction-scoped advisory lock). With dry_run, nothing is
/// changed and the statements are only returned. Throws ConfigError listing every
/// incompatibility, or the emails that differ only by case.
InitDbResult init_db(Database& db, const TableName& table, bool dry_run);

/// Throws ConfigError unless the table exists and is compatible (the checks of init_db, without
/// creating anything). Used by commands that need the table. Returns whether the table has the
/// unique index on lower(email).
bool check_table(Transaction& tx, const TableName& table);

}  // namespace usersctl
