#include "core/email.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "core/unicode.hpp"

#include <cstdio>

namespace usersctl {

namespace {

constexpr std::size_t k_max_email_bytes = 254;

bool is_space_or_control(std::uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
        return true;
    }
    switch (cp) {
    case 0x20: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
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
    std::size_t at_count = 0;
    bool ascii = true;
    std::size_t i = 0;
    while (i < input.size()) {
        const std::uint32_t cp = next_code_point(input, i);
        if (is_space_or_control(cp)) {
            throw InvalidInput("the email contains whitespace or a control character");
        }
        at_count += cp == '@' ? 1 : 0;
        ascii = ascii && cp < 0x80;
    }
    if (at_count != 1) {
        throw InvalidInput("the email must contain exactly one '@'");
    }
    // The web app stores and looks up email.lower(): Python's full mapping, with context (a
    // final capital sigma), on the whole string at once.
    std::string out;
    if (ascii) {
        out.assign(input);
        for (char& c : out) {
            c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
        }
    } else {
        out = python_lower(input);
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

bool is_python_lower(std::string_view email)
{
    bool ascii = true;
    for (char c : email) {
        if (c >= 'A' && c <= 'Z') {
            return false;
        }
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    }
    return ascii || !is_valid_utf8(email) || python_lower(email) == email;
}

std::string normalise_new_email(std::string_view input)
{
    std::string out = normalise_email(input);
    std::size_t i = 0;
    while (i < out.size()) {
        const std::size_t start = i;
        const std::uint32_t cp = next_code_point(out, i);
        if (is_invisible_or_unassigned(cp)) {
            char code[16];
            std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
            throw InvalidInput("the email contains an invisible or unassigned character (" + std::string(code) +
                                   " at byte " + std::to_string(start + 1) + ")",
                               "it would print like another address; type the address again");
        }
    }
    return out;
}

}  // namespace usersctl
