#include "core/password_policy.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"
#include "core/shared_library.hpp"
#include "core/text.hpp"
#include "shared_libraries.hpp"

#include <cmath>
#include <zxcvbn.h>

namespace usersctl {

namespace {

constexpr double k_min_guesses_log10 = 6.0;

// zxcvbn is loaded the first time a password is rated, not at every start (core/shared_library).
decltype(&ZxcvbnMatch) zxcvbn_match()
{
    static const auto match = SharedLibrary(k_zxcvbn_soname).function<decltype(&ZxcvbnMatch)>("ZxcvbnMatch");
    return match;
}

// Suggests only schemes the verifier reads: a hint that locks people out is worse than none.
std::string longer_scheme_hint(Scheme scheme, std::size_t bytes, Verifier verifier)
{
    std::string names;
    for (Scheme other : k_schemes) {
        if (other != scheme && can_read(verifier, other) && max_password_bytes(other) >= bytes) {
            names += (names.empty() ? "" : ", ") + std::string(scheme_name(other));
        }
    }
    return names.empty() ? "" : " or a --scheme that takes it whole (" + names + ")";
}

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
    const double bits = zxcvbn_match()(copy.c_str(), words.data(), nullptr);
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
        throw InvalidInput("the password is " + std::to_string(password.size()) + " bytes long; " +
                               scheme_name(scheme) + " hashes at most " + std::to_string(max),
                           "use a shorter password" + longer_scheme_hint(scheme, password.size(), options.verifier));
    }
    if (!options.allow_weak) {
        if (estimated_guesses_log10(password, options.user_words) < k_min_guesses_log10) {
            throw InvalidInput("the password is too easy to guess (fewer than 10^6 guesses)",
                               "choose a longer, less common one, or pass --allow-weak-password");
        }
    }
}

}  // namespace usersctl
