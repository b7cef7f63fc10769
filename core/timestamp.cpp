#include "core/timestamp.hpp"

#include "core/errors.hpp"

#include <cstdio>
#include <ctime>

namespace usersctl {

namespace {

// Reads exactly `count` ASCII digits at `pos`, moving past them.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t count)
{
    if (pos + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool take(std::string_view text, std::size_t& pos, char c)
{
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

// The offset east of UTC in minutes, from `Z`, `+HH:MM`, `+HHMM` or `+HH` (or `-`).
std::optional<int> offset_minutes(std::string_view text, std::size_t& pos)
{
    if (take(text, pos, 'Z') || take(text, pos, 'z')) {
        return 0;
    }
    const bool east = take(text, pos, '+');
    if (!east && !take(text, pos, '-')) {
        return std::nullopt;
    }
    const auto hours = digits(text, pos, 2);
    int minutes = 0;
    if (pos < text.size()) {
        take(text, pos, ':');
        const auto m = digits(text, pos, 2);
        if (!m) {
            return std::nullopt;
        }
        minutes = *m;
    }
    if (!hours || *hours > 23 || minutes > 59) {
        return std::nullopt;
    }
    return (east ? 1 : -1) * (*hours * 60 + minutes);
}

// Removes the era PostgreSQL (and usersctl's output) writes after a year before 1, if `text`
// ends with it: true then.
bool take_era(std::string_view& text)
{
    constexpr std::string_view k_era = " BC";
    if (text.size() > k_era.size() && text.substr(text.size() - k_era.size()) == k_era) {
        text.remove_suffix(k_era.size());
        return true;
    }
    return false;
}

enum class Parsed { ok, malformed, beyond_python };

// parse_iso8601_utc, telling a malformed text from a time outside the years 1 to 9999.
Parsed parse_utc(std::string_view text, std::string* utc_out)
{
    std::size_t pos = 0;
    const auto year = digits(text, pos, 4);
    if (!year || !take(text, pos, '-')) {
        return Parsed::malformed;
    }
    const auto month = digits(text, pos, 2);
    if (!month || !take(text, pos, '-') || *month < 1 || *month > 12) {
        return Parsed::malformed;
    }
    const auto day = digits(text, pos, 2);
    if (!day || *day < 1 || *day > days_in_month(*year, *month)) {
        return Parsed::malformed;
    }
    int hour = 0, minute = 0, second = 0, micro = 0, offset = 0;
    if (pos < text.size()) {
        if (!take(text, pos, 'T') && !take(text, pos, 't') && !take(text, pos, ' ')) {
            return Parsed::malformed;
        }
        const auto h = digits(text, pos, 2);
        const auto m = take(text, pos, ':') ? digits(text, pos, 2) : std::nullopt;
        if (!h || !m || *h > 23 || *m > 59) {
            return Parsed::malformed;
        }
        hour = *h;
        minute = *m;
        if (take(text, pos, ':')) {
            const auto s = digits(text, pos, 2);
            if (!s || *s > 59) {
                return Parsed::malformed;
            }
            second = *s;
            if (take(text, pos, '.') || take(text, pos, ',')) {
                std::size_t count = 0;
                for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++count) {
                    if (count < 6) {
                        micro = micro * 10 + (text[pos] - '0');
                    } else {
                        return Parsed::malformed;  // finer than PostgreSQL keeps: refused, not rounded
                    }
                }
                if (count == 0) {
                    return Parsed::malformed;
                }
                for (; count < 6; ++count) {
                    micro *= 10;
                }
            }
        }
        if (pos < text.size()) {
            const auto o = offset_minutes(text, pos);
            if (!o || pos != text.size()) {
                return Parsed::malformed;
            }
            offset = *o;
        }
    }
    // libc's UTC calendar arithmetic: timegm normalises, gmtime_r reads the result back.
    std::tm local{};
    local.tm_year = *year - 1900;
    local.tm_mon = *month - 1;
    local.tm_mday = *day;
    local.tm_hour = hour;
    local.tm_min = minute - offset;
    local.tm_sec = second;
    const std::time_t utc = ::timegm(&local);
    std::tm shifted{};
    if (::gmtime_r(&utc, &shifted) == nullptr || shifted.tm_year + 1900 < 1 || shifted.tm_year + 1900 > 9999) {
        return Parsed::beyond_python;  // e.g. 9999-12-31T23:30:00-01:00, which is in the year 10000
    }
    char out[96];  // room for any int in each field, as the compiler checks
    std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d:%02d.%06d", shifted.tm_year + 1900, shifted.tm_mon + 1,
                  shifted.tm_mday, shifted.tm_hour, shifted.tm_min, shifted.tm_sec, micro);
    if (utc_out != nullptr) {
        *utc_out = out;
    }
    return Parsed::ok;
}

}  // namespace

std::optional<std::string> parse_iso8601_utc(std::string_view text)
{
    std::string utc;
    if (parse_utc(text, &utc) != Parsed::ok) {
        return std::nullopt;
    }
    return utc;
}

bool iso8601_outside_python_years(std::string_view text)
{
    // The year as a number on the proleptic Gregorian calendar's astronomical count (1 BC is 0),
    // from the forms usersctl prints (`... BC`, five or more digits) and ISO 8601's expanded
    // ones (a sign, then four or more digits); the rest is read after a stand-in year, and its
    // offset moves the year as it moves the stand-in's. A year of four digits without either
    // is parse_iso8601_utc's to judge.
    const bool before_christ = take_era(text);
    const char sign = !before_christ && !text.empty() && (text[0] == '+' || text[0] == '-') ? text[0] : '\0';
    if (sign != '\0') {
        text.remove_prefix(1);
    }
    std::size_t year_digits = 0;
    while (year_digits < text.size() && text[year_digits] >= '0' && text[year_digits] <= '9') {
        ++year_digits;
    }
    if (year_digits < 4) {
        return false;
    }
    if (year_digits == 4 && sign == '\0' && !before_christ) {
        return parse_utc(text, nullptr) == Parsed::beyond_python;
    }
    constexpr int k_stand_in = 2000;  // a leap year, as 1 BC, 5 BC, ... are
    std::string utc;
    if (parse_utc(std::to_string(k_stand_in) + std::string(text.substr(year_digits)), &utc) != Parsed::ok) {
        return false;
    }
    std::size_t zeros = 0;
    while (zeros + 1 < year_digits && text[zeros] == '0') {
        ++zeros;
    }
    if (year_digits - zeros > 9) {
        return true;  // a billion years or more, either way
    }
    const long long digits_value = std::stoll(std::string(text.substr(zeros, year_digits - zeros)));
    const long long year = before_christ ? 1 - digits_value : sign == '-' ? -digits_value : digits_value;
    const long long shifted = year + (std::stoll(utc.substr(0, 4)) - k_stand_in);
    return shifted < 1 || shifted > 9999;
}

}  // namespace usersctl

namespace usersctl {

namespace {

// The parts of a timestamp as PostgreSQL writes it under DateStyle ISO.
struct PostgresTimestamp {
    int infinity = 0;         ///< -1 for -infinity, 1 for infinity, 0 for a finite value
    bool before_christ = false;
    std::string_view year;    ///< four or more digits, no sign (the era says BC)
    std::string_view clock;   ///< "MM-DD HH:MM:SS"
    std::string_view fraction;  ///< the digits after the point, trailing zeros dropped (may be empty)
};

[[noreturn]] void not_a_timestamp()
{
    throw InternalError("the server sent a timestamp in an unexpected form (is DateStyle ISO?)");
}

bool all_digits(std::string_view s)
{
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return !s.empty();
}

PostgresTimestamp split_postgres_timestamp(std::string_view text)
{
    PostgresTimestamp out;
    if (text == "infinity") {
        out.infinity = 1;
        return out;
    }
    if (text == "-infinity") {
        out.infinity = -1;
        return out;
    }
    out.before_christ = take_era(text);
    const std::size_t dash = text.find('-');
    if (dash == std::string_view::npos || dash < 4) {
        not_a_timestamp();
    }
    out.year = text.substr(0, dash);
    std::string_view rest = text.substr(dash + 1);
    // "MM-DD HH:MM:SS" is 14 bytes: each digit pair and separator checked.
    constexpr std::string_view k_shape = "00-00 00:00:00";
    if (rest.size() < k_shape.size() || !all_digits(out.year)) {
        not_a_timestamp();
    }
    for (std::size_t i = 0; i < k_shape.size(); ++i) {
        const bool digit = rest[i] >= '0' && rest[i] <= '9';
        if (k_shape[i] == '0' ? !digit : rest[i] != k_shape[i]) {
            not_a_timestamp();
        }
    }
    out.clock = rest.substr(0, k_shape.size());
    rest.remove_prefix(k_shape.size());
    if (!rest.empty()) {
        if (rest.front() != '.' || rest.size() > 7 || !all_digits(rest.substr(1))) {
            not_a_timestamp();
        }
        out.fraction = rest.substr(1);
    }
    return out;
}

}  // namespace

void append_iso8601_from_postgres(std::string_view postgres_text, std::string& out, bool with_fraction)
{
    const PostgresTimestamp t = split_postgres_timestamp(postgres_text);
    if (t.infinity != 0) {
        out.append(postgres_text);
        return;
    }
    out.append(t.year);
    out.push_back('-');
    out.append(t.clock.substr(0, 5));
    out.push_back('T');
    out.append(t.clock.substr(6));
    if (with_fraction) {
        out.push_back('.');
        out.append(t.fraction);
        out.append(6 - t.fraction.size(), '0');
    }
    out.push_back('Z');
    if (t.before_christ) {
        out.append(" BC");
    }
}

bool python_datetime_can_hold(std::string_view postgres_text)
{
    const PostgresTimestamp t = split_postgres_timestamp(postgres_text);
    // Years have four digits up to 9999 and no leading zeros beyond four (see below).
    return t.infinity != 0 || (!t.before_christ && t.year.size() == 4 && t.year != "0000");
}

int compare_postgres_timestamps(std::string_view a, std::string_view b)
{
    const PostgresTimestamp x = split_postgres_timestamp(a);
    const PostgresTimestamp y = split_postgres_timestamp(b);
    if (x.infinity != 0 || y.infinity != 0) {
        return x.infinity - y.infinity;
    }
    if (x.before_christ != y.before_christ) {
        return x.before_christ ? -1 : 1;
    }
    // Years have no leading zeros beyond four digits: the longer is the larger number.
    int years = x.year.size() != y.year.size() ? (x.year.size() < y.year.size() ? -1 : 1) : x.year.compare(y.year);
    if (x.before_christ) {
        years = -years;  // 44 BC is earlier than 43 BC
    }
    if (years != 0) {
        return years;
    }
    if (const int clock = x.clock.compare(y.clock); clock != 0) {
        return clock;
    }
    // Decimal digits after the point, trailing zeros dropped: text order is numeric order.
    return x.fraction.compare(y.fraction);
}

}  // namespace usersctl
