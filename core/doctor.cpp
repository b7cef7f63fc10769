#include "core/doctor.hpp"

#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/hash_format.hpp"
#include "core/password_hash.hpp"
#include "core/schema.hpp"
#include "core/sql_text.hpp"
#include "core/timestamp.hpp"
#include "sql_statements.hpp"

#include <set>
#include <utility>

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

// OWASP's Argon2id minimum (m=19456 KiB, t=2, p=1) and the equivalents it lists, each (m, t):
// a value is weak when it reaches none of them. Lanes are not counted: p splits the same memory
// and passes, so an attacker's cost per guess does not grow with it.
bool argon2_below_owasp(const Argon2Cost& cost)
{
    constexpr std::pair<std::uint32_t, std::uint32_t> k_minimums[] = {
        {47104, 1}, {19456, 2}, {12288, 3}, {9216, 4}, {7168, 5}};
    for (const auto& [memory, passes] : k_minimums) {
        if (cost.memory_kib >= memory && cost.passes >= passes) {
            return false;
        }
    }
    return true;
}

}  // namespace

namespace {

// weakness() of a hash parsed already (doctor parses each row's once).
std::optional<std::string> weakness_of(const hash_format::ParsedHash& parsed)
{
    const HashInfo& info = parsed.info;
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
    if (info.family.rfind("argon2", 0) == 0 && argon2_below_owasp(parsed.argon2.cost)) {
        return "Argon2 below OWASP's minimum (m=19456 KiB, t=2, or an equivalent)";
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> weakness(const std::string& stored)
{
    return weakness_of(hash_format::parse(stored));
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

namespace {

void add_finding(DoctorReport& report, Severity severity, std::string check, std::string message, std::string fix)
{
    report.findings.push_back(Finding{severity, std::move(check), std::move(message), std::move(fix), 0, {}});
}

// What sql/doctor_connection.sql says, read by column name.
struct ConnectionFacts {
    std::string server_version;
    std::string role;
    bool standby = false;
    bool read_only = false;     // default_transaction_read_only
    bool table_exists = false;  // the privilege columns are NULL without a table
    std::map<std::string, bool> privileges;
};

ConnectionFacts read_connection(Transaction& tx, const TableName& table)
{
    const QueryResult r = tx.exec(sql::k_doctor_connection, {table.quoted()});
    const Row& row = r.rows.at(0);
    ConnectionFacts facts;
    facts.server_version = r.get(row, "server_version").value_or("");
    facts.role = r.get(row, "role").value_or("");
    facts.standby = r.get(row, "standby") == Value("true");
    facts.read_only = r.get(row, "read_only") == Value("on");
    for (const auto& [privilege, column] : {std::pair<const char*, const char*>{"SELECT", "can_select"},
                                            {"INSERT", "can_insert"}, {"UPDATE", "can_update"},
                                            {"DELETE", "can_delete"}}) {
        if (const Value& granted = r.get(row, column)) {
            facts.table_exists = true;
            facts.privileges[privilege] = *granted == "true";
        }
    }
    return facts;
}

void report_connection(const ConnectionFacts& facts, DoctorReport& report)
{
    report.server_version = facts.server_version;
    report.role = facts.role;
    report.standby = facts.standby;
    report.read_only = facts.standby || facts.read_only;
    report.privileges = facts.privileges;
    if (facts.standby) {
        add_finding(report, Severity::warning, "standby", "the server is a read-only standby: commands that write exit 69",
                    "connect to the primary (add target_session_attrs=read-write to the URL)");
    } else if (facts.read_only) {
        add_finding(report, Severity::warning, "read-only",
                    "the connection is read-only (default_transaction_read_only): commands that write exit 69",
                    "connect with a role or database where writes are allowed");
    }
}

// The table (the same checks as init-db, reported instead of thrown) and the role's privileges
// on it; whether its rows can be read.
bool report_table(Transaction& tx, const TableName& table, const ConnectionFacts& facts,
                  const DoctorSettings& settings, DoctorReport& report)
{
    try {
        check_table(tx, table);
        report.table_exists = true;
        report.table_compatible = true;
    } catch (const ConfigError& e) {
        report.table_exists = facts.table_exists;
        add_finding(report, Severity::error, report.table_exists ? "incompatible-table" : "missing-table", e.what(),
                    report.table_exists ? "alter the table (see 'man usersctl-init-db')" : settings.command + " init-db");
        return false;
    }
    std::string missing;
    for (const auto& [name, granted] : report.privileges) {
        if (!granted) {
            missing += (missing.empty() ? "" : ", ") + name;
        }
    }
    const bool can_read = report.privileges["SELECT"];
    if (!missing.empty()) {
        add_finding(report, can_read ? Severity::warning : Severity::error, "privileges",
                    "role " + report.role + " lacks " + missing + " on " + table.display(),
                    "GRANT " + missing + " ON " + table.quoted() + " TO " + quote_identifier(report.role));
    }
    return can_read;
}

bool has_lower_email_index(Transaction& tx, const TableName& table)
{
    const QueryResult found = tx.exec(sql::k_find_table, {table.schema, table.name});
    const Value oid = found.get(found.rows.at(0), "table_oid");
    const QueryResult indexes = tx.exec(sql::k_table_unique_indexes, {oid});
    for (const auto& row : indexes.rows) {
        if (indexes.get(row, "expressions") == Value("lower(email)")) {
            return true;
        }
    }
    return false;
}

// One row of sql/doctor_scan.sql (id, email, password_hash, last_login_at). The scan is
// streamed by COPY, whose rows come without names: this is the one place that reads
// them, in the statement's column order.
struct ScannedAccount {
    std::int64_t id = 0;
    const std::string* email = nullptr;
    const std::string* password_hash = nullptr;
    const Value* last_login_at = nullptr;
};

ScannedAccount decode_scan_row(const Row& row)
{
    return ScannedAccount{std::stoll(row.at(0).value()), &row.at(1).value(), &row.at(2).value(), &row.at(3)};
}

// The per-account findings, counted while the rows stream past.
struct RowFindings {
    Tally case_dupes, uppercase, corrupt, legacy, weak, unreadable, login_year;
    std::set<std::string> weak_reasons;

    explicit RowFindings(const DoctorSettings& settings)
        : case_dupes{{Severity::error, "case-duplicate-emails",
                      "emails that differ only by case: the lower(email) unique index cannot be built",
                      "merge or rename them (" + settings.command + " update-user --id ID --new-email EMAIL, or " +
                          settings.command + " delete-user --id ID), then " + settings.command + " init-db",
                      0,
                      {}},
                     settings.max_listed},
          uppercase{{Severity::warning, "uppercase-emails",
                     "emails with upper-case letters: the web app looks users up lower-cased, so these cannot log in",
                     settings.command + " update-user --id ID --new-email EMAIL", 0, {}},
                    settings.max_listed},
          // Every fix writes the verifier's default scheme (the commands' default under the
          // same --verifier), so following one never leaves a hash the verifier cannot read.
          corrupt{{Severity::error, "unsupported-hashes",
                   "password hashes that are unsupported or corrupt: nobody can log in",
                   settings.hash_command + " set-password --id ID", 0, {}},
                  settings.max_listed},
          legacy{{Severity::error, "legacy-werkzeug-hashes",
                  "legacy werkzeug plain or salted-HMAC hashes: weak, and unreadable by werkzeug 3 and usersctl",
                  settings.hash_command + " set-password --id ID", 0, {}},
                 settings.max_listed},
          weak{{Severity::warning, "weak-hashes",
                "weak password hashes by current guidance (verify --rehash takes the user's password, e.g. at their "
                "next login)",
                rehash_or_set(settings), 0, {}},
               settings.max_listed},
          unreadable{{Severity::warning, "unreadable-by-verifier",
                      std::string("password hashes the verifier '") + verifier_name(settings.verifier) +
                          "' cannot read, so it cannot log these accounts in (" +
                          verifier_description(settings.verifier) + ")",
                      rehash_or_set(settings), 0, {}},
                     settings.max_listed},
          login_year{{Severity::error, "last-login-beyond-python",
                      "a last_login_at in a year before 1 or after 9999, which the web app cannot load (Python's "
                      "datetime holds the years 1 to 9999): no login is possible",
                      settings.command + " update-user --id ID --clear-last-login", 0, {}},
                     settings.max_listed}
    {
    }

    static std::string rehash_or_set(const DoctorSettings& settings)
    {
        return settings.hash_command + " verify --id ID --rehash, or " + settings.hash_command + " set-password --id ID";
    }

    void add(const ScannedAccount& account, Verifier verifier, DoctorReport& report)
    {
        const std::string& email = *account.email;
        const std::string& hash = *account.password_hash;
        if (!is_python_lower(email)) {
            uppercase.add(account.id, email);
        }
        if (is_legacy_werkzeug(hash)) {
            count_label(report, "werkzeug-legacy");
            legacy.add(account.id, email);
            return;
        }
        const hash_format::ParsedHash parsed = hash_format::parse(hash);
        const HashInfo& info = parsed.info;
        count_label(report, info.label);
        if (!info.usable) {
            corrupt.add(account.id, email);
            return;
        }
        if (const auto why = weakness_of(parsed)) {
            weak.add(account.id, email);
            weak_reasons.insert(*why);
        }
        if (!can_read_family(verifier, info.family)) {
            unreadable.add(account.id, email);
        }
    }

    // Rows come in runs of one label (a table is mostly one scheme at one cost): the map is
    // searched only when the label changes.
    void count_label(DoctorReport& report, const std::string& label)
    {
        if (last_count == nullptr || label != last_label) {
            last_label = label;
            last_count = &report.hashes_by_label[label];
        }
        ++*last_count;
    }

    std::string last_label;
    std::uint64_t* last_count = nullptr;

    void finish(DoctorReport& report)
    {
        if (!weak_reasons.empty()) {
            std::string reasons;
            for (const auto& r : weak_reasons) {
                reasons += (reasons.empty() ? "" : "; ") + r;
            }
            weak.finding.message += " (" + reasons + ")";
        }
        for (Tally* t : {&case_dupes, &uppercase, &corrupt, &legacy, &weak, &unreadable, &login_year}) {
            if (t->finding.count > 0) {
                t->finding.message = plural(t->finding.count, "account has ", "accounts have ") + t->finding.message;
                report.findings.push_back(std::move(t->finding));
            }
        }
    }
};

// The accounts: one streamed pass for the per-row checks, and without the lower(email) index a
// server-side search for case duplicates (so memory does not grow with the table).
void report_accounts(Transaction& tx, const TableName& table, const DoctorSettings& settings, DoctorReport& report)
{
    RowFindings findings(settings);
    if (!report.lower_email_index) {
        const QueryResult dupes = tx.exec(sql_for_table(sql::k_doctor_case_duplicates, table),
                                          {std::to_string(settings.max_listed)});
        for (const auto& row : dupes.rows) {
            findings.case_dupes.finding.accounts.push_back({std::stoll(row.at(0).value()), row.at(1).value()});
            findings.case_dupes.finding.count = std::stoull(row.at(2).value());
        }
    }
    std::string oldest;  // the earliest last_login_at so far, as the server wrote it
    tx.copy_out(sql_for_table(sql::k_doctor_scan, table), [&](const Row& row) {
        const ScannedAccount account = decode_scan_row(row);
        ++report.accounts;
        const Value& login = *account.last_login_at;
        // -infinity and infinity are logins too: the app reads them as datetime.min and .max.
        if (!login) {
            ++report.never_logged_in;
        } else {
            if (oldest.empty() || compare_postgres_timestamps(*login, oldest) < 0) {
                oldest = *login;
            }
            if (!python_datetime_can_hold(*login)) {
                findings.login_year.add(account.id, *account.email);
            }
        }
        findings.add(account, settings.verifier, report);
    });
    if (!oldest.empty()) {
        std::string iso;
        append_iso8601_from_postgres(oldest, iso, false);  // whole seconds in the report
        report.oldest_last_login = iso;
    }
    if (!report.lower_email_index) {
        const bool dupes = findings.case_dupes.finding.count > 0;
        add_finding(report, dupes ? Severity::error : Severity::warning, "missing-lower-email-index",
                    "no unique index on lower(email): two accounts could differ only by case",
                    dupes ? "resolve the case duplicates below, then " + settings.command + " init-db"
                          : settings.command + " init-db");
    }
    findings.finish(report);
}

}  // namespace

DoctorReport run_doctor(Database& db, const TableName& table, const DoctorSettings& settings)
{
    DoctorReport report;
    report.table = table.display();
    report.verifier = verifier_name(settings.verifier);
    db.transaction([&](Transaction& tx) {
        tx.exec(sql::k_doctor_read_only);
        const ConnectionFacts facts = read_connection(tx, table);
        report_connection(facts, report);
        if (!report_table(tx, table, facts, settings, report)) {
            return;
        }
        report.lower_email_index = has_lower_email_index(tx, table);
        report_accounts(tx, table, settings, report);
    });
    return report;
}

}  // namespace usersctl
