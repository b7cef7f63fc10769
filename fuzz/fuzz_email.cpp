// libFuzzer target: email normalisation; the result must itself be normal and stable.
#include "core/email.hpp"
#include "core/errors.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char*>(data), size);
    try {
        const std::string once = usersctl::normalise_email(input);
        if (once.size() > 254 || usersctl::normalise_email(once) != once) {
            __builtin_trap();
        }
    } catch (const usersctl::InvalidInput&) {
    }
    return 0;
}
