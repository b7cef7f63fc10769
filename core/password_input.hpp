#pragma once
// Where a password comes from. No source takes the password itself as a command-line value.

#include "core/secret.hpp"

#include <cstddef>
#include <string>

namespace usersctl {

enum class PasswordSource { unspecified, prompt, stdin_line, file, fd, env, generate };

struct PasswordInput {
    PasswordSource source = PasswordSource::unspecified;
    std::string path;                  ///< --password-file
    int fd = -1;                       ///< --password-fd
    std::string env_var;               ///< --password-env
    std::size_t generate_length = 20;  ///< --generate-password[=LENGTH]
};

/// The largest password input read, in bytes; longer input is refused, not slurped.
constexpr std::size_t k_max_password_input = 4096;

/// A password and whether usersctl generated it (then the caller prints it once).
struct ObtainedPassword {
    Secret secret;
    bool generated = false;
};

/// Reads the password. Unspecified means: prompt when stdin is a terminal, else UsageError
/// naming the options. `confirm` asks twice at a prompt (for new passwords). Exactly one
/// trailing "\n" or "\r\n" is removed. Throws UsageError or InvalidInput (never echoing input).
ObtainedPassword obtain_password(const PasswordInput& input, bool confirm);

/// Whether `name` is an environment variable name (^[A-Za-z_][A-Za-z0-9_]*$), so that a message
/// may show it: a mistyped value given in its place is never repeated.
bool is_variable_name(const std::string& name);

/// A new random password of `length` letters and digits (the kernel CSPRNG), as
/// --generate-password makes them.
Secret generate_password(std::size_t length);

}  // namespace usersctl
