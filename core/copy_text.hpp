#pragma once
// PostgreSQL's COPY text format: tab-separated fields, \N for NULL, backslash escapes. Pure
// string work with no libpqxx, so it is unit-tested and fuzzed without a server; core/database
// sends and receives the lines.

#include "core/value.hpp"

#include <string>

namespace usersctl {

/// Appends one value in COPY text format (\N for NULL; backslash, tab, CR and LF escaped),
/// preceded by a tab unless `first`. Other bytes, invalid UTF-8 included, go as they are.
void append_copy_field(std::string& line, const Value& value, bool first);

/// Decodes one line of COPY text format (one trailing '\n' ignored) into `row`, reusing the
/// storage of its strings: every escape COPY FROM reads (\b \f \n \r \t \v, octal \ooo, hex
/// \xHH, any other escaped byte as itself). Never throws on malformed input.
void decode_copy_line(const std::string& line, Row& row);

}  // namespace usersctl
