// The import file reader: RFC 4180 CSV through libcsv, JSON Lines, line numbers, bad records.

#include "core/errors.hpp"
#include "core/import/checked_row.hpp"
#include "core/import_reader.hpp"

#include <catch2/catch.hpp>
#include <cstring>

using namespace usersctl;

namespace {

// Reads `text` in chunks of `chunk` bytes (to cross every boundary) and returns the records.
std::vector<ImportRecord> read_all(const ImportReaderOptions& options, const std::string& text, std::size_t chunk = 7)
{
    std::size_t pos = 0;
    ImportReader reader(options, [&](char* buffer, std::size_t size) {
        const std::size_t n = std::min({size, chunk, text.size() - pos});
        std::memcpy(buffer, text.data() + pos, n);
        pos += n;
        return n;
    });
    std::vector<ImportRecord> out;
    ImportRecord record;
    while (reader.next(record)) {
        out.push_back(std::move(record));
    }
    return out;
}

std::vector<ImportRecord> read_all(ImportFormat format, const std::string& text, std::size_t chunk = 7)
{
    return read_all(ImportReaderOptions{format, ',', false}, text, chunk);
}

std::string field(const ImportRecord& r, ImportColumn c)
{
    return r[c].value_or("<none>");
}

}  // namespace

TEST_CASE("CSV: BOM, CRLF, quoted commas, quotes and line breaks, each record with its first line")
{
    for (std::size_t chunk : {1, 3, 7, 4096}) {
        CAPTURE(chunk);
        const auto records = read_all(ImportFormat::csv,
                                      "\xEF\xBB\xBF" "Email, first_name ,password\r\n"
                                      "a@example.com,\"Smith, J\",pw1\r\n"
                                      "\r\n"
                                      "b@example.com,\"two\r\nlines \"\"quoted\"\"\",pw2\r\n"
                                      "c@example.com,,\"pw3\"",
                                      chunk);
        REQUIRE(records.size() == 3);
        CHECK(records[0].line == 2);
        CHECK(field(records[0], ImportColumn::email) == "a@example.com");
        CHECK(field(records[0], ImportColumn::first_name) == "Smith, J");
        CHECK(records[1].line == 4);
        CHECK(field(records[1], ImportColumn::first_name) == "two\r\nlines \"quoted\"");
        CHECK(field(records[1], ImportColumn::password) == "pw2");
        CHECK(records[2].line == 6);
        CHECK(field(records[2], ImportColumn::first_name) == "<none>");
        CHECK(field(records[2], ImportColumn::password) == "pw3");
        for (const auto& r : records) {
            CHECK(r.problem.empty());
        }
    }
}

TEST_CASE("CSV: spaces belong to the field, as RFC 4180 says")
{
    const auto records = read_all(ImportFormat::csv, "email,password\n a@example.com , pw \n");
    REQUIRE(records.size() == 1);
    CHECK(field(records[0], ImportColumn::email) == " a@example.com ");
    CHECK(field(records[0], ImportColumn::password) == " pw ");
}

TEST_CASE("CSV: malformed quoting and wrong field counts are bad records, and reading carries on")
{
    const auto records = read_all(ImportFormat::csv,
                                  "email,password\n"
                                  "a@example.com,x\"y\n"
                                  "b@example.com\n"
                                  "c@example.com,ok\n"
                                  "d@example.com,\"never closed\n");
    REQUIRE(records.size() == 4);
    CHECK(records[0].line == 2);
    CHECK(records[0].problem.find("malformed CSV") != std::string::npos);
    CHECK(records[1].line == 3);
    CHECK(records[1].problem == "it has 1 fields; the header has 2");
    CHECK(records[2].line == 4);
    CHECK(records[2].problem.empty());
    CHECK(records[3].line == 5);
    CHECK(records[3].problem.find("malformed CSV") != std::string::npos);
    // A bad record carries no content.
    CHECK_FALSE(records[0][ImportColumn::email].has_value());
}

