#pragma once
// A new password from its source, checked by the policy and hashed: what add-user,
// set-password and hash share.

#include "core/password_hash.hpp"
#include "core/password_input.hpp"
#include "core/password_policy.hpp"

#include <optional>
#include <string>

namespace usersctl {

struct NewPassword {
    std::string hash;
    std::optional<Secret> generated;  ///< set when usersctl generated the password (print it once)
};

/// Reads the password (asking twice at a prompt), applies the policy (generated passwords are
/// strong by construction) and hashes it. The plain password is wiped before returning unless
/// it was generated.
NewPassword make_new_password(const PasswordInput& input, const HashSettings& settings, const PolicyOptions& policy);

}  // namespace usersctl
