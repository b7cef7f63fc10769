#pragma once
// Logging: everything goes to stderr through spdlog; stdout is left to data.

#include "core/text.hpp"  // json_escape lived here; its callers still find it through this header

#include <string>

namespace usersctl {

enum class LogFormat { text, json };

/// Installs the stderr logger. verbosity 0 = info, 1 = debug, 2+ = trace; quiet = errors only.
void setup_logging(int verbosity, bool quiet, LogFormat format);

}  // namespace usersctl
