#pragma once
// usersctl apply: make the users table hold the declared accounts, in one transaction. The
// declared rows go by COPY into a temporary table and the plan is a set-based diff against the
// users table, computed under a lock that serialises concurrent applies; rows with nothing to
// change are not written.

#include "core/apply/declaration.hpp"
#include "core/database.hpp"
#include "core/table_name.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace usersctl {

class Interruption;

struct ApplyOptions {
    bool check = false;                      ///< plan only, write nothing
    std::optional<std::string> prune_glob;   ///< delete undeclared accounts matching this glob
    std::uint64_t max_delete = 10;           ///< more deletions refuse the whole apply
    unsigned jobs = 0;                       ///< hashing threads; 0 = one per core
    HashSettings settings;                   ///< how passwords from the environment or files are hashed
};

/// An existing account the plan changes, and which fields.
struct PlannedUpdate {
    std::string email;
    bool first_name = false;
    bool last_name = false;
    bool password = false;
};

/// What apply does (or, with --check, would do).
struct ApplyPlan {
    std::vector<std::string> create;
    std::vector<PlannedUpdate> update;
    std::vector<std::string> remove;
    std::uint64_t unchanged = 0;
    bool written = false;  ///< the changes were committed

    /// True when the plan changes anything.
    bool changes() const { return !create.empty() || !update.empty() || !remove.empty(); }
};

/// Plans and (unless options.check) applies `accounts`. Ambiguous emails and more deletions
/// than options.max_delete are InvalidInput with nothing written; Ctrl-C (`interruption`, if
/// not null) is Interrupted, rolled back. The passwords in `accounts` are wiped on return.
ApplyPlan apply_accounts(Database& db, const TableName& table, std::vector<DeclaredAccount>& accounts,
                         const ApplyOptions& options, const Interruption* interruption = nullptr);

}  // namespace usersctl
