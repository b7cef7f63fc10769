#pragma once
// Unicode text as the web app's Python sees it. The only file that talks to ICU.

#include <cstdint>
#include <string>
#include <string_view>

namespace usersctl {

/// Python 3's str.lower() of valid UTF-8: Unicode's full lower-case mapping with the final-sigma
/// rule, the same on every machine whatever its locale (ICU's root locale), safe on any thread.
std::string python_lower(std::string_view utf8);

/// Whether a code point may print as nothing or as another's look: a format character (Cf:
/// zero-width joiners, soft hyphens, bidi controls ...), unassigned (Cn), private use (Co), any
/// Default_Ignorable_Code_Point (variation selectors, Hangul fillers ...), or U+2800.
bool is_invisible_or_unassigned(std::uint32_t code_point);

/// The Unicode version the lower-casing tables follow (ICU's), e.g. "15.0".
std::string unicode_version();

}  // namespace usersctl
