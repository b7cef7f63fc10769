#pragma once
// Logging: everything goes to stderr through spdlog (and, for host logins, syslog); stdout is
// left to data.

#include <string>

namespace usersctl {

enum class LogFormat { text, json };

/// Installs the stderr logger. verbosity 0 = info, 1 = debug, 2+ = trace; quiet = errors only.
/// With `to_syslog` (host logins, whose stderr nobody may read), warnings and errors also go to
/// syslog, facility authpriv, as "usersctl[PID]: message", and info lines need -v.
void setup_logging(int verbosity, bool quiet, LogFormat format, bool to_syslog = false);

/// True when text[i] starts a UTF-8 encoded C1 control (U+0080..U+009F, e.g. the 8-bit CSI).
inline bool is_c1_control_at(const std::string& text, std::size_t i)
{
    return static_cast<unsigned char>(text[i]) == 0xC2 && i + 1 < text.size() &&
           static_cast<unsigned char>(text[i + 1]) >= 0x80 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
}

/// If text[i] starts a C1 control, appends it as \u00XX, steps i past it and returns true.
inline bool append_c1_escape(std::string& out, const std::string& text, std::size_t& i)
{
    if (!is_c1_control_at(text, i)) {
        return false;
    }
    static const char digits[] = "0123456789abcdef";
    const auto c = static_cast<unsigned char>(text[i + 1]);
    out += "\\u00";
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0x0f]);
    ++i;
    return true;
}

/// `text` as the body of a JSON string (quotes, backslashes and control characters escaped).
std::string json_escape(const std::string& text);

}  // namespace usersctl
