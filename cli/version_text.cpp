#include "cli/version_text.hpp"

#include "core/crypt_backend.hpp"
#include "core/database.hpp"
#include "core/openssl_backend.hpp"
#include "version.hpp"

namespace usersctl::cli {

std::string version_text()
{
    // Each library answers from its own file in core/. None of these calls loads anything or
    // initialises a library (a script may call --version in a loop: bench/README.md).
    return std::string("usersctl ") + USERSCTL_VERSION + "\n" +
           "libpq " + libpq_version() + "\n" +
           // libxcrypt has no run-time version call: the headers' version, said as such.
           "libxcrypt " + crypt_compiled_version() + " (compiled against)\n" +
           openssl_version() + "\n" +
           USERSCTL_COPYRIGHT + "\n" +
           "License " + USERSCTL_LICENSE + "\n"
           "This is free software: you are free to change and redistribute it.\n"
           "There is NO WARRANTY, to the extent permitted by law.";
}

}  // namespace usersctl::cli
