#pragma once
// Account operations on the users table. Passwords are hashed by the caller before any
// transaction starts, so no transaction (nor a pooled server connection) waits on a hash.

#include "core/database.hpp"
#include "core/password_hash.hpp"
#include "core/table_name.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace usersctl {

/// What a write did, as reported by --json.
struct WriteResult {
    std::int64_t id = 0;
    std::string email;
    bool created = false;
    bool changed = false;
};

/// The one account a command acts on: by email, or by id (--id).
struct AccountKey {
    std::string email;               ///< normalised; empty when chosen by id
    std::optional<std::int64_t> id;  ///< --id N

    /// "ada@example.com" or "id 7", for messages.
    std::string display() const;
};

/// An account as found by a lookup.
struct StoredAccount {
    std::int64_t id = 0;
    std::string email;
    std::string password_hash;
};

/// The account `key` names, if any: by id; or the row storing exactly the email, else the one
/// row whose email lower-cases (as Python does) to it. Several such rows and none exact:
/// InvalidInput listing their ids and emails, since any choice would be a guess. `for_update`
/// locks the row until the transaction ends.
std::optional<StoredAccount> find_account(Transaction& tx, const TableName& table, const AccountKey& key, bool for_update);

/// What add-user does when the email is already registered.
enum class OnExisting { fail, keep, update };

struct NewAccount {
    std::string email;  ///< normalised
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::string password_hash;
};

/// Called inside the transaction after the write and before the commit; what it throws rolls
/// the write back (a generated password that cannot be delivered must not be committed).
using BeforeCommit = std::function<void(const WriteResult&)>;

/// Inserts an account (names default to ""). An existing email: AlreadyExists (fail), the
/// account unchanged (keep), or its names (those given) and password replaced (update; written,
/// and `changed`, only when one of them differs from what is stored).
WriteResult add_user(Database& db, const TableName& table, const NewAccount& account, OnExisting on_existing,
                     const BeforeCommit& before_commit = {});

struct VerifyOptions {
    bool record_login = false;  ///< on a match: last_login_at = now (UTC), login_count + 1
    bool rehash = false;        ///< on a match needing it: store a fresh hash in `settings`
    HashSettings settings;      ///< the configured scheme (also the dummy hash's)
};

/// True when the account exists and the password matches its stored hash. An unknown email is
/// checked against a dummy hash of the configured scheme, so it costs what a wrong password
/// costs. `hash_new` makes the fresh hash for --rehash.
bool verify_user(Database& db, const TableName& table, const AccountKey& key, std::string_view password,
                 const VerifyOptions& options);
/// verify_user, giving the matched account (as stored, before any write) instead of true.
std::optional<StoredAccount> verify_account(Database& db, const TableName& table, const AccountKey& key,
                                            std::string_view password, const VerifyOptions& options);

/// Replaces the password hash. NotFound when there is no such account.
WriteResult set_password(Database& db, const TableName& table, const AccountKey& key, const std::string& hash,
                         const BeforeCommit& before_commit = {});

struct AccountChanges {
    std::optional<std::string> new_email;  ///< normalised
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    bool clear_last_login = false;  ///< last_login_at to NULL (doctor's fix for a year Python lacks)
};

/// Changes email and names, and clears last_login_at when asked. NotFound when missing,
/// AlreadyExists when the new email is taken; changed=false when the values were already as given.
WriteResult update_user(Database& db, const TableName& table, const AccountKey& key, const AccountChanges& changes);

/// Deletes the account. NotFound when missing (the caller decides about --if-exists).
WriteResult delete_user(Database& db, const TableName& table, const AccountKey& key);

/// The account `key` names, if it exists (see find_account).
std::optional<StoredAccount> find_user(Database& db, const TableName& table, const AccountKey& key);

/// One row of `list` and `export`: views into the row being streamed, valid during the call.
struct AccountRow {
    std::string_view id;
    std::string_view email;
    std::string_view first_name;
    std::string_view last_name;
    std::optional<std::string_view> last_login_at;  ///< ISO 8601 UTC (then ` BC` before year 1), or (-)infinity
    std::optional<std::string_view> login_count;
    std::string_view password_hash;
};

/// The orders list and export offer; each ends with id, so it is total.
enum class ListOrder { id, email, last_login_at, login_count };

/// Parses "id", "email", "last_login_at" or "login_count"; UsageError otherwise.
ListOrder parse_list_order(const std::string& name);

struct ListFilter {
    std::optional<std::string> email_glob;  ///< shell-style * and ?, matched on lower(email)
    std::optional<std::uint64_t> limit;
    bool never_logged_in = false;               ///< last_login_at IS NULL
    std::optional<std::string> logged_in_since;   ///< UTC (parse_iso8601_utc): last_login_at at or after
    std::optional<std::string> logged_in_before;  ///< UTC: last_login_at before
    ListOrder order = ListOrder::id;
    bool reverse = false;  ///< the order reversed; accounts that never logged in stay last
};

/// Streams the accounts `filter` selects, in its order, to `on_row`, a batch at a time (memory
/// stays flat).
void list_users(Database& db, const TableName& table, const ListFilter& filter,
                const std::function<void(const AccountRow&)>& on_row);

/// How many accounts list_users would stream.
std::uint64_t count_users(Database& db, const TableName& table, const ListFilter& filter);

/// Checks a name field: UTF-8 text without NUL bytes. Throws InvalidInput naming `what`.
void check_name_text(const std::string& name, const char* what);

/// A shell glob as a LIKE pattern (with \ as the escape character), lower-cased.
std::string glob_to_like(const std::string& glob);

}  // namespace usersctl
