#include "core/new_password.hpp"

namespace usersctl {

NewPassword make_new_password(const PasswordInput& input, const HashSettings& settings, const PolicyOptions& policy)
{
    validate_settings(settings);
    ObtainedPassword password = obtain_password(input, true);
    if (!password.generated) {
        check_password_policy(password.secret.view(), settings.scheme, policy);
    }
    NewPassword out;
    out.hash = hash_password(password.secret.view(), settings);
    if (password.generated) {
        out.generated = std::move(password.secret);
    }
    return out;
}

}  // namespace usersctl
