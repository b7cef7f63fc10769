#include "core/base64.hpp"

#include <cstdint>

namespace usersctl {

namespace {

constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Arithmetic rather than a search: doctor and list decode a stored value per row.
int value_of(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return 26 + (c - 'a');
    }
    if (c >= '0' && c <= '9') {
        return 52 + (c - '0');
    }
    if (c == '+' || c == '/') {
        return c == '+' ? 62 : 63;
    }
    return -1;
}

}  // namespace

std::string b64_encode(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::uint32_t group = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        group = (group << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(k_alphabet[(group >> bits) & 63]);
        }
    }
    if (bits > 0) {
        out.push_back(k_alphabet[(group << (6 - bits)) & 63]);
    }
    return out;
}

std::optional<std::string> b64_decode(std::string_view text)
{
    if (text.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t group = 0;
    int bits = 0;
    for (char c : text) {
        const int v = value_of(c);
        if (v < 0) {
            return std::nullopt;
        }
        group = (group << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((group >> bits) & 0xff));
        }
    }
    // What is left (2 or 4 bits) must be zero: another spelling of the same bytes is refused.
    if ((group & ((1U << bits) - 1)) != 0) {
        return std::nullopt;
    }
    return out;
}

}  // namespace usersctl
