#include "core/apply/apply.hpp"

#include "core/accounts.hpp"
#include "core/apply/secret_hashes.hpp"
#include "core/errors.hpp"
#include "core/interruption.hpp"
#include "core/schema.hpp"
#include "core/sql_text.hpp"
#include "sql_statements.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <thread>

namespace usersctl {

namespace {

// A concurrent writer may change an account with a password from the environment or a file
// between the look-up before hashing and the locked plan; the apply then starts over, this many
// times at most.
constexpr int k_max_attempts = 5;
// Rows per COPY message batch: memory stays bounded by this, not by the file.
constexpr std::size_t k_copy_rows = 5000;

const std::vector<std::string> k_apply_columns = {"entry",    "email",         "first_name",    "last_name",
                                                  "origin",   "mode",          "password_hash", "expected_hash",
                                                  "seen",     "password_change"};

void check_interrupted(const Interruption* interruption)
{
    if (interruption != nullptr && interruption->requested()) {
        throw Interrupted("interrupted; the apply was rolled back, nothing was written");
    }
}

// The declared accounts into usersctl_apply, by COPY.
void send_accounts(Transaction& tx, const std::vector<DeclaredAccount>& accounts,
                   const std::vector<std::optional<SecretHash>>& hashes, const Interruption* interruption)
{
    std::string data;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        const DeclaredAccount& a = accounts[i];
        const auto& h = hashes[i];
        const bool from_file = a.origin == PasswordOrigin::hash;
        append_copy_field(data, std::to_string(a.index), true);
        append_copy_field(data, a.email, false);
        append_copy_field(data, a.first_name, false);
        append_copy_field(data, a.last_name, false);
        append_copy_field(data, std::string(from_file ? "hash" : "secret"), false);
        append_copy_field(data, std::string(password_update_name(a.update)), false);
        append_copy_field(data, from_file ? Value(a.password_hash) : h->new_hash, false);
        append_copy_field(data, h ? h->expected_hash : Value(), false);
        append_copy_field(data, std::string(h && h->seen ? "t" : "f"), false);
        append_copy_field(data, std::string(h && h->password_change ? "t" : "f"), false);
        data.push_back('\n');
        if ((i + 1) % k_copy_rows == 0 || i + 1 == accounts.size()) {
            tx.copy_in("usersctl_apply", k_apply_columns, data);
            data.clear();
            check_interrupted(interruption);
        }
    }
}

// Finds each declared account's row; an email that several rows match case-insensitively, and
// none exactly, is refused.
void match_accounts(Transaction& tx, const TableName& table)
{
    tx.exec(sql_for_table(sql::k_apply_match_exact, table));
    tx.exec(sql_for_table(sql::k_apply_match_lower, table));
    const QueryResult ambiguous = tx.exec(sql_for_table(sql::k_apply_ambiguous, table));
    for (const auto& row : ambiguous.rows) {
        spdlog::error("accounts[{}].email: several accounts match this email case-insensitively and none stores it "
                      "exactly (ids {}); apply cannot choose",
                      ambiguous.get(row, "entry").value_or(""), ambiguous.get(row, "ids").value_or(""));
    }
    if (!ambiguous.rows.empty()) {
        throw InvalidInput(std::to_string(ambiguous.rows.size()) + " declared email" +
                               (ambiguous.rows.size() == 1 ? "" : "s") +
                               " match several accounts; nothing was applied",
                           "merge or delete the duplicate accounts (delete-user --id N), then apply again");
    }
}

// The accounts --prune deletes; more than max_delete refuses the apply.
void plan_deletions(Transaction& tx, const TableName& table, const ApplyOptions& options, ApplyPlan& plan)
{
    if (!options.prune_glob) {
        return;
    }
    tx.stream(sql_for_table(sql::k_apply_prune_list, table), {glob_to_like(*options.prune_glob)}, 1000,
              [&plan](const Row& row) { plan.remove.push_back(row.at(0).value_or("")); });
    if (plan.remove.size() > options.max_delete) {
        throw InvalidInput(std::to_string(plan.remove.size()) + " accounts would be deleted, more than --max-delete " +
                               std::to_string(options.max_delete) + "; nothing was applied",
                           "check --prune (list --email GLOB shows what it matches), or raise --max-delete");
    }
}

// Reads the plan the statements above left in usersctl_apply. False when it is stale.
bool read_plan(Transaction& tx, ApplyPlan& plan)
{
    const QueryResult counts = tx.exec(sql::k_apply_counts);
    if (std::stoull(counts.get(counts.rows.at(0), "stale").value_or("0")) > 0) {
        return false;
    }
    plan.unchanged = std::stoull(counts.get(counts.rows.at(0), "unchanged").value_or("0"));
    tx.stream(sql::k_apply_changes, {}, 1000, [&plan](const Row& row) {
        const std::string email = row.at(0).value_or("");
        if (row.at(1) == Value("true")) {
            plan.create.push_back(email);
            return;
        }
        plan.update.push_back({email, row.at(2) == Value("true"), row.at(3) == Value("true"),
                               row.at(4) == Value("true")});
    });
    return true;
}

// One attempt: false when an account changed since its password was looked at (start over).
bool attempt(Database& db, const TableName& table, const std::vector<DeclaredAccount>& accounts,
             const std::vector<std::optional<SecretHash>>& hashes, const ApplyOptions& options,
             const Interruption* interruption, ApplyPlan& plan)
{
    bool fresh = true;
    db.transaction([&](Transaction& tx) {
        plan = ApplyPlan{};
        check_table(tx, table);  // 78 when missing or incompatible
        if (!options.check) {
            tx.exec(sql_for_table(sql::k_apply_lock, table));
        }
        tx.exec(sql::k_apply_create_staging);
        send_accounts(tx, accounts, hashes, interruption);
        match_accounts(tx, table);
        tx.exec(sql_for_table(sql::k_apply_plan, table));
        fresh = read_plan(tx, plan);
        if (!fresh) {
            return;  // commits nothing but the dropped temporary table
        }
        plan_deletions(tx, table, options, plan);
        check_interrupted(interruption);
        if (options.check || !plan.changes()) {
            return;
        }
        tx.exec(sql_for_table(sql::k_apply_update, table));
        tx.exec(sql_for_table(sql::k_apply_insert, table));
        if (options.prune_glob) {
            const auto deleted =
                tx.exec(sql_for_table(sql::k_apply_prune_delete, table), {glob_to_like(*options.prune_glob)}).affected;
            if (deleted != plan.remove.size()) {
                throw InternalError("the prune deleted " + std::to_string(deleted) + " accounts, not the " +
                                    std::to_string(plan.remove.size()) + " planned; nothing was applied");
            }
        }
        check_interrupted(interruption);
        plan.written = true;
    });
    return fresh;
}

}  // namespace

ApplyPlan apply_accounts(Database& db, const TableName& table, std::vector<DeclaredAccount>& accounts,
                         const ApplyOptions& options, const Interruption* interruption)
{
    validate_settings(options.settings);
    const unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
    ApplyPlan plan;
    for (int i = 0; i < k_max_attempts; ++i) {
        const auto hashes = make_secret_hashes(db, table, accounts, options.settings, jobs, interruption);
        if (attempt(db, table, accounts, hashes, options, interruption, plan)) {
            for (auto& account : accounts) {
                account.password.reset();
            }
            return plan;
        }
        spdlog::debug("an account changed while its password was hashed; planning again");
    }
    throw TemporaryFailure("the accounts kept changing while apply hashed their passwords; nothing was applied",
                           "run apply again when the other writers are done");
}

}  // namespace usersctl
