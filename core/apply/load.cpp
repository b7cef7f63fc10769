#include "core/apply/load.hpp"

#include "core/errors.hpp"
#include "core/import/input_file.hpp"
#include "core/secret.hpp"
#include "core/text.hpp"

#include <spdlog/spdlog.h>

namespace usersctl {

namespace {

std::string read_all(const std::string& path)
{
    InputFile input(path);
    std::string text;
    char buffer[65536];
    while (const std::size_t n = input.read(buffer, sizeof buffer)) {
        text.append(buffer, n);
        if (text.size() > k_max_declaration_bytes) {
            wipe(text);
            throw InvalidInput("the declaration file is larger than " + std::to_string(k_max_declaration_bytes >> 20) +
                               " MiB");
        }
    }
    wipe(buffer, sizeof buffer);
    return text;
}

}  // namespace

std::vector<DeclaredAccount> load_declaration(const std::string& path, const std::optional<DocFormat>& format,
                                              const DeclarationChecks& checks)
{
    std::string text = read_all(path);
    const DocFormat chosen = format ? *format : guess_doc_format(path, text);
    DocNode document;
    try {
        document = chosen == DocFormat::json ? read_json(text) : read_yaml(text);
    } catch (...) {
        wipe(text);
        throw;
    }
    wipe(text);
    Declaration declaration = check_declaration(document, checks);
    wipe_document(document);
    if (declaration.problems.empty()) {
        return std::move(declaration.accounts);
    }
    bool no_input = false;
    for (const auto& problem : declaration.problems) {
        spdlog::error("{}: {}", escape_for_terminal(problem.path), escape_for_terminal(problem.message));
        no_input = no_input || problem.no_input;
    }
    const std::size_t n = declaration.problems.size();
    const std::string message =
        std::to_string(n) + " problem" + (n == 1 ? "" : "s") + " in the declaration; nothing was applied";
    if (no_input) {
        throw NoInput(message, "a password file named in it cannot be read");
    }
    throw InvalidInput(message, "fix the entries listed above and run apply again");
}

}  // namespace usersctl
