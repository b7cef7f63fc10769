#include "core/timestamp.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace usersctl;

TEST_CASE("ISO 8601 dates and date-times become UTC as the app stores it", "[timestamp]")
{
    CHECK(parse_iso8601_utc("2026-11-30") == "2026-11-30 00:00:00.000000");
    CHECK(parse_iso8601_utc("2026-11-30T18:05") == "2026-11-30 18:05:00.000000");
    CHECK(parse_iso8601_utc("2026-11-30 18:05:09") == "2026-11-30 18:05:09.000000");
    CHECK(parse_iso8601_utc("2026-11-30T18:05:09.5Z") == "2026-11-30 18:05:09.500000");
    CHECK(parse_iso8601_utc("2026-11-30T18:05:09.123456z") == "2026-11-30 18:05:09.123456");
    CHECK(parse_iso8601_utc("2026-11-30T19:00:00+01:00") == "2026-11-30 18:00:00.000000");
    CHECK(parse_iso8601_utc("2026-11-30T19:00:00+0130") == "2026-11-30 17:30:00.000000");
    CHECK(parse_iso8601_utc("2026-12-01T00:30:00+01") == "2026-11-30 23:30:00.000000");
    CHECK(parse_iso8601_utc("2026-12-31T23:30:00-05:00") == "2027-01-01 04:30:00.000000");
    CHECK(parse_iso8601_utc("2024-02-29") == "2024-02-29 00:00:00.000000");
    CHECK(parse_iso8601_utc("2000-02-29T12:00Z") == "2000-02-29 12:00:00.000000");
}

TEST_CASE("times that are not ISO 8601 or name no real moment are refused", "[timestamp]")
{
    for (const char* bad : {"", "2026", "2026-11", "2026-1-30", "26-11-30", "2026-13-01", "2026-00-10", "2026-02-29",
                            "1900-02-29", "2026-11-31", "2026-11-30T24:00", "2026-11-30T18:60", "2026-11-30T18:05:60",
                            "2026-11-30T18", "2026-11-30T18:05:09.", "2026-11-30T18:05:09.1234567",
                            "2026-11-30T18:05+24:00", "2026-11-30T18:05+01:60", "2026-11-30T18:05 +01:00",
                            "2026-11-30T18:05Zjunk", "2026-11-30x", "yesterday", "0000-01-01", "2026-11-30T18:05:09+1",
                            "2026-11-30\n"}) {
        INFO(bad);
        CHECK_FALSE(parse_iso8601_utc(bad));
    }
}

TEST_CASE("times in years Python's datetime cannot hold are told from malformed ones", "[timestamp]")
{
    for (const char* beyond : {"0044-03-15T12:00:00.000000Z BC", "0001-01-01 BC", "12345-01-01T00:00:00.000000Z",
                               "10000-01-01", "+12345-01-01T00:00Z", "-0043-03-15T12:00:00Z", "+10000-01-01",
                               "0000-06-01", "9999-12-31T23:30:00-01:00", "0001-01-01T00:30:00+01:00",
                               "0001-02-29T00:00:00.000000Z BC", "0005-02-29 BC", "+0000-01-01", "-0001-12-31",
                               "1234567890123-01-01", "000000000012345-01-01"}) {
        INFO(beyond);
        CHECK_FALSE(parse_iso8601_utc(beyond));
        CHECK(iso8601_outside_python_years(beyond));
    }
    // Malformed, or (with a sign, five digits, or an offset that moves them back) in the years
    // 1 to 9999, which parse_iso8601_utc refuses for their form alone: not "outside".
    for (const char* other : {"", "BC", " BC", "yesterday BC", "12345", "12345-13-01", "+123-01-01", "-garbage",
                              "2026-02-30", "2026-11-30T25:00", "infinity", "2026-11-30T12:00:00Z BC BC",
                              "+2024-05-01T00:00:00Z", "02024-05-01", "10000-01-01T00:30:00+01:00",
                              "0000-12-31T23:30:00-01:00", "-0000-12-31T23:30:00-01:00", "0001-12-31T23:30:00-01:00 BC",
                              "0000002024-01-01", "+0000000002024-01-01T00:00Z"}) {
        INFO(other);
        CHECK_FALSE(iso8601_outside_python_years(other));
    }
    CHECK_FALSE(iso8601_outside_python_years("2026-11-30T12:00:00Z"));  // in range: not outside
}

