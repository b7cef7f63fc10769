#include "core/email.hpp"

#include "core/errors.hpp"
#include "core/password_policy.hpp"

#include <clocale>
#include <cwctype>

namespace usersctl {

namespace {

constexpr std::size_t k_max_email_bytes = 254;

// Decodes one code point of valid UTF-8 at text[i], advancing i.
std::uint32_t next_code_point(std::string_view text, std::size_t& i)
{
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += len;
    return cp;
}

void append_utf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool is_space_or_control(std::uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
        return true;
    }
    switch (cp) {
    case 0x20: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000: case 0xFEFF: case 0x200B:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

// Python's str.lower() for the simple one-to-one mappings; towlower under a UTF-8 locale gives
// Unicode's simple case mapping for non-ASCII letters.
std::uint32_t to_lower(std::uint32_t cp)
{
    if (cp < 0x80) {
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    }
    static const bool have_utf8_ctype = [] {
        return std::setlocale(LC_CTYPE, "C.UTF-8") != nullptr || std::setlocale(LC_CTYPE, "C.utf8") != nullptr;
    }();
    return have_utf8_ctype ? static_cast<std::uint32_t>(std::towlower(static_cast<wint_t>(cp))) : cp;
}

}  // namespace

std::string normalise_email(std::string_view input)
{
    auto is_trim = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
    while (!input.empty() && is_trim(input.front())) {
        input.remove_prefix(1);
    }
    while (!input.empty() && is_trim(input.back())) {
        input.remove_suffix(1);
    }
    if (input.empty()) {
        throw InvalidInput("the email is empty");
    }
    if (!is_valid_utf8(input)) {
        throw InvalidInput("the email is not valid UTF-8");
    }
    std::string out;
    out.reserve(input.size());
    std::size_t at_count = 0;
    std::size_t i = 0;
    while (i < input.size()) {
        const std::uint32_t cp = next_code_point(input, i);
        if (is_space_or_control(cp)) {
            throw InvalidInput("the email contains whitespace or a control character");
        }
        if (cp == '@') {
            ++at_count;
        }
        append_utf8(out, to_lower(cp));
    }
    if (at_count != 1) {
        throw InvalidInput("the email must contain exactly one '@'");
    }
    const auto at = out.find('@');
    if (at == 0 || at + 1 == out.size()) {
        throw InvalidInput("the email needs a local part and a domain around its '@'");
    }
    if (out.size() > k_max_email_bytes) {
        throw InvalidInput("the email is longer than 254 bytes");
    }
    return out;
}

}  // namespace usersctl
