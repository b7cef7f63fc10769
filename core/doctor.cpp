#include "core/doctor.hpp"

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/password_hash.hpp"
#include "core/schema.hpp"
#include "core/sql_text.hpp"
#include "sql_statements.hpp"

#include <set>

namespace usersctl {

namespace {

bool is_legacy_werkzeug(const std::string& h)
{
    if (h.rfind("plain$", 0) == 0) {
        return true;
    }
    for (const char* digest : {"md5$", "sha1$", "sha224$", "sha256$", "sha384$", "sha512$"}) {
        if (h.rfind(digest, 0) == 0) {
            return true;
        }
    }
    return false;
}

// Accumulates one finding's count and first accounts while the rows stream past.
struct Tally {
    Finding finding;
    std::size_t max_listed;

    void add(std::int64_t id, const std::string& email)
    {
        ++finding.count;
        if (finding.accounts.size() < max_listed) {
            finding.accounts.push_back({id, email});
        }
    }
};

std::string plural(std::uint64_t n, const char* one, const char* many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::optional<std::string> weakness(const std::string& stored)
{
    const HashInfo info = inspect_hash(stored);
    if (!info.usable || !info.cost) {
        return std::nullopt;
    }
    const std::uint64_t cost = *info.cost;
    if (info.family == "bcrypt" && cost < 10) {
        return "bcrypt cost below 10";
    }
    if (info.family == "werkzeug-pbkdf2") {
        const bool sha1 = info.label.rfind("werkzeug-pbkdf2-sha1:", 0) == 0;
        const bool sha512 = info.label.rfind("werkzeug-pbkdf2-sha512:", 0) == 0;
        const std::uint64_t floor = sha1 ? 1'300'000 : sha512 ? 210'000 : 600'000;
        if (cost < floor) {
            return "PBKDF2 below " + std::to_string(floor) + " iterations";
        }
    }
    if ((info.family == "werkzeug-scrypt" || info.family == "scrypt") && cost < 32768) {
        return "scrypt N below 2^15";
    }
    if ((info.family == "sha512crypt" || info.family == "sha256crypt") && cost <= 5000) {
        return info.family + " at the default 5000 rounds";
    }
    return std::nullopt;
}

// What the verifier is, for the unreadable-hashes message.
std::string verifier_description(Verifier verifier)
{
    switch (verifier) {
    case Verifier::werkzeug: return "werkzeug's check_password_hash before 2.3 (the seed app) reads only pbkdf2: hashes";
    case Verifier::werkzeug_2_3: return "werkzeug 2.3 and later read only pbkdf2: and scrypt: hashes";
    case Verifier::crypt: return "crypt(3) consumers (PAM, dovecot, htpasswd) read only crypt(3) formats";
    case Verifier::any: return "usersctl reads them all";
    }
    return "";
}

DoctorReport run_doctor(Database& db, const TableName& table, const DoctorSettings& settings)
{
    const std::size_t max_listed = settings.max_listed;
    const std::string& usersctl = settings.command;
    DoctorReport report;
    report.table = table.display();
    report.verifier = verifier_name(settings.verifier);
    auto finding = [&](Severity severity, std::string check, std::string message, std::string fix) {
        report.findings.push_back(Finding{severity, std::move(check), std::move(message), std::move(fix), 0, {}});
    };
    db.transaction([&](Transaction& tx) {
        tx.exec(sql::k_doctor_read_only);
        const auto c = tx.exec(sql::k_doctor_connection, {table.quoted()}).rows.at(0);
        report.server_version = c[0].value_or("");
        report.role = c[1].value_or("");
        report.standby = c[2] == Value("true");
        report.read_only = report.standby || c[3] == Value("on");
        if (report.standby) {
            finding(Severity::warning, "standby", "the server is a read-only standby: commands that write exit 69",
                    "connect to the primary (add target_session_attrs=read-write to the URL)");
        } else if (c[3] == Value("on")) {
            finding(Severity::warning, "read-only", "the connection is read-only (default_transaction_read_only): "
                                                    "commands that write exit 69",
                    "connect with a role or database where writes are allowed");
        }
        const char* privileges[] = {"SELECT", "INSERT", "UPDATE", "DELETE"};
        for (int i = 0; i < 4; ++i) {
            if (c[4 + i]) {
                report.privileges[privileges[i]] = *c[4 + i] == "true";
            }
        }
        // The table: the same checks as init-db, reported instead of thrown.
        try {
            check_table(tx, table);
            report.table_exists = true;
            report.table_compatible = true;
        } catch (const ConfigError& e) {
            report.table_exists = c[4].has_value();
            finding(Severity::error, report.table_exists ? "incompatible-table" : "missing-table", e.what(),
                    report.table_exists ? "alter the table (see 'man usersctl-init-db')" : usersctl + " init-db");
            return;
        }
        std::string missing;
        for (const auto& [name, granted] : report.privileges) {
            if (!granted) {
                missing += (missing.empty() ? "" : ", ") + name;
            }
        }
        if (!missing.empty()) {
            finding(report.privileges["SELECT"] ? Severity::warning : Severity::error, "privileges",
                    "role " + report.role + " lacks " + missing + " on " + table.display(),
                    "GRANT " + missing + " ON " + table.quoted() + " TO " + quote_identifier(report.role));
            if (!report.privileges["SELECT"]) {
                return;
            }
        }
        const Value oid = tx.exec(sql::k_find_table, {table.schema, table.name}).rows.at(0)[1];
        for (const auto& row : tx.exec(sql::k_table_unique_indexes, {oid}).rows) {
            if (row[2] == Value("lower(email)")) {
                report.lower_email_index = true;
            }
        }

        Tally uppercase{{Severity::warning, "uppercase-emails",
                         "emails with upper-case letters: the web app looks users up lower-cased, so these cannot log in",
                         usersctl + " update-user --id ID --new-email EMAIL", 0, {}},
                        max_listed};
        // Every fix writes the verifier's default scheme (the commands' default under the same
        // --verifier), so following one never leaves a hash the verifier cannot read.
        const std::string set_password = settings.hash_command + " set-password --id ID";
        const std::string rehash_or_set = settings.hash_command + " verify --id ID --rehash, or " + set_password;
        Tally corrupt{{Severity::error, "unsupported-hashes", "password hashes that are unsupported or corrupt: nobody can log in",
                       set_password, 0, {}},
                      max_listed};
        Tally legacy{{Severity::error, "legacy-werkzeug-hashes",
                      "legacy werkzeug plain or salted-HMAC hashes: weak, and unreadable by werkzeug 3 and usersctl",
                      set_password, 0, {}},
                     max_listed};
        Tally weak{{Severity::warning, "weak-hashes",
                    "weak password hashes by current guidance (verify --rehash takes the user's password, e.g. at "
                    "their next login)",
                    rehash_or_set, 0, {}},
                   max_listed};
        Tally unreadable{{Severity::warning, "unreadable-by-verifier",
                          std::string("password hashes the verifier '") + verifier_name(settings.verifier) +
                              "' cannot read, so it cannot log these accounts in (" +
                              verifier_description(settings.verifier) + ")",
                          rehash_or_set, 0, {}},
                         max_listed};
        Tally case_dupes{{Severity::error, "case-duplicate-emails",
                          "emails that differ only by case: the lower(email) unique index cannot be built",
                          "merge or rename them (" + usersctl + " update-user --id ID --new-email EMAIL, or " + usersctl +
                              " delete-user --id ID), then " + usersctl + " init-db",
                          0,
                          {}},
                         max_listed};
        if (!report.lower_email_index) {
            // Server-side, so memory does not grow with the table.
            const auto dupes = tx.exec(render_sql(sql::k_doctor_case_duplicates, {{"table", table.quoted()}}),
                                       {std::to_string(max_listed)});
            for (const auto& row : dupes.rows) {
                case_dupes.finding.accounts.push_back({std::stoll(*row[0]), *row[1]});
                case_dupes.finding.count = std::stoull(*row[2]);
            }
        }
        std::set<std::string> weak_reasons;
        tx.stream(render_sql(sql::k_doctor_scan, {{"table", table.quoted()}}), {}, 2000, [&](const Row& row) {
            const std::int64_t id = std::stoll(*row[0]);
            const std::string& email = *row[1];
            const std::string& hash = *row[2];
            ++report.accounts;
            if (!is_python_lower(email)) {
                uppercase.add(id, email);
            }
            if (!row[3]) {
                ++report.never_logged_in;
            } else if (!report.oldest_last_login || *row[3] < *report.oldest_last_login) {
                report.oldest_last_login = row[3];
            }
            const HashInfo info = inspect_hash(hash);
            if (is_legacy_werkzeug(hash)) {
                ++report.hashes_by_label["werkzeug-legacy"];
                legacy.add(id, email);
                return;
            }
            ++report.hashes_by_label[info.label];
            if (!info.usable) {
                corrupt.add(id, email);
                return;
            }
            if (const auto why = weakness(hash)) {
                weak.add(id, email);
                weak_reasons.insert(*why);
            }
            if (!can_read_family(settings.verifier, info.family)) {
                unreadable.add(id, email);
            }
        });
        if (!report.lower_email_index) {
            finding(case_dupes.finding.count > 0 ? Severity::error : Severity::warning, "missing-lower-email-index",
                    "no unique index on lower(email): two accounts could differ only by case",
                    case_dupes.finding.count > 0 ? "resolve the case duplicates below, then " + usersctl + " init-db"
                                                 : usersctl + " init-db");
        }
        if (!weak_reasons.empty()) {
            std::string reasons;
            for (const auto& r : weak_reasons) {
                reasons += (reasons.empty() ? "" : "; ") + r;
            }
            weak.finding.message += " (" + reasons + ")";
        }
        for (Tally* t : {&case_dupes, &uppercase, &corrupt, &legacy, &weak, &unreadable}) {
            if (t->finding.count > 0) {
                t->finding.message = plural(t->finding.count, "account has ", "accounts have ") + t->finding.message;
                report.findings.push_back(std::move(t->finding));
            }
        }
    });
    return report;
}

}  // namespace usersctl
