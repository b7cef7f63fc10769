#include "core/import/checked_row.hpp"

#include "core/accounts.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/password_input.hpp"
#include "core/timestamp.hpp"

namespace usersctl {

namespace {

constexpr std::size_t k_generated_import_password = 20;

bool all_digits(const std::string& text, std::size_t pos, std::size_t count)
{
    if (pos + count > text.size()) {
        return false;
    }
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<std::string> parse_login_count(const std::string& text)
{
    if (text.empty() || text.size() > 10 || !all_digits(text, 0, text.size())) {
        return std::nullopt;
    }
    const long long value = std::stoll(text);
    if (value > 2147483647LL) {
        return std::nullopt;
    }
    return std::to_string(value);
}

CheckedRow check_record(const ImportRecord& record, const RowChecks& checks)
{
    CheckedRow row;
    row.line = record.line;
    auto fail = [&row](const std::string& why) {
        CheckedRow bad;
        bad.line = row.line;
        bad.problem = why;
        bad.email = row.email;
        return bad;
    };
    if (!record.problem.empty()) {
        return fail(record.problem);
    }
    try {
        const auto& raw_email = record[ImportColumn::email];
        if (!raw_email) {
            return fail("no email");
        }
        row.email = normalise_new_email(*raw_email);
        if (const auto& first = record[ImportColumn::first_name]) {
            check_name_text(*first, "first name");
        }
        if (const auto& last = record[ImportColumn::last_name]) {
            check_name_text(*last, "last name");
        }
        row.first_name = record[ImportColumn::first_name];
        row.last_name = record[ImportColumn::last_name];
        const auto& password = record[ImportColumn::password];
        const auto& prehashed = record[ImportColumn::password_hash];
        if (password && prehashed) {
            return fail("both password and password_hash are given; give one");
        }
        if (checks.keep_ids) {
            const auto& id = record[ImportColumn::id];
            row.id = id ? parse_login_count(*id) : std::nullopt;
            if (!row.id || *row.id == "0") {
                return fail(id ? "id is not a whole number from 1 to 2147483647" : "no id (--keep-ids needs one on every row)");
            }
        }
        if (!password && !prehashed && !checks.generate_passwords) {
            return fail("neither password nor password_hash is given (--generate-passwords FILE gives such rows one)");
        }
        if (!password && !prehashed) {
            // Generated passwords need no policy check: 20 random letters and digits.
            row.generated_password = generate_password(k_generated_import_password);
            row.password_hash = hash_password(row.generated_password->view(), checks.settings);
            row.hashed = true;
        } else if (prehashed) {
            const HashInfo info = inspect_hash(*prehashed);
            if (!info.usable) {
                return fail("password_hash is not a format verify accepts (" + info.problem + ")");
            }
            if (!can_read_family(checks.verifier, info.family)) {
                if (checks.require_readable) {
                    return fail("password_hash is " + info.family + ", which the verifier '" +
                                verifier_name(checks.verifier) + "' cannot read");
                }
                row.unreadable = true;
            }
            row.password_hash = *prehashed;
        } else {
            PolicyOptions policy = checks.policy;
            policy.user_words.push_back(*row.email);
            policy.user_words.push_back(row.first_name.value_or(""));
            policy.user_words.push_back(row.last_name.value_or(""));
            check_password_policy(*password, checks.settings.scheme, policy);
            row.password_hash = hash_password(*password, checks.settings);
            row.hashed = true;
        }
        if (const auto& at = record[ImportColumn::last_login_at]) {
            // infinity and -infinity are what export prints for them; the app reads them
            // (psycopg2 gives datetime.max and datetime.min).
            row.last_login_at = *at == "infinity" || *at == "-infinity" ? std::optional<std::string>(*at)
                                                                        : parse_iso8601_utc(*at);
            if (!row.last_login_at) {
                return fail(iso8601_outside_python_years(*at)
                                ? "last_login_at is before the year 1 or after 9999: the web app (Python's datetime) "
                                  "cannot load such an account"
                                : "last_login_at is not a time usersctl reads, such as 2024-05-01T12:00:00Z (a "
                                  "four-digit year, seconds up to 59, at most six decimals; an offset is converted "
                                  "to UTC)");
            }
        }
        if (const auto& count = record[ImportColumn::login_count]) {
            row.login_count = parse_login_count(*count);
            if (!row.login_count) {
                return fail("login_count is not a whole number from 0 to 2147483647");
            }
        }
    } catch (const InvalidInput& e) {
        return fail(e.what());
    }
    return row;
}


}  // namespace usersctl
