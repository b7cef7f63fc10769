#pragma once
// What a new password must satisfy before it is hashed.

#include "core/password_hash.hpp"
#include "core/verifier.hpp"
#include "core/text.hpp"  // is_valid_utf8 and count_code_points lived here; callers still find them

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace usersctl {

struct PolicyOptions {
    std::size_t min_length = 8;           ///< in Unicode code points
    bool allow_weak = false;              ///< skip the zxcvbn guessability check
    std::vector<std::string> user_words;  ///< email, names: guessing them is cheap
    Verifier verifier = Verifier::any;    ///< whose schemes a "too long" hint may suggest
};

/// log10 of the guesses zxcvbn estimates for the password (user_words count as known words).
double estimated_guesses_log10(std::string_view password, const std::vector<std::string>& user_words);

/// Throws InvalidInput with a reason (never the password) when the password is empty, not
/// UTF-8, holds a NUL byte, is shorter than the minimum, longer than the scheme hashes whole,
/// or guessable in fewer than 10^6 tries.
void check_password_policy(std::string_view password, Scheme scheme, const PolicyOptions& options);

}  // namespace usersctl
