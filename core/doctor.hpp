#pragma once
// usersctl doctor: the health of the database, the users table and the stored hashes. Read only.

#include "core/database.hpp"
#include "core/table_name.hpp"
#include "core/verifier.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace usersctl {

enum class Severity { warning, error };

/// One account a finding concerns.
struct AccountRef {
    std::int64_t id = 0;
    std::string email;
};

/// Something that needs attention, with the command that fixes it.
struct Finding {
    Severity severity = Severity::warning;
    std::string check;    ///< stable identifier, e.g. "weak-hashes"
    std::string message;  ///< what is wrong, for people
    std::string fix;      ///< the command or action that fixes it
    std::uint64_t count = 0;
    std::vector<AccountRef> accounts;  ///< the first `max_listed` concerned
};

struct DoctorReport {
    std::string table;
    std::string verifier;  ///< its name
    std::string server_version;
    std::string role;
    bool standby = false;
    bool read_only = false;
    std::map<std::string, bool> privileges;  ///< SELECT, INSERT, UPDATE, DELETE
    bool table_exists = false;
    bool table_compatible = false;
    bool lower_email_index = false;
    std::uint64_t accounts = 0;
    std::map<std::string, std::uint64_t> hashes_by_label;  ///< "bcrypt:12" -> count
    std::uint64_t never_logged_in = 0;
    std::optional<std::string> oldest_last_login;
    std::vector<Finding> findings;
};

/// What doctor checks against, and how its fix lines start.
struct DoctorSettings {
    Verifier verifier = Verifier::werkzeug;
    /// "usersctl" plus the --table a fix needs to act on the same table when it is not the
    /// default; each fix line is this, a command, and ID/EMAIL to fill in.
    std::string command = "usersctl";
    /// `command` plus --verifier when it is not the default, for fixes that write a hash.
    std::string hash_command = "usersctl";
    std::size_t max_listed = 10;
};

/// Runs every check in one read-only transaction and one streamed pass over the rows.
DoctorReport run_doctor(Database& db, const TableName& table, const DoctorSettings& settings);

/// Whether a stored hash is weak by current guidance (bcrypt < 10, PBKDF2-SHA256 < 600,000,
/// scrypt N < 2^15, sha-crypt at default rounds, Argon2 below OWASP's m=19456 KiB, t=2 and its
/// equivalents, ...); the reason, or nullopt.
std::optional<std::string> weakness(const std::string& stored_hash);

/// The report for people: sections, counts, accounts, fixes.
std::string format_report_text(const DoctorReport& report);
/// The report as one JSON object.
std::string format_report_json(const DoctorReport& report);

}  // namespace usersctl
