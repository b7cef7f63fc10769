#include "core/copy_text.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

namespace {

std::string encode(const Row& row)
{
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
        append_copy_field(line, row[i], i == 0);
    }
    return line;
}

Row decode(const std::string& line)
{
    Row row;
    decode_copy_line(line, row);
    return row;
}

std::string field(const std::string& text)
{
    const Row row = decode(text);
    REQUIRE(row.size() == 1);
    REQUIRE(row[0].has_value());
    return *row[0];
}

}  // namespace

TEST_CASE("COPY text: NULL, empty and plain fields")
{
    CHECK(encode({std::nullopt}) == "\\N");
    CHECK(encode({std::string()}) == "");
    CHECK(encode({std::string("a"), std::nullopt, std::string(), std::string("b")}) == "a\t\\N\t\tb");
    CHECK(decode("\\N") == Row{std::nullopt});
    CHECK(decode("") == Row{std::string()});
    CHECK(decode("\n") == Row{std::string()});
    CHECK(decode("a\t\\N\t\tb\n") == Row{std::string("a"), std::nullopt, std::string(), std::string("b")});
    CHECK(decode("\t") == Row{std::string(), std::string()});
    // Only the whole field \N is NULL; an escaped backslash before N is text.
    CHECK(decode("\\\\N") == Row{std::string("\\N")});
    CHECK(decode("\\Nx") == Row{std::string("Nx")});
}

TEST_CASE("COPY text: the bytes the encoder escapes")
{
    CHECK(encode({std::string("a\\b")}) == "a\\\\b");
    CHECK(encode({std::string("a\tb")}) == "a\\tb");
    CHECK(encode({std::string("a\nb")}) == "a\\nb");
    CHECK(encode({std::string("a\rb")}) == "a\\rb");
    CHECK(encode({std::string("\\N")}) == "\\\\N");
    // Other control bytes are legal as they are in COPY input.
    CHECK(encode({std::string("\b\f\v\x1b")}) == "\b\f\v\x1b");
}

TEST_CASE("COPY text: every escape the server writes")
{
    CHECK(field("\\\\") == "\\");
    CHECK(field("\\b") == "\b");
    CHECK(field("\\f") == "\f");
    CHECK(field("\\n") == "\n");
    CHECK(field("\\r") == "\r");
    CHECK(field("\\t") == "\t");
    CHECK(field("\\v") == "\v");
    CHECK(field("x\\ty\\nz\\\\") == "x\ty\nz\\");
}

TEST_CASE("COPY text: octal and hex escapes as COPY FROM reads them")
{
    CHECK(field("\\101") == "A");
    CHECK(field("\\0101") == std::string("\x08" "1"));  // at most three octal digits
    CHECK(field("\\7") == "\x07");
    CHECK(field("\\18") == std::string("\x01" "8"));  // 8 is not octal
    CHECK(field("\\377") == "\xff");
    CHECK(field("\\777") == "\xff");  // cut to a byte, as the server does
    CHECK(field("\\x41") == "A");
    CHECK(field("\\x4") == "\x04");
    CHECK(field("\\x414") == "A4");  // at most two hex digits
    CHECK(field("\\xfF") == "\xff");
    CHECK(field("\\xg") == "xg");  // no hex digit: a plain x
    CHECK(field("\\x") == "x");
    // Digits stop at the end of the field.
    CHECK(decode("\\1\t23") == Row{std::string("\x01"), std::string("23")});
}

TEST_CASE("COPY text: other escaped bytes stand for themselves")
{
    CHECK(field("\\a\\q\\.") == "aq.");
    CHECK(field("\\\xc3\xa9") == "\xc3\xa9");
    CHECK(field("ab\\") == "ab\\");  // a lone backslash at the end is kept
}

TEST_CASE("COPY text: invalid UTF-8 passes through both ways")
{
    const std::string bytes = "\xff\xfe\xc3(\x80\xed\xa0\x80";
    CHECK(encode({bytes}) == bytes);
    CHECK(field(bytes) == bytes);
}

TEST_CASE("COPY text: round trips")
{
    std::string all_bytes;
    for (int c = 0; c < 256; ++c) {
        all_bytes.push_back(static_cast<char>(c));
    }
    const std::vector<Row> rows = {
        {std::nullopt},
        {std::string()},
        {std::string("\\N"), std::nullopt, std::string("\\")},
        {std::string("tab\there"), std::string("line\nbreak\r\n"), std::string("back\\slash\\")},
        {all_bytes, all_bytes},
        {std::string("\\101\\x41"), std::string("\t\t")},
    };
    for (const Row& row : rows) {
        CAPTURE(encode(row));
        CHECK(decode(encode(row)) == row);
        CHECK(decode(encode(row) + "\n") == row);
    }
}

TEST_CASE("COPY text: a row is reused across lines")
{
    Row row;
    decode_copy_line("a\tb\tc\n", row);
    CHECK(row == Row{std::string("a"), std::string("b"), std::string("c")});
    decode_copy_line("\\N\tlonger text\n", row);
    CHECK(row == Row{std::nullopt, std::string("longer text")});
    decode_copy_line("x\t\\N\ty\n", row);
    CHECK(row == Row{std::string("x"), std::nullopt, std::string("y")});
}
