#include "core/table_name.hpp"

#include "core/errors.hpp"

#include <vector>

namespace usersctl {

namespace {

constexpr std::size_t k_max_identifier_bytes = 63;  // NAMEDATALEN - 1

[[noreturn]] void bad_table(const std::string& text, const std::string& why)
{
    throw UsageError("invalid --table '" + text + "': " + why, "use NAME or SCHEMA.NAME");
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
                bad_table(text, "unterminated quoted identifier");
            }
        } else {
            while (i < text.size() && text[i] != '.') {
                const unsigned char c = static_cast<unsigned char>(text[i]);
                if (!(std::isalnum(c) || c == '_' || c == '$' || c >= 0x80)) {
                    bad_table(text, "unquoted identifiers may hold only letters, digits, _ and $");
                }
                part.push_back(static_cast<char>(std::tolower(c)));
                ++i;
            }
        }
        if (part.empty()) {
            bad_table(text, "empty identifier");
        }
        if (part.find('\0') != std::string::npos) {
            bad_table(text, "identifier contains a NUL byte");
        }
        if (part.size() > k_max_identifier_bytes) {
            bad_table(text, "identifier longer than 63 bytes");
        }
        parts.push_back(part);
        if (i == text.size()) {
            break;
        }
        if (text[i] != '.') {
            bad_table(text, "unexpected character after quoted identifier");
        }
        ++i;
    }
    if (parts.size() > 2) {
        bad_table(text, "more than two name parts");
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

std::string TableName::display() const
{
    return schema + "." + name;
}

}  // namespace usersctl
