#include "core/table_name.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <vector>

namespace usersctl {

namespace {

constexpr std::size_t k_max_identifier_bytes = 63;  // NAMEDATALEN - 1

[[noreturn]] void bad_table(const std::string& why)
{
    // The text is not quoted back: it may hold terminal escapes, and the reason says what is wrong.
    throw UsageError("invalid --table: " + why, "use NAME or SCHEMA.NAME");
}

// PostgreSQL's scanner (and parse_ident): an unquoted identifier starts with a letter, '_' or a
// non-ASCII byte and goes on with those, digits and '$'. Only ASCII letters fold to lower case.
bool ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

bool ident_continue(unsigned char c)
{
    return ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

// Control characters name no sensible table and would reach messages and terminals raw. The
// part is valid UTF-8 by now.
bool has_control_character(const std::string& part)
{
    for (std::size_t i = 0; i < part.size(); ++i) {
        const auto c = static_cast<unsigned char>(part[i]);
        if (c < 0x20 || c == 0x7f || is_c1_control_at(part, i)) {
            return true;
        }
    }
    return false;
}

}  // namespace

TableName TableName::parse(const std::string& text)
{
    std::vector<std::string> parts;
    std::size_t i = 0;
    while (true) {
        std::string part;
        if (i < text.size() && text[i] == '"') {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        part.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                part.push_back(text[i++]);
            }
            if (!closed) {
                bad_table("unterminated quoted identifier");
            }
        } else {
            if (i < text.size() && !ident_start(static_cast<unsigned char>(text[i])) && text[i] != '.') {
                bad_table("an unquoted identifier starts with a letter or _");
            }
            while (i < text.size() && text[i] != '.') {
                const unsigned char c = static_cast<unsigned char>(text[i]);
                if (!ident_continue(c)) {
                    bad_table("unquoted identifiers may hold only letters, digits, _ and $");
                }
                part.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
                ++i;
            }
        }
        if (part.empty()) {
            bad_table("empty identifier");
        }
        if (part.find('\0') != std::string::npos) {
            bad_table("identifier contains a NUL byte");
        }
        if (!is_valid_utf8(part)) {
            bad_table("identifier is not valid UTF-8");
        }
        if (has_control_character(part)) {
            bad_table("identifier contains a control character");
        }
        if (part.size() > k_max_identifier_bytes) {
            // PostgreSQL would silently cut it to 63 bytes and name another table.
            bad_table("identifier longer than 63 bytes");
        }
        parts.push_back(part);
        if (i == text.size()) {
            break;
        }
        if (text[i] != '.') {
            bad_table("unexpected character after quoted identifier");
        }
        ++i;
    }
    if (parts.size() > 2) {
        bad_table("more than two name parts");
    }
    TableName t;
    if (parts.size() == 2) {
        t.schema = parts[0];
        t.name = parts[1];
    } else {
        t.name = parts[0];
    }
    return t;
}

std::string quote_identifier(const std::string& identifier)
{
    std::string out = "\"";
    for (char c : identifier) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string TableName::quoted() const
{
    return quote_identifier(schema) + "." + quote_identifier(name);
}

std::string email_lower_index_name(const TableName& table)
{
    const std::string suffix = "_email_lower_key";
    // Cut at a character boundary: half a UTF-8 sequence is not a name the server accepts.
    std::size_t keep = std::min(table.name.size(), 63 - suffix.size());
    while (keep > 0 && keep < table.name.size() && (static_cast<unsigned char>(table.name[keep]) & 0xC0) == 0x80) {
        --keep;
    }
    return table.name.substr(0, keep) + suffix;
}

std::string TableName::display() const
{
    return schema + "." + name;
}

}  // namespace usersctl