TEST_CASE("CSV: the header must name known columns, once, with email and a password column")
{
    CHECK_THROWS_AS(read_all(ImportFormat::csv, ""), InvalidInput);
    CHECK_THROWS_WITH(read_all(ImportFormat::csv, "email,password,colour\n"),
                      Catch::Contains("unknown column 3 'colour'"));
    CHECK_THROWS_WITH(read_all(ImportFormat::csv, "email,EMAIL,password\n"), Catch::Contains("column 2 'email' repeats an earlier column"));
    CHECK_THROWS_WITH(read_all(ImportFormat::csv, "first_name,password\n"), Catch::Contains("no email column"));
    CHECK_THROWS_WITH(read_all(ImportFormat::csv, "email,first_name\n"), Catch::Contains("neither a password"));
    CHECK_THROWS_WITH(read_all(ImportFormat::csv, "email,\"pass\nword\"\n"), Catch::Contains("the first row is not a header"));
    CHECK(read_all(ImportFormat::csv, "id,email,first_name,last_name,password,password_hash,last_login_at,login_count\n")
              .empty());
}

TEST_CASE("header messages name cells by position, and quote none when the row looks like data")
{
    for (const std::string row : {"alice@example.com,Alice,Smith,Tr0ub4dor&3-alice\n", "Alice,Smith,hunter22,\n",
                                  "email,password,Tr0ub4dor&3\n", "email,password,\"\x1b]2;x\x07\"\n"}) {
        CAPTURE(row);
        try {
            read_all(ImportFormat::csv, row);
            FAIL("no exception");
        } catch (const InvalidInput& e) {
            const std::string message = std::string(e.what()) + " " + e.hint();
            for (const char* cell : {"alice@", "Alice", "Smith", "Tr0ub4dor", "hunter22", "\x1b", "\\x1b"}) {
                CHECK(message.find(cell) == std::string::npos);
            }
        }
    }
    CHECK_THROWS_WITH(read_all(ImportFormat::csv, "email,password,pasword\n"), Catch::Contains("unknown column 3 'pasword'"));
}

TEST_CASE("JSON Lines: an unknown key is named only when it looks like a column name")
{
    const auto records = read_all(ImportFormat::jsonl, "{\"Tr0ub4dor&3\":\"x\"}\n{\"nick\":1}\n{\"a b\":\"Smith\"}\n");
    REQUIRE(records.size() == 3);
    CHECK(records[0].problem == "unknown field");
    CHECK(records[1].problem == "unknown field 'nick'");
    CHECK(records[2].problem == "unknown field");
}

TEST_CASE("CSV: a record over 1 MiB is a bad record, not unbounded memory")
{
    const std::string huge(ImportReader::k_max_record_bytes + 10, 'x');
    const auto records = read_all(ImportFormat::csv, "email,password\n" + huge + ",pw\nb@example.com,pw\n", 65536);
    REQUIRE(records.size() == 2);
    CHECK(records[0].problem == "the record is longer than 1 MiB");
    CHECK(records[1].line == 3);
    CHECK(records[1].problem.empty());
}

TEST_CASE("JSON Lines: objects of strings, numbers for the counts, null as absent, blank lines skipped")
{
    const auto records = read_all(ImportFormat::jsonl,
                                  "\xEF\xBB\xBF{\"email\":\"a@example.com\",\"login_count\":3,\"last_name\":null}\r\n"
                                  "\n"
                                  "{\"email\":\"b@example.com\",\"first_name\":\"\\u00e9\\n\"}\n"
                                  "[1,2]\n"
                                  "{\"email\":\"c@example.com\",\"nick\":\"x\"}\n"
                                  "{\"email\":\"d@example.com\",\"password\":5}\n"
                                  "not json");
    REQUIRE(records.size() == 6);
    CHECK(records[0].line == 1);
    CHECK(field(records[0], ImportColumn::login_count) == "3");
    CHECK(field(records[0], ImportColumn::last_name) == "<none>");
    CHECK(records[1].line == 3);
    CHECK(field(records[1], ImportColumn::first_name) == "\xC3\xA9\n");
    CHECK(records[2].problem == "not a JSON object");
    CHECK(records[3].problem == "unknown field 'nick'");
    CHECK(records[4].problem == "field password must be a string or null");
    CHECK(records[5].line == 7);
    CHECK(records[5].problem == "not valid JSON");
}

