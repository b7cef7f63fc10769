#pragma once
// Shared by the two halves of ImportReader (import_reader_csv.cpp, import_reader_jsonl.cpp):
// how a header name or a JSON key maps to a column. Not for other callers.

#include "core/import_reader.hpp"

#include <array>
#include <optional>
#include <string>

namespace usersctl {

/// The column names, in ImportColumn's order.
extern const std::array<const char*, k_import_column_count> k_import_column_names;

/// The column a header name means, ignoring case and surrounding spaces ("Email " is email).
std::optional<ImportColumn> column_named(std::string name);

/// Whether a cell may be named in a message: it looks like a column identifier. Messages never
/// quote the file's content otherwise (a data row holds an email and a password).
bool looks_like_identifier(std::string name);

}  // namespace usersctl
