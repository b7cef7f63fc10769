#include "core/accounts.hpp"

#include "core/errors.hpp"
#include "core/password_policy.hpp"
#include "core/sql_text.hpp"
#include "sql_statements.hpp"

#include <spdlog/spdlog.h>

namespace usersctl {

namespace {

std::string sql_for(const char* statement, const TableName& table)
{
    return render_sql(statement, {{"table", table.quoted()}});
}

std::int64_t to_id(const Value& v)
{
    return std::stoll(v.value());
}

struct StoredAccount {
    std::int64_t id;
    std::string email;
    std::string password_hash;
};

std::optional<StoredAccount> find(Transaction& tx, const TableName& table, const std::string& email)
{
    const auto r = tx.exec(sql_for(sql::k_find_user, table), {email});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return StoredAccount{to_id(r.rows[0][0]), *r.rows[0][1], *r.rows[0][2]};
}

}  // namespace

WriteResult add_user(Database& db, const TableName& table, const NewAccount& account, OnExisting on_existing,
                     const BeforeCommit& before_commit)
{
    WriteResult result;
    result.email = account.email;
    const auto write = [&](Transaction& tx) {
        const auto inserted = tx.exec(sql_for(sql::k_add_user, table),
                                      {account.email, account.first_name.value_or(""),
                                       account.last_name.value_or(""), account.password_hash});
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
            const auto existing = find(tx, table, account.email);
            if (!existing) {
                // Only possible if it was deleted between the two statements: a retry settles it.
                throw TemporaryFailure("the account for " + account.email + " changed concurrently", "retry");
            }
            result.id = existing->id;
            return;
        }
        case OnExisting::update: {
            const auto updated = tx.exec(sql_for(sql::k_update_existing_user, table),
                                         {account.email, account.first_name, account.last_name, account.password_hash});
            if (updated.rows.empty()) {
                throw TemporaryFailure("the account for " + account.email + " changed concurrently", "retry");
            }
            result.id = to_id(updated.rows[0][0]);
            result.changed = true;
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

bool verify_user(Database& db, const TableName& table, const std::string& email, std::string_view password,
                 const VerifyOptions& options)
{
    std::optional<StoredAccount> account;
    db.transaction([&](Transaction& tx) { account = find(tx, table, email); });
    // The hash is computed outside any transaction; the writes below are conditioned on the
    // stored hash still being the one that matched, which is what holding the row would give.
    if (!account) {
        verify_password(password, dummy_hash(options.settings));
        return false;
    }
    if (!verify_password(password, account->password_hash)) {
        return false;
    }
    std::optional<std::string> fresh;
    if (options.rehash && needs_rehash(account->password_hash, options.settings)) {
        fresh = hash_password(password, options.settings);
    }
    if (options.record_login || fresh) {
        db.transaction([&](Transaction& tx) {
            const std::vector<Value> key{std::to_string(account->id), account->password_hash};
            if (options.record_login &&
                tx.exec(sql_for(sql::k_record_login, table), key).affected == 0) {
                spdlog::warn("the password of {} changed while it was checked; login not recorded", email);
                return;
            }
            if (fresh) {
                if (tx.exec(sql_for(sql::k_rehash_password, table), {key[0], key[1], *fresh}).affected == 1) {
                    spdlog::info("rehashed the password of {} as {}", email, inspect_hash(*fresh).label);
                } else {
                    spdlog::warn("the password of {} changed while it was checked; not rehashed", email);
                }
            }
        });
    }
    return true;
}

WriteResult set_password(Database& db, const TableName& table, const std::string& email, const std::string& hash,
                         const BeforeCommit& before_commit)
{
    WriteResult result;
    result.email = email;
    db.transaction([&](Transaction& tx) {
        const auto r = tx.exec(sql_for(sql::k_set_password, table), {email, hash});
        if (r.rows.empty()) {
            throw NotFound("no account for " + email);
        }
        result.id = to_id(r.rows[0][0]);
        result.changed = true;
        if (before_commit) {
            before_commit(result);
        }
    });
    return result;
}

WriteResult update_user(Database& db, const TableName& table, const std::string& email, const AccountChanges& changes)
{
    WriteResult result;
    result.email = changes.new_email.value_or(email);
    try {
        db.transaction([&](Transaction& tx) {
            const auto r = tx.exec(sql_for(sql::k_update_user, table),
                                   {email, changes.new_email, changes.first_name, changes.last_name});
            if (!r.rows.empty()) {
                result.id = to_id(r.rows[0][0]);
                result.email = *r.rows[0][1];
                result.changed = true;
                return;
            }
            const auto existing = find(tx, table, email);
            if (!existing) {
                throw NotFound("no account for " + email);
            }
            result.id = existing->id;
            result.email = existing->email;
        });
    } catch (const AlreadyExists&) {
        throw AlreadyExists("another account already uses " + changes.new_email.value_or(email),
                            "choose another email or delete that account first");
    }
    return result;
}

WriteResult delete_user(Database& db, const TableName& table, const std::string& email)
{
    WriteResult result;
    result.email = email;
    db.transaction([&](Transaction& tx) {
        const auto r = tx.exec(sql_for(sql::k_delete_user, table), {email});
        if (r.rows.empty()) {
            throw NotFound("no account for " + email);
        }
        result.id = to_id(r.rows[0][0]);
        result.email = *r.rows[0][1];
        result.changed = true;
    });
    return result;
}

std::optional<std::int64_t> find_user_id(Database& db, const TableName& table, const std::string& email)
{
    std::optional<std::int64_t> id;
    db.transaction([&](Transaction& tx) {
        if (const auto account = find(tx, table, email)) {
            id = account->id;
        }
    });
    return id;
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

void list_users(Database& db, const TableName& table, const ListFilter& filter,
                const std::function<void(const AccountRow&)>& on_row)
{
    const std::string pattern = filter.email_glob ? glob_to_like(*filter.email_glob) : "";
    const std::string limit = filter.limit ? std::to_string(*filter.limit) : "";
    db.transaction([&](Transaction& tx) {
        tx.exec(sql::k_list_settings, {pattern, limit});
        AccountRow account;
        tx.copy_out(sql_for(sql::k_list_users, table), [&](const Row& row) {
            account.id = *row[0];
            account.email = *row[1];
            account.first_name = *row[2];
            account.last_name = *row[3];
            account.last_login_at = row[4];
            account.login_count = row[5];
            account.password_hash = *row[6];
            on_row(account);
        });
    });
}

}  // namespace usersctl
