#pragma once
// Logging: everything goes to stderr through spdlog; stdout is left to data.

#include <string>

namespace usersctl {

enum class LogFormat { text, json };

/// Installs the stderr logger. verbosity 0 = info, 1 = debug, 2+ = trace; quiet = errors only.
void setup_logging(int verbosity, bool quiet, LogFormat format);

/// `text` as the body of a JSON string (quotes, backslashes and control characters escaped).
std::string json_escape(const std::string& text);

}  // namespace usersctl