TEST_CASE("CSV: another delimiter, and a header that splits on one is told apart from data")
{
    const auto semicolon = read_all(ImportReaderOptions{ImportFormat::csv, ';', false},
                                    "email;first_name;password\r\na@example.com;\"Ann; Jr\";pw,with,commas\r\n");
    REQUIRE(semicolon.size() == 1);
    CHECK(field(semicolon[0], ImportColumn::first_name) == "Ann; Jr");
    CHECK(field(semicolon[0], ImportColumn::password) == "pw,with,commas");
    const auto tab = read_all(ImportReaderOptions{ImportFormat::csv, '\t', false}, "email\tpassword\nb@example.com\tx y\n");
    REQUIRE(tab.size() == 1);
    CHECK(field(tab[0], ImportColumn::password) == "x y");

    // The message and its hint together, as the user sees them.
    const auto problem = [](const ImportReaderOptions& options, const std::string& text) {
        try {
            read_all(options, text);
        } catch (const InvalidInput& e) {
            return std::string(e.what()) + "; " + e.hint();
        }
        return std::string("(no error)");
    };
    const ImportReaderOptions comma{ImportFormat::csv, ',', false};
    CHECK(problem(comma, "email;first_name;password\na@example.com;A;secret\n") ==
          "line 1: the header is not separated by ','; split on ';' it names known columns; pass --delimiter ';'");
    CHECK(problem(comma, "Email\tpassword_hash\n").find("split on TABs it names known columns; pass --delimiter tab") !=
          std::string::npos);
    CHECK(problem(ImportReaderOptions{ImportFormat::csv, ';', false}, "email,password\n") ==
          "line 1: the header is not separated by ';'; split on ',' it names known columns; pass --delimiter ','");
    // Data split on ';' is still never shown, and not mistaken for a header.
    CHECK_THROWS_WITH(read_all(ImportFormat::csv, "a@example.com;Tr0ub4dor&3\n"),
                      Catch::Contains("not a header") && !Catch::Contains("Tr0ub4dor"));

    CHECK(parse_csv_delimiter(";") == ';');
    CHECK(parse_csv_delimiter("tab") == '\t');
    CHECK(parse_csv_delimiter("\t") == '\t');
    for (const char* bad : {"", "a", "\"", ";;", "\n", "1", " "}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(parse_csv_delimiter(bad), UsageError);
    }
}

TEST_CASE("detect: JSON Lines when the first non-blank byte is '{', else CSV, whatever the read sizes")
{
    for (std::size_t chunk : {1, 2, 7, 4096}) {
        CAPTURE(chunk);
        const auto json = read_all(ImportFormat::detect, "\xEF\xBB\xBF\n  \n{\"email\":\"a@example.com\",\"password\":\"p\"}\n", chunk);
        REQUIRE(json.size() == 1);
        CHECK(json[0].line == 3);
        CHECK(field(json[0], ImportColumn::email) == "a@example.com");
        const auto csv = read_all(ImportFormat::detect, "\xEF\xBB\xBF" "email,password\nb@example.com,p\n", chunk);
        REQUIRE(csv.size() == 1);
        CHECK(field(csv[0], ImportColumn::email) == "b@example.com");
    }
    CHECK_THROWS_WITH(read_all(ImportFormat::detect, ""), Catch::Contains("empty"));
    CHECK_THROWS_WITH(read_all(ImportFormat::detect, " \n\n"), Catch::Contains("header"));
}

TEST_CASE("a header without password columns is accepted only when passwords are to be generated")
{
    CHECK_THROWS_WITH(read_all(ImportFormat::csv, "email,first_name\n"), Catch::Contains("neither a password"));
    const auto rows = read_all(ImportReaderOptions{ImportFormat::csv, ',', true}, "email,first_name\nc@example.com,C\n");
    REQUIRE(rows.size() == 1);
    CHECK_FALSE(rows[0][ImportColumn::password].has_value());
}
