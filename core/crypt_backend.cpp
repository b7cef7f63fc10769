#include "core/crypt_backend.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"

#include <crypt.h>
#include <memory>

namespace usersctl {

std::string crypt_new_setting(const char* prefix, unsigned long count)
{
    char out[CRYPT_GENSALT_OUTPUT_SIZE];
    // rbytes = NULL: libxcrypt draws the salt from the OS entropy source itself.
    if (crypt_gensalt_rn(prefix, count, nullptr, 0, out, sizeof out) == nullptr) {
        throw InternalError(std::string("libxcrypt cannot make a setting for ") + prefix + " with cost " +
                            std::to_string(count));
    }
    return out;
}

std::optional<std::string> crypt_compute(const std::string& password, const std::string& setting)
{
    // struct crypt_data is large (32 KiB); keep it off the stack and wipe it afterwards, since
    // it holds intermediate state derived from the password.
    auto data = std::make_unique<crypt_data>();
    std::optional<std::string> result;
    const char* hashed = crypt_rn(password.c_str(), setting.c_str(), data.get(), sizeof *data);
    if (hashed != nullptr && hashed[0] != '*') {
        result = std::string(hashed);
    }
    wipe(data.get(), sizeof *data);
    return result;
}

std::string crypt_compiled_version()
{
    return XCRYPT_VERSION_STR;
}

}  // namespace usersctl
