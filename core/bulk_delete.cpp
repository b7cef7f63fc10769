#include "core/bulk_delete.hpp"

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/sql_text.hpp"
#include "core/text.hpp"
#include "sql_statements.hpp"

#include <algorithm>
#include <cctype>
#include <spdlog/spdlog.h>
#include <unordered_set>

namespace usersctl {

namespace {

constexpr std::size_t k_block = 64 * 1024;
// An email is at most 254 bytes: a longer line is not one, and is not kept whole in memory.
constexpr std::size_t k_max_line = 1024;

// The text of one line without surrounding blanks and a CR.
std::string_view trimmed(std::string_view line)
{
    const std::size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos) {
        return {};
    }
    const std::size_t end = line.find_last_not_of(" \t\r");
    return line.substr(start, end - start + 1);
}

// Whether a listed email may be shown: a plain address whose domain is dot-separated labels of
// letters, digits and hyphens. A file given by mistake (`email:password`, an import CSV without
// its header) has its secret after the domain, so its lines are named by number only.
bool plain_address(const std::string& email)
{
    const std::size_t at = email.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == email.size()) {
        return false;
    }
    const std::string_view local(email.data(), at);
    const std::string_view domain(email.data() + at + 1, email.size() - at - 1);
    const auto is_atext = [](unsigned char c) {
        return std::isalnum(c) != 0 || c >= 0x80 || std::string_view("!#$%&'*+/=?^_`{|}~.-").find(static_cast<char>(c)) != std::string_view::npos;
    };
    const auto is_label = [](unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80 || c == '-' || c == '.'; };
    return std::all_of(local.begin(), local.end(), is_atext) && std::all_of(domain.begin(), domain.end(), is_label) &&
           domain.front() != '.' && domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

}  // namespace

std::vector<ListedEmail> read_email_list(const ListSource& source)
{
    std::vector<ListedEmail> emails;
    std::unordered_set<std::string> seen;
    std::uint64_t bad = 0;
    std::uint64_t line_number = 0;
    std::string line;
    bool too_long = false;
    const auto take_line = [&] {
        ++line_number;
        const std::string_view text = trimmed(line);
        if (too_long) {
            spdlog::error("line {}: longer than any email", line_number);
            ++bad;
        } else if (!text.empty() && text.front() != '#') {
            try {
                std::string email = normalise_email(std::string(text));
                if (seen.insert(email).second) {
                    emails.push_back(ListedEmail{line_number, std::move(email)});
                }
            } catch (const InvalidInput&) {
                spdlog::error("line {}: not an email address", line_number);
                ++bad;
            }
        }
        line.clear();
        too_long = false;
    };
    std::vector<char> block(k_block);
    for (std::size_t n; (n = source(block.data(), block.size())) > 0;) {
        for (std::size_t i = 0; i < n; ++i) {
            if (block[i] == '\n') {
                take_line();
            } else if (line.size() < k_max_line) {
                line.push_back(block[i]);
            } else {
                too_long = true;
            }
        }
    }
    // A last line without a newline; a too-long one always holds k_max_line bytes.
    if (!line.empty()) {
        take_line();
    }
    if (bad > 0) {
        throw InvalidInput(std::to_string(bad) + " line" + (bad == 1 ? " is" : "s are") +
                               " not an email address; nothing was deleted",
                           "give one email per line ('#' starts a comment)");
    }
    if (emails.empty()) {
        throw InvalidInput("the list names no email; nothing was deleted", "give one email per line");
    }
    return emails;
}

BulkDeletePlan plan_bulk_delete(Database& db, const TableName& table, const std::vector<ListedEmail>& emails,
                                bool if_exists)
{
    BulkDeletePlan plan;
    db.transaction([&](Transaction& tx) {
        plan = BulkDeletePlan{};
        std::unordered_set<std::int64_t> ids;
        for (const auto& listed : emails) {
            std::optional<StoredAccount> account;
            try {
                account = find_account(tx, table, AccountKey{listed.email, std::nullopt}, false);
            } catch (const InvalidInput& e) {
                throw InvalidInput("line " + std::to_string(listed.line) + ": " + e.what(), e.hint());
            }
            if (!account) {
                plan.not_found_lines.push_back(listed.line);
                spdlog::log(if_exists ? spdlog::level::info : spdlog::level::err, "line {}: no account for {}",
                            listed.line,
                            plain_address(listed.email) ? escape_for_terminal(listed.email)
                                                        : std::string("this line's email (not shown: not a plain address)"));
            } else if (ids.insert(account->id).second) {
                plan.accounts.push_back(*account);
            }
        }
    });
    if (!plan.not_found_lines.empty() && !if_exists) {
        const std::size_t n = plan.not_found_lines.size();
        throw NotFound(std::to_string(n) + " of the emails ha" + (n == 1 ? "s" : "ve") + " no account; nothing was deleted",
                       "fix the list, or pass --if-exists to delete the others");
    }
    return plan;
}

std::vector<StoredAccount> run_bulk_delete(Database& db, const TableName& table, const BulkDeletePlan& plan,
                                           bool if_exists)
{
    std::vector<std::string> id_texts;
    std::vector<std::string_view> ids;
    std::vector<std::string_view> emails;
    id_texts.reserve(plan.accounts.size());  // ids views these: no reallocation
    for (const auto& account : plan.accounts) {
        ids.push_back(id_texts.emplace_back(std::to_string(account.id)));
        emails.push_back(account.email);
    }
    std::vector<StoredAccount> deleted;
    db.transaction([&](Transaction& tx) {
        const QueryResult r = tx.exec(sql_for_table(sql::k_delete_users, table), {array_literal(ids), array_literal(emails)});
        std::unordered_set<std::string> gone;
        for (const auto& row : r.rows) {
            gone.insert(row[0].value_or(""));
        }
        // In list order, as planned.
        deleted.clear();
        for (const auto& account : plan.accounts) {
            if (gone.count(std::to_string(account.id)) != 0) {
                deleted.push_back(account);
            }
        }
        if (deleted.size() != plan.accounts.size() && !if_exists) {
            throw TemporaryFailure(std::to_string(plan.accounts.size() - deleted.size()) +
                                       " of the accounts changed or went away since they were looked up; nothing was deleted",
                                   "re-run");
        }
    });
    return deleted;
}

}  // namespace usersctl
