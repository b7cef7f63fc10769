#include "core/apply/declaration.hpp"

#include "core/accounts.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"
#include "core/password_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <unistd.h>

namespace usersctl {

namespace {

const char* const k_account_keys[] = {"email",         "first_name",    "last_name",      "password_env",
                                      "password_file", "password_hash", "update_password"};

// A key is quoted back only when it looks like a field name: a mistyped line may have put a
// value (a password) where a key belongs.
bool looks_like_key(const std::string& key)
{
    if (key.empty() || key.size() > 40) {
        return false;
    }
    for (const char c : key) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

class Checker {
public:
    Checker(const DeclarationChecks& checks, Declaration& out) : m_checks(checks), m_out(out) {}

    void problem(const std::string& path, const std::string& message, bool no_input = false)
    {
        m_out.problems.push_back({path, message, no_input});
    }

    // The string at `key` in `entry`, or a problem and nullopt.
    std::optional<std::string> string_at(const DocNode& value, const std::string& path)
    {
        if (value.kind != DocNode::Kind::string) {
            problem(path, "must be a string");
            return std::nullopt;
        }
        return value.text;
    }

    void account(const DocNode& node, std::size_t index);

private:
    void names(const std::map<std::string, const DocNode*>& keys, const std::string& path, DeclaredAccount& account);
    bool password_source(const std::map<std::string, const DocNode*>& keys, const std::string& path,
                         DeclaredAccount& account);
    void read_password(const std::string& path, const PasswordInput& input, DeclaredAccount& account);

    const DeclarationChecks& m_checks;
    Declaration& m_out;
    std::map<std::string, std::size_t> m_emails;  // normalised email -> index of its first account
    std::map<std::string, Secret> m_env_values;   // variables read so far (scrubbed from the environment)
};

void Checker::names(const std::map<std::string, const DocNode*>& keys, const std::string& path,
                    DeclaredAccount& account)
{
    for (const char* field : {"first_name", "last_name"}) {
        const auto it = keys.find(field);
        if (it == keys.end()) {
            continue;
        }
        const std::string where = path + "." + field;
        auto text = string_at(*it->second, where);
        if (!text) {
            continue;
        }
        try {
            check_name_text(*text, std::strcmp(field, "first_name") == 0 ? "first name" : "last name");
            (std::strcmp(field, "first_name") == 0 ? account.first_name : account.last_name) = std::move(*text);
        } catch (const InvalidInput& e) {
            problem(where, e.what());
        }
    }
}

void Checker::read_password(const std::string& path, const PasswordInput& input, DeclaredAccount& account)
{
    try {
        ObtainedPassword obtained;
        // A variable is scrubbed from the environment when read: a second account naming it
        // takes a copy of what the first read.
        if (const auto it = m_env_values.find(input.env_var); input.source == PasswordSource::env && it != m_env_values.end()) {
            std::string copy(it->second.view());
            obtained.secret = Secret(std::move(copy));
        } else {
            obtained = obtain_password(input, false);
            if (input.source == PasswordSource::env) {
                std::string copy(obtained.secret.view());
                m_env_values.emplace(input.env_var, Secret(std::move(copy)));
            }
        }
        PolicyOptions policy = m_checks.policy;
        policy.user_words.push_back(account.email);
        policy.user_words.push_back(account.first_name.value_or(""));
        policy.user_words.push_back(account.last_name.value_or(""));
        check_password_policy(obtained.secret.view(), m_checks.settings.scheme, policy);
        account.password = std::move(obtained.secret);
    } catch (const NoInput& e) {
        problem(path, e.what(), true);
    } catch (const Error& e) {
        problem(path, e.what());
    }
}

bool Checker::password_source(const std::map<std::string, const DocNode*>& keys, const std::string& path,
                              DeclaredAccount& account)
{
    const int given = static_cast<int>(keys.count("password_env") + keys.count("password_file") +
                                       keys.count("password_hash"));
    if (given != 1) {
        problem(path, given == 0 ? "no password source: give one of password_env, password_file, password_hash"
                                 : "more than one password source: give one of password_env, password_file, "
                                   "password_hash");
        return false;
    }
    if (const auto it = keys.find("password_hash"); it != keys.end()) {
        const std::string where = path + ".password_hash";
        const auto hash = string_at(*it->second, where);
        if (!hash) {
            return false;
        }
        account.origin = PasswordOrigin::hash;
        const HashInfo info = inspect_hash(*hash);
        if (!info.usable) {
            problem(where, "not a format verify accepts (" + info.problem + ")");
            return false;
        }
        if (!can_read_family(m_checks.verifier, info.family)) {
            problem(where, "a " + info.family + " hash, which the verifier '" + verifier_name(m_checks.verifier) +
                               "' cannot read; those accounts could not log in");
            return false;
        }
        account.password_hash = *hash;
        return true;
    }
    PasswordInput input;
    std::string where;
    if (const auto it = keys.find("password_env"); it != keys.end()) {
        where = path + ".password_env";
        const auto name = string_at(*it->second, where);
        if (!name) {
            return false;
        }
        if (!is_variable_name(*name)) {
            problem(where, "not the name of an environment variable (letters, digits and _)");
            return false;
        }
        if (std::getenv(name->c_str()) == nullptr && m_env_values.count(*name) == 0) {
            problem(where, "the environment variable " + *name + " is not set");
            return false;
        }
        account.origin = PasswordOrigin::env;
        input.source = PasswordSource::env;
        input.env_var = *name;
    } else {
        where = path + ".password_file";
        const auto file = string_at(*keys.at("password_file"), where);
        if (!file) {
            return false;
        }
        if (::access(file->c_str(), R_OK) != 0) {
            // The path is not repeated: it is in the file, at the path given.
            problem(where, std::string("cannot read the file: ") + std::strerror(errno), true);
            return false;
        }
        account.origin = PasswordOrigin::file;
        input.source = PasswordSource::file;
        input.path = *file;
    }
    read_password(where, input, account);
    return account.password.has_value();
}

void Checker::account(const DocNode& node, std::size_t index)
{
    const std::string path = "accounts[" + std::to_string(index) + "]";
    if (node.kind != DocNode::Kind::mapping) {
        problem(path, "must be a mapping (email: ..., first_name: ..., ...)");
        return;
    }
    std::map<std::string, const DocNode*> keys;
    bool ok = true;
    for (const auto& [key, value] : node.entries) {
        if (key == "password") {
            problem(path + ".password", "a plaintext password is not accepted: this file is meant to be kept in a "
                                        "repository; use password_env, password_file or password_hash");
            ok = false;
        } else if (std::find(std::begin(k_account_keys), std::end(k_account_keys), key) == std::end(k_account_keys)) {
            problem(looks_like_key(key) ? path + "." + key : path,
                    looks_like_key(key) ? "unknown key" : "an unknown key (not quoted: it does not look like a name)");
            ok = false;
        } else {
            keys[key] = &value;
        }
    }
    DeclaredAccount account;
    account.index = index;
    if (const auto it = keys.find("email"); it == keys.end()) {
        problem(path, "no email");
        ok = false;
    } else if (const auto email = string_at(*it->second, path + ".email")) {
        try {
            account.email = normalise_new_email(*email);
            const auto [first, fresh] = m_emails.emplace(account.email, index);
            if (!fresh) {
                problem(path + ".email", "the same email as accounts[" + std::to_string(first->second) +
                                             "] (emails are compared lower-cased)");
                ok = false;
            }
        } catch (const InvalidInput& e) {
            problem(path + ".email", e.what());
            ok = false;
        }
    } else {
        ok = false;
    }
    names(keys, path, account);
    if (const auto it = keys.find("update_password"); it != keys.end()) {
        const auto mode = string_at(*it->second, path + ".update_password");
        if (mode && *mode == "on_create") {
            account.update = PasswordUpdate::on_create;
        } else if (mode && *mode == "if_changed") {
            account.update = PasswordUpdate::if_changed;
        } else if (mode && *mode == "always") {
            account.update = PasswordUpdate::always;
        } else {
            if (mode) {
                problem(path + ".update_password", "must be on_create, if_changed or always");
            }
            ok = false;
        }
    }
    const std::size_t problems_before = m_out.problems.size();
    ok = password_source(keys, path, account) && ok && problems_before == m_out.problems.size();
    if (ok && m_out.problems.empty()) {
        m_out.accounts.push_back(std::move(account));
    }
}

}  // namespace

const char* password_update_name(PasswordUpdate update)
{
    switch (update) {
    case PasswordUpdate::on_create: return "on_create";
    case PasswordUpdate::if_changed: return "if_changed";
    case PasswordUpdate::always: return "always";
    }
    return "?";
}

Declaration check_declaration(const DocNode& document, const DeclarationChecks& checks)
{
    Declaration out;
    Checker checker(checks, out);
    if (document.kind != DocNode::Kind::mapping) {
        checker.problem("(top)", "the file must be a mapping with one key, accounts");
        return out;
    }
    const DocNode* accounts = nullptr;
    for (const auto& [key, value] : document.entries) {
        if (key == "accounts") {
            accounts = &value;
        } else {
            checker.problem(looks_like_key(key) ? key : "(top)",
                            looks_like_key(key) ? "unknown key" : "an unknown key (not quoted: it does not look like a name)");
        }
    }
    if (accounts == nullptr) {
        checker.problem("accounts", "missing: the file must list the accounts under accounts");
        return out;
    }
    if (accounts->kind != DocNode::Kind::sequence) {
        checker.problem("accounts", "must be a list");
        return out;
    }
    for (std::size_t i = 0; i < accounts->items.size(); ++i) {
        checker.account(accounts->items[i], i);
    }
    if (!out.problems.empty()) {
        out.accounts.clear();  // wipes the passwords read so far
    }
    return out;
}

}  // namespace usersctl
