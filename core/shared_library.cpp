#include "core/shared_library.hpp"

#include "core/errors.hpp"

#include <dlfcn.h>

namespace usersctl {

SharedLibrary::SharedLibrary(const char* soname) : m_handle(dlopen(soname, RTLD_NOW | RTLD_LOCAL)), m_soname(soname)
{
    if (m_handle == nullptr) {
        const char* why = dlerror();
        // A broken installation, not a bug: 78, as for the rest of what the host must provide.
        throw ConfigError("cannot load " + m_soname + ": " + (why != nullptr ? why : "unknown error"),
                          "install the package that provides " + m_soname);
    }
}

void* SharedLibrary::symbol(const char* name) const
{
    void* const address = dlsym(m_handle, name);
    if (address == nullptr) {
        throw ConfigError(m_soname + " lacks " + name, "install the version of " + m_soname + " usersctl was built with");
    }
    return address;
}

}  // namespace usersctl
