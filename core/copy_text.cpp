#include "core/copy_text.hpp"

#include <cstring>

namespace usersctl {

namespace {

bool is_octal(char c)
{
    return c >= '0' && c <= '7';
}

int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Appends the byte an escape stands for; `i` is the index of the byte after the backslash.
// Returns the index of the escape's last byte. Digits are taken as COPY FROM takes them (up to
// three octal, up to two hex, never past `stop`, the value cut to a byte), so what the server
// would store is what usersctl reads.
std::size_t decode_escape(const std::string& line, std::size_t i, std::size_t stop, std::string& text)
{
    const char e = line[i];
    switch (e) {
    case 'b': text.push_back('\b'); return i;
    case 'f': text.push_back('\f'); return i;
    case 'n': text.push_back('\n'); return i;
    case 'r': text.push_back('\r'); return i;
    case 't': text.push_back('\t'); return i;
    case 'v': text.push_back('\v'); return i;
    case 'x':
        if (i + 1 < stop && hex_digit(line[i + 1]) >= 0) {
            int value = hex_digit(line[++i]);
            if (i + 1 < stop && hex_digit(line[i + 1]) >= 0) {
                value = value * 16 + hex_digit(line[++i]);
            }
            text.push_back(static_cast<char>(value));
            return i;
        }
        break;  // "\x" without a hex digit is a plain 'x'
    default:
        if (is_octal(e)) {
            int value = e - '0';
            for (int k = 0; k < 2 && i + 1 < stop && is_octal(line[i + 1]); ++k) {
                value = value * 8 + (line[++i] - '0');
            }
            text.push_back(static_cast<char>(value & 0xff));
            return i;
        }
    }
    text.push_back(e);
    return i;
}

// Decodes the field line[pos, stop) into `text`. Whole runs between backslashes are copied at
// once (memchr): exports stream millions of fields through here.
void decode_field(const std::string& line, std::size_t pos, std::size_t stop, std::string& text)
{
    text.clear();
    std::size_t run = pos;  // start of the bytes not yet copied
    for (std::size_t i = pos; i < stop; ++i) {
        const void* backslash = std::memchr(line.data() + i, '\\', stop - i);
        if (backslash == nullptr) {
            break;
        }
        i = static_cast<std::size_t>(static_cast<const char*>(backslash) - line.data());
        if (i + 1 >= stop) {
            break;  // a backslash that ends the field is kept as it is
        }
        text.append(line, run, i - run);
        i = decode_escape(line, i + 1, stop, text);
        run = i + 1;
    }
    text.append(line, run, stop - run);
}

}  // namespace

void append_copy_field(std::string& line, const Value& value, bool first)
{
    if (!first) {
        line.push_back('\t');
    }
    if (!value) {
        line += "\\N";
        return;
    }
    // Runs of plain bytes are appended whole (a byte at a time was a sixth of an import's CPU).
    const std::string& text = *value;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const char* escape = c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : nullptr;
        if (escape != nullptr) {
            line.append(text, start, i - start);
            line += escape;
            start = i + 1;
        }
    }
    line.append(text, start, std::string::npos);
}

// Fields are split at every tab before escapes are read: the server writes a tab inside a value
// as "\t", never as a backslash before a raw tab.
void decode_copy_line(const std::string& line, Row& row)
{
    std::size_t end = line.size();
    if (end > 0 && line[end - 1] == '\n') {
        --end;
    }
    std::size_t field = 0;
    std::size_t pos = 0;
    while (true) {
        if (row.size() <= field) {
            row.emplace_back();
        }
        auto& out = row[field];
        const void* tab = std::memchr(line.data() + pos, '\t', end - pos);
        const std::size_t stop =
            tab != nullptr ? static_cast<std::size_t>(static_cast<const char*>(tab) - line.data()) : end;
        if (stop - pos == 2 && line[pos] == '\\' && line[pos + 1] == 'N') {
            out.reset();
        } else {
            if (!out) {
                out.emplace();
            }
            decode_field(line, pos, stop, *out);
        }
        ++field;
        if (stop >= end) {
            break;
        }
        pos = stop + 1;
    }
    row.resize(field);
}

}  // namespace usersctl
