#pragma once
// One import record checked (email, names, password policy or hash format, login fields) and,
// when it carries a password, hashed: what the rest of the import writes, or why it cannot.

#include "core/import_reader.hpp"
#include "core/password_hash.hpp"
#include "core/password_policy.hpp"
#include "core/secret.hpp"
#include "core/verifier.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace usersctl {

/// What a row is checked against.
struct RowChecks {
    HashSettings settings;              ///< for rows that give a password
    PolicyOptions policy;               ///< for rows that give a password (the row's email and names are added)
    Verifier verifier = Verifier::any;  ///< who must read each password_hash
    bool require_readable = false;      ///< a password_hash the verifier cannot read is a problem
    bool generate_passwords = false;    ///< a row without password and password_hash gets a generated one
    bool keep_ids = false;              ///< every row needs an id, kept as the account's id
};

/// A checked row. A bad row keeps only its line, its problem and, when the email was valid,
/// the email (for the duplicate check): never content that may hold a password.
struct CheckedRow {
    std::uint64_t line = 0;
    std::optional<std::string> problem;  ///< why the row is bad; nullopt for a good row
    std::optional<std::string> id;       ///< --keep-ids: the id to give the account
    std::optional<std::string> email;    ///< normalised
    std::optional<std::string> first_name;  ///< nullopt: absent (kept by --on-conflict update)
    std::optional<std::string> last_name;
    std::optional<std::string> password_hash;  ///< given, or computed from the row's password
    std::optional<std::string> last_login_at;  ///< as PostgreSQL reads a timestamp
    std::optional<std::string> login_count;
    bool unreadable = false;  ///< a good row whose password_hash the verifier cannot read
    bool hashed = false;      ///< its password_hash was computed here (a password given or generated)
    std::optional<Secret> generated_password;  ///< the password generated for this row, if any
};

/// Checks (and hashes) one record; the record's password is wiped by the caller afterwards.
CheckedRow check_record(const ImportRecord& record, const RowChecks& checks);

/// A login count (or an id, from 1) from 0 to 2147483647 in plain digits, or nullopt.
std::optional<std::string> parse_login_count(const std::string& text);

}  // namespace usersctl
