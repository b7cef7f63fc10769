#include "core/sql_text.hpp"

#include "core/errors.hpp"

#include <vector>

namespace usersctl {

namespace {

std::string render(const std::string& sql, const std::vector<std::pair<const char*, std::string>>& identifiers)
{
    // One left-to-right pass, copying into a fresh string: an inserted identifier is output,
    // never input, so a quoted name containing "{index}" cannot become a second placeholder.
    std::string out;
    out.reserve(sql.size() + 64);
    std::size_t i = 0;
    while (i < sql.size()) {
        const auto open = sql.find('{', i);
        if (open == std::string::npos) {
            out.append(sql, i, std::string::npos);
            break;
        }
        out.append(sql, i, open - i);
        const auto close = sql.find('}', open + 1);
        const std::string name = close == std::string::npos ? std::string() : sql.substr(open + 1, close - open - 1);
        const bool placeholder = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
        if (!placeholder) {
            out.push_back('{');
            i = open + 1;
            continue;
        }
        bool found = false;
        for (const auto& [key, quoted] : identifiers) {
            if (name == key) {
                out += quoted;
                found = true;
                break;
            }
        }
        if (!found) {
            throw InternalError("SQL text names {" + name + "}, which has no value");
        }
        i = close + 1;
    }
    return out;
}

}  // namespace

std::string render_sql(const std::string& sql,
                       std::initializer_list<std::pair<const char*, std::string>> identifiers)
{
    return render(sql, {identifiers.begin(), identifiers.end()});
}

std::string sql_for_table(const std::string& statement, const TableName& table,
                          std::initializer_list<std::pair<const char*, std::string>> more)
{
    std::vector<std::pair<const char*, std::string>> identifiers{{"table", table.quoted()}};
    identifiers.insert(identifiers.end(), more.begin(), more.end());
    return render(statement, identifiers);
}

std::string array_literal(const std::vector<std::string_view>& items)
{
    std::string out = "{";
    for (const auto& item : items) {
        out += out.size() > 1 ? ",\"" : "\"";
        for (const char c : item) {
            if (c == '"' || c == '\\') {
                out.push_back('\\');
            }
            out.push_back(c);
        }
        out.push_back('"');
    }
    return out + "}";
}

}  // namespace usersctl
