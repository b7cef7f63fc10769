// libFuzzer target: apply's declaration files (YAML through yaml-cpp's events, JSON through
// nlohmann's SAX) and their checks. The first byte picks the syntax. Properties: a parse either
// succeeds or is InvalidInput; every problem has a path that starts where the document does;
// checked accounts carry normalised emails; no message quotes a string from the file (every
// string the file holds is marked with a byte sequence the messages never contain).
#include "core/apply/declaration.hpp"
#include "core/apply/document.hpp"
#include "core/email.hpp"
#include "core/errors.hpp"

#include <cstdint>
#include <string>

namespace {

bool path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '[' || c == ']' || c == '.' || c == '(' || c == ')';
}

// Drops password sources that would read the process environment or files: the fuzzer only
// exercises the checks of what the file itself holds.
void drop_outside_sources(usersctl::DocNode& node)
{
    for (auto& item : node.items) {
        drop_outside_sources(item);
    }
    for (auto& entry : node.entries) {
        if (entry.first == "password_env" || entry.first == "password_file") {
            entry.first = "password_hash";
        }
        drop_outside_sources(entry.second);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    usersctl::DocNode document;
    try {
        document = (data[0] & 1) != 0 ? usersctl::read_json(text) : usersctl::read_yaml(text);
    } catch (const usersctl::InvalidInput&) {
        return 0;
    }
    drop_outside_sources(document);
    usersctl::DeclarationChecks checks;
    const usersctl::Declaration declared = usersctl::check_declaration(document, checks);
    if (!declared.problems.empty() && !declared.accounts.empty()) {
        __builtin_trap();
    }
    for (const auto& problem : declared.problems) {
        if (problem.path.empty() || problem.message.empty()) {
            __builtin_trap();
        }
        for (const char c : problem.path) {
            if (!path_char(c)) {
                __builtin_trap();
            }
        }
        for (const char c : problem.message) {
            if (static_cast<unsigned char>(c) < 0x20) {
                __builtin_trap();
            }
        }
    }
    for (const auto& account : declared.accounts) {
        if (usersctl::normalise_email(account.email) != account.email) {
            __builtin_trap();
        }
    }
    usersctl::wipe_document(document);
    return 0;
}
