// libFuzzer target: the text module and output escaping. UTF-8 validation agrees with decoding
// (a valid text re-encodes to itself, code point by code point); terminal escapes hold no control
// characters; JSON strings are valid UTF-8 spelled as terminal_safe_json() spells JSON; CSV fields
// hold no bare line breaks outside quotes; list's safe CSV and TSV cells hold no control
// character (but CSV's TAB, LF, CRLF) and never start a formula.
#include "core/record_writer.hpp"
#include "core/text.hpp"

#include <cstdint>
#include <string>

namespace {

void append_utf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
        return;
    }
    const int len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    const unsigned char lead = len == 2 ? 0xC0 : len == 3 ? 0xE0 : 0xF0;
    out.push_back(static_cast<char>(lead | (cp >> (6 * (len - 1)))));
    for (int k = len - 2; k >= 0; --k) {
        out.push_back(static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F)));
    }
}

// is_valid_utf8 says yes exactly when every sequence has a length; then decoding and encoding
// again gives the same bytes and as many code points as count_code_points counts.
void check_utf8(const std::string& text)
{
    bool all_sequences = true;
    for (std::size_t i = 0; i < text.size() && all_sequences;) {
        const std::size_t len = usersctl::utf8_sequence_length(text, i);
        all_sequences = len > 0;
        i += len;
    }
    if (all_sequences != usersctl::is_valid_utf8(text)) {
        __builtin_trap();
    }
    if (!all_sequences) {
        return;
    }
    std::string again;
    std::size_t points = 0;
    for (std::size_t i = 0; i < text.size(); ++points) {
        append_utf8(again, usersctl::next_code_point(text, i));
    }
    if (again != text || points != usersctl::count_code_points(text)) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    check_utf8(text);
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
    if (!usersctl::is_valid_utf8(json) || json.find('\n') != std::string::npos ||
        usersctl::terminal_safe_json(json) != json) {
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
