#pragma once
// A declaration file from its path (or stdin) to checked accounts: read, parsed as YAML or JSON,
// checked; every problem logged with its path.

#include "core/apply/declaration.hpp"

#include <optional>
#include <string>
#include <vector>

namespace usersctl {

/// The largest declaration file read (bytes): 100,000 accounts take about 15 MB.
constexpr std::size_t k_max_declaration_bytes = 256u << 20;

/// Reads `path` ("-": stdin) in `format` (nullopt: by extension, else by its first byte) and
/// checks it. Problems are logged ("accounts[3].email: ...") and end in InvalidInput (65), or
/// NoInput (66) when the file or a password file cannot be read.
std::vector<DeclaredAccount> load_declaration(const std::string& path, const std::optional<DocFormat>& format,
                                              const DeclarationChecks& checks);

}  // namespace usersctl
