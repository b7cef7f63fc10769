#pragma once
// Text as bytes: UTF-8 decoding and validation, JSON string escaping, and control characters made
// visible for terminals. No ICU here (core/unicode is the one ICU user, for Python's
// lower-casing and character classes); everything below is plain byte work any file may use.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace usersctl {

/// True when every byte of `text` is ASCII (below 0x80).
bool is_ascii(std::string_view text);

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// The length of the well-formed UTF-8 sequence starting at text[i], or 0 when none starts there.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

/// The code point of the well-formed UTF-8 sequence at text[i]; steps i past it. The text must
/// be valid UTF-8 (is_valid_utf8).
std::uint32_t next_code_point(std::string_view text, std::size_t& i);

/// The number of code points in well-formed UTF-8.
std::size_t count_code_points(std::string_view text);

/// True when text[i] starts a UTF-8 encoded C1 control (U+0080..U+009F, e.g. the 8-bit CSI).
bool is_c1_control_at(std::string_view text, std::size_t i);

/// If text[i] starts a C1 control, appends it as \u00XX, steps i to its last byte and returns true.
bool append_c1_escape(std::string& out, std::string_view text, std::size_t& i);

/// `text` as the body of a JSON string: quotes, backslashes, C0 controls, DEL and C1 controls
/// escaped (C1 and DEL are valid JSON raw, but raw they can drive a terminal).
std::string json_escape(const std::string& text);

/// `text` with every byte that starts no well-formed UTF-8 sequence replaced by U+FFFD.
std::string to_valid_utf8(const std::string& text);

/// A JSON string literal; invalid UTF-8 bytes become U+FFFD so the output is always valid JSON.
std::string json_string(const std::string& text);

/// JSON text as a serializer (nlohmann::json) writes it, spelled as json_escape() spells strings:
/// DEL and C1 controls as \u00XX, \b and \f as \u0008 and \u000c. The same JSON value either way.
std::string terminal_safe_json(std::string_view json);

/// Which control characters escape_for_terminal() leaves raw.
enum class ControlEscapes {
    all,               ///< none: every control escaped, backslashes doubled
    keep_csv_breaks,   ///< TAB, LF and CR+LF (CSV quoting carries them), backslashes as they are
};

/// Control characters as visible escapes (\n, \t, \x1b ...), so a value cannot forge lines or
/// colour a terminal: C0, DEL and invalid UTF-8 bytes as \xNN (or \n \t \r), C1 as \u00XX.
std::string escape_for_terminal(const std::string& text, ControlEscapes keep = ControlEscapes::all);

}  // namespace usersctl
