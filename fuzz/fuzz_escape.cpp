// libFuzzer target: output escaping. Terminal escapes hold no control characters; JSON strings
// are valid UTF-8; CSV fields hold no bare line breaks outside quotes; list's safe CSV and TSV
// cells hold no control character (but CSV's TAB, LF, CRLF) and never start a formula.
#include "core/password_policy.hpp"
#include "core/record_writer.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string shown = usersctl::escape_for_terminal(text);
    for (unsigned char c : shown) {
        if (c < 0x20 || c == 0x7f) {
            __builtin_trap();
        }
    }
    if (shown.find("\xc2\x9b") != std::string::npos && text.find("\xc2\x9b") != std::string::npos) {
        __builtin_trap();
    }
    const std::string json = usersctl::json_string(text);
    if (!usersctl::is_valid_utf8(json) || json.find('\n') != std::string::npos) {
        __builtin_trap();
    }
    const std::string csv = usersctl::csv_field(text);
    if (csv.find_first_of("\r\n,\"") != std::string::npos && (csv.front() != '"' || csv.back() != '"')) {
        __builtin_trap();
    }
    const auto check_safe_cell = [](const std::string& cell, bool csv) {
        for (std::size_t i = 0; i < cell.size(); ++i) {
            const auto c = static_cast<unsigned char>(cell[i]);
            const bool crlf = c == '\r' && i + 1 < cell.size() && cell[i + 1] == '\n';
            const bool own = csv && (c == '\t' || c == '\n' || crlf);
            const bool c1 = c == 0xc2 && i + 1 < cell.size() && static_cast<unsigned char>(cell[i + 1]) < 0xa0;
            if (!own && (c < 0x20 || c == 0x7f || c1)) {
                __builtin_trap();
            }
        }
        // CSV: the first character inside CSV's own quotes; TSV has none, and a quote first counts.
        const std::size_t first = csv && !cell.empty() && cell[0] == '"' ? 1 : 0;
        if (first < cell.size() && std::string(csv ? "=+-@\t\r" : "=+-@\t\r\"").find(cell[first]) != std::string::npos) {
            __builtin_trap();
        }
    };
    check_safe_cell(usersctl::safe_csv_field(text), true);
    check_safe_cell(usersctl::tsv_field(text, true), false);
    return 0;
}
