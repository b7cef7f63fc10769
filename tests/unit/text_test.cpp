#include "core/text.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

TEST_CASE("text: UTF-8 sequences are measured and decoded, ill-formed ones refused")
{
    CHECK(utf8_sequence_length("a", 0) == 1);
    CHECK(utf8_sequence_length("\xc3\xa4", 0) == 2);
    CHECK(utf8_sequence_length("\xe2\x82\xac", 0) == 3);
    CHECK(utf8_sequence_length("\xf0\x9f\x94\x91", 0) == 4);
    CHECK(utf8_sequence_length("\xc3", 0) == 0);              // truncated
    CHECK(utf8_sequence_length("\xa4", 0) == 0);              // a continuation byte alone
    CHECK(utf8_sequence_length("\xc0\xaf", 0) == 0);          // overlong '/'
    CHECK(utf8_sequence_length("\xe0\x80\xaf", 0) == 0);      // overlong, three bytes
    CHECK(utf8_sequence_length("\xed\xa0\x80", 0) == 0);      // a surrogate
    CHECK(utf8_sequence_length("\xf4\x90\x80\x80", 0) == 0);  // past U+10FFFF
    CHECK(utf8_sequence_length("\xf8\x88\x80\x80\x80", 0) == 0);
    CHECK(utf8_sequence_length("x\xc3\xa4", 1) == 2);

    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("caf\xc3\xa9 \xf0\x9f\x94\x91"));
    CHECK_FALSE(is_valid_utf8("caf\xc3"));
    CHECK_FALSE(is_valid_utf8("\xff"));

    const std::string text = "a\xc3\xa4\xe2\x82\xac\xf0\x9f\x94\x91";
    std::size_t i = 0;
    CHECK(next_code_point(text, i) == 0x61);
    CHECK(next_code_point(text, i) == 0xE4);
    CHECK(next_code_point(text, i) == 0x20AC);
    CHECK(next_code_point(text, i) == 0x1F511);
    CHECK(i == text.size());
    CHECK(count_code_points(text) == 4);
}

TEST_CASE("text: C1 controls are found and escaped as \\u00XX")
{
    CHECK(is_c1_control_at("\xc2\x9b", 0));
    CHECK(is_c1_control_at("\xc2\x80", 0));
    CHECK_FALSE(is_c1_control_at("\xc2\xa0", 0));  // NBSP is not a control
    CHECK_FALSE(is_c1_control_at("\xc2", 0));
    std::string out;
    std::size_t i = 0;
    CHECK(append_c1_escape(out, "\xc2\x9b", i));
    CHECK(out == "\\u009b");
    CHECK(i == 1);  // on the last byte of the sequence, for the caller's loop to step past
}

TEST_CASE("text: JSON strings escape what JSON needs and what a terminal would obey")
{
    CHECK(json_escape("a\"b\\c\nd\r\te") == "a\\\"b\\\\c\\nd\\r\\te");
    CHECK(json_escape("\x1b[31m\x7f\b") == "\\u001b[31m\\u007f\\u0008");
    CHECK(json_escape("\xc2\x9b" "2J \xc3\xa9") == "\\u009b2J \xc3\xa9");
    CHECK(json_string("plain") == "\"plain\"");
    CHECK(json_string("bad \xff byte") == "\"bad \xef\xbf\xbd byte\"");
    CHECK(json_string("\xc3") == "\"\xef\xbf\xbd\"");
}

TEST_CASE("text: JSON text from a serializer is spelled as json_escape spells it")
{
    CHECK(terminal_safe_json(R"({"a":"x","b":[1,true,null]})") == R"({"a":"x","b":[1,true,null]})");
    CHECK(terminal_safe_json("{\"a\":\"\x7f\xc2\x85\xc3\xa9\"}") == "{\"a\":\"\\u007f\\u0085\xc3\xa9\"}");
    CHECK(terminal_safe_json(R"({"a":"\b\f\\b\"\n\u001b"})") == R"({"a":"\u0008\u000c\\b\"\n\u001b"})");
    CHECK(terminal_safe_json(json_string("\x7f\xc2\x85\b")) == json_string("\x7f\xc2\x85\b"));
    CHECK(to_valid_utf8("ok \xc3\xa9") == "ok \xc3\xa9");
    CHECK(to_valid_utf8("\xc3(\xff") == "\xef\xbf\xbd(\xef\xbf\xbd");
}

TEST_CASE("text: terminal escapes make every control visible, one way")
{
    CHECK(escape_for_terminal("Ada") == "Ada");
    CHECK(escape_for_terminal("a\nb\tc\rd\\e") == "a\\nb\\tc\\rd\\\\e");
    CHECK(escape_for_terminal("\x1b]2;PWNED\x07") == "\\x1b]2;PWNED\\x07");
    CHECK(escape_for_terminal("\x7f") == "\\x7f");
    CHECK(escape_for_terminal("\xc2\x9b" "31m") == "\\u009b31m");
    CHECK(escape_for_terminal("bad \xff") == "bad \\xff");
    CHECK(escape_for_terminal("\xc3\xa9\xf0\x9f\x94\x91") == "\xc3\xa9\xf0\x9f\x94\x91");
}

TEST_CASE("text: for CSV, TAB, LF, CRLF and backslashes stay as they are")
{
    const auto csv = ControlEscapes::keep_csv_breaks;
    CHECK(escape_for_terminal("a\tb\nc\r\nd\\e", csv) == "a\tb\nc\r\nd\\e");
    CHECK(escape_for_terminal("lone\rCR", csv) == "lone\\rCR");
    CHECK(escape_for_terminal("\x1b[2J\xc2\x9b", csv) == "\\x1b[2J\\u009b");
}
