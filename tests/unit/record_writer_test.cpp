#include "core/record_writer.hpp"

#include <catch2/catch.hpp>

using namespace usersctl;

namespace {

bool has_raw_control(const std::string& text, bool allow_line_breaks)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
        if (allow_line_breaks && (c == '\n' || c == '\t' || crlf)) {
            continue;
        }
        if (c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0)) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("safe CSV: formula cells get a leading quote and are quoted (OWASP)")
{
    CHECK(safe_csv_field("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    CHECK(safe_csv_field("+1") == "\"'+1\"");
    CHECK(safe_csv_field("-2+3") == "\"'-2+3\"");
    CHECK(safe_csv_field("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(safe_csv_field("\tx") == "\"'\tx\"");
    CHECK(safe_csv_field("\rx") == "\"'\\rx\"");
    CHECK(safe_csv_field("Ada") == "Ada");
    CHECK(safe_csv_field("a=b") == "a=b");
    CHECK(safe_csv_field("") == "");
}

TEST_CASE("safe CSV and TSV never carry terminal controls raw")
{
    const std::string osc = "\x1b]2;PWNED\x07";
    CHECK(safe_csv_field(osc) == "\\x1b]2;PWNED\\x07");
    CHECK(safe_csv_field("a\rb") == "a\\rb");                // a lone CR is escaped ...
    CHECK(safe_csv_field("a\r\nb") == "\"a\r\nb\"");      // ... CRLF and LF are CSV's own
    CHECK(safe_csv_field("x\xc2\x9b" "31m") == "x\\u009b31m");
    CHECK(safe_csv_field("del\x7f") == "del\\x7f");
    CHECK(safe_csv_field("bad\xff") == "bad\\xff");
    CHECK(tsv_field(osc, true) == "\\x1b]2;PWNED\\x07");
    CHECK(tsv_field("=1+1", true) == "'=1+1");
    CHECK(tsv_field("\"=1+1\"", true) == "'\"=1+1\"");  // found by fuzzing: a quote first
    CHECK(safe_csv_field("\"+1") == "\"\"\"+1\"");
    CHECK(tsv_field("a\tb\\", true) == "a\\tb\\\\");
    CHECK(tsv_field("x\xc2\x9b" "31m\xff", true) == "x\\u009b31m\\xff");
    for (const std::string& text : {osc, std::string("\x01\x02\x1b[2J\r\x7f\xc2\x80\xc2\x9f"), std::string("\x1b\r\n\t")}) {
        CHECK_FALSE(has_raw_control(safe_csv_field(text), true));
        CHECK_FALSE(has_raw_control(tsv_field(text, true), false));
        CHECK_FALSE(has_raw_control(escape_for_terminal(text), false));
        CHECK_FALSE(has_raw_control(json_string(text), false));
    }
}

TEST_CASE("raw TSV and CSV keep the bytes, with only the format's own escapes")
{
    CHECK(tsv_field("\x1b]2;x\x07=", false) == "\x1b]2;x\x07=");
    CHECK(tsv_field("=1", false) == "=1");
    CHECK(tsv_field("a\tb\nc\rd\\", false) == "a\\tb\\nc\\rd\\\\");
    CHECK(csv_field("=1\x1b") == "=1\x1b");
    CHECK(csv_field("a,b") == "\"a,b\"");
}
