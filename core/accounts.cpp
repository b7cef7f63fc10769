#include "core/accounts.hpp"

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/sql_text.hpp"
#include "core/text.hpp"
#include "core/timestamp.hpp"
#include "core/unicode.hpp"
#include "sql_statements.hpp"

#include <spdlog/spdlog.h>

namespace usersctl {

namespace {

std::int64_t to_id(const Value& v)
{
    return std::stoll(v.value());
}

// A lookup statement, locking the row it finds for commands that write.
std::string lookup_sql(const char* statement, const TableName& table, bool for_update)
{
    return sql_for_table(statement, table, {{"lock", for_update ? "FOR UPDATE" : ""}});
}

StoredAccount stored(const Row& row)
{
    return StoredAccount{to_id(row[0]), *row[1], *row[2]};
}

// The email as PostgreSQL's lower() spells it, for the index: lower() maps one character at a
// time, so Python's final ς is its σ and Python's i + U+0307 (from U+0130) its plain i.
std::string postgres_spelling(std::string email)
{
    for (const auto& [python, postgres] : {std::pair<std::string, std::string>{"\xCF\x82", "\xCF\x83"},
                                           {"i\xCC\x87", "i"}}) {
        for (auto pos = email.find(python); pos != std::string::npos; pos = email.find(python, pos + postgres.size())) {
            email.replace(pos, python.size(), postgres);
        }
    }
    return email;
}

// The look-up statement for `key` and its parameters.
std::pair<std::string, std::vector<Value>> lookup(const TableName& table, const AccountKey& key, bool for_update)
{
    if (key.id) {
        return {lookup_sql(sql::k_find_user_by_id, table, for_update), {std::to_string(*key.id)}};
    }
    return {lookup_sql(sql::k_find_user, table, for_update), {key.email, postgres_spelling(key.email)}};
}

// Every row of the look-up's result whose email Python would lower-case to `email`, the one
// storing exactly it first.
std::vector<StoredAccount> accounts_named(const QueryResult& r, const std::string& email)
{
    std::vector<StoredAccount> matches;
    for (const auto& row : r.rows) {
        StoredAccount account = stored(row);
        // PostgreSQL's lower() is not Python's (U+0130, final sigma ...): keep only the rows
        // the app would see as this email.
        if (account.email == email || python_lower(account.email) == email) {
            matches.push_back(std::move(account));
        }
    }
    return matches;
}

[[noreturn]] void not_found(const AccountKey& key)
{
    throw NotFound("no account for " + key.display());
}

}  // namespace

std::string AccountKey::display() const
{
    return id ? "id " + std::to_string(*id) : email;
}

namespace {

// The account the look-up's result names under the lookup rule (see find_account).
std::optional<StoredAccount> account_from(const QueryResult& r, const AccountKey& key)
{
    if (key.id) {
        return r.rows.empty() ? std::nullopt : std::optional<StoredAccount>(stored(r.rows[0]));
    }
    std::vector<StoredAccount> matches = accounts_named(r, key.email);
    if (!matches.empty() && matches.front().email == key.email) {
        return matches.front();  // ordered first: what the web app's own lookup finds
    }
    if (matches.size() > 1) {
        std::string listed;
        for (const auto& m : matches) {
            listed += (listed.empty() ? "" : ", ") + std::string("id ") + std::to_string(m.id) + " " + m.email;
        }
        throw InvalidInput(std::to_string(matches.size()) + " accounts match " + key.email +
                               " case-insensitively and none stores it exactly (" + listed + ")",
                           "choose one with --id N; nothing was changed");
    }
    if (matches.empty()) {
        return std::nullopt;
    }
    return matches.front();
}

}  // namespace

std::optional<StoredAccount> find_account(Transaction& tx, const TableName& table, const AccountKey& key, bool for_update)
{
    const auto [statement, params] = lookup(table, key, for_update);
    return account_from(tx.exec(statement, params), key);
}

std::optional<StoredAccount> find_user(Database& db, const TableName& table, const AccountKey& key)
{
    // The look-up is the whole transaction: one round trip (see Database::read_once).
    const auto [statement, params] = lookup(table, key, false);
    return account_from(db.read_once(statement, params), key);
}

WriteResult add_user(Database& db, const TableName& table, const NewAccount& account, OnExisting on_existing,
                     const BeforeCommit& before_commit)
{
    WriteResult result;
    result.email = account.email;
    const auto write = [&](Transaction& tx) {
        const auto inserted = tx.exec(sql_for_table(sql::k_add_user, table),
                                      {account.email, account.first_name.value_or(""),
                                       account.last_name.value_or(""), account.password_hash,
                                       postgres_spelling(account.email)});
        if (!inserted.rows.empty()) {
            result.id = to_id(inserted.rows[0][0]);
            result.created = true;
            result.changed = true;
            return;
        }
        switch (on_existing) {
        case OnExisting::fail:
            throw AlreadyExists("an account for " + account.email + " already exists",
                                "use --if-not-exists to accept it, or --update-existing to change it");
        case OnExisting::keep: {
            const auto existing = find_account(tx, table, AccountKey{account.email, std::nullopt}, false);
            if (!existing) {
                // Only possible if it was deleted between the two statements: a retry settles it.
                throw TemporaryFailure("the account for " + account.email + " changed concurrently", "retry");
            }
            result.id = existing->id;
            return;
        }
        case OnExisting::update: {
            const auto existing = find_account(tx, table, AccountKey{account.email, std::nullopt}, true);
            if (!existing) {
                throw TemporaryFailure("the account for " + account.email + " changed concurrently", "retry");
            }
            const auto updated = tx.exec(sql_for_table(sql::k_update_existing_user, table),
                                         {std::to_string(existing->id), account.first_name, account.last_name,
                                          account.password_hash});
            // The row is locked: no row back means nothing differed, and nothing was written.
            result.id = existing->id;
            result.changed = !updated.rows.empty();
            return;
        }
        }
    };
    db.transaction([&](Transaction& tx) {
        write(tx);
        if (before_commit) {
            before_commit(result);
        }
    });
    return result;
}

bool verify_user(Database& db, const TableName& table, const AccountKey& key, std::string_view password,
                 const VerifyOptions& options)
{
    return verify_account(db, table, key, password, options).has_value();
}

std::optional<StoredAccount> verify_account(Database& db, const TableName& table, const AccountKey& key,
                                            std::string_view password, const VerifyOptions& options)
{
    const std::optional<StoredAccount> account = find_user(db, table, key);
    const std::string email = key.display();
    // The hash is computed outside any transaction; the writes below are conditioned on the
    // stored hash still being the one that matched, which is what holding the row would give.
    // A missing account and a stored value that cannot be checked (corrupt, over the ceilings,
    // or a password longer than its format takes whole) cost one check of the dummy, which is
    // in the scheme and cost new accounts get: the same time and the same (no) log lines as a
    // wrong password on such an account.
    if (!account || !can_check(password, account->password_hash)) {
        dummy_check(password, options.settings);
        return std::nullopt;
    }
    if (!verify_password(password, account->password_hash)) {
        return std::nullopt;
    }
    std::optional<std::string> fresh;
    if (options.rehash && needs_rehash(account->password_hash, options.settings)) {
        fresh = hash_password(password, options.settings);
    }
    if (options.record_login || fresh) {
        db.transaction([&](Transaction& tx) {
            const std::vector<Value> row_and_hash{std::to_string(account->id), account->password_hash};
            if (options.record_login && tx.exec(sql_for_table(sql::k_record_login, table), row_and_hash).affected == 0) {
                spdlog::warn("the password of {} changed while it was checked; login not recorded", email);
                return;
            }
            if (fresh) {
                if (tx.exec(sql_for_table(sql::k_rehash_password, table), {row_and_hash[0], row_and_hash[1], *fresh}).affected == 1) {
                    spdlog::info("rehashed the password of {} as {}", email, inspect_hash(*fresh).label);
                } else {
                    spdlog::warn("the password of {} changed while it was checked; not rehashed", email);
                }
            }
        });
    }
    return account;
}

WriteResult set_password(Database& db, const TableName& table, const AccountKey& key, const std::string& hash,
                         const BeforeCommit& before_commit)
{
    WriteResult result;
    db.transaction([&](Transaction& tx) {
        const auto account = find_account(tx, table, key, true);
        if (!account) {
            not_found(key);
        }
        tx.exec(sql_for_table(sql::k_set_password, table), {std::to_string(account->id), hash});
        result.id = account->id;
        result.email = account->email;
        result.changed = true;
        if (before_commit) {
            before_commit(result);
        }
    });
    return result;
}

WriteResult update_user(Database& db, const TableName& table, const AccountKey& key, const AccountChanges& changes)
{
    WriteResult result;
    try {
        db.transaction([&](Transaction& tx) {
            const auto account = find_account(tx, table, key, true);
            if (!account) {
                not_found(key);
            }
            result.id = account->id;
            result.email = account->email;
            if (changes.new_email) {
                // Taken when another account has it case-insensitively too, as add-user judges:
                // the app's lookup could land on either.
                const auto [statement, params] = lookup(table, AccountKey{*changes.new_email, std::nullopt}, false);
                for (const auto& other : accounts_named(tx.exec(statement, params), *changes.new_email)) {
                    if (other.id != account->id) {
                        throw AlreadyExists("taken by id " + std::to_string(other.id));
                    }
                }
            }
            const auto r = tx.exec(sql_for_table(sql::k_update_user, table),
                                   {std::to_string(account->id), changes.new_email, changes.first_name,
                                    changes.last_name, changes.clear_last_login ? "true" : "false"});
            if (!r.rows.empty()) {
                result.email = *r.rows[0][1];
                result.changed = true;
            }
        });
    } catch (const AlreadyExists&) {
        throw AlreadyExists("another account already uses " + changes.new_email.value_or(key.display()),
                            "choose another email or delete that account first");
    }
    return result;
}

WriteResult delete_user(Database& db, const TableName& table, const AccountKey& key)
{
    WriteResult result;
    result.email = key.email;
    db.transaction([&](Transaction& tx) {
        const auto account = find_account(tx, table, key, true);
        if (!account) {
            not_found(key);
        }
        const auto r = tx.exec(sql_for_table(sql::k_delete_user, table), {std::to_string(account->id)});
        result.id = to_id(r.rows.at(0)[0]);
        result.email = *r.rows.at(0)[1];
        result.changed = true;
    });
    return result;
}

std::string glob_to_like(const std::string& glob)
{
    std::string out;
    for (char c : glob) {
        switch (c) {
        case '*': out.push_back('%'); break;
        case '?': out.push_back('_'); break;
        case '%':
        case '_':
        case '\\':
            out.push_back('\\');
            out.push_back(c);
            break;
        default:
            out.push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c));
        }
    }
    return out;
}

