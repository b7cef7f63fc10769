#include "core/unicode.hpp"

#include "core/errors.hpp"
#include "core/shared_library.hpp"
#include "core/text.hpp"
#include "shared_libraries.hpp"

#include <algorithm>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <vector>

namespace usersctl {

namespace {

// ICU is loaded the first time a text needs it, not at every start (core/shared_library): most
// emails are ASCII, whose Python lower-casing and character classes need no tables, and libicuuc
// (C++, with libicudata's 30 MB and libstdc++ behind it) costs every start of the process its
// relocations. Its symbols carry ICU's major version (u_strToLower is u_strToLower_72), which the
// headers' renaming macros spell.
#define USERSCTL_ICU_TEXT(x) #x
#define USERSCTL_ICU_NAME(x) USERSCTL_ICU_TEXT(x)

struct Icu {
    decltype(&u_strFromUTF8) from_utf8;
    decltype(&u_strToUTF8) to_utf8;
    decltype(&u_strToLower) to_lower;
    decltype(&u_errorName) error_name;
    decltype(&u_charType) char_type;
    decltype(&u_hasBinaryProperty) has_binary_property;
    decltype(&u_getUnicodeVersion) unicode_version;
};

const Icu& icu()
{
    static const Icu loaded = [] {
        const SharedLibrary library(k_icuuc_soname);
        Icu icu{};
        icu.from_utf8 = library.function<decltype(icu.from_utf8)>(USERSCTL_ICU_NAME(u_strFromUTF8));
        icu.to_utf8 = library.function<decltype(icu.to_utf8)>(USERSCTL_ICU_NAME(u_strToUTF8));
        icu.to_lower = library.function<decltype(icu.to_lower)>(USERSCTL_ICU_NAME(u_strToLower));
        icu.error_name = library.function<decltype(icu.error_name)>(USERSCTL_ICU_NAME(u_errorName));
        icu.char_type = library.function<decltype(icu.char_type)>(USERSCTL_ICU_NAME(u_charType));
        icu.has_binary_property =
            library.function<decltype(icu.has_binary_property)>(USERSCTL_ICU_NAME(u_hasBinaryProperty));
        icu.unicode_version = library.function<decltype(icu.unicode_version)>(USERSCTL_ICU_NAME(u_getUnicodeVersion));
        return icu;
    }();
    return loaded;
}

std::vector<UChar> to_utf16(std::string_view utf8)
{
    const Icu& u = icu();
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = 0;
    u.from_utf8(nullptr, 0, &length, utf8.data(), static_cast<int32_t>(utf8.size()), &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
        throw InvalidInput("the text is not valid UTF-8");
    }
    std::vector<UChar> out(static_cast<std::size_t>(length) + 1);
    status = U_ZERO_ERROR;
    u.from_utf8(out.data(), static_cast<int32_t>(out.size()), &length, utf8.data(),
                  static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status)) {
        throw InvalidInput("the text is not valid UTF-8");
    }
    out.resize(static_cast<std::size_t>(length));
    return out;
}

}  // namespace

std::string python_lower(std::string_view utf8)
{
    if (utf8.empty()) {
        return {};
    }
    // ASCII: only A-Z change, in Python and in Unicode's full mapping alike; no ICU needed.
    if (is_ascii(utf8)) {
        std::string out(utf8);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z') {
                c = static_cast<char>(c - 'A' + 'a');
            }
        }
        return out;
    }
    const std::vector<UChar> in = to_utf16(utf8);
    const Icu& u = icu();
    // Full mappings can grow the text (U+0130 becomes two code points): ask for the size first.
    // The root locale ("") applies no language rules (Turkish dotless i ...), as Python does not.
    UErrorCode status = U_ZERO_ERROR;
    const int32_t need = u.to_lower(nullptr, 0, in.data(), static_cast<int32_t>(in.size()), "", &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
        throw InternalError(std::string("ICU cannot lower-case the text: ") + u.error_name(status));
    }
    std::vector<UChar> lowered(static_cast<std::size_t>(need) + 1);
    status = U_ZERO_ERROR;
    const int32_t got = u.to_lower(lowered.data(), static_cast<int32_t>(lowered.size()), in.data(),
                                     static_cast<int32_t>(in.size()), "", &status);
    if (U_FAILURE(status)) {
        throw InternalError(std::string("ICU cannot lower-case the text: ") + u.error_name(status));
    }
    int32_t bytes = 0;
    status = U_ZERO_ERROR;
    u.to_utf8(nullptr, 0, &bytes, lowered.data(), got, &status);
    std::string out(static_cast<std::size_t>(bytes), '\0');
    status = U_ZERO_ERROR;
    u.to_utf8(out.data(), bytes, &bytes, lowered.data(), got, &status);
    if (U_FAILURE(status)) {
        throw InternalError(std::string("ICU cannot encode the text: ") + u.error_name(status));
    }
    return out;
}

bool is_invisible_or_unassigned(std::uint32_t code_point)
{
    // ASCII has no format, unassigned, private-use or default-ignorable code point.
    if (code_point < 0x80) {
        return false;
    }
    const Icu& u = icu();
    const auto c = static_cast<UChar32>(code_point);
    const auto type = u.char_type(c);
    // Format characters, unassigned and private-use code points, everything Unicode says a
    // renderer may show as nothing (Default_Ignorable_Code_Point: variation selectors, Hangul
    // fillers, U+034F ...), and the blank braille pattern, which prints as a space.
    return type == U_FORMAT_CHAR || type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR ||
           u.has_binary_property(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || code_point == 0x2800;
}

std::string unicode_version()
{
    UVersionInfo version;
    icu().unicode_version(version);
    return std::to_string(version[0]) + "." + std::to_string(version[1]);
}

}  // namespace usersctl
