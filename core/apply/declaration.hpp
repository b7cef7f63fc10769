#pragma once
// The accounts a declaration file asks for, checked: every problem found (with its path in the
// file, never a value), or the accounts with their emails normalised and their passwords read.

#include "core/apply/document.hpp"
#include "core/password_hash.hpp"
#include "core/password_policy.hpp"
#include "core/secret.hpp"
#include "core/verifier.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace usersctl {

/// When apply writes the password of an account that exists.
enum class PasswordUpdate { on_create, if_changed, always };

/// Where an account's password comes from.
enum class PasswordOrigin { hash, env, file };

/// One declared account, checked.
struct DeclaredAccount {
    std::size_t index = 0;  ///< its place in `accounts`
    std::string email;      ///< normalised as the web app stores it
    std::optional<std::string> first_name;  ///< nullopt: not given, left as stored
    std::optional<std::string> last_name;
    PasswordOrigin origin = PasswordOrigin::hash;
    std::string password_hash;        ///< PasswordOrigin::hash: the string to store
    std::optional<Secret> password;   ///< env and file: the password, read and checked by the policy
    PasswordUpdate update = PasswordUpdate::on_create;
};

/// One problem of a declaration file.
struct DeclarationProblem {
    std::string path;     ///< e.g. "accounts[3].email"
    std::string message;  ///< never quotes a value from the file
    bool no_input = false;  ///< a password file that cannot be read (66, not 65)
};

/// What the passwords of a declaration are checked against.
struct DeclarationChecks {
    HashSettings settings;              ///< the scheme apply writes (for the policy's length limit)
    PolicyOptions policy;               ///< each account's email and names are added as known words
    Verifier verifier = Verifier::any;  ///< who must read every password_hash
};

/// A checked declaration: accounts in file order, or problems.
struct Declaration {
    std::vector<DeclaredAccount> accounts;
    std::vector<DeclarationProblem> problems;
};

/// Checks the document: a mapping with one key, `accounts`, a list of mappings with `email`,
/// optional `first_name` and `last_name`, exactly one of `password_env`, `password_file` and
/// `password_hash`, and optional `update_password`. Reads (and scrubs) the passwords named by
/// password_env and password_file. Throws nothing for problems in the file: they are listed.
Declaration check_declaration(const DocNode& document, const DeclarationChecks& checks);

/// "on_create", "if_changed" or "always".
const char* password_update_name(PasswordUpdate update);

}  // namespace usersctl