void check_name_text(const std::string& name, const char* what)
{
    if (name.find('\0') != std::string::npos || !is_valid_utf8(name)) {
        throw InvalidInput(std::string("the ") + what + " is not valid UTF-8 text");
    }
}

namespace {

// ORDER BY lists for list_users.sql: constants chosen by enum, never text from the user.
// last_login_at and login_count keep NULLs (never logged in) last in both directions.
std::string order_by(ListOrder order, bool reverse)
{
    const char* dir = reverse ? " DESC" : "";
    switch (order) {
    case ListOrder::id: return std::string("id") + dir;
    case ListOrder::email: return std::string("email") + dir + ", id" + dir;
    case ListOrder::last_login_at: return std::string("last_login_at") + dir + " NULLS LAST, id" + dir;
    case ListOrder::login_count: return std::string("login_count") + dir + " NULLS LAST, id" + dir;
    }
    throw InternalError("unknown list order");
}

// Each filter's condition in list_users.sql is switched off by a constant TRUE ahead of it,
// which the planner folds away: a condition that is off costs nothing per row (evaluated per
// row, five current_setting() calls took a third of a million-row export's server time).
std::string list_query(const TableName& table, const ListFilter& filter)
{
    const auto off = [](bool on) { return on ? "FALSE" : "TRUE"; };
    return sql_for_table(sql::k_list_users, table,
                         {{"order", order_by(filter.order, filter.reverse)},
                          {"email_off", off(filter.email_glob.has_value())},
                          {"never_off", off(filter.never_logged_in)},
                          {"since_off", off(filter.logged_in_since.has_value())},
                          {"before_off", off(filter.logged_in_before.has_value())}});
}

void set_list_filter(Transaction& tx, const ListFilter& filter)
{
    tx.exec(sql::k_list_settings, {filter.email_glob ? glob_to_like(*filter.email_glob) : std::string(),
                                   filter.limit ? std::to_string(*filter.limit) : std::string(),
                                   filter.logged_in_since.value_or(""), filter.logged_in_before.value_or("")});
}

}  // namespace

