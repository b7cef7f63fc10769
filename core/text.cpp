#include "core/text.hpp"

#include <algorithm>
#include <cstdio>

namespace usersctl {

namespace {

// The length a lead byte announces (1 to 4), or 0 for a continuation byte or 0xF8..0xFF.
std::size_t announced_length(unsigned char c)
{
    return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
}

void append_hex_escape(std::string& out, const char* format, unsigned char c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, format, c);
    out += buf;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view text, std::size_t i)
{
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = announced_length(c);
    if (len <= 1 || i + len > text.size()) {
        return len == 1 ? 1 : 0;
    }
    std::uint32_t cp = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        const auto cc = static_cast<unsigned char>(text[i + k]);
        if ((cc & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

bool is_ascii(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_valid_utf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) {
            return false;
        }
        i += len;
    }
    return true;
}

std::uint32_t next_code_point(std::string_view text, std::size_t& i)
{
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += len;
    return cp;
}

std::size_t count_code_points(std::string_view text)
{
    std::size_t n = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++n;
        }
    }
    return n;
}

bool is_c1_control_at(std::string_view text, std::size_t i)
{
    return static_cast<unsigned char>(text[i]) == 0xC2 && i + 1 < text.size() &&
           static_cast<unsigned char>(text[i + 1]) >= 0x80 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
}

bool append_c1_escape(std::string& out, std::string_view text, std::size_t& i)
{
    if (!is_c1_control_at(text, i)) {
        return false;
    }
    append_hex_escape(out, "\\u00%02x", static_cast<unsigned char>(text[i + 1]));
    ++i;
    return true;
}

std::string json_escape(const std::string& text)
{
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (append_c1_escape(out, text, i)) {
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                append_hex_escape(out, "\\u%04x", c);
            } else {
                out.push_back(static_cast<char>(c));
            }
        }
    }
    return out;
}

std::string to_valid_utf8(const std::string& text)
{
    if (is_valid_utf8(text)) {
        return text;
    }
    std::string clean;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t len = utf8_sequence_length(text, i);
        if (len == 0) {
            clean += "\xEF\xBF\xBD";
            ++i;
        } else {
            clean.append(text, i, len);
            i += len;
        }
    }
    return clean;
}

std::string json_string(const std::string& text)
{
    return "\"" + json_escape(to_valid_utf8(text)) + "\"";
}

std::string terminal_safe_json(std::string_view json)
{
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        const auto c = static_cast<unsigned char>(json[i]);
        if (c == '\\' && i + 1 < json.size()) {
            // Outside strings JSON has no backslash: each one starts an escape pair.
            const char escaped = json[++i];
            out += escaped == 'b' ? "\\u0008" : escaped == 'f' ? "\\u000c" : std::string{'\\', escaped};
        } else if (c == 0x7f) {
            append_hex_escape(out, "\\u%04x", c);
        } else if (!append_c1_escape(out, json, i)) {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

std::string escape_for_terminal(const std::string& text, ControlEscapes keep)
{
    const bool csv = keep == ControlEscapes::keep_csv_breaks;
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = utf8_sequence_length(text, i);
        const bool line_break = c == '\n' || c == '\t' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
        if (len == 0) {
            append_hex_escape(out, "\\x%02x", c);
            ++i;
        } else if (csv && len == 1 && (line_break || c == '\\')) {
            out.push_back(static_cast<char>(c));
            ++i;
        } else if (len == 1 && (c < 0x20 || c == 0x7f || c == '\\')) {
            switch (c) {
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '\\': out += "\\\\"; break;
            default: append_hex_escape(out, "\\x%02x", c);
            }
            ++i;
        } else if (len == 2 && append_c1_escape(out, text, i)) {
            ++i;  // C1 controls (U+0080..U+009F), e.g. the 8-bit CSI; the helper stepped one byte
        } else {
            out.append(text, i, len);
            i += len;
        }
    }
    return out;
}

}  // namespace usersctl
