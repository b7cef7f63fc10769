#pragma once
// stdout carries data only; this is the one way to write it, with write errors reported.

#include <string>
#include <string_view>

namespace usersctl {

/// Writes data to stdout (buffered). Throws OutputClosed when the reader has gone (EPIPE) and
/// OutputError on any other write failure (e.g. ENOSPC).
void write_stdout(std::string_view data);
/// Flushes stdout, with the same error rules.
void flush_stdout();

}  // namespace usersctl