ListOrder parse_list_order(const std::string& name)
{
    if (name == "id") {
        return ListOrder::id;
    }
    if (name == "email") {
        return ListOrder::email;
    }
    if (name == "last_login_at") {
        return ListOrder::last_login_at;
    }
    if (name == "login_count") {
        return ListOrder::login_count;
    }
    throw UsageError("--sort takes id, email, last_login_at or login_count");
}

void list_users(Database& db, const TableName& table, const ListFilter& filter,
                const std::function<void(const AccountRow&)>& on_row)
{
    db.transaction([&](Transaction& tx) {
        set_list_filter(tx, filter);
        AccountRow account;
        std::string login;  // last_login_at as usersctl prints it, reused
        tx.copy_out(list_query(table, filter), [&](const Row& row) {
            account.id = *row[0];
            account.email = *row[1];
            account.first_name = *row[2];
            account.last_name = *row[3];
            account.last_login_at.reset();
            if (row[4]) {
                login.clear();
                append_iso8601_from_postgres(*row[4], login);
                account.last_login_at = login;
            }
            account.login_count = row[5];
            account.password_hash = *row[6];
            on_row(account);
        });
    });
}

std::uint64_t count_users(Database& db, const TableName& table, const ListFilter& filter)
{
    ListFilter by_id = filter;  // the count does not depend on the order: the cheapest one
    by_id.order = ListOrder::id;
    by_id.reverse = false;
    std::uint64_t count = 0;
    db.transaction([&](Transaction& tx) {
        set_list_filter(tx, by_id);
        const auto result = tx.exec(render_sql(sql::k_list_count, {{"list", list_query(table, by_id)}}), {});
        count = std::stoull(*result.rows.at(0).at(0));
    });
    return count;
}

}  // namespace usersctl
