#include "core/password_policy.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"
#include "core/text.hpp"

#include <cmath>
#include <zxcvbn.h>

namespace usersctl {

namespace {

constexpr double k_min_guesses_log10 = 6.0;

}  // namespace

double estimated_guesses_log10(std::string_view password, const std::vector<std::string>& user_words)
{
    std::string copy(password);
    std::vector<const char*> words;
    for (const auto& w : user_words) {
        if (!w.empty()) {
            words.push_back(w.c_str());
        }
    }
    words.push_back(nullptr);
    // ZxcvbnMatch returns the entropy in bits: guesses = 2^bits.
    const double bits = ZxcvbnMatch(copy.c_str(), words.data(), nullptr);
    wipe(copy);
    return bits * std::log10(2.0);
}

void check_password_policy(std::string_view password, Scheme scheme, const PolicyOptions& options)
{
    if (password.empty()) {
        throw InvalidInput("the password is empty");
    }
    if (password.find('\0') != std::string_view::npos) {
        throw InvalidInput("the password contains a NUL byte");
    }
    if (!is_valid_utf8(password)) {
        throw InvalidInput("the password is not valid UTF-8");
    }
    const std::size_t length = count_code_points(password);
    if (length < options.min_length) {
        throw InvalidInput("the password is shorter than " + std::to_string(options.min_length) + " characters",
                           "choose a longer one (--min-length sets the minimum)");
    }
    const std::size_t max = max_password_bytes(scheme);
    if (password.size() > max) {
        std::string hint = "use a shorter password";
        if (scheme == Scheme::bcrypt) {
            hint = "bcrypt reads only the first 72 bytes; use a shorter password or --scheme yescrypt";
        }
        throw InvalidInput("the password is " + std::to_string(password.size()) + " bytes long; " +
                               scheme_name(scheme) + " takes at most " + std::to_string(max),
                           hint);
    }
    if (!options.allow_weak) {
        if (estimated_guesses_log10(password, options.user_words) < k_min_guesses_log10) {
            throw InvalidInput("the password is too easy to guess (fewer than 10^6 guesses)",
                               "choose a longer, less common one, or pass --allow-weak-password");
        }
    }
}

}  // namespace usersctl
