#pragma once
// `usersctl --version`: the GNU form (name and version, the libraries it runs with, the licence).

#include <string>

namespace usersctl::cli {

/// The text --version prints: "usersctl X.Y.Z", then libpq, libxcrypt and OpenSSL, then the licence.
std::string version_text();

}  // namespace usersctl::cli
