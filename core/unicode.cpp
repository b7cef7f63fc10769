#include "core/unicode.hpp"

#include "core/errors.hpp"

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <vector>

namespace usersctl {

namespace {

std::vector<UChar> to_utf16(std::string_view utf8)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t length = 0;
    u_strFromUTF8(nullptr, 0, &length, utf8.data(), static_cast<int32_t>(utf8.size()), &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
        throw InvalidInput("the text is not valid UTF-8");
    }
    std::vector<UChar> out(static_cast<std::size_t>(length) + 1);
    status = U_ZERO_ERROR;
    u_strFromUTF8(out.data(), static_cast<int32_t>(out.size()), &length, utf8.data(),
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
    const std::vector<UChar> in = to_utf16(utf8);
    // Full mappings can grow the text (U+0130 becomes two code points): ask for the size first.
    // The root locale ("") applies no language rules (Turkish dotless i ...), as Python does not.
    UErrorCode status = U_ZERO_ERROR;
    const int32_t need = u_strToLower(nullptr, 0, in.data(), static_cast<int32_t>(in.size()), "", &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) {
        throw InternalError(std::string("ICU cannot lower-case the text: ") + u_errorName(status));
    }
    std::vector<UChar> lowered(static_cast<std::size_t>(need) + 1);
    status = U_ZERO_ERROR;
    const int32_t got = u_strToLower(lowered.data(), static_cast<int32_t>(lowered.size()), in.data(),
                                     static_cast<int32_t>(in.size()), "", &status);
    if (U_FAILURE(status)) {
        throw InternalError(std::string("ICU cannot lower-case the text: ") + u_errorName(status));
    }
    int32_t bytes = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8(nullptr, 0, &bytes, lowered.data(), got, &status);
    std::string out(static_cast<std::size_t>(bytes), '\0');
    status = U_ZERO_ERROR;
    u_strToUTF8(out.data(), bytes, &bytes, lowered.data(), got, &status);
    if (U_FAILURE(status)) {
        throw InternalError(std::string("ICU cannot encode the text: ") + u_errorName(status));
    }
    return out;
}

bool is_invisible_or_unassigned(std::uint32_t code_point)
{
    const auto c = static_cast<UChar32>(code_point);
    const auto type = u_charType(c);
    // Format characters, unassigned and private-use code points, everything Unicode says a
    // renderer may show as nothing (Default_Ignorable_Code_Point: variation selectors, Hangul
    // fillers, U+034F ...), and the blank braille pattern, which prints as a space.
    return type == U_FORMAT_CHAR || type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR ||
           u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || code_point == 0x2800;
}

std::string unicode_version()
{
    UVersionInfo version;
    u_getUnicodeVersion(version);
    return std::to_string(version[0]) + "." + std::to_string(version[1]);
}

}  // namespace usersctl
