// libFuzzer target: output escaping. Terminal escapes hold no control characters; JSON strings
// are valid UTF-8; CSV fields hold no bare line breaks outside quotes.
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
    return 0;
}
