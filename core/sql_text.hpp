#pragma once
// Statement text from sql/*.sql with identifiers filled in. Only quoted identifiers are ever
// substituted; values always travel as $n parameters.

#include <initializer_list>
#include <string>
#include <utility>

namespace usersctl {

/// Replaces each {name} in `sql` with its (already quoted) identifier, in one pass over `sql`:
/// text already inserted is never scanned again, so an identifier holding "{index}" stays as
/// it is. Throws InternalError on a {name} it was not given a value for.
std::string render_sql(const std::string& sql,
                       std::initializer_list<std::pair<const char*, std::string>> identifiers);

}  // namespace usersctl
