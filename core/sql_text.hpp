#pragma once
// Statement text from sql/*.sql with identifiers filled in. Only quoted identifiers are ever
// substituted; values always travel as $n parameters.

#include <initializer_list>
#include <string>
#include <utility>

namespace usersctl {

/// Replaces each {name} in `sql` with its (already quoted) identifier.
inline std::string render_sql(std::string sql,
                              std::initializer_list<std::pair<const char*, std::string>> identifiers)
{
    for (const auto& [name, quoted] : identifiers) {
        const std::string key = std::string("{") + name + "}";
        for (auto pos = sql.find(key); pos != std::string::npos; pos = sql.find(key, pos + quoted.size())) {
            sql.replace(pos, key.size(), quoted);
        }
    }
    return sql;
}

}  // namespace usersctl
