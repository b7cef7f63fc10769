// libFuzzer target: --table parsing; a parsed name re-parses from its quoted form to itself.
#include "core/errors.hpp"
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
    } catch (const usersctl::UsageError&) {
    }
    return 0;
}
