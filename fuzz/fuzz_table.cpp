// libFuzzer target: --table parsing; a parsed name re-parses from its quoted form to itself, and
// substituted into SQL text it appears exactly once per placeholder, nothing in it rescanned.
#include "core/errors.hpp"
#include "core/sql_text.hpp"
#include "core/table_name.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const usersctl::TableName t = usersctl::TableName::parse(text);
        const usersctl::TableName again = usersctl::TableName::parse(t.quoted());
        if (again.schema != t.schema || again.name != t.name) {
            __builtin_trap();
        }
        const std::string index = usersctl::quote_identifier(usersctl::email_lower_index_name(t));
        const std::string sql = usersctl::render_sql("CREATE UNIQUE INDEX {index} ON {table} (lower(email)) -- {table}",
                                                     {{"table", t.quoted()}, {"index", index}});
        if (sql != "CREATE UNIQUE INDEX " + index + " ON " + t.quoted() + " (lower(email)) -- " + t.quoted()) {
            __builtin_trap();
        }
    } catch (const usersctl::UsageError&) {
    }
    return 0;
}
