#pragma once
// Statement text from sql/*.sql with identifiers filled in. Only quoted identifiers are ever
// substituted; values always travel as $n parameters.

#include "core/table_name.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace usersctl {

/// Replaces each {name} in `sql` with its (already quoted) identifier, in one pass over `sql`:
/// text already inserted is never scanned again, so an identifier holding "{index}" stays as
/// it is. Throws InternalError on a {name} it was not given a value for.
std::string render_sql(const std::string& sql,
                       std::initializer_list<std::pair<const char*, std::string>> identifiers);

/// The one way a statement names the users table: `statement` with {table} as `table`, quoted,
/// and any `more` placeholders (e.g. {lock}) filled as render_sql() does.
std::string sql_for_table(const std::string& statement, const TableName& table,
                          std::initializer_list<std::pair<const char*, std::string>> more = {});

/// A PostgreSQL array literal of text values, {"a","b"}, quotes and backslashes escaped: the
/// value of one `$n::text[]` parameter (never statement text).
std::string array_literal(const std::vector<std::string_view>& items);

}  // namespace usersctl