TEST_CASE("timestamps as PostgreSQL writes them (DateStyle ISO) become usersctl's ISO 8601 UTC", "[timestamp]")
{
    const auto iso = [](std::string_view text) {
        std::string out = "x";  // appended to, not replaced
        append_iso8601_from_postgres(text, out);
        return out;
    };
    CHECK(iso("2026-11-30 17:30:00") == "x2026-11-30T17:30:00.000000Z");
    CHECK(iso("2026-11-30 17:30:00.5") == "x2026-11-30T17:30:00.500000Z");
    CHECK(iso("2026-11-30 17:30:00.123456") == "x2026-11-30T17:30:00.123456Z");
    CHECK(iso("0001-01-01 00:00:00") == "x0001-01-01T00:00:00.000000Z");
    CHECK(iso("12345-01-01 00:00:00.000001") == "x12345-01-01T00:00:00.000001Z");
    CHECK(iso("0044-03-15 12:00:00 BC") == "x0044-03-15T12:00:00.000000Z BC");  // the era, as to_json keeps it
    CHECK(iso("infinity") == "xinfinity");
    CHECK(iso("-infinity") == "x-infinity");
    std::string whole;
    append_iso8601_from_postgres("0044-03-15 12:00:00.25 BC", whole, false);
    CHECK(whole == "0044-03-15T12:00:00Z BC");
    for (const char* bad : {"", "2026-11-30", "2026-11-30T17:30:00", "11/30/2026 17:30:00", "2026-11-30 17:30:00+00",
                            "2026-11-30 17:30:00.1234567", "2026-11-30 17:30:00.", "26-11-30 17:30:00",
                            "2026-1x-30 17:30:00", "Infinity"}) {
        std::string out;
        CHECK_THROWS(append_iso8601_from_postgres(bad, out));
        CHECK_THROWS(python_datetime_can_hold(bad));
    }
}

// What psycopg2 loads into Python's datetime (tests/interop checks the same values against it).
TEST_CASE("which stored values Python's datetime can hold", "[timestamp]")
{
    for (const char* fits : {"0001-01-01 00:00:00", "2026-11-30 17:30:00.5", "9999-12-31 23:59:59.999999",
                             "infinity", "-infinity"}) {
        CHECK(python_datetime_can_hold(fits));
    }
    for (const char* beyond : {"0001-12-31 23:59:59 BC", "0044-03-15 12:00:00 BC", "10000-01-01 00:00:00",
                               "12345-01-01 00:00:00", "294276-12-31 23:59:59.999999"}) {
        CHECK_FALSE(python_datetime_can_hold(beyond));
    }
}

TEST_CASE("timestamps as PostgreSQL writes them are ordered as PostgreSQL orders them", "[timestamp]")
{
    // Earliest to latest.
    const std::vector<std::string> ordered = {
        "-infinity",           "0044-03-15 12:00:00 BC", "0044-03-16 00:00:00 BC", "0043-01-01 00:00:00 BC",
        "0001-01-01 00:00:00", "2026-11-30 17:30:00",    "2026-11-30 17:30:00.25", "2026-11-30 17:30:00.5",
        "2026-11-30 17:30:01", "9999-12-31 23:59:59.999999", "12345-01-01 00:00:00", "infinity"};
    for (std::size_t i = 0; i < ordered.size(); ++i) {
        for (std::size_t j = 0; j < ordered.size(); ++j) {
            const int c = compare_postgres_timestamps(ordered[i], ordered[j]);
            INFO(ordered[i] << " vs " << ordered[j]);
            CHECK((i < j ? c < 0 : i > j ? c > 0 : c == 0));
        }
    }
}
