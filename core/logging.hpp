#pragma once
// Logging: everything goes to stderr through spdlog (and, for host logins, syslog); stdout is
// left to data.

#include "core/text.hpp"  // json_escape lived here; its callers still find it through this header

#include <string>

namespace usersctl {

enum class LogFormat { text, json };

/// Installs the stderr logger. verbosity 0 = info, 1 = debug, 2+ = trace; quiet = errors only.
/// With `to_syslog` (host logins, whose stderr nobody may read), warnings and errors also go to
/// syslog, facility authpriv, as "usersctl[PID]: message", and info lines need -v.
void setup_logging(int verbosity, bool quiet, LogFormat format, bool to_syslog = false);

}  // namespace usersctl
