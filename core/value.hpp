#pragma once
// The values usersctl exchanges with PostgreSQL: text as the server sends it, or SQL NULL.
// Shared by core/database (statements, COPY) and core/copy_text (COPY's text format).

#include <optional>
#include <string>
#include <vector>

namespace usersctl {

using Value = std::optional<std::string>;  ///< a text value; nullopt is SQL NULL
using Row = std::vector<Value>;

}  // namespace usersctl
